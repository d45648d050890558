"""Reads of zones and parks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from onezone.core.permissions import readable_zone_ids
from onezone.zones.models import Industry, Park, Zone


def zones_for(user) -> QuerySet[Zone]:
    """The zones ``user`` may read."""
    ids = readable_zone_ids(user)
    qs = Zone.objects.select_related("merged_town").order_by("name")
    return qs if ids is None else qs.filter(id__in=ids)


def zone_get(zone_id: int) -> Zone:
    return Zone.objects.select_related("merged_town").get(pk=zone_id)


def parks_of(zone_id: int) -> QuerySet[Park]:
    """The zone's parks with their leading industries, in one query each."""
    return (
        Park.objects.filter(zone_id=zone_id)
        .prefetch_related(Prefetch("leading_industries", queryset=Industry.objects.order_by("code")))
        .order_by("code")
    )


def industry_fits_park(*, park: Park, industry_code: str) -> bool:
    """Whether an industry falls under one of the park's leading industries (错位发展).

    A park with no leading industries recorded accepts everything.
    """
    leading = list(park.leading_industries.all())
    if not leading:
        return True
    return any(industry.covers(industry_code) for industry in leading)
