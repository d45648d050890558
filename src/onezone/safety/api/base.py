"""The safety base over the API: the GB 18218 grading, installations, the enterprise's records, hazards.

Enterprises' own systems report their records by token (an enterprise user's token acts for its own
enterprise only); safety staff read the zone and act on the hazards their body holds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema, Status

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import STAFF_ROLES
from onezone.safety import grading
from onezone.safety.models import Hazard, Installation, Responsible
from onezone.safety.selectors import base as selectors
from onezone.safety.services import base as services
from onezone.safety.services import base_common
from onezone.safety.services import base_hazards as hazard_services

router = Router(tags=["安全监管：重大危险源与双重预防"])


def _staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    require(request.user, zone_id=zone_id, roles=base_common.SAFETY_READ_ROLES, action="查看安全监管信息")


def _enterprise(request, zone_id: int, enterprise_id: int):
    """The enterprise, if the caller is safety staff of the zone or one of its users (else not found)."""
    from onezone.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(zone_id=zone_id, enterprise_id=enterprise_id)
    if roles_in(request.user, zone_id) & base_common.SAFETY_READ_ROLES:
        return enterprise
    if base_common.is_enterprise_user_of(request.user, enterprise):
        return enterprise
    raise NotFound("没有找到该企业，或您无权查看。")


def _own_enterprise_id(request, zone_id: int) -> int | None:
    """None for safety staff (the whole zone); the caller's enterprise for an enterprise user."""
    roles = roles_in(request.user, zone_id)
    if roles & base_common.SAFETY_READ_ROLES:
        return None
    if roles & STAFF_ROLES:
        raise PermissionDenied("查看安全监管信息需要安全监管人员、部门负责人、管委会领导或系统管理员角色。")
    from onezone.enterprises.selectors import enterprise_of_user

    enterprise = enterprise_of_user(request.user, zone_id=zone_id)
    if enterprise is None:
        raise NotFound("您的账号没有关联本开发区的企业。")
    return enterprise.pk


class SubstanceIn(Schema):
    name: str
    quantity_t: Decimal
    category: str = ""


class GradeIn(Schema):
    substances: list[SubstanceIn]
    people_exposed: int = 0


class GradeOut(Schema):
    s: float
    r: float
    major: bool
    level: int | None
    steps: list[str]


def _grade_out(g: grading.Grading) -> dict[str, Any]:
    return {
        "s": grading.as_figure(g.s),
        "r": grading.as_figure(g.r),
        "major": g.major,
        "level": g.level,
        "steps": list(g.steps),
    }


@router.post("/hazard-grade", response=GradeOut, summary="重大危险源辨识与分级（GB 18218-2018）")
def hazard_grade(request, payload: GradeIn):
    if len(payload.substances) > grading.MAX_SUBSTANCES:
        raise InvalidInput(f"一个单元最多填写{grading.MAX_SUBSTANCES}种物质。", fields={"substances": "物质过多。"})
    result = services.installation_grade(
        substances=[s.dict() for s in payload.substances], people_exposed=payload.people_exposed
    )
    return _grade_out(result)


class InstallationOut(Schema):
    id: int
    name: str
    kind_label: str
    enterprise_id: int
    enterprise_name: str
    s_value: Decimal
    r_value: Decimal
    major: bool
    level: int | None
    level_name: str
    people_exposed: int
    substances: str


class InstallationIn(Schema):
    enterprise_id: int
    name: str
    kind: str
    substances: list[SubstanceIn]
    people_exposed: int = 0
    x_m: Decimal | None = None
    y_m: Decimal | None = None
    record_number: str = ""


@router.get("/zones/{zone_id}/installations", response=list[InstallationOut], summary="危险化学品单元及其分级")
def list_installations(request, zone_id: int, level: int | None = None, major: bool | None = None):
    enterprise_id = _own_enterprise_id(request, zone_id)
    if level is not None and level not in (1, 2, 3, 4):
        raise InvalidInput("等级应为1到4。", fields={"level": "等级应为1到4。"})
    return selectors.installations_list(zone_id=zone_id, level=level, major=major, enterprise_id=enterprise_id)


