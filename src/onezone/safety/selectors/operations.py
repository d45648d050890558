"""Reads of special work, closed management, emergency and the park's risk level, each for one zone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from onezone.core.errors import NotFound
from onezone.safety.models import (
    DrillRecord,
    DutyShift,
    EmergencyPlan,
    EmergencySupply,
    EmergencyTeam,
    Gate,
    Incident,
    ParkingArea,
    RiskAssessment,
    SpecialWork,
    SpotCheck,
    VehicleStay,
)
from onezone.safety.services.operations_emergency import incident_report_hours, plan_review_years

DRILL_DUE_SOON_DAYS = 30
LIST_CAP = 500


def hazmat_stay_hours() -> int:
    """A hazardous-chemical vehicle inside the park longer than this many hours overstays (default 8)."""
    return int(getattr(settings, "ONEZONE_SAFETY_HAZMAT_STAY_HOURS", 8))


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


# --- special work -----------------------------------------------------------------------------


def _works(zone_id: int) -> QuerySet[SpecialWork]:
    return SpecialWork.objects.filter(zone_id=zone_id).select_related("enterprise", "enterprise__park", "installation")


def works_on(*, zone_id: int, day: dt.date) -> list[SpecialWork]:
    """Filed work whose period touches ``day`` (local), soonest first."""
    start, end = _day_bounds(day)
    return list(
        _works(zone_id)
        .filter(status=SpecialWork.Status.FILED, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at", "id")[:LIST_CAP]
    )


def works_in_progress_by_park(*, zone_id: int, now: dt.datetime) -> list[dict[str, Any]]:
    """Per park: the work in progress now, and how many of it are 特级 hot work, night work, rest-day work."""
    rows = (
        SpecialWork.objects.filter(
            zone_id=zone_id, status=SpecialWork.Status.FILED, starts_at__lte=now, ends_at__gt=now
        )
        .order_by()
        .values("enterprise__park_id", "enterprise__park__name")
        .annotate(
            total=Count("id"),
            special=Count("id", filter=Q(kind="hot", managed_level="special")),
            night=Count("id", filter=Q(at_night=True)),
            rest_day=Count("id", filter=Q(on_rest_day=True)),
        )
        .order_by("enterprise__park__name")
    )
    return [
        {
            "park_id": r["enterprise__park_id"],
            "park": r["enterprise__park__name"],
            "total": r["total"],
            "special": r["special"],
            "night": r["night"],
            "rest_day": r["rest_day"],
        }
        for r in rows
    ]


def works_list(
    *, zone_id: int, enterprise_id: int | None = None, status: str | None = None, limit: int = 100
) -> list[SpecialWork]:
    qs = _works(zone_id)
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("-starts_at", "-id")[: min(max(limit, 1), LIST_CAP)])


def work_get(*, zone_id: int, work_id: int, enterprise_id: int | None = None) -> SpecialWork:
    """One filing with its spot checks; for an enterprise only its own."""
    qs = _works(zone_id).prefetch_related("checks__body", "checks__checked_by")
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    work = qs.filter(pk=work_id).first()
    if work is None:
        raise NotFound("没有找到该特殊作业报备。")
    return work


def spot_checks_recent(*, zone_id: int, limit: int = 20) -> list[SpotCheck]:
    return list(
        SpotCheck.objects.filter(zone_id=zone_id)
        .select_related("work", "work__enterprise", "body")
        .order_by("-checked_at", "-id")[:limit]
    )


# --- closed management ------------------------------------------------------------------------


@dataclass
class StayRow:
    stay: VehicleStay
    hours: float
    overstay: bool


def hazmat_inside(*, zone_id: int, now: dt.datetime) -> list[StayRow]:
    """Hazardous-chemical vehicles in the park now, longest inside first, overstays flagged."""
    allowed = dt.timedelta(hours=hazmat_stay_hours())
    stays = (
        VehicleStay.objects.filter(zone_id=zone_id, exited_at__isnull=True)
        .exclude(un_number="")
        .select_related("entry_gate", "parking_area")
        .order_by("entered_at", "id")[:LIST_CAP]
    )
    return [
        StayRow(
            stay=s,
            hours=round((now - s.entered_at).total_seconds() / 3600, 1),
            overstay=now - s.entered_at > allowed,
        )
        for s in stays
    ]


def parking_occupancy(*, zone_id: int) -> list[dict[str, Any]]:
    """Each hazmat parking area with its capacity and the vehicles parked there now."""
    areas = ParkingArea.objects.filter(zone_id=zone_id).select_related("park").order_by("park__code", "code")
    occupied = dict(
        VehicleStay.objects.filter(zone_id=zone_id, exited_at__isnull=True, parking_area__isnull=False)
        .order_by()
        .values("parking_area_id")
        .annotate(n=Count("id"))
        .values_list("parking_area_id", "n")
    )
    out = []
    for area in areas:
        used = occupied.get(area.pk, 0)
        out.append(
            {
                "area": area,
                "used": used,
                "capacity": area.capacity,
                "rate": round(100 * used / area.capacity) if area.capacity else 0,
                "full": used >= area.capacity,
            }
        )
    return out


def gates_of(zone_id: int) -> list[Gate]:
    return list(Gate.objects.filter(zone_id=zone_id).select_related("park").order_by("park__code", "code"))


# --- emergency --------------------------------------------------------------------------------


@dataclass
class PlanRow:
    plan: EmergencyPlan
    review_due: dt.date
    stale: bool
    last_drill: dt.date | None
    drill_due: dt.date
    drill_overdue: bool
    drill_soon: bool


def plans_status(
    *, zone_id: int, today: dt.date, enterprise_id: int | None = None, park_only: bool = False
) -> list[PlanRow]:
    """Plans with the date each must be reviewed by and the date its next drill is due."""
    qs = (
        EmergencyPlan.objects.filter(zone_id=zone_id)
        .select_related("enterprise")
        .annotate(last_drill=Max("drills__held_on"))
    )
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    elif park_only:
        qs = qs.filter(enterprise__isnull=True)
    years = plan_review_years()
    rows = []
    for plan in qs.order_by("enterprise_id", "kind", "title")[:LIST_CAP]:
        review_due = _add_months(plan.revised_on, 12 * years)
        drill_due = _add_months(plan.last_drill or plan.issued_on, plan.drill_every_months)
        rows.append(
            PlanRow(
                plan=plan,
                review_due=review_due,
                stale=review_due < today,
                last_drill=plan.last_drill,
                drill_due=drill_due,
                drill_overdue=drill_due < today,
                drill_soon=today <= drill_due <= today + dt.timedelta(days=DRILL_DUE_SOON_DAYS),
            )
        )
    return rows


def drills_of(*, zone_id: int, enterprise_id: int | None = None, limit: int = 50) -> list[DrillRecord]:
    qs = DrillRecord.objects.filter(zone_id=zone_id).select_related("plan", "plan__enterprise")
    if enterprise_id is not None:
        qs = qs.filter(plan__enterprise_id=enterprise_id)
    return list(qs.order_by("-held_on", "-id")[: min(max(limit, 1), LIST_CAP)])


def teams_of(*, zone_id: int) -> list[EmergencyTeam]:
    return list(
        EmergencyTeam.objects.filter(zone_id=zone_id).select_related("enterprise").order_by("enterprise_id", "name")
    )


def supplies_of(*, zone_id: int) -> list[EmergencySupply]:
    return list(
        EmergencySupply.objects.filter(zone_id=zone_id).select_related("team").order_by("location", "name")[:LIST_CAP]
    )


@dataclass
class IncidentRow:
    incident: Incident
    delay_minutes: int
    late: bool


def incidents_of(*, zone_id: int, enterprise_id: int | None = None, limit: int = 50) -> list[IncidentRow]:
    """Incidents, newest first, with the delay of their first report and whether it was late."""
    qs = Incident.objects.filter(zone_id=zone_id).select_related("enterprise")
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    allowed = dt.timedelta(hours=incident_report_hours())
    return [
        IncidentRow(
            incident=i,
            delay_minutes=int(i.report_delay.total_seconds() // 60),
            late=i.report_delay > allowed,
        )
        for i in qs.order_by("-occurred_at", "-id")[: min(max(limit, 1), LIST_CAP)]
    ]


def duty_on(*, zone_id: int, day: dt.date) -> list[DutyShift]:
    """Who is on duty on ``day``: the leader first, then the officers."""
    return list(DutyShift.objects.filter(zone_id=zone_id, on=day).select_related("body").order_by("post", "name"))


# --- the park's risk level --------------------------------------------------------------------


def risk_history(*, zone_id: int, limit: int = 20) -> list[RiskAssessment]:
    """The parks' self-assessments with the province's reviewed levels, latest year first."""
    return list(
        RiskAssessment.objects.filter(zone_id=zone_id).select_related("park").order_by("-year", "park__code")[:limit]
    )


def risk_assessment_get(*, zone_id: int, assessment_id: int) -> RiskAssessment:
    found = (
        RiskAssessment.objects.filter(zone_id=zone_id, pk=assessment_id)
        .select_related("park")
        .prefetch_related("items")
        .first()
    )
    if found is None:
        raise NotFound("没有找到该风险评估。")
    return found


# --- figures ----------------------------------------------------------------------------------


@dataclass
class OpsFigures:
    work_today: int
    work_in_progress: int
    special_hot_today: int
    night_today: int
    hazmat_inside: int
    overstaying: int
    plans_stale: int
    drills_overdue: int
    incidents_year: int


def ops_figures(*, zone_id: int, today: dt.date, now: dt.datetime) -> OpsFigures:
    """The figures of the desk and the landing panel, each from the same reads as the desk's lists."""
    works = works_on(zone_id=zone_id, day=today)
    inside = hazmat_inside(zone_id=zone_id, now=now)
    plans = plans_status(zone_id=zone_id, today=today)
    start, _end = _day_bounds(dt.date(today.year, 1, 1))
    return OpsFigures(
        work_today=len(works),
        work_in_progress=sum(1 for w in works if w.starts_at <= now < w.ends_at),
        special_hot_today=sum(1 for w in works if w.is_special_hot),
        night_today=sum(1 for w in works if w.at_night),
        hazmat_inside=len(inside),
        overstaying=sum(1 for r in inside if r.overstay),
        plans_stale=sum(1 for p in plans if p.stale),
        drills_overdue=sum(1 for p in plans if p.drill_overdue),
        incidents_year=Incident.objects.filter(zone_id=zone_id, occurred_at__gte=start).count(),
    )
