"""Special work, closed management, emergency and the park's risk level over the API.

Enterprises' systems report by machine (special work, plans, drills, incidents) for their own enterprise
only; the park's staff read the zone's records and supervisors act on them. Every write calls a service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from onezone.core.api_types import Id, Limit, Year
from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import Role
from onezone.safety.models import EmergencyPlan, SpecialWork
from onezone.safety.selectors import operations as selectors
from onezone.safety.services import operations as services
from onezone.safety.services import operations_emergency as emergency
from onezone.safety.services.operations_access import VIEW_ROLES

router = Router(tags=["安全监管与应急"])


def _own_enterprise(request, zone_id: int) -> Any:
    """None for staff of the zone; the user's enterprise for an enterprise user; else refused."""
    require_read(request.user, zone_id=zone_id)
    if roles_in(request.user, zone_id) & VIEW_ROLES:
        return None
    from onezone.enterprises.selectors import enterprise_of_user

    enterprise = enterprise_of_user(request.user, zone_id=zone_id)
    if enterprise is None or Role.ENTERPRISE not in roles_in(request.user, zone_id):
        raise PermissionDenied("您的账号没有关联本开发区的企业，不能报备或查看安全生产记录。")
    return enterprise


def _enterprise_for(request, zone_id: int, enterprise_id: int | None) -> Any:
    """The enterprise a report is for: the user's own, or the one a member of staff names."""
    own = _own_enterprise(request, zone_id)
    if own is not None:
        if enterprise_id not in (None, own.pk):
            raise NotFound("没有找到该企业，或您无权为其报备。")
        return own
    if enterprise_id is None:
        raise InvalidInput("代企业报备时请指定企业。", fields={"enterprise_id": "请指定企业。"})
    from onezone.enterprises.selectors import enterprise_get

    return enterprise_get(zone_id=zone_id, enterprise_id=enterprise_id)


def _staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    require(request.user, zone_id=zone_id, roles=VIEW_ROLES, action="查看安全监管数据")


# --- special work -----------------------------------------------------------------------------


class SpecialWorkIn(Schema):
    enterprise_id: Id | None = None
    kind: str = Field(
        description="hot 动火、confined 受限空间、blind_plate 盲板抽堵、height 高处、lifting 吊装、"
        "electricity 临时用电、excavation 动土、road_breaking 断路"
    )
    level: str = Field("", description="动火作业：special 特级、first 一级、second 二级；其他作业为空")
    permit_number: str = Field(max_length=50)
    place: str = Field(max_length=200)
    content: str = Field(max_length=500)
    starts_at: dt.datetime
    ends_at: dt.datetime
    guardians: str = Field(max_length=200)
    approver: str = Field(max_length=50)
    installation_id: Id | None = None
    x_m: Decimal | None = Field(None, ge=-99999, le=99999, max_digits=9, decimal_places=1)
    y_m: Decimal | None = Field(None, ge=-99999, le=99999, max_digits=9, decimal_places=1)
    extension_approved: bool = False


class SpotCheckOut(Schema):
    id: int
    result: str
    findings: str
    checked_at: dt.datetime
    body_name: str
    hazard_id: int | None

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.body.name


class SpecialWorkOut(Schema):
    id: int
    number: str
    enterprise_id: int
    enterprise_name: str
    kind: str
    level: str
    managed_level: str
    permit_number: str
    place: str
    content: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    guardians: str
    approver: str
    at_night: bool
    on_rest_day: bool
    status: str

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name


class SpecialWorkDetailOut(SpecialWorkOut):
    checks: list[SpotCheckOut]

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.checks.all())


class WorkStepIn(Schema):
    note: str = Field("", max_length=200)


class SpotCheckIn(Schema):
    result: str = Field(description="pass 合格、fail 不合格")
    findings: str = Field("", max_length=1000)
    as_hazard: bool = False


