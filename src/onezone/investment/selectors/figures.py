"""The investment figures: funds in place, the key-project start rate, cumulative investment, by year
and by park, chain or officer. Figures are computed from the records here and nowhere else.

Definitions (see docs/investment.md):

- funds in place in year Y: the sum of funds entries dated in Y, corrections included (a correction
  carries the date of the entry it corrects). Funds of a project dropped later stay counted: the
  money did arrive.
- key-project start rate in Y: key projects planned to start in Y that reached “construction
  started” on or before 31 December Y, divided by the key projects planned to start in Y (dropped
  ones included: a dropped plan is a missed plan). None when nothing was planned.
- cumulative investment completed at the end of Y: the sum of every monthly progress report (and
  correction) of the zone's projects for months up to and including December Y, since records
  began, whatever the project's stage now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, Q, QuerySet, Subquery, Sum

from onezone.core.prepared import Prepared
from onezone.investment import rules
from onezone.investment.models import (
    Chain,
    FundsEntry,
    InvestmentProgress,
    Project,
    ProjectStageChange,
    Stage,
)
from onezone.investment.selectors.projects import ZERO, _prefixed, _scope, _year_bounds


@dataclass(frozen=True)
class InvestmentFigures:
    """The year's figures. The stage statistics come from the stage change log, which is read only
    when one of them is asked for: the dashboards show the money and the start rate, not the pipeline."""

    year: int
    funds_in_place: Decimal
    key_planned: int
    key_started: int
    start_rate: Decimal | None
    cumulative_completed: Decimal
    completed_in_year: Decimal
    changes: Callable[[], list[rules.Change]] = field(default=list, repr=False, compare=False)

    @cached_property
    def stage_stats(self) -> rules.StageStats:
        return rules.stage_stats(self.changes(), until=_year_bounds(self.year)[1])

    @property
    def per_stage(self) -> dict[str, int]:
        return self.stage_stats.per_stage

    @property
    def reached(self) -> dict[str, int]:
        return self.stage_stats.reached

    @property
    def conversion(self) -> dict[str, Decimal | None]:
        return self.stage_stats.conversion

    @property
    def mean_days_in_stage(self) -> dict[str, Decimal | None]:
        return self.stage_stats.mean_days

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, InvestmentFigures):
            return NotImplemented
        compared = [f.name for f in fields(self) if f.compare]
        return all(getattr(self, name) == getattr(other, name) for name in (*compared, "stage_stats"))

    __hash__ = None  # type: ignore[assignment]

    @property
    def start_rate_percent(self) -> Decimal | None:
        return None if self.start_rate is None else (self.start_rate * 100).quantize(Decimal("0.1"))


def investment_figures(
    *,
    zone_id: int,
    year: int,
    park_id: int | None = None,
    chain_id: int | None = None,
    officer_id: int | None = None,
) -> InvestmentFigures:
    """The year's figures for the zone (or one park, chain or officer), computed from the records."""
    start, end = _year_bounds(year)
    scope = _scope(zone_id, park_id=park_id, chain_id=chain_id, officer_id=officer_id)
    # The record's own zone as well as its project's: the (zone, date) indexes then serve the range.
    through = _prefixed(scope, "project__") & Q(zone_id=zone_id)
    if park_id is None and chain_id is None and officer_id is None:
        # The whole zone (the dashboard, the figures page as it opens): the breakdown's prepared
        # queries grouped on the zone itself, one group.
        totals = _group_totals("zone_id", zone_id, year)
        funds, progress = totals.funds.get(zone_id), totals.progress.get(zone_id, {})
        key_planned, key_started = totals.planned.get(zone_id, 0), totals.started.get(zone_id, 0)
    else:
        funds = _funds(through, start, end).aggregate(s=Sum("amount"))["s"]
        progress = _progress(through, end).aggregate(**_progress_sums(start))
        planned = _key_planned(scope, year)
        key_planned = planned.count()
        key_started = _key_started(planned, end).count()
    # The zone on the change itself (in ``through``) lets the (zone, on) index serve; the order is the model's own
    # within one zone (a project's zone name, then newest project first), without joining the zone.
    log = (
        ProjectStageChange.objects.filter(through, on__lte=end)
        .order_by("-project_id", "on", "id")
        .values_list("project_id", "from_stage", "to_stage", "on")
    )

    def changes() -> list[rules.Change]:
        return [rules.Change(*row) for row in log]

    return _figures(year, funds, progress, key_planned, key_started, changes)


