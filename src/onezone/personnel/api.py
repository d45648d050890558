"""Personnel over the API, for HR only: contracts, cycles, appraisals, payroll runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from onezone.core.permissions import require
from onezone.org.models import Body, Person, Post
from onezone.personnel.models import Appraisal, AppraisalCycle, EmploymentContract, PayrollRun
from onezone.personnel.selectors import appraisals_of, contracts_of, cycles_of, payroll_runs_of
from onezone.personnel.services import (
    HR_ROLES,
    contract_activate,
    contract_create,
    contract_renew,
    contract_terminate,
    cycle_close,
    payroll_run_approve,
    payroll_run_create,
    payroll_run_open,
    payroll_run_pay,
    ratings_record,
)

router = Router(tags=["人事薪酬"])


def _hr(request, zone_id: int) -> None:
    require(request.user, zone_id=zone_id, roles=HR_ROLES, action="人事薪酬接口")


class ContractOut(Schema):
    id: int
    number: str
    person_id: int
    person_name: str
    post_id: int
    post: str
    term_type: str
    start: dt.date
    end: dt.date | None
    probation_months: int
    status: str
    previous_id: int | None
    terminated_on: dt.date | None
    termination_reason: str
    review_flag: bool
    review_reason: str

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_post(obj) -> str:
        return str(obj.post)


class PersonnelContractIn(Schema):
    person_id: int
    post_id: int
    number: str
    term_type: str = EmploymentContract.TermType.FIXED
    start: dt.date
    end: dt.date | None = None
    probation_months: int = 0


class RenewIn(Schema):
    number: str
    end: dt.date | None = None
    term_type: str | None = None


class TerminateIn(Schema):
    on: dt.date
    reason: str


@router.get("/zones/{zone_id}/contracts", response=list[ContractOut], summary="聘用合同")
def list_contracts(request, zone_id: int, status: str = ""):
    _hr(request, zone_id)
    return list(contracts_of(zone_id, status=status or None))


@router.post("/zones/{zone_id}/contracts", response={201: ContractOut}, summary="草拟聘用合同")
def create_contract(request, zone_id: int, payload: PersonnelContractIn):
    _hr(request, zone_id)
    person = get_object_or_404(Person, pk=payload.person_id, zone_id=zone_id)
    post = get_object_or_404(Post, pk=payload.post_id, zone_id=zone_id)
    data = payload.dict(exclude={"person_id", "post_id"})
    return Status(201, contract_create(actor=request.user, person=person, post=post, **data))


def _contract(zone_id: int, contract_id: int) -> EmploymentContract:
    return get_object_or_404(
        EmploymentContract.objects.select_related("person", "post__body"), pk=contract_id, zone_id=zone_id
    )


@router.post("/zones/{zone_id}/contracts/{contract_id}/activate", response=ContractOut, summary="签订合同（生效）")
def activate_contract(request, zone_id: int, contract_id: int):
    _hr(request, zone_id)
    return contract_activate(actor=request.user, contract=_contract(zone_id, contract_id))


@router.post("/zones/{zone_id}/contracts/{contract_id}/renew", response=ContractOut, summary="续订合同")
def renew_contract(request, zone_id: int, contract_id: int, payload: RenewIn):
    _hr(request, zone_id)
    return contract_renew(actor=request.user, contract=_contract(zone_id, contract_id), **payload.dict())


@router.post("/zones/{zone_id}/contracts/{contract_id}/terminate", response=ContractOut, summary="解除合同")
def terminate_contract(request, zone_id: int, contract_id: int, payload: TerminateIn):
    _hr(request, zone_id)
    return contract_terminate(actor=request.user, contract=_contract(zone_id, contract_id), **payload.dict())


class CycleOut(Schema):
    id: int
    name: str
    period: str
    start: dt.date
    end: dt.date
    final_formula: str
    status: str
    excellent_quota_percent: Decimal | None


class AppraisalOut(Schema):
    id: int
    person_id: int
    person_name: str
    body_name: str
    category: str
    scheme_name: str
    self_score: Decimal | None
    leader_score: Decimal | None
    peer_score: Decimal | None
    final_score: Decimal | None
    grade: str
    quota_demoted: bool

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.body.name

    @staticmethod
    def resolve_scheme_name(obj) -> str:
        return obj.scheme.name


class RatingIn(Schema):
    indicator_id: int
    kind: str
    score: Decimal | None
    rater_id: int | None = None


@router.get("/zones/{zone_id}/cycles", response=list[CycleOut], summary="考核周期")
def list_cycles(request, zone_id: int):
    _hr(request, zone_id)
    return list(cycles_of(zone_id))


@router.get("/zones/{zone_id}/cycles/{cycle_id}/appraisals", response=list[AppraisalOut], summary="考核结果")
def list_appraisals(request, zone_id: int, cycle_id: int):
    _hr(request, zone_id)
    cycle = get_object_or_404(AppraisalCycle, pk=cycle_id, zone_id=zone_id)
    return list(appraisals_of(cycle))


@router.post("/zones/{zone_id}/appraisals/{appraisal_id}/ratings", response=AppraisalOut, summary="录入评分")
def rate(request, zone_id: int, appraisal_id: int, payload: list[RatingIn]):
    _hr(request, zone_id)
    appraisal = get_object_or_404(
        Appraisal.objects.select_related("person", "body", "scheme"), pk=appraisal_id, zone_id=zone_id
    )
    by_rater: dict[int | None, dict] = {}
    for item in payload:
        by_rater.setdefault(item.rater_id, {})[(item.indicator_id, item.kind)] = item.score
    for rater_id, scores in by_rater.items():
        rater = get_object_or_404(Person, pk=rater_id, zone_id=zone_id) if rater_id else None
        ratings_record(actor=request.user, appraisal=appraisal, scores=scores, rater=rater)
    return appraisal


@router.post("/zones/{zone_id}/cycles/{cycle_id}/close", response=CycleOut, summary="完成考核并锁定")
def close_cycle(request, zone_id: int, cycle_id: int):
    _hr(request, zone_id)
    return cycle_close(actor=request.user, cycle=get_object_or_404(AppraisalCycle, pk=cycle_id, zone_id=zone_id))


class RunOut(Schema):
    id: int
    body_id: int
    body_name: str
    month: dt.date
    pool: Decimal
    status: str
    cycle_id: int | None

    @staticmethod
    def resolve_body_name(obj) -> str:
        return obj.body.name


class RunIn(Schema):
    body_id: int
    month: dt.date
    pool: Decimal
    cycle_id: int | None = None


class PayslipOut(Schema):
    id: int
    person_id: int
    person_name: str
    post_title: str
    post_grade: str
    appraisal_grade: str
    coefficient: Decimal
    base_pay: Decimal
    performance_pay: Decimal
    other_total: Decimal
    total: Decimal

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name

    @staticmethod
    def resolve_post_title(obj) -> str:
        return obj.post.title


@router.get("/zones/{zone_id}/payroll-runs", response=list[RunOut], summary="月度工资核算")
def list_runs(request, zone_id: int):
    _hr(request, zone_id)
    return list(payroll_runs_of(zone_id))


@router.post("/zones/{zone_id}/payroll-runs", response={201: RunOut}, summary="核算月度工资")
def create_run(request, zone_id: int, payload: RunIn):
    _hr(request, zone_id)
    body = get_object_or_404(Body, pk=payload.body_id, zone_id=zone_id)
    cycle = get_object_or_404(AppraisalCycle, pk=payload.cycle_id, zone_id=zone_id) if payload.cycle_id else None
    return Status(
        201, payroll_run_create(actor=request.user, body=body, month=payload.month, pool=payload.pool, cycle=cycle)
    )


def _run(zone_id: int, run_id: int) -> PayrollRun:
    return get_object_or_404(PayrollRun.objects.select_related("body"), pk=run_id, zone_id=zone_id)


@router.get(
    "/zones/{zone_id}/payroll-runs/{run_id}/payslips", response=list[PayslipOut], summary="工资条（查看即留痕）"
)
def run_payslips(request, zone_id: int, run_id: int):
    _hr(request, zone_id)
    return payroll_run_open(actor=request.user, run=_run(zone_id, run_id))


@router.post("/zones/{zone_id}/payroll-runs/{run_id}/approve", response=RunOut, summary="审核工资")
def approve_run(request, zone_id: int, run_id: int):
    _hr(request, zone_id)
    return payroll_run_approve(actor=request.user, run=_run(zone_id, run_id))


@router.post("/zones/{zone_id}/payroll-runs/{run_id}/pay", response=RunOut, summary="确认发放")
def pay_run(request, zone_id: int, run_id: int):
    _hr(request, zone_id)
    return payroll_run_pay(actor=request.user, run=_run(zone_id, run_id))
