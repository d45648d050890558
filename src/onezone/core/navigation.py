"""The back office's sidebar, assembled from what each app registers in its ``ready()``.

An app adds its section with ``register``; a section or item names the roles that see it.

Each person sees the entries their roles work with, in the sections of their tasks. Those who oversee
the zone (a leader, a department head, the province) see the desks, figures and key lists; a register
kept by the office that works it (``oversight=False``) is not in their sidebar: its records are a click
away on the desks and figures. The administrator sees the same task sections and, clearly apart, the
site's whole upkeep: every register and setting, grouped per section, folded until opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.urls import NoReverseMatch, reverse

from onezone.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    title: str
    link: str  # a URL name ("admin:zones_zone_changelist") or a path starting with "/"
    icon: str = "chevron_right"
    roles: frozenset[str] | None = None  # None: every staff user
    visible: Callable[[Any], bool] | None = None  # an extra test on the request
    oversight: bool = True  # False: a register those who only oversee the zone do not work with


@dataclass(frozen=True)
class NavSection:
    order: int
    title: str
    items: tuple[NavItem, ...] = field(default_factory=tuple)


_sections: dict[str, NavSection] = {}
OVERSEERS = frozenset({Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR})
UPKEEP_TITLE = "系统管理"


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


TASK, UPKEEP = "task", "upkeep"


def _place(item: NavItem, roles: frozenset[str]) -> str | None:
    """Where ``item`` goes for someone holding ``roles``: their task sections, the upkeep group, or nowhere."""
    if item.roles is None:
        return TASK
    held = item.roles & roles
    if not held:
        return None
    if held - OVERSEERS - {Role.ADMIN}:
        return TASK  # a role that works with it every day
    if item.oversight and item.roles != {Role.ADMIN}:
        return TASK
    return UPKEEP if Role.ADMIN in held else None


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


def _roles(request: Any) -> frozenset[str]:
    from onezone.core.middleware import current_zone_id
    from onezone.core.permissions import roles_in

    return frozenset(roles_in(request.user, current_zone_id(request)))


def sidebar(request: Any) -> list[dict[str, Any]]:
    """Unfold's SIDEBAR navigation for this request: the entries the user's roles work with, by task,
    then the administrator's upkeep groups; the one entry that names the current page best is active."""
    roles = _roles(request)
    groups: dict[str, list[dict[str, Any]]] = {TASK: [], UPKEEP: []}
    for section in sorted(_sections.values(), key=lambda s: s.order):
        items: dict[str, list[dict[str, Any]]] = {TASK: [], UPKEEP: []}
        for item in section.items:
            place = _place(item, roles)
            href = _href(item.link) if place else None
            if href is None or (item.visible is not None and not item.visible(request)):
                continue
            items[place].append({"title": item.title, "icon": item.icon, "link": href, "active": False})
        if items[TASK]:
            groups[TASK].append({"title": section.title, "separator": True, "items": items[TASK]})
        if items[UPKEEP]:
            title = f"{UPKEEP_TITLE} · {section.title}"
            groups[UPKEEP].append({"title": title, "collapsible": True, "items": items[UPKEEP]})
    if groups[UPKEEP]:
        groups[UPKEEP][0]["separator"] = True
    shown = groups[TASK] + groups[UPKEEP]
    params = parse_qs(request.META.get("QUERY_STRING", ""))
    scored = [(_match(i["link"], request.path, params), i) for g in shown for i in g["items"]]
    best = max(scored, key=lambda pair: pair[0], default=(0, None))
    if best[0]:
        best[1]["active"] = True
    return shown
