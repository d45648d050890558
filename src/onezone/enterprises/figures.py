"""Counts of the enterprise registry and the inspection register that the zone's targets are scored on."""

from __future__ import annotations

import datetime as dt

from onezone.enterprises.models import Enterprise, Inspection


def enterprises_registered_count(*, zone_id: int, year: int) -> int:
    """Enterprises of the zone registered (成立日期) in ``year``, whatever their state now."""
    return Enterprise.objects.filter(
        zone_id=zone_id, established__gte=dt.date(year, 1, 1), established__lte=dt.date(year, 12, 31)
    ).count()


def inspections_blocked_count(*, zone_id: int, year: int) -> int:
    """Visits the inspection register refused (无事不打扰) among those planned for ``year``."""
    return Inspection.objects.filter(
        zone_id=zone_id,
        status=Inspection.Status.BLOCKED,
        planned_on__gte=dt.date(year, 1, 1),
        planned_on__lte=dt.date(year, 12, 31),
    ).count()


def zones_with_enterprises(*, zone_ids: list[int]) -> set[int]:
    """Of ``zone_ids``, the zones with at least one enterprise in the registry (one query)."""
    return set(Enterprise.objects.filter(zone_id__in=zone_ids).order_by().values_list("zone_id", flat=True).distinct())
