"""Reads of hidden hazards: rows for the desk, overdue and supervised hazards, the list and one hazard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, When

from onezone.core.errors import InvalidInput, NotFound
from onezone.safety.models import Hazard, HazardLevel, HazardStatus, HazardSupervision

# Open states in which the time limit runs (a rectified hazard waits for acceptance, no longer late).
RUNNING = (HazardStatus.REPORTED, HazardStatus.ASSIGNED, HazardStatus.RECTIFYING)
OPEN = (*RUNNING, HazardStatus.RECTIFIED)
PAGE_SIZE = 50


@dataclass(frozen=True)
class HazardRow:
    id: int
    number: str
    title: str
    enterprise_id: int
    enterprise_name: str
    level: str
    level_label: str
    status: str
    status_label: str
    body_name: str
    found_on: dt.date
    deadline: dt.date
    days_left: int  # negative: days overdue
    overdue: bool
    supervised: bool


def hazards_of(zone_id: int) -> QuerySet[Hazard]:
    live = HazardSupervision.objects.filter(hazard=OuterRef("pk"), lifted_on__isnull=True)
    return (
        Hazard.objects.filter(zone_id=zone_id).select_related("enterprise", "body").annotate(is_supervised=Exists(live))
    )


def hazard_row(h: Hazard, today: dt.date) -> HazardRow:
    days_left = (h.deadline - today).days
    return HazardRow(
        id=h.pk,
        number=h.number,
        title=h.title,
        enterprise_id=h.enterprise_id,
        enterprise_name=h.enterprise.name,
        level=h.level,
        level_label=h.get_level_display(),
        status=h.status,
        status_label=h.get_status_display(),
        body_name=h.body.short_name or h.body.name,
        found_on=h.found_on,
        deadline=h.deadline,
        days_left=days_left,
        overdue=h.status in RUNNING and days_left < 0,
        supervised=bool(getattr(h, "is_supervised", False)),
    )


def hazards_overdue(*, zone_id: int, today: dt.date) -> list[HazardRow]:
    """Open hazards past their time limit and not yet rectified, the most overdue first."""
    qs = hazards_of(zone_id).filter(status__in=RUNNING, deadline__lt=today).order_by("deadline", "id")
    return [hazard_row(h, today) for h in qs]


@dataclass(frozen=True)
class SupervisedRow:
    hazard: HazardRow
    supervising_body: str
    leader: str
    document: str
    started_on: dt.date


def hazards_supervised(*, zone_id: int, today: dt.date | None = None) -> list[SupervisedRow]:
    """重大 hazards under the committee's supervision (挂牌督办) and not yet lifted."""
    from onezone.safety.services.base_common import today as local_today

    on = today or local_today()
    rows = (
        HazardSupervision.objects.filter(zone_id=zone_id, lifted_on__isnull=True, hazard__level=HazardLevel.MAJOR)
        .select_related("hazard__enterprise", "hazard__body", "body")
        .order_by("hazard__deadline", "id")
    )
    return [
        SupervisedRow(
            hazard=hazard_row(_supervised(s.hazard), on),
            supervising_body=s.body.name,
            leader=s.leader,
            document=s.document,
            started_on=s.started_on,
        )
        for s in rows
    ]


def _supervised(hazard: Hazard) -> Hazard:
    hazard.is_supervised = True
    return hazard


@dataclass
class HazardPage:
    rows: list[HazardRow]
    total: int
    page: int
    pages: int


def hazards_page(
    *,
    zone_id: int,
    today: dt.date,
    status: str | None = None,
    level: str | None = None,
    overdue: bool = False,
    enterprise_id: int | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> HazardPage:
    """A page of hazards filtered by state, level, overdue and enterprise, the nearest time limit first."""
    if status and status not in HazardStatus.values:
        raise InvalidInput(
            "状态应为 reported、assigned、rectifying、rectified 或 accepted。", fields={"status": "取值不正确。"}
        )
    if level and level not in HazardLevel.values:
        raise InvalidInput("隐患等级应为 general 或 major。", fields={"level": "取值不正确。"})
    if not 1 <= per_page <= 200:
        raise InvalidInput("每页条数应在1到200之间。", fields={"per_page": "取值不正确。"})
    qs = hazards_of(zone_id)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if overdue:
        qs = qs.filter(status__in=RUNNING, deadline__lt=today)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    # Open hazards first (the nearest time limit first), the accepted ones after them.
    closed_last = Case(When(status=HazardStatus.ACCEPTED, then=1), default=0, output_field=IntegerField())
    paginator = Paginator(qs.order_by(closed_last, "deadline", "id"), per_page)
    current = paginator.get_page(page)
    return HazardPage(
        rows=[hazard_row(h, today) for h in current.object_list],
        total=paginator.count,
        page=current.number,
        pages=paginator.num_pages,
    )


@dataclass
class HazardDetail:
    hazard: Hazard
    row: HazardRow
    events: list[Any]
    plan: Any
    supervision: Any


def hazard_detail(*, zone_id: int, hazard_id: int, today: dt.date, enterprise_id: int | None = None) -> HazardDetail:
    """One hazard with its steps, its 五落实 plan and its supervision (an enterprise sees only its own)."""
    qs = hazards_of(zone_id).select_related("installation", "risk_point", "plan", "supervision__body", "inspection")
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    hazard = qs.filter(pk=hazard_id).first()
    if hazard is None:
        raise NotFound("没有找到该隐患，或您无权查看。")
    return HazardDetail(
        hazard=hazard,
        row=hazard_row(hazard, today),
        events=list(hazard.events.order_by("at", "id")),
        plan=getattr(hazard, "plan", None),
        supervision=getattr(hazard, "supervision", None),
    )