@router.post("/zones/{zone_id}/installations", response={201: GradeOut}, summary="登记危险化学品单元（自动辨识分级）")
def save_installation(request, zone_id: int, payload: InstallationIn):
    enterprise = _enterprise(request, zone_id, payload.enterprise_id)
    existing = Installation.objects.filter(zone_id=zone_id, enterprise=enterprise, name=payload.name.strip()).first()
    saved = services.installation_save(
        actor=request.user,
        enterprise=enterprise,
        name=payload.name,
        kind=payload.kind,
        substances=[s.dict() for s in payload.substances],
        people_exposed=payload.people_exposed,
        x_m=payload.x_m,
        y_m=payload.y_m,
        record_number=payload.record_number,
        installation=existing,
    )
    return Status(201, _grade_out(services.installation_grading(saved)))


class EnterpriseSafetyOut(Schema):
    enterprise_id: int
    enterprise_name: str
    hazardous_chemicals: bool
    x_m: Decimal | None
    y_m: Decimal | None
    processes: list[str]
    licences: list[dict[str, Any]]
    installations: list[InstallationOut]
    risk_points: list[dict[str, Any]]
    open_hazards: list[dict[str, Any]]


@router.get(
    "/zones/{zone_id}/enterprises/{enterprise_id}/safety", response=EnterpriseSafetyOut, summary="企业安全基础信息"
)
def enterprise_safety(request, zone_id: int, enterprise_id: int):
    _enterprise(request, zone_id, enterprise_id)
    base = selectors.enterprise_safety(zone_id=zone_id, enterprise_id=enterprise_id, today=base_common.today())
    return {
        "enterprise_id": base.enterprise_id,
        "enterprise_name": base.enterprise_name,
        "hazardous_chemicals": bool(base.profile and base.profile.hazardous_chemicals),
        "x_m": base.profile.x_m if base.profile else None,
        "y_m": base.profile.y_m if base.profile else None,
        "processes": base.processes,
        "licences": [vars(row) for row in base.licences],
        "installations": base.installations,
        "risk_points": [vars(row) for row in base.risk_points],
        "open_hazards": [vars(row) for row in base.open_hazards],
    }


class ProfileIn(Schema):
    hazardous_chemicals: bool
    x_m: Decimal | None = None
    y_m: Decimal | None = None
    safety_manager: str = ""
    safety_phone: str = ""


class Saved(Schema):
    id: int


