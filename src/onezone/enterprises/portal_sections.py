"""Sections of the enterprise's own portal page that higher modules contribute.

The enterprise module sits below the window (cases, ratings) and the policies; they register a
section here in their ``AppConfig.ready()`` and the portal shows it for the signed-in enterprise:

    from onezone.enterprises.portal_sections import PortalSection, register

    def build(request, enterprise):
        rows = cases_for_applicant(zone_id=enterprise.zone_id, uscc=enterprise.uscc)
        return PortalSection(title="我的办件", headers=["编号", "事项", "状态"], rows=[...])

    register("window.cases", order=20, build=build)

``build`` returns None when it has nothing to show. It must read only the given enterprise's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class PortalSection:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # cells; a cell may be (text, url) for a link
    empty: str = "暂无记录"
    link: str = ""
    link_text: str = ""


SectionFn = Callable[[Any, Any], PortalSection | None]
_sections: dict[str, tuple[int, SectionFn]] = {}


def register(key: str, *, order: int, build: SectionFn) -> None:
    """Add (or replace) the section ``key``."""
    _sections[key] = (order, build)


def unregister(key: str) -> None:
    _sections.pop(key, None)


def sections(request: Any, enterprise: Any) -> list[PortalSection]:
    """The sections for ``enterprise``, in order."""
    built = []
    for _order, build in sorted(_sections.values(), key=lambda item: item[0]):
        section = build(request, enterprise)
        if section is not None:
            built.append(section)
    return built
