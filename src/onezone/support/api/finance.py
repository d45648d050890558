"""Financing over the API (/api/v1/support/finance/...).

The zone's products are read by its staff and enterprise users; an enterprise user states and reads
its own financing needs with the products that fit them; staff read the zone's needs, the loans and
the financing the zone helped to.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema, Status

from onezone.core.api_types import Id, Limit, Offset, Year
from onezone.core.errors import PermissionDenied
from onezone.support.api.markets import choice, own_enterprise, viewer
from onezone.support.models import Collateral, FinancingNeed
from onezone.support.selectors import finance as s
from onezone.support.services import finance as services

router = Router(tags=["企业服务·找资金"])


class ProductOut(Schema):
    id: int
    institution: str
    name: str
    loan_kind: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    rate_min: Decimal
    rate_max: Decimal
    collaterals: list[str]
    target_sizes: list[str]
    target_industries: list[str]
    active: bool

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.name


class FitOut(Schema):
    product: ProductOut
    score: int
    reasons: list[str]


class NeedOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    amount: Decimal
    term_months: int
    purpose: str
    collateral: str
    status: str
    products: list[FitOut]


class NeedIn(Schema):
    amount: Decimal
    term_months: int
    purpose: str
    collateral: Collateral


class LoanGrantedOut(Schema):
    id: int
    institution: str
    enterprise: str
    meeting_id: int | None
    need_id: int | None
    amount: Decimal
    granted_on: dt.date

    @staticmethod
    def resolve_institution(obj) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_enterprise(obj) -> str:
        return obj.enterprise.name


class FigureOut(Schema):
    year: int | None
    total: Decimal
    loans: int
    enterprises: int


def _need_out(row: s.NeedWithProducts) -> dict:
    need = row.need
    return {
        "id": need.pk,
        "enterprise_id": need.enterprise_id,
        "enterprise_name": need.enterprise.name,
        "amount": need.amount,
        "term_months": need.term_months,
        "purpose": need.purpose,
        "collateral": need.collateral,
        "status": need.status,
        "products": [{"product": f.product, "score": f.score, "reasons": list(f.reasons)} for f in row.products],
    }


NeedStatus = choice(FinancingNeed.Status)


def _staff_zone(request) -> int:
    zone_id, enterprise = viewer(request)
    if enterprise is not None:
        raise PermissionDenied("融资落地情况仅向园区工作人员开放。")
    return zone_id


@router.get("/finance/products", response=list[ProductOut], summary="本区金融机构的在售产品")
def products(request):
    zone_id, _enterprise = viewer(request)
    return [p for i in s.institutions_with_products(zone_id) for p in i.products.all() if p.active]


@router.get(
    "/finance/needs", response=list[NeedOut], summary="融资需求及匹配的金融产品（企业：本企业的；工作人员：本区的）"
)
def needs(request, status: NeedStatus | None = None, page: Id = 1):
    zone_id, enterprise = viewer(request)
    if enterprise is not None:
        return [_need_out(r) for r in s.needs_of_enterprise(enterprise) if not status or r.need.status == status]
    _page, rows = s.needs_list(zone_id=zone_id, status=status or "", page=page)
    return [_need_out(r) for r in rows]


@router.post("/finance/needs", response={201: NeedOut}, summary="提交融资需求（企业账号）")
def need_submit(request, payload: NeedIn):
    enterprise = own_enterprise(request)
    need = services.financing_need_submit(actor=request.user, enterprise=enterprise, **payload.dict())
    row = next(r for r in s.needs_of_enterprise(enterprise) if r.need.pk == need.pk)
    return Status(201, _need_out(row))


@router.get("/finance/loans", response=list[LoanGrantedOut], summary="融资落地记录")
def loans(request, year: Year | None = None, limit: Limit = 50, offset: Offset = 0):
    zone_id = _staff_zone(request)
    return list(s.loans_query(zone_id=zone_id, year=year)[offset : offset + limit])


@router.get("/finance/figure", response=FigureOut, summary="园区助力企业获得的融资总额（由落地记录计算）")
def figure(request, year: Year | None = None):
    zone_id = _staff_zone(request)
    got = s.financing_helped(zone_id=zone_id, year=year)
    return {"year": year, "total": got.total, "loans": got.count, "enterprises": got.enterprises}
