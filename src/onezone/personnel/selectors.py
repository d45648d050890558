"""Reads of personnel: contracts, pay on a date, appraisal boards, payroll runs."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from onezone.core.errors import DomainError
from onezone.org.models import Appointment, Person, Post
from onezone.personnel import formula, grading
from onezone.personnel.metrics import metric_value
from onezone.personnel.models import (
    Appeal,
    Appraisal,
    AppraisalCycle,
    AppraisalScheme,
    EmploymentContract,
    Grade,
    Indicator,
    PayrollRun,
    Payslip,
    PersonnelPolicy,
    PostGradePay,
)
from onezone.personnel.payroll import Held, held_on, rate_on


def policy_of(zone_id: int) -> PersonnelPolicy:
    """The zone's personnel settings; the defaults when none were saved."""
    return PersonnelPolicy.objects.filter(zone_id=zone_id).first() or PersonnelPolicy(zone_id=zone_id)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


# Pay follows the post -------------------------------------------------------------------------


@dataclass(frozen=True)
class PostPay:
    post: Post
    base_pay: Decimal | None


def _held(appointments: list[Appointment]) -> list[Held]:
    return [Held(post_id=a.post_id, start=a.start, end=a.end, concurrent=a.is_concurrent) for a in appointments]


def post_on(person: Person, on: dt.date) -> Post | None:
    """The post ``person`` held on ``on`` (the principal one), from the appointment history."""
    appointments = list(Appointment.objects.filter(person=person).select_related("post__body"))
    chosen = held_on(_held(appointments), on)
    if chosen is None:
        return None
    return next(a.post for a in appointments if a.post_id == chosen.post_id)


def grade_pay_table(zone_id: int) -> dict[tuple[str, str], list[tuple[dt.date, Decimal]]]:
    table: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for category, grade, start, amount in PostGradePay.objects.filter(zone_id=zone_id).values_list(
        "category", "grade", "effective_from", "base_pay"
    ):
        table[(category, grade)].append((start, amount))
    return table


def post_pay_on(person: Person, on: dt.date) -> PostPay | None:
    """The post ``person`` held on ``on`` and the base pay of its grade in force that day."""
    post = post_on(person, on)
    if post is None:
        return None
    rates = grade_pay_table(person.zone_id).get((post.category, post.grade), [])
    return PostPay(post=post, base_pay=rate_on(rates, on))


# Contracts -------------------------------------------------------------------------------------


def contracts_of(zone_id: int, *, status: str | None = None) -> QuerySet[EmploymentContract]:
    qs = EmploymentContract.objects.filter(zone_id=zone_id).select_related("person", "post__body", "previous")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("person__name", "-start")


def contracts_expiring(zone_id: int, *, today: dt.date, days: int | None = None) -> QuerySet[EmploymentContract]:
    """Active contracts ending within ``days`` (the zone's setting, 60 by default), soonest first."""
    if days is None:
        days = policy_of(zone_id).expiry_notice_days
    return (
        EmploymentContract.objects.filter(
            zone_id=zone_id,
            status=EmploymentContract.Status.ACTIVE,
            end__isnull=False,
            end__gte=today,
            end__lte=today + dt.timedelta(days=days),
        )
        .select_related("person", "post__body")
        .order_by("end", "person__name")
    )


def contracts_flagged(zone_id: int) -> QuerySet[EmploymentContract]:
    return (
        EmploymentContract.objects.filter(zone_id=zone_id, review_flag=True)
        .select_related("person", "post__body")
        .order_by("person__name")
    )


