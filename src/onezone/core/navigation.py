"""The back office's sidebar, assembled from what each app registers in its ``ready()``.

An app adds its section with ``register``; a section or item names the roles that see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    title: str
    link: str  # a URL name ("admin:zones_zone_changelist") or a path starting with "/"
    icon: str = "chevron_right"
    roles: frozenset[str] | None = None  # None: every staff user
    visible: Callable[[Any], bool] | None = None  # an extra test on the request


@dataclass(frozen=True)
class NavSection:
    order: int
    title: str
    items: tuple[NavItem, ...] = field(default_factory=tuple)


_sections: dict[str, NavSection] = {}


def register(key: str, *, order: int, title: str, items: Iterable[NavItem]) -> None:
    """Add (or replace) the section ``key``."""
    _sections[key] = NavSection(order=order, title=title, items=tuple(items))


def _href(link: str) -> str | None:
    if link.startswith("/"):
        return link
    try:
        return reverse(link)
    except NoReverseMatch:
        return None


def _visible(roles: frozenset[str] | None) -> Callable[[Any], bool]:
    def check(request: Any) -> bool:
        from onezone.core.middleware import current_zone_id
        from onezone.core.permissions import roles_in

        if roles is None:
            return True
        return bool(roles_in(request.user, current_zone_id(request)) & roles)

    return check


def _match(href: str, path: str, params: dict[str, list[str]]) -> int:
    """How well ``href`` names the page at ``path`` with ``params``: 0 not at all, else the longer the better.

    A link with a query names its page only with the same values (the queue's three scopes share a path).
    """
    parts = urlsplit(href)
    if not parts.path or not path.startswith(parts.path):
        return 0
    if parts.path == "/admin/" and path != "/admin/":
        return 0  # the landing page is active only on itself
    query = parse_qs(parts.query)
    if any(params.get(key) != values for key, values in query.items()):
        return 0
    return len(parts.path) * 10 + len(query)


def sidebar(request: Any) -> list[dict[str, Any]]:
    """Unfold's SIDEBAR navigation for this request: the entries the user's roles work with, by task,
    the one that names the current page best marked active (never two)."""
    groups = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        items = []
        for item in section.items:
            href = _href(item.link)
            if href is None or not _visible(item.roles)(request):
                continue
            if item.visible is not None and not item.visible(request):
                continue
            items.append({"title": item.title, "icon": item.icon, "link": href, "active": False})
        if items:
            groups.append({"title": section.title, "separator": True, "items": items})
    params = parse_qs(request.META.get("QUERY_STRING", ""))
    scored = [(_match(i["link"], request.path, params), i) for g in groups for i in g["items"]]
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    if best[0]:
        best[1]["active"] = True
    return groups
