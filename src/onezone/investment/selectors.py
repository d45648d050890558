"""Every read of the investment module: lists, the project page, the figures, chain maps and the
agent's checklists. Figures are computed from the records here and nowhere else.

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

from django.db.models import Count, DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from onezone.core.errors import NotFound
from onezone.core.prepared import Prepared
from onezone.investment import rules
from onezone.investment.models import (
    Chain,
    ChainNode,
    ChainTarget,
    FundsEntry,
    InvestmentProgress,
    Milestone,
    NodeEnterprise,
    Project,
    ProjectStageChange,
    RewardAward,
    RewardPolicy,
    Stage,
)

ZERO = Decimal("0.00")
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _scope(
    zone_id: int, *, park_id: int | None = None, chain_id: int | None = None, officer_id: int | None = None
) -> Q:
    """The filter on projects for a zone and optional park, chain and officer."""
    q = Q(zone_id=zone_id)
    if park_id is not None:
        q &= Q(park_id=park_id)
    if chain_id is not None:
        q &= Q(chain_node__chain_id=chain_id)
    if officer_id is not None:
        q &= Q(officer_id=officer_id)
    return q


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter applied through a relation (``project__``)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        out.children.append(_prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1]))
    return out


# Projects -------------------------------------------------------------------------------------


def _funds_total_subquery():
    return Coalesce(
        Subquery(
            FundsEntry.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(total=Sum("amount"))
            .values("total")[:1],
            output_field=MONEY_FIELD,
        ),
        Value(ZERO),
        output_field=MONEY_FIELD,
    )


def projects_list(
    zone_id: int,
    *,
    stage: str | None = None,
    park_id: int | None = None,
    chain_id: int | None = None,
    officer_id: int | None = None,
    agent_id: int | None = None,
    search: str = "",
) -> QuerySet[Project]:
    """The zone's projects with park, chain, officer and agent, and ``funds_total`` in place."""
    qs = Project.objects.filter(_scope(zone_id, park_id=park_id, chain_id=chain_id, officer_id=officer_id))
    if stage:
        qs = qs.filter(stage=stage)
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(investor_name__icontains=search))
    return (
        qs.select_related("park", "chain_node__chain", "officer", "agent")
        .annotate(funds_total=_funds_total_subquery())
        .order_by("-is_key", "name", "id")
    )


def leads_list(zone_id: int) -> QuerySet[Project]:
    """Leads (客商): projects still at first contact or in negotiation."""
    return projects_list(zone_id).filter(stage__in=[Stage.LEAD, Stage.NEGOTIATING])


def project_get(zone_id: int, project_id: int) -> Project:
    project = Project.objects.select_related("park", "chain_node__chain", "officer", "agent").filter(
        zone_id=zone_id, pk=project_id
    )
    found = project.first()
    if found is None:
        raise NotFound("招商项目不存在，或不属于本开发区。")
    return found


@dataclass
class PipelineColumn:
    stage: str
    label: str
    projects: list[Project]

    @property
    def count(self) -> int:
        return len(self.projects)


def pipeline(zone_id: int, *, park_id: int | None = None, officer_id: int | None = None) -> list[PipelineColumn]:
    """Projects grouped by stage, in pipeline order (dropped last)."""
    grouped: dict[str, list[Project]] = defaultdict(list)
    for project in projects_list(zone_id, park_id=park_id, officer_id=officer_id):
        grouped[project.stage].append(project)
    return [PipelineColumn(stage=s.value, label=str(s.label), projects=grouped.get(s.value, [])) for s in Stage]


@dataclass
class Stay:
    stage: str
    label: str
    since: dt.date
    days: int
    current: bool
    reason: str
    actor: str


@dataclass
class ChecklistItem:
    milestone: Milestone
    case: Any = None  # window CaseStatusView when the item is tied to a case
    due: dt.date | None = None
    overdue: bool = False

    @property
    def tone(self) -> str:
        if self.milestone.status == Milestone.Status.DONE:
            return "success"
        if self.overdue:
            return "danger"
        if self.case is not None and getattr(self.case, "colour", "") == "warning":
            return "warning"
        return ""


@dataclass
class ProjectPage:
    project: Project
    stays: list[Stay]
    funds: list[FundsEntry]
    funds_total: Decimal
    progress: list[InvestmentProgress]
    progress_total: Decimal
    checklist: list[ChecklistItem]
    awards: list[RewardAward]
    next_stages: list[tuple[str, str]]

    @property
    def overdue(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.overdue]


