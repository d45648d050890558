"""Links on the public portal's front page, registered by the apps that own the pages.

The registry lives in ``core`` so that the domain apps can register their pages in their
``navigation.py`` without importing ``portal``, which sits on the top floor and only reads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PortalLink:
    order: int
    title: str
    url_name: str
    description: str


_links: dict[str, PortalLink] = {}


def register_link(key: str, link: PortalLink) -> None:
    _links[key] = link


def links() -> list[PortalLink]:
    return sorted(_links.values(), key=lambda link: link.order)
