"""Investment attraction over the API: leads, projects, stage changes, funds entries, progress,
figures, chains and awards. Every endpoint parses input and calls services and selectors only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from ninja import Router, Schema, Status

from onezone.core.api_types import Limit, Offset, Year
from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import STAFF_ROLES
from onezone.investment import selectors, services
from onezone.investment.models import FundsEntry, InvestmentProgress, RewardAward, RewardPolicy, Stage
from onezone.zones.models import Park

router = Router(tags=["招商引资"])


def _staff_read(actor, *, zone_id: int) -> None:
    """The zone's staff (and the province) read its leads, projects, funds and awards, enterprises not."""
    require_read(actor, zone_id=zone_id)
    if not roles_in(actor, zone_id) & STAFF_ROLES:
        raise PermissionDenied("招商项目信息仅向本开发区工作人员开放。")


MAX_PAGE = 500


class InvestmentProjectIn(Schema):
    name: str
    investor_name: str
    industry_code: str
    park_id: int
    planned_investment: Decimal = Decimal(0)
    is_key: bool = False
    planned_start_year: int | None = None
    officer_id: int | None = None
    referrer: str = ""
    chain_node_id: int | None = None
    on: dt.date | None = None
    note: str = ""


class InvestmentProjectOut(Schema):
    id: int
    name: str
    investor_name: str
    industry_code: str
    park_id: int
    park_name: str
    fits_park: bool
    chain_node_id: int | None
    chain_role: str
    planned_investment: Decimal
    is_key: bool
    planned_start_year: int | None
    officer_id: int | None
    agent_id: int | None
    referrer: str
    stage: str
    stage_label: str
    stage_since: dt.date
    signed_on: dt.date | None
    started_on: dt.date | None
    completed_on: dt.date | None
    dropped_reason: str
    funds_total: Decimal | None = None
    version: int

    @staticmethod
    def resolve_park_name(obj) -> str:
        return obj.park.name

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return obj.get_stage_display()


class MoveIn(Schema):
    to_stage: Stage  # an unknown stage is refused as invalid input, never reaches the service
    on: dt.date | None = None
    reason: str = ""
    expected_stage: Stage | None = None


class StageChangeOut(Schema):
    id: int
    project_id: int
    from_stage: str
    to_stage: str
    on: dt.date
    actor_id: int | None
    reason: str


class FundsIn(Schema):
    amount: Decimal
    received_on: dt.date
    source: str
    evidence_reference: str = ""
    note: str = ""


class CorrectionIn(Schema):
    correct_amount: Decimal
    reason: str


class FundsOut(Schema):
    id: int
    project_id: int
    amount: Decimal
    received_on: dt.date
    source: str
    evidence_reference: str
    note: str
    corrects_id: int | None


class InvestmentProgressIn(Schema):
    month: dt.date
    amount: Decimal
    note: str = ""


class ProgressOut(Schema):
    id: int
    project_id: int
    month: dt.date
    amount: Decimal
    note: str
    corrects_id: int | None


class InvestmentFiguresOut(Schema):
    year: Year
    funds_in_place: Decimal
    key_planned: int
    key_started: int
    start_rate: Decimal | None
    cumulative_completed: Decimal
    completed_in_year: Decimal
    per_stage: dict[str, int]
    conversion: dict[str, Decimal | None]
    mean_days_in_stage: dict[str, Decimal | None]


class ChainOut(Schema):
    id: int
    name: str
    cluster: str
    nodes: int
    gaps: int
    enterprises: int
    projects: int
    targets: int


class NodeOut(Schema):
    id: int
    parent_id: int | None
    name: str
    stage: str
    industry_code: str
    key_products: str
    depth: int
    is_gap: bool
    role: str
    enterprises: list[str]
    projects: list[int]
    targets: list[str]


class ChainMapOut(Schema):
    id: int
    name: str
    cluster: str
    nodes: list[NodeOut]


