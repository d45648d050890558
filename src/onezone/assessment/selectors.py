"""Every read the assessment's pages, exports and endpoints need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from onezone.assessment import sources
from onezone.assessment.evaluation import MISSING_RULES, Node, tree_from_rows
from onezone.assessment.models import (
    Actual,
    Direction,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Scheme,
    SchemeNode,
    Target,
    TargetLevel,
    ZoneValue,
    ZoneYearFact,
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
from onezone.core.permissions import readable_zone_ids
from onezone.core.prepared import Prepared
from onezone.zones.models import Park

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
            if spec is None or self.target.level == TargetLevel.BODY or not sources.installed(spec.module):
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


# --- evaluation ------------------------------------------------------------------------------


# Every zone's result of an evaluation, best first (the ranking page), compiled once per process.
_RESULTS = Prepared(
    lambda evaluation_id: (
        EvaluationResult.objects.filter(evaluation_id=evaluation_id)
        .order_by("rank", "zone__name")
        .values_list("zone_id", "zone__name", "zone__code", "score", "rank", "complete", "missing", "values", "points")
    ),
    evaluation_id=int,
)


def scheme_nodes(scheme: Scheme) -> list[SchemeNode]:
    return list(SchemeNode.objects.filter(scheme=scheme).select_related("parent").order_by("order", "key"))


# The columns of the scheme's tree, read without building a node instance per row (the ranking's reads).
_TREE_ROWS = Prepared(
    lambda scheme_id: (
        SchemeNode.objects.filter(scheme_id=scheme_id)
        .order_by("order", "key")
        .values_list("key", "parent__key", "name", "weight", "direction", "method", "unit", "maximum", "order")
    ),
    scheme_id=int,
)


def scheme_tree(scheme: Scheme, nodes: list[SchemeNode] | None = None) -> Node:
    if nodes is not None:
        rows = [
            (
                n.key,
                n.parent.key if n.parent_id else None,
                n.name,
                n.weight,
                n.direction,
                n.method,
                n.unit,
                n.maximum,
                n.order,
            )
            for n in nodes
        ]
    else:
        rows = _TREE_ROWS(scheme_id=scheme.pk)
    return tree_from_rows(
        {
            "key": key,
            "parent": parent,
            "name": name,
            "weight": weight,
            "higher_is_better": direction == Direction.HIGHER,
            "method": method,
            "unit": unit,
            "maximum": maximum,
            "order": order,
        }
        for key, parent, name, weight, direction, method, unit, maximum, order in rows
    )


def zone_values_for_evaluation(scheme: Scheme, year: int, tree: Node | None = None) -> dict[int, dict[str, Decimal]]:
    """``{zone_id: {leaf key: value}}`` for the province's zones that have a value that year."""
    tree = tree or scheme_tree(scheme)
    keys = [leaf.key for leaf in tree.leaves()]
    values: dict[int, dict[str, Decimal]] = {}
    rows = ZoneValue.objects.filter(year=year, key__in=keys, zone__province_code=scheme.province_code).values_list(
        "zone_id", "key", "value"
    )
    for zone_id, key, value in rows:
        values.setdefault(zone_id, {})[key] = value
    return values


def can_see_all_zones(user: Any) -> bool:
    """The provincial supervisor (and the site's administrator) sees every zone's values and drafts."""
    return readable_zone_ids(user) is None


def evaluations_visible(user: Any, *, province_code: str | None = None) -> QuerySet[Evaluation]:
    """Evaluations ``user`` may see: all for the province level, published ones for a zone's users."""
    qs = Evaluation.objects.select_related("scheme").order_by("scheme__name", "-year")
    if province_code:
        qs = qs.filter(scheme__province_code=province_code)
    if not can_see_all_zones(user):
        zone_ids = readable_zone_ids(user) or set()
        from onezone.zones.models import Zone

        provinces = set(Zone.objects.filter(pk__in=zone_ids).values_list("province_code", flat=True))
        qs = qs.filter(status=EvaluationStatus.PUBLISHED, scheme__province_code__in=provinces)
    return qs


@dataclass
class RankingRow:
    zone_id: int
    zone_name: str
    zone_code: str
    score: Decimal | None
    rank: int | None
    complete: bool
    missing: list[str]
    values: dict[str, str] | None  # None: the user may not see this zone's values
    points: dict[str, str | None] | None
    own: bool


@dataclass
class Ranking:
    evaluation: Evaluation
    tree: Node
    leaves: list[Node]
    groups: list[Node]
    rows: list[RankingRow]
    sees_all: bool
    missing_rule_label: str = ""
    incomplete: int = 0


