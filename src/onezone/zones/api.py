"""Zones and parks over the API."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from onezone.core.permissions import require_read
from onezone.zones.models import Park
from onezone.zones.selectors import parks_of, zones_for

router = Router(tags=["开发区与园区"])


class ZoneOut(Schema):
    id: int
    name: str
    code: str
    level: str
    area_code: str
    approved_area_km2: Decimal
    planned_area_km2: Decimal
    merged_town: str | None
    is_demo: bool

    @staticmethod
    def resolve_merged_town(obj) -> str | None:
        return obj.merged_town.name if obj.merged_town else None


class IndustryOut(Schema):
    code: str
    name: str


class ParkOut(Schema):
    id: int
    zone_id: int
    name: str
    code: str
    industry_labels: str
    planned_area_km2: Decimal
    built_area_km2: Decimal
    leading_industries: list[IndustryOut]

    @staticmethod
    def resolve_leading_industries(obj) -> list:
        return list(obj.leading_industries.all())


@router.get("/", response=list[ZoneOut], summary="可查看的开发区")
@paginate
def list_zones(request):
    return zones_for(request.user)


@router.get("/{zone_id}/parks", response=list[ParkOut], summary="开发区的园区")
def list_parks(request, zone_id: int):
    require_read(request.user, zone_id=zone_id)
    return list(parks_of(zone_id))


@router.get("/parks/{park_id}", response=ParkOut, summary="园区详情")
def get_park(request, park_id: int):
    park = get_object_or_404(Park.objects.prefetch_related("leading_industries"), pk=park_id)
    require_read(request.user, zone_id=park.zone_id)
    return park
