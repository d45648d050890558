"""Reads of the monthly enterprise statistics: the zone's figures by month, park and industry, a
year's totals (the dashboard's output and jobs come from here), who has not reported, an
enterprise's own reports. Only confirmed reports count; held ones (待确认) are listed apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from onezone.support.models.statistics import MonthlyReport, ReportStatus

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal:
    """A sum as the backends differ in giving it (SQLite drops the decimal places), to the fen."""
    return Decimal(value or 0).quantize(CENT)


@dataclass(frozen=True)
class YearFigures:
    """A zone's totals of one year from its confirmed monthly reports."""

    year: int
    output_value: Decimal
    revenue: Decimal
    tax: Decimal
    energy_tce: Decimal
    employees: int  # at the year's end: each enterprise's latest confirmed month of the year
    months: int  # how many months have confirmed reports
    reporters: int  # how many enterprises reported


def _confirmed(zone_id: int) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(zone_id=zone_id, status=ReportStatus.CONFIRMED)


def year_employees(zone_id: int, year: int) -> int:
    """Employees at the end of ``year``: the sum of each enterprise's latest confirmed month of it."""
    latest = (
        MonthlyReport.objects.filter(enterprise_id=OuterRef("enterprise_id"), year=year, status=ReportStatus.CONFIRMED)
        .order_by("-month")
        .values("month")[:1]
    )
    total = (
        _confirmed(zone_id)
        .filter(year=year, month=Subquery(latest))
        .order_by()
        .values("zone_id")
        .annotate(s=Sum("employees"))
    )
    return int(sum(row["s"] or 0 for row in total))


def year_figures(zone_id: int, year: int) -> YearFigures:
    """The zone's totals of ``year`` (two queries)."""
    rows = list(
        _confirmed(zone_id)
        .filter(year=year)
        .order_by()
        .values("zone_id")
        .annotate(
            output=Sum("output_value"),
            revenue_sum=Sum("revenue"),
            tax_sum=Sum("tax"),
            energy=Sum("energy_tce"),
            months=Count("month", distinct=True),
            reporters=Count("enterprise", distinct=True),
        )
    )
    row = rows[0] if rows else {}
    return YearFigures(
        year=year,
        output_value=_cents(row.get("output")),
        revenue=_cents(row.get("revenue_sum")),
        tax=_cents(row.get("tax_sum")),
        energy_tce=_cents(row.get("energy")),
        employees=year_employees(zone_id, year) if rows else 0,
        months=row.get("months") or 0,
        reporters=row.get("reporters") or 0,
    )


def latest_complete_year(zone_id: int, *, before: int) -> int | None:
    """The latest year before ``before`` whose December has confirmed reports (a whole year)."""
    return (
        _confirmed(zone_id).filter(year__lt=before, month=12).order_by("-year").values_list("year", flat=True).first()
    )