def ranking(evaluation: Evaluation, user: Any) -> Ranking:
    """The evaluation's ranking as ``user`` may see it: every zone's values for the province level,
    one's own zone's values only for a zone's users. Two queries whatever the number of zones."""
    sees_all = can_see_all_zones(user)
    own = set() if sees_all else (readable_zone_ids(user) or set())
    tree = scheme_tree(evaluation.scheme)
    leaf_names = {leaf.key: leaf.name for leaf in tree.leaves()}
    rows = []
    for zone_id, name, code, points_total, rank, complete, missing, values, points in _RESULTS(
        evaluation_id=evaluation.pk
    ):
        visible = sees_all or zone_id in own
        rows.append(
            RankingRow(
                zone_id=zone_id,
                zone_name=name,
                zone_code=code,
                score=points_total,
                rank=rank,
                complete=complete,
                missing=[leaf_names.get(k, k) for k in missing] if visible else [],
                values=values if visible else None,
                points=points if visible else None,
                own=zone_id in own,
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.zone_name))
    return Ranking(
        evaluation=evaluation,
        tree=tree,
        leaves=tree.leaves(),
        groups=list(tree.children),
        rows=rows,
        sees_all=sees_all,
        missing_rule_label=MISSING_RULES.get(evaluation.missing_rule, evaluation.missing_rule),
        incomplete=sum(1 for r in rows if not r.complete),
    )


@dataclass(frozen=True)
class RankPoint:
    year: int
    rank: int | None
    score: Decimal | None
    zone_count: int
    published: bool
    complete: bool


def rank_history(zone_id: int, user: Any, *, scheme: Scheme | None = None) -> list[RankPoint]:
    """The zone's rank year by year (published evaluations; drafts too for the province level)."""
    published_only = not can_see_all_zones(user)
    if scheme is not None:
        results = _HISTORY_OF_SCHEME(published_only, zone_id=zone_id, scheme_id=scheme.pk)
    else:
        results = _HISTORY(published_only, zone_id=zone_id)
    return [
        RankPoint(
            year=r.evaluation.year,
            rank=r.rank,
            score=r.score,
            zone_count=r.evaluation.zone_count,
            published=r.evaluation.status == EvaluationStatus.PUBLISHED,
            complete=r.complete,
        )
        for r in results
    ]


def _history(published_only: bool, zone_id: int, scheme_id: int | None = None) -> QuerySet[EvaluationResult]:
    qs = EvaluationResult.objects.filter(zone_id=zone_id).select_related("evaluation")
    if scheme_id is not None:
        qs = qs.filter(evaluation__scheme_id=scheme_id)
    if published_only:
        qs = qs.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    return qs.order_by("evaluation__year")


# The rank history (the dashboard's), with drafts or without (the shape), compiled once per process.
_HISTORY = Prepared(_history, zone_id=int)
_HISTORY_OF_SCHEME = Prepared(_history, zone_id=int, scheme_id=int)
_SCHEME_OF_PROVINCE = Prepared(
    lambda province_code: Scheme.objects.filter(province_code=province_code).order_by("pk")[:1], province_code=str
)
_YEAR_FACTS = Prepared(lambda zone_id: ZoneYearFact.objects.filter(zone_id=zone_id).order_by("year"), zone_id=int)


# The zone's parks for the per-park figures (their leading industries are not shown there).
_PARKS = Prepared(lambda zone_id: Park.objects.filter(zone_id=zone_id).order_by("code"), zone_id=int)


def scheme_for_zone(zone: Any) -> Scheme | None:
    return _SCHEME_OF_PROVINCE.first(province_code=zone.province_code)


def zone_value_rows(zone_id: int, year: int, scheme: Scheme) -> list[dict[str, Any]]:
    """Each leaf of the scheme with the zone's value for the year and where it came from."""
    tree = scheme_tree(scheme)
    stored = {v.key: v for v in ZoneValue.objects.filter(zone_id=zone_id, year=year)}
    return [
        {"leaf": leaf, "value": stored.get(leaf.key), "direction": "越大越好" if leaf.higher_is_better else "越小越好"}
        for leaf in tree.leaves()
    ]


# --- growth and dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    baseline: ZoneYearFact | None
    latest: ZoneYearFact | None
    current_planned_area: Decimal
    area_multiple: Decimal | None
    output_multiple: Decimal | None
    jobs_added: int | None


def reported_year(zone: Any, facts: list[ZoneYearFact]) -> ZoneYearFact | None:
    """The latest whole year of the enterprises' monthly reports (``support``) as a year's facts (not
    stored): its output is the sum of the confirmed reports, its employees those at the year's end,
    its planned area the latest recorded. None when no year of reports is as recent as the facts."""
    from onezone.support.selectors.statistics import latest_complete_year, year_figures

    year = latest_complete_year(zone.pk, before=timezone.localdate().year + 1)
    if year is None or (facts and year < facts[-1].year):
        return None
    figures = year_figures(zone.pk, year)
    area = next((f.planned_area_km2 for f in reversed(facts) if f.year <= year), zone.planned_area_km2)
    return ZoneYearFact(
        zone_id=zone.pk,
        year=year,
        planned_area_km2=area,
        industrial_output=figures.output_value,
        employees=figures.employees,
        source=f"企业月度统计（{figures.reporters} 家企业已确认月报合计）",
    )