def _funds(through: Q, start: dt.date, end: dt.date) -> QuerySet[FundsEntry]:
    return FundsEntry.objects.filter(through, received_on__range=(start, end))


def _progress(through: Q, end: dt.date) -> QuerySet[InvestmentProgress]:
    return InvestmentProgress.objects.filter(through, month__lte=end)


def _progress_sums(start: dt.date) -> dict[str, Sum]:
    return {"cumulative": Sum("amount"), "in_year": Sum("amount", filter=Q(month__gte=start))}


def _key_planned(scope: Q, year: int) -> QuerySet[Project]:
    return Project.objects.filter(scope, is_key=True, planned_start_year=year)


def _key_started(planned: QuerySet[Project], end: dt.date) -> QuerySet[Project]:
    """Counted over the join: one per recorded start."""
    return planned.filter(changes__to_stage=Stage.CONSTRUCTION_STARTED, changes__on__lte=end)


def _figures(
    year: int,
    funds: Decimal | None,
    progress: dict[str, Decimal | None],
    key_planned: int,
    key_started: int,
    changes: Callable[[], list[rules.Change]],
) -> InvestmentFigures:
    return InvestmentFigures(
        year=year,
        funds_in_place=funds or ZERO,
        key_planned=key_planned,
        key_started=key_started,
        start_rate=rules.ratio(key_started, key_planned),
        cumulative_completed=progress.get("cumulative") or ZERO,
        completed_in_year=progress.get("in_year") or ZERO,
        changes=changes,
    )


# The project field each breakdown groups on.
FIGURE_GROUPS = {"park": "park_id", "chain": "chain_node__chain_id", "officer": "officer_id"}


class FiguresBy(dict[int, InvestmentFigures]):
    """Figures per park, chain or officer id; one without records has zero figures."""

    def __init__(
        self,
        year: int,
        figures: dict[int, InvestmentFigures],
        changes: Callable[[], dict[int, list[rules.Change]]] = dict,
    ) -> None:
        super().__init__(figures)
        self.year = year
        self.changes = changes

    def __missing__(self, group_id: int) -> InvestmentFigures:
        return _figures(self.year, None, {}, 0, 0, lambda: self.changes().get(group_id, []))


def investment_figures_by(*, zone_id: int, year: int, by: str) -> FiguresBy:
    """The year's figures of the zone per park, chain or officer, in five queries whatever their number.

    ``investment_figures_by(...)[park_id]`` equals ``investment_figures(..., park_id=park_id)``, and
    likewise for chains and officers.
    """
    group = FIGURE_GROUPS[by]
    end = _year_bounds(year)[1]
    totals = _group_totals(group, zone_id, year)
    log = (
        ProjectStageChange.objects.filter(_in_zone_by(group, zone_id), on__lte=end)
        .order_by("-project_id", "on", "id")
        .values_list(f"project__{group}", "project_id", "from_stage", "to_stage", "on")
    )
    read: list[dict[int, list[rules.Change]]] = []

    def changes() -> dict[int, list[rules.Change]]:
        """The change log of every group, read once when the first group's stage statistics are asked for."""
        if not read:
            by_group: dict[int, list[rules.Change]] = defaultdict(list)
            for group_id, *change in log:
                by_group[group_id].append(rules.Change(*change))
            read.append(by_group)
        return read[0]

    return FiguresBy(
        year,
        {
            group_id: _figures(
                year,
                totals.funds.get(group_id),
                totals.progress.get(group_id, {}),
                totals.planned.get(group_id, 0),
                totals.started.get(group_id, 0),
                lambda group_id=group_id: changes().get(group_id, []),
            )
            for group_id in {*totals.funds, *totals.progress, *totals.planned, *totals.started}
        },
        changes,
    )