def active_contract(person: Person, on: dt.date) -> EmploymentContract | None:
    return (
        EmploymentContract.objects.filter(person=person, status=EmploymentContract.Status.ACTIVE, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .first()
    )


# Appraisal -------------------------------------------------------------------------------------


def scheme_for(schemes: list[AppraisalScheme], *, category: str, body_id: int) -> AppraisalScheme | None:
    """The active scheme for a post: the one of its body first, else the zone-wide one of its category."""
    fitting = [s for s in schemes if s.is_active and s.category == category and s.body_id in (body_id, None)]
    fitting.sort(key=lambda s: (s.body_id is None, s.pk))
    return fitting[0] if fitting else None


def cycles_of(zone_id: int) -> QuerySet[AppraisalCycle]:
    return AppraisalCycle.objects.filter(zone_id=zone_id).order_by("-end", "name")


def appraisals_of(cycle: AppraisalCycle) -> QuerySet[Appraisal]:
    """The cycle's appraisals with everything a board needs, in a fixed number of queries."""
    return (
        Appraisal.objects.filter(cycle=cycle)
        .select_related("person", "body", "post", "scheme")
        .prefetch_related(
            "ratings",
            "results",
            Prefetch("scheme__indicators", queryset=Indicator.objects.order_by("order", "id")),
        )
        .order_by("body__order", "body__name", "person__name")
    )


@dataclass
class IndicatorScore:
    indicator: Indicator
    value: Decimal | None = None
    score: Decimal | None = None
    note: str = ""


@dataclass
class BoardRow:
    appraisal: Appraisal
    perspectives: dict[str, Decimal] = field(default_factory=dict)
    final: Decimal | None = None
    score_grade: str = ""
    grade: str = ""
    demoted: bool = False
    problem: str = ""
    computed: list[IndicatorScore] = field(default_factory=list)

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else "—"


@dataclass
class BodyQuota:
    body: Any
    appraised: int
    seats: int
    excellent: int
    counts: dict[str, int]


@dataclass
class Board:
    cycle: AppraisalCycle
    rows: list[BoardRow]
    quotas: list[BodyQuota]
    percent: Decimal

    @property
    def problems(self) -> list[BoardRow]:
        return [r for r in self.rows if r.problem]

    @property
    def distribution(self) -> list[tuple[str, int]]:
        counts = dict.fromkeys(Grade.values, 0)
        for row in self.rows:
            if row.grade:
                counts[row.grade] += 1
        return [(Grade(g).label, n) for g, n in counts.items()]


def computed_scores(appraisal: Appraisal, cycle: AppraisalCycle) -> list[IndicatorScore]:
    """Scores of the formula and metric indicators of one appraisal (raises on a missing source)."""
    results = {r.indicator_id: r for r in appraisal.results.all()}
    out = []
    for indicator in appraisal.scheme.indicators.all():
        if indicator.source == Indicator.Source.MANUAL:
            continue
        item = IndicatorScore(indicator=indicator)
        if indicator.source == Indicator.Source.METRIC:
            item.value = metric_value(indicator.metric_key, appraisal.person, cycle.start, cycle.end)
            if item.value is None:
                item.note = "本考核期无业务数据，该指标不计入，其余指标按权重折算"
            else:
                raw = formula.evaluate(indicator.formula or "value", {"value": item.value})
                item.score = grading.clamp_score(raw)
        else:
            inputs = results.get(indicator.pk).inputs if indicator.pk in results else {}
            needed = formula.names(indicator.formula)
            missing = sorted(needed - set(inputs))
            if missing:
                raise grading.IncompleteRatings(f"指标“{indicator.name}”尚未录入：{'、'.join(missing)}。")
            item.score = grading.clamp_score(formula.evaluate(indicator.formula, inputs))
        out.append(item)
    return out


def score_appraisal(appraisal: Appraisal, cycle: AppraisalCycle, thresholds: grading.Thresholds) -> BoardRow:
    row = BoardRow(appraisal=appraisal)
    indicators = list(appraisal.scheme.indicators.all())
    manual: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for rating in appraisal.ratings.all():
        manual[rating.indicator_id][rating.kind].append(rating.score)
    try:
        row.computed = computed_scores(appraisal, cycle)
        scored = grading.score(
            weights={i.pk: i.weight for i in indicators},
            manual=manual,
            computed={c.indicator.pk: c.score for c in row.computed},
            final_formula=cycle.final_formula,
            labels={i.pk: i.name for i in indicators},
        )
    except DomainError as exc:
        row.problem = exc.message
        return row
    row.perspectives = scored.perspectives
    row.final = scored.final
    row.score_grade = grading.grade_for(scored.final, thresholds)
    row.grade = row.score_grade
    return row


def cycle_board(cycle: AppraisalCycle) -> Board:
    """Every appraisal of the cycle with its scores and grade, and the 优秀 quota of each body.

    For an open cycle the scores and grades are what closing it now would give; for a closed
    cycle they are the stored ones (after appeals).
    """
    policy = policy_of(cycle.zone_id)
    percent = cycle.excellent_quota_percent if cycle.excellent_quota_percent is not None else None
    percent = percent if percent is not None else policy.excellent_quota_percent
    rows: list[BoardRow] = []
    for appraisal in appraisals_of(cycle):
        if cycle.is_locked:
            row = BoardRow(
                appraisal=appraisal,
                perspectives={
                    "self": appraisal.self_score,
                    "leader": appraisal.leader_score,
                    "peer": appraisal.peer_score,
                },
                final=appraisal.final_score,
                score_grade=appraisal.score_grade,
                grade=appraisal.grade,
                demoted=appraisal.quota_demoted,
            )
        else:
            row = score_appraisal(appraisal, cycle, policy.thresholds())
        rows.append(row)
    by_body: dict[int, list[BoardRow]] = defaultdict(list)
    for row in rows:
        by_body[row.appraisal.body_id].append(row)
    quotas = []
    for body_rows in by_body.values():
        seats = grading.quota(len(body_rows), percent)
        if not cycle.is_locked:
            candidates = [
                grading.Candidate(key=r.appraisal.pk, score=r.final, leader=r.perspectives.get("leader", Decimal(0)))
                for r in body_rows
                if r.score_grade == Grade.EXCELLENT
            ]
            _kept, demoted = grading.apply_quota(candidates, seats)
            for r in body_rows:
                if r.appraisal.pk in demoted:
                    r.grade = Grade.COMPETENT
                    r.demoted = True
        counts = {g: sum(1 for r in body_rows if r.grade == g) for g in Grade.values}
        quotas.append(
            BodyQuota(
                body=body_rows[0].appraisal.body,
                appraised=len(body_rows),
                seats=seats,
                excellent=counts[Grade.EXCELLENT],
                counts=counts,
            )
        )
    return Board(cycle=cycle, rows=rows, quotas=quotas, percent=percent)


def appeals_of(zone_id: int) -> QuerySet[Appeal]:
    return Appeal.objects.filter(zone_id=zone_id).select_related("appraisal__person", "appraisal__cycle")


# Payroll ---------------------------------------------------------------------------------------


def payroll_runs_of(zone_id: int) -> QuerySet[PayrollRun]:
    return PayrollRun.objects.filter(zone_id=zone_id).select_related("body", "cycle").order_by("-month", "body__order")


def payslips_of(run: PayrollRun) -> QuerySet[Payslip]:
    return (
        Payslip.objects.filter(run=run)
        .select_related("person", "post", "run__body")
        .prefetch_related("items")
        .order_by("person__name", "person_id")
    )


def own_payslips(user: Any, zone_id: int) -> QuerySet[Payslip]:
    """The payslips of the person linked to ``user``, in approved or paid runs, newest first."""
    return (
        Payslip.objects.filter(
            zone_id=zone_id,
            person__user=user,
            run__status__in=[PayrollRun.Status.APPROVED, PayrollRun.Status.PAID],
        )
        .select_related("run__body", "post", "person")
        .prefetch_related("items")
        .order_by("-run__month")
    )