def project_page(zone_id: int, project_id: int, *, today: dt.date | None = None) -> ProjectPage:
    """Everything the project page shows."""
    today = today or timezone.localdate()
    project = project_get(zone_id, project_id)
    changes = list(ProjectStageChange.objects.filter(project=project).select_related("actor").order_by("on", "id"))
    by_key = {(c.on, c.to_stage): c for c in changes}
    stays = []
    for change, days, current in rules.days_in_stages(
        [rules.Change(project.pk, c.from_stage, c.to_stage, c.on) for c in changes], today=today
    ):
        row = by_key[(change.on, change.to_stage)]
        stays.append(
            Stay(
                stage=change.to_stage,
                label=str(Stage(change.to_stage).label),
                since=change.on,
                days=days,
                current=current,
                reason=row.reason,
                actor=(row.actor.get_full_name() or row.actor.username) if row.actor else "",
            )
        )
    funds = list(FundsEntry.objects.filter(project=project).select_related("recorded_by").order_by("received_on", "id"))
    progress = list(InvestmentProgress.objects.filter(project=project).order_by("month", "id"))
    return ProjectPage(
        project=project,
        stays=stays,
        funds=funds,
        funds_total=sum((f.amount for f in funds), ZERO),
        progress=progress,
        progress_total=sum((p.amount for p in progress), ZERO),
        checklist=checklist_for([project], today=today).get(project.pk, []),
        awards=list(RewardAward.objects.filter(project=project).select_related("policy").order_by("-claimed_on")),
        next_stages=[
            (s, str(Stage(s).label)) for s in (*rules.PIPELINE, rules.DROPPED) if s in rules.TRANSITIONS[project.stage]
        ],
    )


# Milestones and the agent's checklist ---------------------------------------------------------


def _case_statuses(milestones: list[Milestone]) -> dict[int, Any]:
    """The window's status of each case the milestones are tied to, by case id (one query)."""
    case_ids = sorted({m.case_id for m in milestones if m.case_id})
    if not case_ids:
        return {}
    from onezone.window.selectors import case_status_for

    return case_status_for(case_ids)


def checklist_for(projects: list[Project], *, today: dt.date | None = None) -> dict[int, list[ChecklistItem]]:
    """Each project's checklist with the case status of the items tied to a window case."""
    today = today or timezone.localdate()
    milestones = list(Milestone.objects.filter(project__in=projects).order_by("project_id", "order"))
    cases = _case_statuses(milestones)
    out: dict[int, list[ChecklistItem]] = {p.pk: [] for p in projects}
    for milestone in milestones:
        case = cases.get(milestone.case_id) if milestone.case_id else None
        done = milestone.status == Milestone.Status.DONE
        if case is not None:
            due = getattr(case, "committed_deadline", None) or milestone.planned_on
            overdue = not done and getattr(case, "colour", "") in {"overdue", "violation"}
        else:
            due = milestone.planned_on
            overdue = not done and due is not None and due < today
        out[milestone.project_id].append(ChecklistItem(milestone=milestone, case=case, due=due, overdue=overdue))
    return out


@dataclass
class AgentProject:
    project: Project
    checklist: list[ChecklistItem] = field(default_factory=list)

    @property
    def overdue(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.overdue]

    @property
    def done(self) -> int:
        return sum(1 for item in self.checklist if item.milestone.status == Milestone.Status.DONE)


def agent_projects(zone_id: int, agent: Any, *, today: dt.date | None = None) -> list[AgentProject]:
    """The agent's projects (not dropped) with their checklists, most overdue first."""
    projects = list(
        Project.objects.filter(zone_id=zone_id, agent=agent)
        .exclude(stage=Stage.DROPPED)
        .select_related("park", "officer")
        .order_by("name")
    )
    lists = checklist_for(projects, today=today)
    rows = [AgentProject(project=p, checklist=lists[p.pk]) for p in projects]
    rows.sort(key=lambda r: (-len(r.overdue), r.project.name))
    return rows


