"""Bodies and the routing rule over the API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from onezone.core.permissions import require_read
from onezone.org import services
from onezone.org.models import Body, RoutingRule
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


class RoutingRuleIn(Schema):
    category_name: str
    domain: str
    body_id: int
    note: str = ""


@router.get("/zones/{zone_id}/routing", response=list[RouteOut], summary="事务归口规则表")
def list_routing(request, zone_id: int):
    require_read(request.user, zone_id=zone_id)
    return list(RoutingRule.objects.filter(zone_id=zone_id).select_related("body").order_by("domain", "category"))


@router.put("/zones/{zone_id}/routing/{category}", response=RouteOut, summary="新增或修改一条归口规则（系统管理员）")
def put_routing(request, zone_id: int, category: str, payload: RoutingRuleIn):
    require_read(request.user, zone_id=zone_id)
    rule = RoutingRule.objects.filter(zone_id=zone_id, category=category).first() or RoutingRule(
        zone_id=zone_id, category=category
    )
    rule.category_name = payload.category_name
    rule.domain = payload.domain
    rule.body = get_object_or_404(Body, pk=payload.body_id, zone_id=zone_id)
    rule.note = payload.note
    return services.routing_rule_save(actor=request.user, rule=rule)
