"""The safety figures a committee head reads on the leadership dashboard, beyond the safety base's counts.

Special work filed today and this month, the year's drills done against those the plans call for, and
each park's latest safety risk level (its own and the province's reviewed one). A fixed number of
queries whatever the number of records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from onezone.safety import risklevel, worktime
from onezone.safety.models import DrillRecord, EmergencyPlan, RiskAssessment, SpecialWork
from onezone.safety.selectors.operations import _day_bounds


def drills_due_in_year(*, issued_on: dt.date, every_months: int, year: int) -> int:
    """How many drills a plan issued on ``issued_on`` calls for in ``year``: one every ``every_months``
    months counted from its issue (the months issued_on + k·every_months, k ≥ 1, that fall in the year)."""
    if every_months < 1:
        raise ValueError(every_months)
    issued = issued_on.year * 12 + issued_on.month - 1
    first, last = year * 12, year * 12 + 11
    k_min = max(1, -(-(first - issued) // every_months))
    k_max = (last - issued) // every_months
    return max(0, k_max - k_min + 1)


@dataclass(frozen=True)
class ParkRiskLevel:
    park_id: int
    park: str
    year: int
    level: str
    level_label: str
    reviewed_level: str
    reviewed_label: str


@dataclass(frozen=True)
class LeadershipFigures:
    work_today: int  # filed special work whose period touches today
    special_hot_today: int  # of which 特级 hot work
    work_month: int  # special work starting this month, not cancelled
    drills_done: int  # drills held this year
    drills_planned: int  # drills the plans call for this year
    risk_levels: list[ParkRiskLevel]  # each park's latest assessment up to this year


def leadership_figures(*, zone_id: int, today: dt.date) -> LeadershipFigures:
    """The zone's special work, drills and parks' risk levels as of ``today`` (four queries)."""
    day_start, day_end = _day_bounds(today)
    month_start, _ = _day_bounds(today.replace(day=1))
    next_month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    month_end, _ = _day_bounds(next_month)
    filed_today = Q(status=SpecialWork.Status.FILED, starts_at__lt=day_end, ends_at__gt=day_start)
    works = SpecialWork.objects.filter(zone_id=zone_id).aggregate(
        today=Count("id", filter=filed_today),
        special=Count("id", filter=filed_today & Q(kind=worktime.HOT, managed_level=worktime.SPECIAL)),
        month=Count(
            "id",
            filter=Q(starts_at__gte=month_start, starts_at__lt=month_end) & ~Q(status=SpecialWork.Status.CANCELLED),
        ),
    )
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    plans = EmergencyPlan.objects.filter(zone_id=zone_id, issued_on__lte=year_end)
    planned = sum(
        drills_due_in_year(issued_on=issued_on, every_months=every, year=today.year)
        for issued_on, every in plans.values_list("issued_on", "drill_every_months")
    )
    done = DrillRecord.objects.filter(zone_id=zone_id, held_on__gte=year_start, held_on__lte=year_end).count()
    latest: dict[int, ParkRiskLevel] = {}
    assessments = (
        RiskAssessment.objects.filter(zone_id=zone_id, year__lte=today.year)
        .order_by("park__code", "-year")
        .values_list("park_id", "park__name", "year", "level", "reviewed_level")
    )
    for park_id, park, year, level, reviewed in assessments:
        if park_id not in latest:
            latest[park_id] = ParkRiskLevel(
                park_id=park_id,
                park=park,
                year=year,
                level=level,
                level_label=risklevel.LEVEL_LABELS.get(level, level),
                reviewed_level=reviewed,
                reviewed_label=risklevel.LEVEL_LABELS.get(reviewed, "") if reviewed else "",
            )
    return LeadershipFigures(
        work_today=works["today"],
        special_hot_today=works["special"],
        work_month=works["month"],
        drills_done=done,
        drills_planned=planned,
        risk_levels=list(latest.values()),
    )
