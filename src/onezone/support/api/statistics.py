"""API of the monthly enterprise statistics: a year's figures and months (staff), who has not
reported a month (staff), and the enterprise's own report of a month."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema

from onezone.core.api_types import Year
from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.permissions import require, require_read
from onezone.support.selectors import statistics as selectors
from onezone.support.services import statistics as services
from onezone.support.services.labour_authority import READ_ROLES

router = Router(tags=["企业服务：月度统计"])


def _staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    require(request.user, zone_id=zone_id, roles=READ_ROLES, action="查看企业月度统计")


class MonthOut(Schema):
    month: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    employees: int
    energy_tce: Decimal
    reporters: int
    held: int


class YearOut(Schema):
    year: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    energy_tce: Decimal
    employees: int
    months: int
    reporters: int
    by_month: list[MonthOut]


@router.get("/zones/{zone_id}/statistics/{year}", response=YearOut, summary="年度企业统计（已确认月报合计，逐月）")
def year_figures(request, zone_id: int, year: Year):
    _staff(request, zone_id)
    figures = selectors.year_figures(zone_id, year)
    return {**vars(figures), "by_month": selectors.month_rows(zone_id, year)}


class MissingOut(Schema):
    id: int
    uscc: str
    name: str


@router.get(
    "/zones/{zone_id}/statistics/{year}/{month}/missing", response=list[MissingOut], summary="某月缺报企业（工作人员）"
)
def missing(request, zone_id: int, year: Year, month: int):
    _staff(request, zone_id)
    if not 1 <= month <= 12:
        raise InvalidInput(f"月份应为 1–12，收到 {month}。", fields={"month": "请填写 1–12。"})
    return selectors.missing_reporters(zone_id, year, month)


class ReportIn(Schema):
    year: int
    month: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    employees: int
    energy_tce: Decimal


class ReportOut(Schema):
    id: int
    year: int
    month: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    employees: int
    energy_tce: Decimal
    status: str
    flags: list[dict]


@router.post("/zones/{zone_id}/monthly-reports", response={201: ReportOut}, summary="企业报送（或更正）月报（元）")
def report(request, zone_id: int, payload: ReportIn):
    from onezone.enterprises.selectors import enterprise_of_user

    enterprise = enterprise_of_user(request.user, zone_id=zone_id)
    if enterprise is None:
        raise PermissionDenied("您的账号没有关联本开发区的企业，不能报送月报。")
    created = services.report_submit(actor=request.user, enterprise=enterprise, **payload.dict())
    return 201, created