@dataclass(frozen=True)
class _GroupTotals:
    """The year's ledgers of the zone summed per group id (a park, chain, officer, or the zone)."""

    funds: dict[int, Decimal]
    progress: dict[int, dict[str, Any]]  # cumulative, in_year
    planned: dict[int, int]
    started: dict[int, int]


def _group_totals(group: str, zone_id: int, year: int) -> _GroupTotals:
    """Four prepared queries, each grouped on the project's ``group`` column."""
    start, end = _year_bounds(year)
    bounds = {"zone_id": zone_id, "start": start, "end": end}
    return _GroupTotals(
        funds=dict(_FUNDS_BY(group, **bounds)),
        progress={row[f"project__{group}"]: row for row in _PROGRESS_BY(group, **bounds)},
        planned=dict(_KEY_PLANNED_BY(group, zone_id=zone_id, year=year)),
        started=dict(_KEY_STARTED_BY(group, zone_id=zone_id, year=year, end=end)),
    )


def _in_zone_by(group: str, zone_id: int) -> Q:
    """The records of the zone's projects that have a ``group`` (park, chain, officer; the zone).

    The record's own zone as well as its project's: the (zone, date) indexes then serve the range
    (through the project alone, PostgreSQL read every funds entry of the year of every zone)."""
    return Q(zone_id=zone_id, project__zone_id=zone_id, **{f"project__{group}__isnull": False})


# The totals per park, chain, officer or zone (the group is the shape): compiled once per process each.
_FUNDS_BY = Prepared(
    lambda group, zone_id, start, end: (
        _funds(_in_zone_by(group, zone_id), start, end)
        .values(f"project__{group}")
        .annotate(s=Sum("amount"))
        .values_list(f"project__{group}", "s")
        .order_by()
    ),
    zone_id=int,
    start=dt.date,
    end=dt.date,
)
_PROGRESS_BY = Prepared(
    lambda group, zone_id, start, end: (
        _progress(_in_zone_by(group, zone_id), end)
        .values(f"project__{group}")
        .annotate(**_progress_sums(start))
        .order_by()
    ),
    zone_id=int,
    start=dt.date,
    end=dt.date,
)
_KEY_PLANNED_BY = Prepared(
    lambda group, zone_id, year: (
        _key_planned(Q(zone_id=zone_id, **{f"{group}__isnull": False}), year)
        .values(group)
        .annotate(n=Count("id"))
        .values_list(group, "n")
        .order_by()
    ),
    zone_id=int,
    year=int,
)
# Counted over the join, as ``investment_figures`` counts it: one per recorded start.
_KEY_STARTED_BY = Prepared(
    lambda group, zone_id, year, end: (
        ProjectStageChange.objects.filter(
            _in_zone_by(group, zone_id),
            project__is_key=True,
            project__planned_start_year=year,
            to_stage=Stage.CONSTRUCTION_STARTED,
            on__lte=end,
        )
        .values(f"project__{group}")
        .annotate(n=Count("id"))
        .values_list(f"project__{group}", "n")
        .order_by()
    ),
    zone_id=int,
    year=int,
    end=dt.date,
)


@dataclass(frozen=True)
class FiguresRow:
    label: str
    figures: InvestmentFigures
    key: str = ""


