"""The investment's lists and pages: projects, the pipeline, the project page, the agent's checklists,
funds and progress entries, awards and policies; and the helpers the figures share."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from onezone.core.errors import NotFound
from onezone.investment import rules
from onezone.investment.models import (
    FundsEntry,
    InvestmentProgress,
    Milestone,
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
