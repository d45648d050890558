"""The operating company's books over the API: assets, leases, bills, payments, loans, construction.

Reads are open to the company and the committee's roles in the zone; writes to company staff only.
The zone is the request's current zone unless ``zone_id`` is given.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from onezone.company import selectors as s
from onezone.company import services
from onezone.company.depreciation import book_value
from onezone.company.models import Asset, ConstructionContract, Lease
from onezone.company.schedules import outstanding_on
from onezone.core.api_types import Limit, Offset
from onezone.core.errors import NotFound, PermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.permissions import require_read, roles_in
from onezone.enterprises.models import Enterprise
from onezone.org.models import AgendaItem
from onezone.zones.models import Park

router = Router(tags=["开发运营公司"])
MAX_PAGE = 200


def _zone(request, zone_id: int | None) -> int:
    zone_id = zone_id or current_zone_id(request)
    if zone_id is None:
        raise PermissionDenied("您的账号尚未获得任何开发区的角色授权。")
    require_read(request.user, zone_id=zone_id)
    if not roles_in(request.user, zone_id) & s.READ_ROLES:
        raise PermissionDenied("运营公司账目仅向运营公司人员和管委会领导、部门负责人、系统管理员开放。")
    return zone_id


def _page(qs, limit: int, offset: int):
    limit = max(1, min(limit, MAX_PAGE))
    return list(qs[offset : offset + limit])


def _decision(zone_id: int, decision_id: int | None) -> AgendaItem | None:
    if decision_id is None:
        return None
    item = AgendaItem.objects.select_related("meeting").filter(pk=decision_id, zone_id=zone_id).first()
    if item is None:
        raise NotFound("引用的决策议题不存在或不属于本开发区。")
    return item


# --- schemas -------------------------------------------------------------------------------


class AssetOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    park_id: int
    park_name: str = Field(..., alias="park.name")
    cost: Decimal
    acquired_on: dt.date
    useful_life_months: int
    residual_rate: Decimal
    status: str
    disposed_on: dt.date | None
    disposal_proceeds: Decimal | None
    book_value_today: Decimal

    @staticmethod
    def resolve_book_value_today(obj) -> Decimal:
        return book_value(obj.basis, timezone.localdate())


class AssetIn(Schema):
    code: str
    name: str
    kind: Asset.Kind
    park_id: int
    cost: Decimal
    acquired_on: dt.date
    useful_life_months: int
    residual_rate: Decimal = Decimal("0.05")
    location: str = ""
    area_m2: Decimal | None = None


class DisposeIn(Schema):
    disposed_on: dt.date
    proceeds: Decimal
    decision_id: int | None = None


class LeaseOut(Schema):
    id: int
    number: str
    asset_id: int
    asset_name: str = Field(..., alias="asset.name")
    lessee_id: int
    lessee_name: str
    lessee_uscc: str
    start: dt.date
    end: dt.date
    terminated_on: dt.date | None
    rent: Decimal
    rent_unit: str
    deposit: Decimal
    billing_cycle: str
    status: str
    billed_total: Decimal
    received_total: Decimal


class LeaseIn(Schema):
    asset_id: int
    number: str
    lessee_id: int
    start: dt.date
    end: dt.date
    rent: Decimal
    rent_unit: Lease.RentUnit = Lease.RentUnit.MONTH
    deposit: Decimal = Decimal("0")
    billing_cycle: Lease.BillingCycle = Lease.BillingCycle.QUARTERLY
    signed_on: dt.date | None = None


class BillOut(Schema):
    id: int
    number: str
    lease_id: int
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal


class GenerateIn(Schema):
    through: dt.date


class PaymentIn(Schema):
    paid_on: dt.date
    amount: Decimal
    reference: str = ""


class AllocationOut(Schema):
    bill_number: str = Field(..., alias="bill.number")
    amount: Decimal


class PaymentOut(Schema):
    id: int
    lease_id: int
    paid_on: dt.date
    amount: Decimal
    reference: str
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj):
        return list(obj.allocations.all())


class InstalmentOut(Schema):
    number: int
    due_on: dt.date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal


class LoanOut(Schema):
    id: int
    kind: str
    contract_number: str
    lender: str
    principal: Decimal
    annual_rate: Decimal
    start: dt.date
    term_months: int
    method: str
    payment_day: int
    decision_id: int | None
    outstanding_today: Decimal

    @staticmethod
    def resolve_outstanding_today(obj) -> Decimal:
        return outstanding_on(obj.schedule(), obj.principal, obj.start, timezone.localdate())


class LoanDetailOut(LoanOut):
    schedule: list[InstalmentOut]

    @staticmethod
    def resolve_schedule(obj):
        return obj.schedule()


class LoanIn(Schema):
    kind: str = "loan"
    contract_number: str
    lender: str
    principal: Decimal
    annual_rate: Decimal
    start: dt.date
    term_months: int
    method: str
    payment_day: int
    purpose: str = ""
    decision_id: int | None = None


class CompanyProjectOut(Schema):
    id: int
    name: str
    park_id: int
    budget: Decimal
    start: dt.date | None
    planned_end: dt.date | None
    decision_id: int | None
    contracted_total: Decimal
    paid_total: Decimal
    progress_percent: int | None
    progress_on: dt.date | None


class CompanyProjectIn(Schema):
    name: str
    park_id: int
    budget: Decimal
    start: dt.date | None = None
    planned_end: dt.date | None = None
    description: str = ""
    decision_id: int | None = None


class CompanyContractIn(Schema):
    number: str
    contractor: str
    amount: Decimal
    signed_on: dt.date
    decision_id: int | None = None


class ConstructionPaymentIn(Schema):
    amount: Decimal
    paid_on: dt.date
    contract_id: int | None = None
    note: str = ""
    over_budget_decision_id: int | None = None


class CompanyProgressIn(Schema):
    on: dt.date
    percent: int
    note: str = ""


class Created(Schema):
    id: int


class ArrearsRowOut(Schema):
    lease_id: int
    lease_number: str
    lessee_name: str
    buckets: dict[str, Decimal]
    total: Decimal


class ArrearsOut(Schema):
    on: dt.date
    totals: dict[str, Decimal]
    total: Decimal
    rows: list[ArrearsRowOut]


# --- assets --------------------------------------------------------------------------------


@router.get("/assets", response=list[AssetOut], summary="资产（含今日账面价值）")
def list_assets(request, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0):
    return _page(s.assets_of(_zone(request, zone_id)), limit, offset)


@router.post("/assets", response={201: AssetOut}, summary="登记资产")
def create_asset(request, payload: AssetIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    park = Park.objects.filter(pk=data.pop("park_id"), zone_id=zone).first()
    if park is None:
        raise NotFound("所选园区不存在或不属于本开发区。")
    asset = services.asset_register(actor=request.user, zone_id=zone, park=park, **data)
    return Status(201, asset)


@router.post("/assets/{asset_id}/dispose", response=AssetOut, summary="处置资产")
def dispose_asset(request, asset_id: int, payload: DisposeIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    asset = get_object_or_404(Asset, pk=asset_id, zone_id=zone)
    return services.asset_dispose(
        actor=request.user,
        asset=asset,
        disposed_on=payload.disposed_on,
        proceeds=payload.proceeds,
        decision=_decision(zone, payload.decision_id),
    )


# --- leases, bills, payments ---------------------------------------------------------------


@router.get("/leases", response=list[LeaseOut], summary="租赁合同")
def list_leases(request, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0):
    return _page(s.leases_of(_zone(request, zone_id)), limit, offset)


@router.post("/leases", response={201: Created}, summary="签订租赁合同")
def create_lease(request, payload: LeaseIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    asset = get_object_or_404(Asset, pk=data.pop("asset_id"), zone_id=zone)
    lessee = Enterprise.objects.filter(pk=data.pop("lessee_id"), zone_id=zone).first()
    if lessee is None:
        raise NotFound("承租企业不存在或不属于本开发区，请先在企业库中登记。")
    lease = services.lease_sign(actor=request.user, asset=asset, lessee=lessee, **data)
    return Status(201, {"id": lease.pk})


@router.get("/leases/{lease_id}", response=LeaseOut, summary="租赁合同详情")
def get_lease(request, lease_id: int, zone_id: int | None = None):
    return get_object_or_404(s.leases_of(_zone(request, zone_id)), pk=lease_id)


@router.get("/bills", response=list[BillOut], summary="租金账单")
def list_bills(request, lease_id: int | None = None, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0):
    return _page(s.bills_of(_zone(request, zone_id), lease_id=lease_id), limit, offset)


@router.post("/leases/{lease_id}/bills", response=list[BillOut], summary="生成租金账单（可重复执行）")
def generate_bills(request, lease_id: int, payload: GenerateIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    lease = get_object_or_404(Lease, pk=lease_id, zone_id=zone)
    return services.bills_generate(actor=request.user, lease=lease, through=payload.through)


@router.get("/payments", response=list[PaymentOut], summary="租金收款")
def list_payments(
    request, lease_id: int | None = None, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0
):
    return _page(s.payments_of(_zone(request, zone_id), lease_id=lease_id), limit, offset)


@router.post("/leases/{lease_id}/payments", response={201: PaymentOut}, summary="登记租金收款（先到期先冲抵）")
def record_payment(request, lease_id: int, payload: PaymentIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    lease = get_object_or_404(Lease, pk=lease_id, zone_id=zone)
    payment = services.payment_record(actor=request.user, lease=lease, **payload.dict())
    return Status(201, s.payments_of(zone).get(pk=payment.pk))


@router.get("/arrears", response=ArrearsOut, summary="欠租账龄")
def arrears(request, on: dt.date | None = None, zone_id: int | None = None):
    report = s.arrears_ageing(_zone(request, zone_id), on or timezone.localdate())
    return {
        "on": report.on,
        "totals": report.totals,
        "total": report.total,
        "rows": [
            {
                "lease_id": r.lease.pk,
                "lease_number": r.lease.number,
                "lessee_name": r.lease.lessee_name,
                "buckets": r.buckets,
                "total": r.total,
            }
            for r in report.rows
        ],
    }


# --- loans ---------------------------------------------------------------------------------


@router.get("/loans", response=list[LoanOut], summary="借款与债券")
def list_loans(request, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0):
    return _page(s.loans_of(_zone(request, zone_id)), limit, offset)


@router.get("/loans/{loan_id}", response=LoanDetailOut, summary="借款详情与还款计划")
def get_loan(request, loan_id: int, zone_id: int | None = None):
    return get_object_or_404(s.loans_of(_zone(request, zone_id)), pk=loan_id)


@router.post("/loans", response={201: LoanDetailOut}, summary="登记借款或债券")
def create_loan(request, payload: LoanIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    decision = _decision(zone, data.pop("decision_id"))
    loan = services.loan_register(actor=request.user, zone_id=zone, decision=decision, **data)
    return Status(201, loan)


# --- construction --------------------------------------------------------------------------


@router.get("/projects", response=list[CompanyProjectOut], summary="建设项目")
def list_projects(request, zone_id: int | None = None, limit: Limit = 50, offset: Offset = 0):
    return _page(s.projects_of(_zone(request, zone_id)), limit, offset)


@router.get("/projects/{project_id}", response=CompanyProjectOut, summary="建设项目详情")
def get_project(request, project_id: int, zone_id: int | None = None):
    return get_object_or_404(s.projects_of(_zone(request, zone_id)), pk=project_id)


@router.post("/projects", response={201: Created}, summary="登记建设项目")
def create_project(request, payload: CompanyProjectIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    park = Park.objects.filter(pk=data.pop("park_id"), zone_id=zone).first()
    if park is None:
        raise NotFound("所选园区不存在或不属于本开发区。")
    decision = _decision(zone, data.pop("decision_id"))
    project = services.project_create(actor=request.user, zone_id=zone, park=park, decision=decision, **data)
    return Status(201, {"id": project.pk})


def _project(zone: int, project_id: int):
    return get_object_or_404(s.projects_of(zone), pk=project_id)


@router.post("/projects/{project_id}/contracts", response={201: Created}, summary="登记施工合同")
def create_contract(request, project_id: int, payload: CompanyContractIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    decision = _decision(zone, data.pop("decision_id"))
    contract = services.contract_sign(actor=request.user, project=_project(zone, project_id), decision=decision, **data)
    return Status(201, {"id": contract.pk})


@router.post("/projects/{project_id}/payments", response={201: Created}, summary="登记工程付款")
def create_construction_payment(request, project_id: int, payload: ConstructionPaymentIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    data = payload.dict()
    project = _project(zone, project_id)
    contract_id = data.pop("contract_id")
    contract = get_object_or_404(ConstructionContract, pk=contract_id, project=project) if contract_id else None
    decision = _decision(zone, data.pop("over_budget_decision_id"))
    payment = services.construction_payment_record(
        actor=request.user, project=project, contract=contract, over_budget_decision=decision, **data
    )
    return Status(201, {"id": payment.pk})


@router.post("/projects/{project_id}/progress", response={201: Created}, summary="登记形象进度")
def create_progress(request, project_id: int, payload: CompanyProgressIn, zone_id: int | None = None):
    zone = _zone(request, zone_id)
    report = services.progress_record(actor=request.user, project=_project(zone, project_id), **payload.dict())
    return Status(201, {"id": report.pk})