def figures_breakdown(zone_id: int, year: int) -> dict[str, list[FiguresRow]]:
    """The year's figures per park, per chain and per officer."""
    from django.contrib.auth import get_user_model

    from onezone.zones.models import Park

    parks = Park.objects.filter(zone_id=zone_id).order_by("code")
    chains = Chain.objects.filter(zone_id=zone_id).order_by("order", "name")
    officer_ids = (
        Project.objects.filter(zone_id=zone_id, officer__isnull=False).values_list("officer_id", flat=True).distinct()
    )
    officers = get_user_model().objects.filter(pk__in=officer_ids).order_by("username")
    by_park, by_chain, by_officer = (investment_figures_by(zone_id=zone_id, year=year, by=by) for by in FIGURE_GROUPS)
    return {
        "parks": [FiguresRow(p.name, by_park[p.pk], f"park={p.pk}") for p in parks],
        "chains": [FiguresRow(c.name, by_chain[c.pk], f"chain={c.pk}") for c in chains],
        "officers": [
            FiguresRow(u.get_full_name() or u.username, by_officer[u.pk], f"officer={u.pk}") for u in officers
        ],
    }


def officer_funds_in_place(*, user: Any, start: dt.date, end: dt.date) -> Decimal:
    """Funds in place dated from ``start`` to ``end`` (both included) on the projects ``user`` is in
    charge of, in every zone: the appraisal metric of an investment officer."""
    total = FundsEntry.objects.filter(project__officer=user, received_on__range=(start, end)).aggregate(
        s=Sum("amount")
    )["s"]
    return total or ZERO


def funds_in_place_by_body(*, zone_id: int, year: int) -> dict[int, Decimal]:
    """Funds in place of ``year`` per body: each officer's projects' funds counted for the body of the officer's
    post at the year's end (their main post where they hold several). Funds of projects without an officer,
    or of an officer holding no post then, count for no body."""
    from onezone.org.models import Appointment

    by_officer = investment_figures_by(zone_id=zone_id, year=year, by="officer")
    end = _year_bounds(year)[1]
    posts = (
        Appointment.objects.filter(zone_id=zone_id, person__user_id__in=list(by_officer), start__lte=end)
        .exclude(end__lt=end)
        .order_by("person__user_id", "is_concurrent", "-start")
        .values_list("person__user_id", "post__body_id")
    )
    body_of: dict[int, int] = {}
    for user_id, body_id in posts:
        body_of.setdefault(user_id, body_id)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for officer_id, figures in by_officer.items():
        if officer_id in body_of:
            totals[body_of[officer_id]] += figures.funds_in_place
    return dict(totals)


def _recorded_years(zone_id: int) -> set[int]:
    """Years with a funds or progress record, by index look-ups rather than every record of the zone:
    the first and last date of each (one query), then whether each year between has one (one query)."""
    from onezone.zones.models import Zone

    dated = {"funds": (FundsEntry, "received_on"), "progress": (InvestmentProgress, "month")}
    zone = Zone.objects.filter(pk=zone_id)

    def edge(model: Any, date_field: str, order: str) -> Subquery:
        return Subquery(model.objects.filter(zone_id=zone_id).order_by(order + date_field).values(date_field)[:1])

    bounds = zone.values(
        **{f"{key}_first": edge(model, name, "") for key, (model, name) in dated.items()},
        **{f"{key}_last": edge(model, name, "-") for key, (model, name) in dated.items()},
    ).first()
    if bounds is None:
        return set()
    checks = {
        f"{key}_{year}": Exists(
            model.objects.filter(zone_id=zone_id, **{f"{name}__range": (dt.date(year, 1, 1), dt.date(year, 12, 31))})
        )
        for key, (model, name) in dated.items()
        if bounds[f"{key}_first"] is not None
        for year in range(bounds[f"{key}_first"].year, bounds[f"{key}_last"].year + 1)
    }
    if not checks:
        return set()
    found = zone.values(**checks).first() or {}
    return {int(check.rsplit("_", 1)[1]) for check, present in found.items() if present}


def figure_years(zone_id: int) -> list[int]:
    """Years that have any funds or progress record, newest first."""
    years = _recorded_years(zone_id)
    years |= set(
        Project.objects.filter(zone_id=zone_id, planned_start_year__isnull=False)
        .values_list("planned_start_year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


# Chains ---------------------------------------------------------------------------------------