def growth(zone: Any, *, baseline_year: int | None = None) -> Growth:
    """The zone's growth from the year before its reform (or ``baseline_year``) to its latest year:
    the latest whole year of the enterprises' monthly reports, or else the latest recorded facts."""
    facts = _YEAR_FACTS(zone_id=zone.pk)
    if baseline_year is None and zone.reform_date:
        baseline_year = zone.reform_date.year - 1
    baseline = next((f for f in facts if f.year == baseline_year), facts[0] if facts else None)
    latest = reported_year(zone, facts) or (facts[-1] if facts else None)
    if baseline is None or latest is None or baseline.year == latest.year:
        return Growth(baseline, latest, zone.planned_area_km2, None, None, None)

    def multiple(new: Decimal, old: Decimal) -> Decimal | None:
        return (Decimal(new) / Decimal(old)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if old else None

    return Growth(
        baseline=baseline,
        latest=latest,
        current_planned_area=zone.planned_area_km2,
        area_multiple=multiple(zone.planned_area_km2, baseline.planned_area_km2),
        output_multiple=multiple(latest.industrial_output, baseline.industrial_output),
        jobs_added=latest.employees - baseline.employees,
    )


@dataclass
class DashboardFigure:
    key: str
    label: str
    value: Decimal | None
    unit: str
    as_of: dt.date
    link: str
    note: str = ""

    @property
    def shown(self) -> str:
        if self.value is None:
            return "无数据"
        if self.value == self.value.to_integral_value():
            return f"{self.value:,.0f}"
        return f"{self.value:,.2f}"


@dataclass
class Dashboard:
    zone: Any
    year: int
    as_of: dt.date
    figures: list[DashboardFigure]
    chain_gaps: list[dict[str, Any]] | None
    targets_at_risk: list[TargetRow]
    targets_total: int
    history: list[RankPoint]
    parks: list[dict[str, Any]]
    growth: Growth
    scheme: Scheme | None
    latest_rank: RankPoint | None = None
    missing_sources: list[str] = field(default_factory=list)


DASHBOARD_FIGURES = [
    ("investment.funds_in_place", "到位资金"),
    ("investment.start_rate", "重点项目开工率"),
    ("investment.cumulative_completed", "累计完成投资"),
    ("window.overdue_now", "当前超期办件"),
    ("enterprises.open_requests", "未办结企业诉求"),
    ("investment.chain_gaps", "产业链缺失环节"),
]


def dashboard(zone: Any, user: Any, *, year: int | None = None, today: dt.date | None = None) -> Dashboard:
    """The committee head's figures (领导驾驶舱), each with its date and its link to the records."""
    with sources.memo():
        return _dashboard(zone, user, year=year, today=today)


def _dashboard(zone: Any, user: Any, *, year: int | None, today: dt.date | None) -> Dashboard:
    today = today or timezone.localdate()
    year = year or today.year
    figures = []
    missing = []
    for key, label in DASHBOARD_FIGURES:
        found = sources.figure(key, zone_id=zone.pk, year=year, as_of=today)
        if not found.available:
            missing.append(label)
        figures.append(DashboardFigure(key, label, found.value, found.unit, found.as_of, found.link, found.note))
    rows = target_rows(zone.pk, year, today=today)
    parks = []
    for park in _PARKS(zone_id=zone.pk):
        parks.append(
            {
                "park": park,
                "funds": sources.figure("investment.funds_in_place", zone_id=zone.pk, year=year, park_id=park.pk),
                "start_rate": sources.figure("investment.start_rate", zone_id=zone.pk, year=year, park_id=park.pk),
                "cumulative": sources.figure(
                    "investment.cumulative_completed", zone_id=zone.pk, year=year, park_id=park.pk
                ),
            }
        )
    scheme = scheme_for_zone(zone)
    history = rank_history(zone.pk, user, scheme=scheme) if scheme else []
    return Dashboard(
        zone=zone,
        year=year,
        as_of=today,
        figures=figures,
        chain_gaps=sources.chain_gaps(zone.pk),
        targets_at_risk=[r for r in rows if r.at_risk],
        targets_total=len(rows),
        history=history,
        parks=parks,
        growth=growth(zone),
        scheme=scheme,
        latest_rank=history[-1] if history else None,
        missing_sources=missing,
    )