@router.post("/zones/{zone_id}/special-work", response={201: SpecialWorkOut}, summary="报备特殊作业（GB 30871-2022）")
def file_special_work(request, zone_id: int, payload: SpecialWorkIn):
    enterprise = _enterprise_for(request, zone_id, payload.enterprise_id)
    data = payload.dict(exclude={"enterprise_id", "installation_id"})
    installation = None
    if payload.installation_id is not None:
        from onezone.safety.models import Installation

        installation = Installation.objects.filter(zone_id=zone_id, pk=payload.installation_id).first()
        if installation is None:
            raise InvalidInput("所选单元不存在。", fields={"installation_id": "所选单元不存在。"})
    work = services.special_work_file(actor=request.user, enterprise=enterprise, installation=installation, **data)
    return Status(201, work)


@router.get("/zones/{zone_id}/special-work", response=list[SpecialWorkOut], summary="特殊作业报备（企业只看本企业）")
def list_special_work(request, zone_id: int, status: str | None = None, limit: Limit = 100):
    own = _own_enterprise(request, zone_id)
    return selectors.works_list(
        zone_id=zone_id, enterprise_id=own.pk if own else None, status=status or None, limit=limit
    )


@router.get("/zones/{zone_id}/special-work/today", response=list[SpecialWorkOut], summary="今日特殊作业（员工）")
def today_special_work(request, zone_id: int, day: dt.date | None = None):
    _staff(request, zone_id)
    return selectors.works_on(zone_id=zone_id, day=day or timezone.localdate())


def _work(request, zone_id: int, work_id: int) -> SpecialWork:
    own = _own_enterprise(request, zone_id)
    return selectors.work_get(zone_id=zone_id, work_id=work_id, enterprise_id=own.pk if own else None)


@router.get("/zones/{zone_id}/special-work/{work_id}", response=SpecialWorkDetailOut, summary="特殊作业报备详情与抽查")
def get_special_work(request, zone_id: int, work_id: int):
    return _work(request, zone_id, work_id)


@router.post("/zones/{zone_id}/special-work/{work_id}/close", response=SpecialWorkOut, summary="特殊作业完工关闭")
def close_special_work(request, zone_id: int, work_id: int, payload: WorkStepIn):
    return services.special_work_close(actor=request.user, work=_work(request, zone_id, work_id), note=payload.note)


@router.post("/zones/{zone_id}/special-work/{work_id}/cancel", response=SpecialWorkOut, summary="取消特殊作业")
def cancel_special_work(request, zone_id: int, work_id: int, payload: WorkStepIn):
    return services.special_work_cancel(actor=request.user, work=_work(request, zone_id, work_id), reason=payload.note)


@router.post(
    "/zones/{zone_id}/special-work/{work_id}/spot-checks", response={201: SpotCheckOut}, summary="在线抽查（园区）"
)
def spot_check(request, zone_id: int, work_id: int, payload: SpotCheckIn):
    _staff(request, zone_id)
    work = selectors.work_get(zone_id=zone_id, work_id=work_id)
    return Status(201, services.special_work_spot_check(actor=request.user, work=work, **payload.dict()))


# --- closed management ------------------------------------------------------------------------


class StayOut(Schema):
    plate: str
    driver: str
    chemical: str
    un_number: str
    quantity_t: Decimal | None
    entered_at: dt.datetime
    entry_gate: str
    parking_area: str
    hours: float
    overstay: bool


class OccupancyOut(Schema):
    code: str
    name: str
    capacity: int
    used: int
    rate: int


@router.get("/zones/{zone_id}/hazmat-vehicles", response=list[StayOut], summary="在园危化品车辆（员工）")
def hazmat_vehicles(request, zone_id: int):
    _staff(request, zone_id)
    return [
        {
            "plate": r.stay.plate,
            "driver": r.stay.driver,
            "chemical": r.stay.chemical,
            "un_number": r.stay.un_number,
            "quantity_t": r.stay.quantity_t,
            "entered_at": r.stay.entered_at,
            "entry_gate": r.stay.entry_gate.name,
            "parking_area": r.stay.parking_area.name if r.stay.parking_area else "",
            "hours": r.hours,
            "overstay": r.overstay,
        }
        for r in selectors.hazmat_inside(zone_id=zone_id, now=timezone.now())
    ]


