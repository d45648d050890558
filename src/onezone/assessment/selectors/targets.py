"""The targets' reads: each target with its actual, achievement, score and risk; holders ranked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from onezone.assessment import sources
from onezone.assessment.models import (
    Actual,
    Direction,
    Target,
    TargetLevel,
)
from onezone.assessment.scoring import (
    RuleError,
    achievement_ratio,
    at_risk,
    competition_ranks,
    rule_from_data,
    score,
    weighted_score,
)
from onezone.core.prepared import Prepared

CENT = Decimal("0.01")


def year_elapsed(year: int, today: dt.date) -> Decimal:
    """The share of ``year`` passed on ``today``: 0 before it starts, 1 once it has ended."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today < start:
        return Decimal(0)
    if today >= end:
        return Decimal(1)
    return Decimal((today - start).days + 1) / Decimal((end - start).days + 1)


# --- targets ---------------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    actual: Actual | None
    ratio: Decimal | None
    score: Decimal | None
    expected: Decimal
    at_risk: bool

    @property
    def origin_label(self) -> str:
        if self.actual is None:
            spec = sources.SOURCES.get(self.target.indicator.source)
            body = self.target.level == TargetLevel.BODY
            if spec is None or (body and spec.for_body is None) or not sources.installed(spec.module):
                return sources.NO_SOURCE
            return f"待根据{spec.module_label}计算（该记录如无数据，请手工填报）"
        if self.actual.origin == Actual.Origin.COMPUTED:
            return f"系统计算：{self.actual.source}"
        reference = self.actual.evidence_reference or "附件"
        return f"手工填报（佐证：{reference}）"

    @property
    def ratio_pct(self) -> Decimal | None:
        if self.ratio is None or self.ratio.is_infinite():
            return None
        return (self.ratio * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def targets_of(zone_id: int, year: int) -> QuerySet[Target]:
    return (
        Target.objects.filter(zone_id=zone_id, year=year)
        .select_related("indicator", "park", "body", "actual")
        .order_by("level", "park__name", "body__order", "indicator__order")
    )


_TARGETS = Prepared(targets_of, zone_id=int, year=int)


def target_rows(zone_id: int, year: int, *, today: dt.date | None = None) -> list[TargetRow]:
    """The zone's targets of the year with their actuals, achievement, score and risk."""
    today = today or timezone.localdate()
    elapsed = year_elapsed(year, today)
    rows = []
    for target in _TARGETS(zone_id=zone_id, year=year):
        actual = getattr(target, "actual", None)
        ratio = points = None
        risky = False
        expected = elapsed if target.indicator.cumulative else Decimal(1)
        if actual is not None:
            higher = target.indicator.direction == Direction.HIGHER
            try:
                rule = rule_from_data(target.rule or None)
                ratio = achievement_ratio(actual=actual.value, target=target.value, higher_is_better=higher)
                points = score(actual=actual.value, target=target.value, rule=rule, higher_is_better=higher)
            except RuleError:
                ratio = points = None
            risky = ratio is not None and at_risk(ratio=ratio, expected=expected)
        else:
            risky = elapsed > Decimal("0.5")
        rows.append(TargetRow(target, actual, ratio, points, expected.quantize(CENT), risky))
    return rows


@dataclass(frozen=True)
class HolderScore:
    level: str
    holder_id: int | None
    name: str
    score: Decimal | None
    rank: int | None
    targets: int
    scored: int


def holder_ranking(zone_id: int, year: int, *, level: str = TargetLevel.BODY) -> list[HolderScore]:
    """Bodies (or parks) ranked by the weighted mean score of their targets (competition ranking).

    A target without an actual scores nothing and is left out of the mean; a holder with no scored
    target gets no rank.
    """
    rows = [r for r in target_rows(zone_id, year) if r.target.level == level]
    groups: dict[int, list[TargetRow]] = {}
    names: dict[int, str] = {}
    for row in rows:
        holder = row.target.body if level == TargetLevel.BODY else row.target.park
        groups.setdefault(holder.pk, []).append(row)
        names[holder.pk] = holder.name
    scores = {
        pk: weighted_score((r.score, r.target.weight) for r in items if r.score is not None)
        for pk, items in groups.items()
    }
    ranks = competition_ranks(scores)
    result = [
        HolderScore(
            level=level,
            holder_id=pk,
            name=names[pk],
            score=scores[pk],
            rank=ranks[pk],
            targets=len(items),
            scored=sum(1 for r in items if r.score is not None),
        )
        for pk, items in groups.items()
    ]
    return sorted(result, key=lambda h: (h.rank is None, h.rank or 0, h.name))


def body_target_achievement(person: Any, start: dt.date, end: dt.date) -> Decimal | None:
    """The mean target score of the body the person works in, over the targets of the years in the period.

    For the personnel appraisal (metric ``assessment.body_target_achievement``). None when the
    person holds no post or the body has no scored target in those years.
    """
    from onezone.org.models import Appointment

    appointment = (
        Appointment.objects.filter(person=person, start__lte=end)
        .exclude(end__lt=start)
        .select_related("post")
        .order_by("is_concurrent", "-start")
        .first()
    )
    if appointment is None:
        return None
    body_id = appointment.post.body_id
    pairs = []
    for year in range(start.year, end.year + 1):
        for row in target_rows(person.zone_id, year, today=end):
            if row.target.level == TargetLevel.BODY and row.target.body_id == body_id and row.score is not None:
                pairs.append((row.score, row.target.weight))
    return weighted_score(pairs)