def month_rows(zone_id: int, year: int) -> list[dict[str, Any]]:
    """Each month of ``year`` with its confirmed totals, how many reported and how many are held."""
    confirmed = {
        row["month"]: row
        for row in _confirmed(zone_id)
        .filter(year=year)
        .order_by()
        .values("month")
        .annotate(
            output=Sum("output_value"),
            revenue_sum=Sum("revenue"),
            tax_sum=Sum("tax"),
            employees_sum=Sum("employees"),
            energy=Sum("energy_tce"),
            reporters=Count("id"),
        )
    }
    held = dict(
        MonthlyReport.objects.filter(zone_id=zone_id, year=year, status=ReportStatus.PENDING)
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    rows = []
    for month in range(1, 13):
        row = confirmed.get(month)
        if row is None and month not in held:
            continue
        row = row or {}
        rows.append(
            {
                "month": month,
                "output_value": _cents(row.get("output")),
                "revenue": _cents(row.get("revenue_sum")),
                "tax": _cents(row.get("tax_sum")),
                "employees": row.get("employees_sum") or 0,
                "energy_tce": _cents(row.get("energy")),
                "reporters": row.get("reporters") or 0,
                "held": held.get(month, 0),
            }
        )
    return rows


def group_rows(zone_id: int, year: int, *, by: str) -> list[dict[str, Any]]:
    """The year's confirmed totals by park (``by="park"``) or by industry division (``by="industry"``:
    the GB/T 4754 division, the first three characters of the class code)."""
    from onezone.zones.models import Industry

    qs = _confirmed(zone_id).filter(year=year).order_by()
    if by == "park":
        rows = qs.values("enterprise__park_id", "enterprise__park__name").annotate(
            output=Sum("output_value"),
            tax_sum=Sum("tax"),
            energy=Sum("energy_tce"),
            reporters=Count("enterprise", distinct=True),
        )
        return sorted(
            (
                {
                    "key": row["enterprise__park_id"],
                    "name": row["enterprise__park__name"] or "未分园区",
                    "output_value": _cents(row["output"]),
                    "tax": _cents(row["tax_sum"]),
                    "energy_tce": _cents(row["energy"]),
                    "reporters": row["reporters"],
                }
                for row in rows
            ),
            key=lambda r: -r["output_value"],
        )
    totals: dict[str, dict[str, Any]] = {}
    for row in qs.values("enterprise__industry_code").annotate(
        output=Sum("output_value"),
        tax_sum=Sum("tax"),
        energy=Sum("energy_tce"),
        reporters=Count("enterprise", distinct=True),
    ):
        code = (row["enterprise__industry_code"] or "")[:3]
        into = totals.setdefault(
            code, {"key": code, "name": "", "output_value": ZERO, "tax": ZERO, "energy_tce": ZERO, "reporters": 0}
        )
        into["output_value"] += _cents(row["output"])
        into["tax"] += _cents(row["tax_sum"])
        into["energy_tce"] += _cents(row["energy"])
        into["reporters"] += row["reporters"]
    names = dict(Industry.objects.filter(code__in=list(totals)).values_list("code", "name"))
    for code, row in totals.items():
        row["name"] = f"{code} {names.get(code, '')}".strip() or "未填行业"
    return sorted(totals.values(), key=lambda r: -r["output_value"])


def output_by_enterprise(zone_id: int, year: int, enterprise_ids: set[int] | list[int]) -> dict[int, Decimal]:
    """Each of the given enterprises' confirmed output of ``year``, to the fen (one query); an enterprise
    with no confirmed report that year is left out."""
    rows = (
        _confirmed(zone_id)
        .filter(year=year, enterprise_id__in=list(enterprise_ids))
        .order_by()
        .values("enterprise_id")
        .annotate(s=Sum("output_value"))
    )
    return {row["enterprise_id"]: _cents(row["s"]) for row in rows}


def output_of_enterprises(zone_id: int, year: int, enterprise_ids: set[int] | list[int]) -> Decimal:
    """The confirmed output of ``year`` of the given enterprises (a chain's members, for example)."""
    return sum(output_by_enterprise(zone_id, year, enterprise_ids).values(), ZERO).quantize(CENT)


# --- who has not reported ------------------------------------------------------------------------


@dataclass
class MissingReporter:
    enterprise: Any
    members: list[Any] = field(default_factory=list)


def _expected(zone_ids: list[int] | None, year: int, month: int):
    from onezone.enterprises.models import Enterprise

    month_end = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    qs = Enterprise.objects.exclude(status=Enterprise.Status.CLOSED).filter(
        Q(established__isnull=True) | Q(established__lte=month_end)
    )
    if zone_ids is not None:
        qs = qs.filter(zone_id__in=zone_ids)
    return qs.filter(~Exists(MonthlyReport.objects.filter(enterprise_id=OuterRef("pk"), year=year, month=month)))


def _with_members(enterprises: list[Any]) -> list[MissingReporter]:
    from onezone.enterprises.models import EnterpriseMember

    members: dict[int, list[Any]] = defaultdict(list)
    for link in EnterpriseMember.objects.filter(enterprise_id__in=[e.pk for e in enterprises]).select_related("user"):
        members[link.enterprise_id].append(link.user)
    return [MissingReporter(enterprise=e, members=members.get(e.pk, [])) for e in enterprises]


def missing_reporters(zone_id: int, year: int, month: int, *, limit: int = 500) -> list[Any]:
    """The zone's enterprises that owe the report of ``year``-``month`` (at most ``limit``), by name."""
    return list(_expected([zone_id], year, month).select_related("park").order_by("name", "id")[:limit])


def missing_count(zone_id: int, year: int, month: int) -> int:
    return _expected([zone_id], year, month).count()


def missing_reporters_all(*, year: int, month: int) -> dict[int, list[MissingReporter]]:
    """Every zone's enterprises owing the report of ``year``-``month``, with their portal users."""
    found = list(_expected(None, year, month).order_by("zone_id", "id"))
    by_zone: dict[int, list[Any]] = defaultdict(list)
    for enterprise in found:
        by_zone[enterprise.zone_id].append(enterprise)
    return {zone_id: _with_members(rows) for zone_id, rows in by_zone.items()}


# --- held reports and an enterprise's own ---------------------------------------------------------


def held_reports(zone_id: int, *, limit: int = 200) -> list[MonthlyReport]:
    """Reports held as 待确认, oldest month first."""
    return list(
        MonthlyReport.objects.filter(zone_id=zone_id, status=ReportStatus.PENDING)
        .select_related("enterprise")
        .order_by("year", "month", "enterprise__name")[:limit]
    )


def reports_of_enterprise(enterprise: Any, *, limit: int = 36) -> list[MonthlyReport]:
    """The enterprise's latest reports, newest first."""
    return list(
        MonthlyReport.objects.filter(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk).order_by(
            "-year", "-month"
        )[:limit]
    )


def report_of_enterprise(enterprise: Any, report_id: int) -> MonthlyReport | None:
    return MonthlyReport.objects.filter(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, pk=report_id).first()


def reports_of_month(zone_id: int, year: int, month: int, *, limit: int = 500) -> list[MonthlyReport]:
    """The reports of one month with their enterprises, by name (the desk's month page)."""
    return list(
        MonthlyReport.objects.filter(zone_id=zone_id, year=year, month=month)
        .select_related("enterprise", "enterprise__park")
        .order_by("enterprise__name", "id")[:limit]
    )


def report_years(zone_id: int) -> list[int]:
    return list(
        MonthlyReport.objects.filter(zone_id=zone_id).order_by("-year").values_list("year", flat=True).distinct()
    )