class ClaimIn(Schema):
    policy_id: int
    referrer: str
    claimed_on: dt.date | None = None
    investor_confirmation: str = ""
    zone_confirmation: str = ""
    invoices: list[str] = []


class AwardActionIn(Schema):
    reason: str = ""
    payment_reference: str = ""


class AwardOut(Schema):
    id: int
    project_id: int
    policy_id: int
    referrer: str
    claimed_on: dt.date
    funds_base: Decimal
    amount: Decimal
    status: str
    decided_on: dt.date | None
    paid_on: dt.date | None
    clawed_back_on: dt.date | None
    reason: str


def _page(qs, limit: int, offset: int):
    if limit < 1 or limit > MAX_PAGE or offset < 0:
        raise InvalidInput(f"分页参数不正确：limit 取 1–{MAX_PAGE}，offset 不小于 0。")
    return list(qs[offset : offset + limit])


def _user(zone_id: int, user_id: int | None):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise InvalidInput("指定的人员不存在。", fields={"officer_id": "人员不存在。"})
    return user


def _create(request, zone_id: int, payload: InvestmentProjectIn):
    _staff_read(request.user, zone_id=zone_id)
    park = Park.objects.filter(zone_id=zone_id, pk=payload.park_id).first()
    if park is None:
        raise InvalidInput("园区不存在或不属于本开发区。", fields={"park_id": "请选择本开发区的园区。"})
    node = None
    if payload.chain_node_id is not None:
        node = selectors.chain_nodes_of(zone_id).filter(pk=payload.chain_node_id).first()
        if node is None:
            raise InvalidInput("产业链环节不存在。", fields={"chain_node_id": "请选择本开发区的产业链环节。"})
    project = services.project_create(
        actor=request.user,
        zone_id=zone_id,
        name=payload.name,
        investor_name=payload.investor_name,
        industry_code=payload.industry_code,
        park=park,
        planned_investment=payload.planned_investment,
        is_key=payload.is_key,
        planned_start_year=payload.planned_start_year,
        officer=_user(zone_id, payload.officer_id),
        referrer=payload.referrer,
        chain_node=node,
        on=payload.on,
        note=payload.note,
    )
    return Status(201, selectors.projects_list(zone_id).get(pk=project.pk))


@router.get("/zones/{zone_id}/leads", response=list[InvestmentProjectOut], summary="客商线索（线索与洽谈阶段）")
def list_leads(request, zone_id: int, limit: Limit = 100, offset: Offset = 0):
    _staff_read(request.user, zone_id=zone_id)
    return _page(selectors.leads_list(zone_id), limit, offset)


@router.post("/zones/{zone_id}/leads", response={201: InvestmentProjectOut}, summary="登记客商线索")
def create_lead(request, zone_id: int, payload: InvestmentProjectIn):
    return _create(request, zone_id, payload)