def overdue_items(zone_id: int, *, agent: Any = None, today: dt.date | None = None) -> list[ChecklistItem]:
    """Overdue checklist items of the zone (or of one agent's projects), earliest due first."""
    qs = Project.objects.filter(zone_id=zone_id).exclude(stage=Stage.DROPPED)
    if agent is not None:
        qs = qs.filter(agent=agent)
    projects = list(qs.filter(milestones__isnull=False).distinct())
    items = [item for checklist in checklist_for(projects, today=today).values() for item in checklist if item.overdue]
    names = {p.pk: p for p in projects}
    for item in items:
        item.milestone.project = names[item.milestone.project_id]
    return sorted(items, key=lambda i: (i.due or dt.date.max, i.milestone.project_id))


# Figures --------------------------------------------------------------------------------------


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


def chains_of(zone_id: int) -> QuerySet[Chain]:
    return Chain.objects.filter(zone_id=zone_id).order_by("order", "name")


@dataclass
class NodeView:
    node: ChainNode
    depth: int
    enterprises: list[NodeEnterprise]
    targets: list[ChainTarget]
    projects: list[Project]
    role: str  # what a new project on this node would do to the chain

    @property
    def is_gap(self) -> bool:
        return not self.enterprises

    @property
    def role_label(self) -> str:
        return rules.CHAIN_ROLE_LABELS.get(self.role, "")


@dataclass
class ChainMap:
    chain: Chain
    nodes: list[NodeView]  # depth-first, parents before children

    @property
    def gaps(self) -> list[NodeView]:
        return [n for n in self.nodes if n.is_gap]

    @property
    def filling_projects(self) -> list[tuple[NodeView, Project]]:
        return [(n, p) for n in self.gaps for p in n.projects]

    @property
    def targets(self) -> list[tuple[NodeView, ChainTarget]]:
        return [(n, t) for n in self.nodes for t in n.targets]