@router.get("/zones/{zone_id}/parking", response=list[OccupancyOut], summary="危化品停车场占用（员工）")
def parking(request, zone_id: int):
    _staff(request, zone_id)
    return [
        {
            "code": o["area"].code,
            "name": o["area"].name,
            "capacity": o["capacity"],
            "used": o["used"],
            "rate": o["rate"],
        }
        for o in selectors.parking_occupancy(zone_id=zone_id)
    ]


# --- emergency --------------------------------------------------------------------------------


class EmergencyPlanIn(Schema):
    enterprise_id: Id | None = None
    title: str = Field(max_length=200)
    kind: str = Field(description="comprehensive 综合、specific 专项、on_site 现场处置方案")
    version: str = Field(max_length=20)
    issued_on: dt.date
    revised_on: dt.date | None = None
    drill_every_months: int | None = Field(None, ge=1, le=36)


class PlanOut(Schema):
    id: int
    enterprise_id: int | None
    title: str
    kind: str
    version: str
    issued_on: dt.date
    revised_on: dt.date
    drill_every_months: int


class PlanStatusOut(Schema):
    plan: PlanOut
    review_due: dt.date
    stale: bool
    last_drill: dt.date | None
    drill_due: dt.date
    drill_overdue: bool


class DrillIn(Schema):
    held_on: dt.date
    form: str = Field(description="tabletop 桌面推演、live 实战演练")
    participants: int = Field(ge=1, le=100_000)
    summary: str = Field(max_length=1000)


class DrillOut(Schema):
    id: int
    plan_id: int
    held_on: dt.date
    form: str
    participants: int
    summary: str


class IncidentIn(Schema):
    enterprise_id: Id | None = None
    title: str = Field(max_length=200)
    place: str = Field(max_length=200)
    occurred_at: dt.datetime
    reported_at: dt.datetime | None = None
    deaths: int = Field(0, ge=0, le=10_000)
    injuries: int = Field(0, ge=0, le=10_000)
    missing: int = Field(0, ge=0, le=10_000)
    cause: str = Field(max_length=1000)
    measures: str = Field("", max_length=1000)


class IncidentOut(Schema):
    id: int
    number: str
    enterprise_id: int
    title: str
    place: str
    occurred_at: dt.datetime
    reported_at: dt.datetime
    deaths: int
    injuries: int
    missing: int
    cause: str


class IncidentRowOut(Schema):
    incident: IncidentOut
    delay_minutes: int
    late: bool


class DutyOut(Schema):
    on: dt.date
    post: str
    name: str
    phone: str


@router.post("/zones/{zone_id}/plans", response={201: PlanOut}, summary="报备应急预案（企业预案或园区预案）")
def file_plan(request, zone_id: int, payload: EmergencyPlanIn):
    enterprise = _own_enterprise(request, zone_id)
    if payload.enterprise_id is not None:  # an enterprise user naming another enterprise is refused
        enterprise = _enterprise_for(request, zone_id, payload.enterprise_id)
    data = payload.dict(exclude={"enterprise_id"})
    return Status(
        201, emergency.emergency_plan_file(actor=request.user, zone_id=zone_id, enterprise=enterprise, **data)
    )


@router.get("/zones/{zone_id}/plans", response=list[PlanStatusOut], summary="应急预案及其修订、演练期限")
def list_plans(request, zone_id: int):
    own = _own_enterprise(request, zone_id)
    return selectors.plans_status(zone_id=zone_id, today=timezone.localdate(), enterprise_id=own.pk if own else None)


