"""Bodies and the routing rule over the API."""

from __future__ import annotations

from ninja import Router, Schema

from onezone.core.permissions import require_read
from onezone.org.selectors import bodies_of
from onezone.org.services import matter_route

router = Router(tags=["机构与归口"])


class BodyOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    headcount_quota: int
    functions: str


class RouteOut(Schema):
    category: str
    category_name: str
    domain: str
    domain_label: str
    body_id: int
    body_name: str

    @staticmethod
    def resolve_domain_label(obj) -> str:
        return obj.get_domain_display()

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.body.name


@router.get("/zones/{zone_id}/bodies", response=list[BodyOut], summary="开发区的机构")
def list_bodies(request, zone_id: int):
    require_read(request.user, zone_id=zone_id)
    return list(bodies_of(zone_id))


@router.get("/zones/{zone_id}/route", response=RouteOut, summary="某类事项由谁承办")
def route(request, zone_id: int, category: str):
    require_read(request.user, zone_id=zone_id)
    return matter_route(zone_id=zone_id, category=category)