def chain_map(zone_id: int, chain_id: int) -> ChainMap:
    """A chain's tree with its local enterprises, gaps, projects and targets (4 queries)."""
    chain = Chain.objects.filter(zone_id=zone_id, pk=chain_id).first()
    if chain is None:
        raise NotFound("产业链不存在，或不属于本开发区。")
    nodes = list(ChainNode.objects.filter(chain=chain).order_by("order", "id"))
    enterprises: dict[int, list[NodeEnterprise]] = defaultdict(list)
    for e in NodeEnterprise.objects.filter(node__chain=chain).order_by("name"):
        enterprises[e.node_id].append(e)
    targets: dict[int, list[ChainTarget]] = defaultdict(list)
    for t in ChainTarget.objects.filter(node__chain=chain).order_by("priority", "company"):
        targets[t.node_id].append(t)
    projects: dict[int, list[Project]] = defaultdict(list)
    for p in Project.objects.filter(chain_node__chain=chain).exclude(stage=Stage.DROPPED).order_by("name"):
        projects[p.chain_node_id].append(p)
    local_stages = {n.stage for n in nodes if enterprises.get(n.pk)}
    children: dict[int | None, list[ChainNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    ordered: list[NodeView] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, []):
            ordered.append(
                NodeView(
                    node=node,
                    depth=depth,
                    enterprises=enterprises.get(node.pk, []),
                    targets=targets.get(node.pk, []),
                    projects=projects.get(node.pk, []),
                    role=rules.chain_role(
                        node_stage=node.stage,
                        node_local_count=len(enterprises.get(node.pk, [])),
                        chain_local_stages=local_stages,
                    ),
                )
            )
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ChainMap(chain=chain, nodes=ordered)


@dataclass(frozen=True)
class ChainSummary:
    chain: Chain
    nodes: int
    gaps: int
    enterprises: int
    projects: int
    targets: int


# The chain summaries' reads (the dashboard's chain gaps), compiled once per process.
_CHAINS = Prepared(chains_of, zone_id=int)
_CHAIN_NODES = Prepared(
    lambda zone_id: ChainNode.objects.filter(zone_id=zone_id).order_by().values_list("id", "chain_id"), zone_id=int
)
_NODE_ENTERPRISES = Prepared(
    lambda zone_id: NodeEnterprise.objects.filter(zone_id=zone_id).order_by().values_list("node_id", flat=True),
    zone_id=int,
)
_NODE_PROJECTS = Prepared(
    lambda zone_id: (
        Project.objects.filter(zone_id=zone_id, chain_node__isnull=False)
        .exclude(stage=Stage.DROPPED)
        .order_by()
        .values_list("chain_node_id", flat=True)
    ),
    zone_id=int,
)
_NODE_TARGETS = Prepared(
    lambda zone_id: ChainTarget.objects.filter(zone_id=zone_id).order_by().values_list("node_id", flat=True),
    zone_id=int,
)


def chain_summaries(zone_id: int) -> list[ChainSummary]:
    """Per chain: nodes, gaps, local enterprises, live projects and targets (5 queries).

    The four lists are read unordered: they are only counted, and the models' default orderings
    would join the chain and the zone to sort them."""
    chains = _CHAINS(zone_id=zone_id)
    node_chain = dict(_CHAIN_NODES(zone_id=zone_id))
    enterprise_nodes = _NODE_ENTERPRISES(zone_id=zone_id)
    with_enterprise = set(enterprise_nodes)
    counts: dict[int, dict[str, int]] = {c.pk: defaultdict(int) for c in chains}
    for node_id, chain_id in node_chain.items():
        counts[chain_id]["nodes"] += 1
        if node_id not in with_enterprise:
            counts[chain_id]["gaps"] += 1
    for node_id in enterprise_nodes:
        counts[node_chain[node_id]]["enterprises"] += 1
    for node_id in _NODE_PROJECTS(zone_id=zone_id):
        counts[node_chain[node_id]]["projects"] += 1
    for node_id in _NODE_TARGETS(zone_id=zone_id):
        counts[node_chain[node_id]]["targets"] += 1
    return [
        ChainSummary(
            chain=c,
            nodes=counts[c.pk]["nodes"],
            gaps=counts[c.pk]["gaps"],
            enterprises=counts[c.pk]["enterprises"],
            projects=counts[c.pk]["projects"],
            targets=counts[c.pk]["targets"],
        )
        for c in chains
    ]


def chain_targets(zone_id: int, *, chain_id: int | None = None) -> QuerySet[ChainTarget]:
    """Targets to approach, with their node and chain, gaps first is the page's business."""
    qs = ChainTarget.objects.filter(zone_id=zone_id).select_related("node__chain")
    if chain_id is not None:
        qs = qs.filter(node__chain_id=chain_id)
    return qs.order_by("node__chain__order", "node__chain__name", "node__order", "priority", "company")


def gap_node_ids(zone_id: int) -> set[int]:
    """Nodes of the zone's chains with no local enterprise."""
    return set(ChainNode.objects.filter(zone_id=zone_id, enterprises__isnull=True).values_list("pk", flat=True))


def chain_nodes_of(zone_id: int) -> QuerySet[ChainNode]:
    return ChainNode.objects.filter(zone_id=zone_id).select_related("chain").order_by("chain__order", "order", "id")


# Rewards --------------------------------------------------------------------------------------


def awards_list(zone_id: int, *, status: str | None = None) -> QuerySet[RewardAward]:
    qs = (
        RewardAward.objects.filter(zone_id=zone_id)
        .select_related("project", "policy")
        .annotate(recovered=Coalesce(Sum("recoveries__amount"), Value(Decimal("0.00")), output_field=MONEY_FIELD))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-claimed_on", "-id")


def policies_of(zone_id: int) -> QuerySet[RewardPolicy]:
    return RewardPolicy.objects.filter(zone_id=zone_id).order_by("-effective_from")


def policy_in_force(zone_id: int, on: dt.date) -> RewardPolicy | None:
    return (
        policies_of(zone_id)
        .filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .first()
    )


def funds_entries_list(zone_id: int, *, project_id: int | None = None, year: int | None = None):
    qs = FundsEntry.objects.filter(zone_id=zone_id).select_related("project", "corrects")
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if year is not None:
        qs = qs.filter(received_on__year=year)
    return qs.order_by("received_on", "id")


def progress_list(zone_id: int, *, project_id: int | None = None, year: int | None = None):
    qs = InvestmentProgress.objects.filter(zone_id=zone_id).select_related("project")
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    if year is not None:
        qs = qs.filter(month__year=year)
    return qs.order_by("month", "id")


def stage_changes_list(zone_id: int, *, project_id: int | None = None):
    qs = ProjectStageChange.objects.filter(zone_id=zone_id).select_related("project", "actor")
    if project_id is not None:
        qs = qs.filter(project_id=project_id)
    return qs.order_by("on", "id")