@router.post("/zones/{zone_id}/plans/{plan_id}/drills", response={201: DrillOut}, summary="登记应急演练")
def record_drill(request, zone_id: int, plan_id: int, payload: DrillIn):
    own = _own_enterprise(request, zone_id)
    plans = EmergencyPlan.objects.filter(zone_id=zone_id, pk=plan_id)
    if own is not None:
        plans = plans.filter(enterprise=own)
    plan = plans.select_related("enterprise").first()
    if plan is None:
        raise NotFound("没有找到该应急预案。")
    return Status(201, emergency.drill_record(actor=request.user, plan=plan, **payload.dict()))


@router.get("/zones/{zone_id}/drills", response=list[DrillOut], summary="应急演练记录")
def list_drills(request, zone_id: int, limit: Limit = 50):
    own = _own_enterprise(request, zone_id)
    return selectors.drills_of(zone_id=zone_id, enterprise_id=own.pk if own else None, limit=limit)


@router.post("/zones/{zone_id}/incidents", response={201: IncidentOut}, summary="事故快报")
def report_incident(request, zone_id: int, payload: IncidentIn):
    enterprise = _enterprise_for(request, zone_id, payload.enterprise_id)
    data = payload.dict(exclude={"enterprise_id"})
    return Status(201, emergency.incident_report(actor=request.user, enterprise=enterprise, **data))


@router.get("/zones/{zone_id}/incidents", response=list[IncidentRowOut], summary="事故快报（含报告用时）")
def list_incidents(request, zone_id: int, limit: Limit = 50):
    own = _own_enterprise(request, zone_id)
    return selectors.incidents_of(zone_id=zone_id, enterprise_id=own.pk if own else None, limit=limit)


@router.get("/zones/{zone_id}/duty", response=list[DutyOut], summary="应急值班（按日期）")
def duty(request, zone_id: int, day: dt.date | None = None):
    _staff(request, zone_id)
    return selectors.duty_on(zone_id=zone_id, day=day or timezone.localdate())


# --- the park's risk level --------------------------------------------------------------------


class RiskItemIn(Schema):
    code: str = Field(max_length=16)
    name: str = Field(max_length=100)
    full: Decimal = Field(gt=0, le=100, max_digits=5, decimal_places=2)
    score: Decimal = Field(ge=0, le=100, max_digits=5, decimal_places=2)


class RiskAssessmentIn(Schema):
    park_id: Id
    year: Year
    items: list[RiskItemIn] = Field(max_length=200)


class RiskAssessmentOut(Schema):
    id: int
    park_id: int
    year: int
    total: Decimal
    level: str
    reviewed_level: str
    reviewed_on: dt.date | None
    review_document: str


@router.get("/zones/{zone_id}/risk-assessments", response=list[RiskAssessmentOut], summary="园区安全风险评估（历年）")
def list_risk(request, zone_id: int):
    _staff(request, zone_id)
    return selectors.risk_history(zone_id=zone_id)


@router.post("/zones/{zone_id}/risk-assessments", response={201: RiskAssessmentOut}, summary="登记园区自评")
def submit_risk(request, zone_id: int, payload: RiskAssessmentIn):
    from onezone.zones.models import Park

    require_read(request.user, zone_id=zone_id)
    park = Park.objects.filter(zone_id=zone_id, pk=payload.park_id).first()
    if park is None:
        raise InvalidInput("园区不属于本开发区。", fields={"park_id": "园区不属于本开发区。"})
    items = [i.dict() for i in payload.items]
    return Status(201, services.risk_assessment_submit(actor=request.user, park=park, year=payload.year, items=items))


class OperationsFiguresOut(Schema):
    work_today: int
    work_in_progress: int
    special_hot_today: int
    night_today: int
    hazmat_inside: int
    overstaying: int
    plans_stale: int
    drills_overdue: int
    incidents_year: int


@router.get(
    "/zones/{zone_id}/operations-figures", response=OperationsFiguresOut, summary="特殊作业、封闭化管理与应急的今日数字"
)
def figures(request, zone_id: int):
    _staff(request, zone_id)
    return selectors.ops_figures(zone_id=zone_id, today=timezone.localdate(), now=timezone.now())