@router.put("/zones/{zone_id}/enterprises/{enterprise_id}/profile", response=Saved, summary="企业安全档案")
def save_profile(request, zone_id: int, enterprise_id: int, payload: ProfileIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    return {"id": services.profile_save(actor=request.user, enterprise=enterprise, **payload.dict()).pk}


class ProcessesIn(Schema):
    processes: list[str]
    unit: str = ""


@router.put(
    "/zones/{zone_id}/enterprises/{enterprise_id}/processes", response=list[str], summary="重点监管危险化工工艺"
)
def set_processes(request, zone_id: int, enterprise_id: int, payload: ProcessesIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    rows = services.processes_set(
        actor=request.user, enterprise=enterprise, processes=payload.processes, unit=payload.unit
    )
    return [row.process for row in rows]


class LicenceIn(Schema):
    kind: str
    number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    scope: str = ""


@router.post("/zones/{zone_id}/enterprises/{enterprise_id}/licences", response={201: Saved}, summary="危险化学品许可证")
def add_licence(request, zone_id: int, enterprise_id: int, payload: LicenceIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    return Status(201, {"id": services.licence_save(actor=request.user, enterprise=enterprise, **payload.dict()).pk})


class ChemicalIn(Schema):
    name: str
    max_quantity_t: Decimal
    cas: str = ""


@router.put("/zones/{zone_id}/enterprises/{enterprise_id}/chemicals", response=Saved, summary="危险化学品及最大存在量")
def save_chemical(request, zone_id: int, enterprise_id: int, payload: ChemicalIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    return {"id": services.chemical_save(actor=request.user, enterprise=enterprise, **payload.dict()).pk}


class FilingIn(Schema):
    kind: str
    unit: str
    starts_on: dt.date
    ends_on: dt.date
    measures: str


@router.post(
    "/zones/{zone_id}/enterprises/{enterprise_id}/filings", response={201: Saved}, summary="开停车和大检修备案"
)
def add_filing(request, zone_id: int, enterprise_id: int, payload: FilingIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    return Status(201, {"id": services.filing_submit(actor=request.user, enterprise=enterprise, **payload.dict()).pk})


class ContractorIn(Schema):
    name: str
    work: str
    workers: int
    on_site_from: dt.date
    on_site_to: dt.date | None = None


@router.post("/zones/{zone_id}/enterprises/{enterprise_id}/contractors", response={201: Saved}, summary="进场承包商")
def add_contractor(request, zone_id: int, enterprise_id: int, payload: ContractorIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    return Status(201, {"id": services.contractor_save(actor=request.user, enterprise=enterprise, **payload.dict()).pk})


class RiskPointIn(Schema):
    name: str
    level: str
    controls: str
    owner: str
    installation_id: int | None = None


def _installation(zone_id: int, installation_id: int | None, enterprise=None):
    if installation_id is None:
        return None
    qs = Installation.objects.filter(zone_id=zone_id, pk=installation_id).select_related("enterprise")
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    found = qs.first()
    if found is None:
        raise NotFound("没有找到该危险化学品单元。")
    return found


@router.post("/zones/{zone_id}/enterprises/{enterprise_id}/risk-points", response={201: Saved}, summary="安全风险点")
def add_risk_point(request, zone_id: int, enterprise_id: int, payload: RiskPointIn):
    enterprise = _enterprise(request, zone_id, enterprise_id)
    data = payload.dict()
    installation = _installation(zone_id, data.pop("installation_id"), enterprise)
    row = services.risk_point_save(actor=request.user, enterprise=enterprise, installation=installation, **data)
    return Status(201, {"id": row.pk})


class RiskPointOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    name: str
    level: str
    level_label: str
    colour: str
    installation_name: str
    controls: str
    owner: str


@router.get("/zones/{zone_id}/risk-points", response=list[RiskPointOut], summary="安全风险点（四色）")
def list_risk_points(request, zone_id: int, level: str | None = None):
    enterprise_id = _own_enterprise_id(request, zone_id)
    return selectors.risk_points_list(zone_id=zone_id, level=level, enterprise_id=enterprise_id)


class ResponsibleIn(Schema):
    duty: str
    name: str
    post: str
    phone: str


@router.put("/zones/{zone_id}/installations/{installation_id}/responsibles", response=Saved, summary="包保责任人")
def save_responsible(request, zone_id: int, installation_id: int, payload: ResponsibleIn):
    installation = _installation(zone_id, installation_id)
    _enterprise(request, zone_id, installation.enterprise_id)
    return {"id": services.responsible_save(actor=request.user, installation=installation, **payload.dict()).pk}


class CheckIn(Schema):
    checked_on: dt.date
    findings: str
    kind: str = "periodic"
    holiday: str = ""


@router.post("/zones/{zone_id}/responsibles/{responsible_id}/checks", response={201: Saved}, summary="包保责任人检查")
def add_check(request, zone_id: int, responsible_id: int, payload: CheckIn):
    responsible = (
        Responsible.objects.filter(zone_id=zone_id, pk=responsible_id)
        .select_related("installation__enterprise")
        .first()
    )
    if responsible is None:
        raise NotFound("没有找到该包保责任人。")
    _enterprise(request, zone_id, responsible.installation.enterprise_id)
    row = services.responsibility_check_record(actor=request.user, responsible=responsible, **payload.dict())
    return Status(201, {"id": row.pk})


class HazardOut(Schema):
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
    days_left: int
    overdue: bool
    supervised: bool


class HazardPageOut(Schema):
    items: list[HazardOut]
    total: int
    page: int
    pages: int


@router.get("/zones/{zone_id}/hazards", response=HazardPageOut, summary="事故隐患（企业用户只见本企业）")
def list_hazards(
    request,
    zone_id: int,
    status: str | None = None,
    level: str | None = None,
    overdue: bool = False,
    page: int = 1,
    per_page: int = 50,
):
    enterprise_id = _own_enterprise_id(request, zone_id)
    result = selectors.hazards_page(
        zone_id=zone_id,
        today=base_common.today(),
        status=status,
        level=level,
        overdue=overdue,
        enterprise_id=enterprise_id,
        page=page,
        per_page=per_page,
    )
    return {"items": result.rows, "total": result.total, "page": result.page, "pages": result.pages}


class HazardIn(Schema):
    enterprise_id: int
    title: str
    description: str
    level: str
    found_on: dt.date
    deadline: dt.date
    source: str | None = None
    body_id: int | None = None
    installation_id: int | None = None
    inspection_id: int | None = None


def _body(zone_id: int, body_id: int | None):
    if body_id is None:
        return None
    from onezone.org.models import Body

    body = Body.objects.filter(zone_id=zone_id, pk=body_id).first()
    if body is None:
        raise InvalidInput("所选机构不属于本开发区。", fields={"body_id": "所选机构不属于本开发区。"})
    return body


@router.post("/zones/{zone_id}/hazards", response={201: HazardOut}, summary="上报或登记事故隐患")
def report_hazard(request, zone_id: int, payload: HazardIn):
    enterprise = _enterprise(request, zone_id, payload.enterprise_id)
    inspection = None
    if payload.inspection_id is not None:
        from onezone.enterprises.models import Inspection

        inspection = Inspection.objects.filter(zone_id=zone_id, pk=payload.inspection_id).first()
    hazard = hazard_services.hazard_report(
        actor=request.user,
        enterprise=enterprise,
        title=payload.title,
        description=payload.description,
        level=payload.level,
        found_on=payload.found_on,
        deadline=payload.deadline,
        source=payload.source,
        body=_body(zone_id, payload.body_id),
        installation=_installation(zone_id, payload.installation_id, enterprise),
        inspection=inspection,
    )
    return Status(201, _hazard_row(request, zone_id, hazard.pk))


def _hazard(request, zone_id: int, hazard_id: int) -> Hazard:
    enterprise_id = _own_enterprise_id(request, zone_id)
    qs = Hazard.objects.filter(zone_id=zone_id, pk=hazard_id).select_related("enterprise", "body")
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    hazard = qs.first()
    if hazard is None:
        raise NotFound("没有找到该隐患，或您无权查看。")
    return hazard


def _hazard_row(request, zone_id: int, hazard_id: int):
    return selectors.hazard_detail(
        zone_id=zone_id,
        hazard_id=hazard_id,
        today=base_common.today(),
        enterprise_id=_own_enterprise_id(request, zone_id),
    ).row


@router.get("/zones/{zone_id}/hazards/{hazard_id}", response=HazardOut, summary="一项隐患")
def get_hazard(request, zone_id: int, hazard_id: int):
    return _hazard_row(request, zone_id, hazard_id)


class TransitionIn(Schema):
    action: str
    note: str = ""
    on: dt.date | None = None
    body_id: int | None = None
    deadline: dt.date | None = None


@router.post(
    "/zones/{zone_id}/hazards/{hazard_id}/transition", response=HazardOut, summary="隐患办理（交办、整改、验收、退回）"
)
def transition_hazard(request, zone_id: int, hazard_id: int, payload: TransitionIn):
    hazard = _hazard(request, zone_id, hazard_id)
    hazard_services.hazard_transition(
        actor=request.user,
        hazard=hazard,
        action=payload.action,
        note=payload.note,
        on=payload.on,
        body=_body(zone_id, payload.body_id),
        deadline=payload.deadline,
    )
    return _hazard_row(request, zone_id, hazard_id)


class PlanIn(Schema):
    goal: str
    measures: str
    funds: Decimal
    responsible: str
    time_limit: dt.date
    safety_measures: str
    contingency: str
    materials: str = ""


@router.put("/zones/{zone_id}/hazards/{hazard_id}/plan", response=Saved, summary="重大事故隐患治理方案（五落实）")
def save_plan(request, zone_id: int, hazard_id: int, payload: PlanIn):
    hazard = _hazard(request, zone_id, hazard_id)
    return {"id": hazard_services.hazard_plan_save(actor=request.user, hazard=hazard, **payload.dict()).pk}


class SuperviseIn(Schema):
    body_id: int
    leader: str
    started_on: dt.date
    document: str = ""


@router.post("/zones/{zone_id}/hazards/{hazard_id}/supervision", response={201: Saved}, summary="挂牌督办重大事故隐患")
def supervise(request, zone_id: int, hazard_id: int, payload: SuperviseIn):
    hazard = _hazard(request, zone_id, hazard_id)
    row = hazard_services.hazard_supervise(
        actor=request.user,
        hazard=hazard,
        body=_body(zone_id, payload.body_id),
        leader=payload.leader,
        started_on=payload.started_on,
        document=payload.document,
    )
    return Status(201, {"id": row.pk})


class FiguresOut(Schema):
    major_installations: dict[int, int]
    major_total: int
    open_hazards: dict[str, int]
    open_total: int
    overdue: int
    supervised: int
    licences_expiring: int
    checks_overdue: int


@router.get("/zones/{zone_id}/base-figures", response=FiguresOut, summary="重大危险源与隐患统计")
def figures(request, zone_id: int):
    _staff(request, zone_id)
    return selectors.safety_figures(zone_id=zone_id, today=base_common.today())
