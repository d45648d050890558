"""The back office's sidebar, assembled from what each app registers in its ``ready()``.

An app adds its section with ``register``; a section or item names the roles that see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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


def sidebar(request: Any) -> list[dict[str, Any]]:
    """Unfold's SIDEBAR navigation for this request."""
    groups = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        items = []
        for item in section.items:
            href = _href(item.link)
            if href is None or not _visible(item.roles)(request):
                continue
            if item.visible is not None and not item.visible(request):
                continue
            items.append({"title": item.title, "icon": item.icon, "link": href})
        if items:
            groups.append({"title": section.title, "separator": True, "items": items})
    return groups