@router.get("/zones/{zone_id}/projects", response=list[InvestmentProjectOut], summary="招商项目")
def list_projects(
    request,
    zone_id: int,
    stage: str | None = None,
    park_id: int | None = None,
    chain_id: int | None = None,
    officer_id: int | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    _staff_read(request.user, zone_id=zone_id)
    qs = selectors.projects_list(zone_id, stage=stage, park_id=park_id, chain_id=chain_id, officer_id=officer_id)
    return _page(qs, limit, offset)


@router.post(
    "/zones/{zone_id}/projects", response={201: InvestmentProjectOut}, summary="登记招商项目（从线索阶段开始）"
)
def create_project(request, zone_id: int, payload: InvestmentProjectIn):
    return _create(request, zone_id, payload)


@router.get("/zones/{zone_id}/projects/{project_id}", response=InvestmentProjectOut, summary="招商项目详情")
def get_project(request, zone_id: int, project_id: int):
    _staff_read(request.user, zone_id=zone_id)
    project = selectors.projects_list(zone_id).filter(pk=project_id).first()
    if project is None:
        raise NotFound("招商项目不存在，或不属于本开发区。")
    return project


@router.get(
    "/zones/{zone_id}/projects/{project_id}/stage-changes", response=list[StageChangeOut], summary="阶段变更记录"
)
def list_stage_changes(request, zone_id: int, project_id: int):
    _staff_read(request.user, zone_id=zone_id)
    return list(selectors.stage_changes_list(zone_id, project_id=project_id))


@router.post(
    "/zones/{zone_id}/projects/{project_id}/stage-changes", response={201: StageChangeOut}, summary="推进或终止项目"
)
def move_project(request, zone_id: int, project_id: int, payload: MoveIn):
    _staff_read(request.user, zone_id=zone_id)
    project = selectors.project_get(zone_id, project_id)
    change = services.project_move(
        actor=request.user,
        project=project,
        to_stage=payload.to_stage,
        on=payload.on,
        reason=payload.reason,
        expected_stage=payload.expected_stage,
    )
    return Status(201, change)


@router.get("/zones/{zone_id}/funds", response=list[FundsOut], summary="到位资金台账")
def list_funds(
    request,
    zone_id: int,
    project_id: int | None = None,
    year: Year | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    _staff_read(request.user, zone_id=zone_id)
    return _page(selectors.funds_entries_list(zone_id, project_id=project_id, year=year), limit, offset)


@router.post("/zones/{zone_id}/projects/{project_id}/funds", response={201: FundsOut}, summary="登记到位资金")
def record_funds(request, zone_id: int, project_id: int, payload: FundsIn):
    _staff_read(request.user, zone_id=zone_id)
    project = selectors.project_get(zone_id, project_id)
    entry = services.funds_receipt_record(actor=request.user, project=project, **payload.dict())
    return Status(201, entry)


@router.post("/zones/{zone_id}/funds/{entry_id}/corrections", response={201: FundsOut}, summary="更正到位资金分录")
def correct_funds(request, zone_id: int, entry_id: int, payload: CorrectionIn):
    _staff_read(request.user, zone_id=zone_id)
    entry = FundsEntry.objects.filter(zone_id=zone_id, pk=entry_id).first()
    if entry is None:
        raise NotFound("到位资金分录不存在。")
    return Status(201, services.funds_entry_correct(actor=request.user, entry=entry, **payload.dict()))


@router.get("/zones/{zone_id}/progress", response=list[ProgressOut], summary="月度完成投资")
def list_progress(
    request,
    zone_id: int,
    project_id: int | None = None,
    year: Year | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
):
    _staff_read(request.user, zone_id=zone_id)
    return _page(selectors.progress_list(zone_id, project_id=project_id, year=year), limit, offset)


@router.post("/zones/{zone_id}/projects/{project_id}/progress", response={201: ProgressOut}, summary="登记月度完成投资")
def record_progress(request, zone_id: int, project_id: int, payload: InvestmentProgressIn):
    _staff_read(request.user, zone_id=zone_id)
    project = selectors.project_get(zone_id, project_id)
    return Status(201, services.progress_record(actor=request.user, project=project, **payload.dict()))


@router.post(
    "/zones/{zone_id}/progress/{entry_id}/corrections", response={201: ProgressOut}, summary="更正月度完成投资"
)
def correct_progress(request, zone_id: int, entry_id: int, payload: CorrectionIn):
    _staff_read(request.user, zone_id=zone_id)
    entry = InvestmentProgress.objects.filter(zone_id=zone_id, pk=entry_id).first()
    if entry is None:
        raise NotFound("完成投资记录不存在。")
    return Status(201, services.progress_correct(actor=request.user, entry=entry, **payload.dict()))


@router.get(
    "/zones/{zone_id}/figures", response=InvestmentFiguresOut, summary="招商引资指标（按年度，可按园区/产业链/责任人）"
)
def figures(
    request,
    zone_id: int,
    year: Year,
    park_id: int | None = None,
    chain_id: int | None = None,
    officer_id: int | None = None,
):
    _staff_read(request.user, zone_id=zone_id)
    return selectors.investment_figures(
        zone_id=zone_id, year=year, park_id=park_id, chain_id=chain_id, officer_id=officer_id
    )


@router.get("/zones/{zone_id}/chains", response=list[ChainOut], summary="产业链")
def list_chains(request, zone_id: int):
    _staff_read(request.user, zone_id=zone_id)
    return [
        {
            "id": s.chain.pk,
            "name": s.chain.name,
            "cluster": s.chain.cluster,
            "nodes": s.nodes,
            "gaps": s.gaps,
            "enterprises": s.enterprises,
            "projects": s.projects,
            "targets": s.targets,
        }
        for s in selectors.chain_summaries(zone_id)
    ]


@router.get("/zones/{zone_id}/chains/{chain_id}", response=ChainMapOut, summary="产业链图谱（环节、缺链、项目、目标）")
def get_chain(request, zone_id: int, chain_id: int):
    _staff_read(request.user, zone_id=zone_id)
    m = selectors.chain_map(zone_id, chain_id)
    return {
        "id": m.chain.pk,
        "name": m.chain.name,
        "cluster": m.chain.cluster,
        "nodes": [
            {
                "id": n.node.pk,
                "parent_id": n.node.parent_id,
                "name": n.node.name,
                "stage": n.node.stage,
                "industry_code": n.node.industry_code,
                "key_products": n.node.key_products,
                "depth": n.depth,
                "is_gap": n.is_gap,
                "role": n.role,
                "enterprises": [e.name for e in n.enterprises],
                "projects": [p.pk for p in n.projects],
                "targets": [t.company for t in n.targets],
            }
            for n in m.nodes
        ],
    }


@router.get("/zones/{zone_id}/awards", response=list[AwardOut], summary="招商引资奖励")
def list_awards(request, zone_id: int, status: str | None = None, limit: Limit = 100, offset: Offset = 0):
    _staff_read(request.user, zone_id=zone_id)
    return _page(selectors.awards_list(zone_id, status=status), limit, offset)


@router.post("/zones/{zone_id}/projects/{project_id}/awards", response={201: AwardOut}, summary="登记奖励申领")
def claim_award(request, zone_id: int, project_id: int, payload: ClaimIn):
    # Who may claim is checked before the policy is looked up: a role that may not claim learns
    # nothing of which policies exist.
    require(request.user, zone_id=zone_id, roles=services.AWARD_CLAIMERS, action="登记奖励申领")
    project = selectors.project_get(zone_id, project_id)
    policy = RewardPolicy.objects.filter(zone_id=zone_id, pk=payload.policy_id).first()
    if policy is None:
        raise InvalidInput("奖励办法不存在。", fields={"policy_id": "请选择本开发区的奖励办法。"})
    data = payload.dict()
    data.pop("policy_id")
    return Status(201, services.award_claim(actor=request.user, project=project, policy=policy, **data))


@router.post("/zones/{zone_id}/awards/{award_id}/{action}", response=AwardOut, summary="审核、不予奖励、兑付或追回")
def act_on_award(request, zone_id: int, award_id: int, action: str, payload: AwardActionIn):
    _staff_read(request.user, zone_id=zone_id)
    award = RewardAward.objects.filter(zone_id=zone_id, pk=award_id).first()
    if award is None:
        raise NotFound("奖励记录不存在。")
    if action == "approve":
        return services.award_approve(actor=request.user, award=award)
    if action == "reject":
        return services.award_reject(actor=request.user, award=award, reason=payload.reason)
    if action == "pay":
        return services.award_pay(actor=request.user, award=award, payment_reference=payload.payment_reference)
    if action == "claw-back":
        return services.award_claw_back(actor=request.user, award=award, reason=payload.reason)
    raise NotFound("未知的操作：可用 approve、reject、pay、claw-back。")
