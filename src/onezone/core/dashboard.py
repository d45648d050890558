"""The landing page (工作台): the user's own work first, then the zone's key figures.

Each app registers panels in its ``ready()``; a panel is a function of (request, zone_id) that
returns a ``Panel`` or None when it has nothing for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class PanelRow:
    cells: list[Any]
    link: str = ""
    tone: str = ""  # "", "warning", "danger", "success"


@dataclass
class Panel:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[PanelRow] = field(default_factory=list)
    empty: str = "暂无"
    link: str = ""
    link_text: str = ""
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, link)
    wide: bool = False


PanelFn = Callable[[Any, int], Panel | None]

# "work" panels (the user's own work) come first, then "zone" panels (key figures). A province-level user
# (the provincial supervisor) lands on the "province" panels instead: every zone at once, not one zone.
_panels: dict[str, tuple[str, int, PanelFn]] = {}


def register_panel(key: str, *, group: str, order: int, build: PanelFn) -> None:
    if group not in {"work", "zone", "province"}:
        raise ValueError("group must be 'work', 'zone' or 'province'")
    _panels[key] = (group, order, build)


def panels(request: Any, zone_id: int | None, group: str) -> list[Panel]:
    built = []
    for key_group, _order, build in sorted(_panels.values(), key=lambda p: p[1]):
        if key_group != group:
            continue
        panel = build(request, zone_id)
        if panel is not None:
            built.append(panel)
    return built


def is_province_level(user: Any) -> bool:
    """A user whose work is the province's zones together: the provincial supervisor without a zone's role."""
    from onezone.core.permissions import readable_zone_ids, roles_in
    from onezone.core.roles import Role

    return (
        getattr(user, "is_authenticated", False)
        and not user.is_superuser
        and readable_zone_ids(user) is None
        and Role.PROVINCE_SUPERVISOR in roles_in(user, None)
    )


def workbench(request: Any, context: dict[str, Any]) -> dict[str, Any]:
    """Unfold's DASHBOARD_CALLBACK: what the landing page shows."""
    from onezone.core.calendar import missing_next_year
    from onezone.core.calendar_page import can_import_calendar
    from onezone.core.middleware import current_zone_id

    if is_province_level(request.user):
        context.update(
            {
                "today": timezone.localdate(),
                "province_level": True,
                "province_panels": panels(request, None, "province"),
                "calendar_missing_year": missing_next_year() if can_import_calendar(request.user) else None,
            }
        )
        return context
    zone_id = current_zone_id(request)
    context.update(
        {
            "today": timezone.localdate(),
            "zone_id": zone_id,
            # Only those who can import it are told to: everyone else sees "暂定" beside such deadlines.
            "calendar_missing_year": missing_next_year() if can_import_calendar(request.user) else None,
            "work_panels": panels(request, zone_id, "work") if zone_id else [],
            "zone_panels": panels(request, zone_id, "zone") if zone_id else [],
        }
    )
    return context
