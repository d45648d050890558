"""Reads of the operating company's books: lists, arrears, debt, statements and key figures.

Every figure is computed from the records (assets, bills, payments, loans, construction payments);
nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from onezone.company.depreciation import book_value, carrying_amount_at_disposal, charge_for_month
from onezone.company.models import (
    DEFAULT_DECISION_THRESHOLD,
    Asset,
    CompanySettings,
    ConstructionContract,
    ConstructionPayment,
    ConstructionProject,
    Lease,
    Loan,
    ProgressReport,
    RentBill,
    RentPayment,
)
from onezone.company.schedules import AGEING_BUCKETS, Instalment, ageing_bucket, month_end, outstanding_on
from onezone.core.roles import Role

ZERO = Decimal("0.00")
_MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
# Who reads the company's figures: the company itself and the committee (which cannot change them).
READ_ROLES = frozenset({Role.COMPANY_STAFF, Role.LEADER, Role.DEPT_HEAD, Role.ADMIN, Role.PROVINCE_SUPERVISOR})


def _sum(expr, **extra) -> Coalesce:
    return Coalesce(Sum(expr, **extra), Value(ZERO), output_field=_MONEY_FIELD)


def decision_threshold(zone_id: int) -> Decimal:
    """The amount above which a loan, contract or disposal needs a committee decision."""
    value = CompanySettings.objects.filter(zone_id=zone_id).values_list("decision_threshold", flat=True).first()
    return value if value is not None else DEFAULT_DECISION_THRESHOLD


# --- assets --------------------------------------------------------------------------------


def assets_of(zone_id: int) -> QuerySet[Asset]:
    return Asset.objects.filter(zone_id=zone_id).select_related("park").order_by("code")


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    book_value: Decimal
    accumulated: Decimal


def asset_rows(zone_id: int, on: dt.date) -> list[AssetRow]:
    """Every asset with its book value at the end of ``on`` (one query)."""
    rows = []
    for asset in assets_of(zone_id):
        value = book_value(asset.basis, on)
        accumulated = ZERO if asset.status == Asset.Status.DISPOSED and on >= asset.disposed_on else asset.cost - value
        rows.append(AssetRow(asset=asset, book_value=value, accumulated=accumulated))
    return rows


def assets_book_value(zone_id: int, on: dt.date) -> Decimal:
    return sum((book_value(a.basis, on) for a in Asset.objects.filter(zone_id=zone_id)), ZERO)


# --- leases, bills, payments ---------------------------------------------------------------


def leases_of(zone_id: int) -> QuerySet[Lease]:
    """Leases with their asset and park, and billed and received totals."""
    billed = RentBill.objects.filter(lease=OuterRef("pk")).values("lease").annotate(t=Sum("amount")).values("t")
    received = RentBill.objects.filter(lease=OuterRef("pk")).values("lease").annotate(t=Sum("paid")).values("t")
    return (
        Lease.objects.filter(zone_id=zone_id)
        .select_related("asset__park")
        .annotate(
            billed_total=Coalesce(Subquery(billed, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD),
            received_total=Coalesce(
                Subquery(received, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD
            ),
        )
        .order_by("-start", "number")
    )


def lease_get(zone_id: int, lease_id: int) -> Lease:
    return leases_of(zone_id).get(pk=lease_id)


def bills_of(zone_id: int, *, lease_id: int | None = None) -> QuerySet[RentBill]:
    qs = RentBill.objects.filter(zone_id=zone_id).select_related("lease__asset")
    if lease_id is not None:
        qs = qs.filter(lease_id=lease_id)
    return qs.order_by("lease_id", "period_start")


def payments_of(zone_id: int, *, lease_id: int | None = None) -> QuerySet[RentPayment]:
    qs = RentPayment.objects.filter(zone_id=zone_id).select_related("lease").prefetch_related("allocations__bill")
    if lease_id is not None:
        qs = qs.filter(lease_id=lease_id)
    return qs.order_by("-paid_on", "-id")


@dataclass
class ArrearsRow:
    lease: Lease
    buckets: dict[str, Decimal] = field(default_factory=lambda: {key: ZERO for key, *_ in AGEING_BUCKETS})
    oldest_due: dt.date | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


@dataclass
class ArrearsReport:
    on: dt.date
    rows: list[ArrearsRow]
    totals: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.totals.values(), ZERO)

    @property
    def buckets(self) -> list[tuple[str, str]]:
        return [(key, label) for key, label, *_ in AGEING_BUCKETS]


def arrears_ageing(zone_id: int, on: dt.date) -> ArrearsReport:
    """Rent due by ``on`` and unpaid at the end of ``on``, per lease, by days overdue (one query).

    Payments received after ``on`` do not count, so the report for a past date is what the books
    said on that date.
    """
    bills = (
        RentBill.objects.filter(zone_id=zone_id, due_on__lte=on)
        .select_related("lease")
        .annotate(paid_by=_sum("allocations__amount", filter=Q(allocations__payment__paid_on__lte=on)))
        .order_by("lease__number", "due_on")
    )
    rows: dict[int, ArrearsRow] = {}
    totals = {key: ZERO for key, *_ in AGEING_BUCKETS}
    for bill in bills:
        unpaid = bill.amount - bill.paid_by
        if unpaid <= 0:
            continue
        key = ageing_bucket((on - bill.due_on).days)
        row = rows.setdefault(bill.lease_id, ArrearsRow(lease=bill.lease))
        row.buckets[key] += unpaid
        row.oldest_due = min(row.oldest_due or bill.due_on, bill.due_on)
        totals[key] += unpaid
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.lease.number))
    return ArrearsReport(on=on, rows=ordered, totals=totals)


def arrears_total(zone_id: int, on: dt.date) -> Decimal:
    return arrears_ageing(zone_id, on).total


# --- financing -----------------------------------------------------------------------------


def loans_of(zone_id: int) -> QuerySet[Loan]:
    return Loan.objects.filter(zone_id=zone_id).select_related("decision__meeting").order_by("-start", "pk")


def loan_outstanding(loan: Loan, on: dt.date) -> Decimal:
    return outstanding_on(loan.schedule(), loan.principal, loan.start, on)


def debt_outstanding(zone_id: int, on: dt.date) -> Decimal:
    return sum((loan_outstanding(loan, on) for loan in Loan.objects.filter(zone_id=zone_id)), ZERO)


@dataclass(frozen=True)
class DueRepayment:
    loan: Loan
    instalment: Instalment


def repayments_due(zone_id: int, start: dt.date, days: int = 30) -> list[DueRepayment]:
    """Instalments falling due from ``start`` to ``start`` + ``days``, soonest first (one query)."""
    until = start + dt.timedelta(days=days)
    due = [
        DueRepayment(loan=loan, instalment=row)
        for loan in Loan.objects.filter(zone_id=zone_id, start__lte=until)
        for row in loan.schedule()
        if start <= row.due_on <= until
    ]
    return sorted(due, key=lambda d: (d.instalment.due_on, d.loan.contract_number))


# --- construction --------------------------------------------------------------------------


def projects_of(zone_id: int) -> QuerySet[ConstructionProject]:
    """Projects with contracted and paid totals and the latest progress, in one query."""
    paid = (
        ConstructionPayment.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    contracted = (
        ConstructionContract.objects.filter(project=OuterRef("pk"))
        .values("project")
        .annotate(t=Sum("amount"))
        .values("t")
    )
    latest = ProgressReport.objects.filter(project=OuterRef("pk")).order_by("-on")
    return (
        ConstructionProject.objects.filter(zone_id=zone_id)
        .select_related("park", "decision__meeting")
        .annotate(
            paid_total=Coalesce(Subquery(paid, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD),
            contracted_total=Coalesce(
                Subquery(contracted, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD
            ),
            progress_percent=Subquery(latest.values("percent")[:1]),
            progress_on=Subquery(latest.values("on")[:1]),
        )
        .order_by("name")
    )


def project_get(zone_id: int, project_id: int) -> ConstructionProject:
    return (
        projects_of(zone_id)
        .prefetch_related("contracts__decision", "payments__contract", "payments__over_budget_decision", "progress")
        .get(pk=project_id)
    )


# --- books ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyStatement:
    """The company's own monthly statement (its books alone, apart from the committee's)."""

    year: int
    month: int
    rent_income: Decimal  # rent billed for periods beginning in the month (accrual)
    other_income: Decimal  # gains on disposals in the month
    interest_expense: Decimal  # interest of instalments due in the month
    depreciation_expense: Decimal
    disposal_loss: Decimal
    rent_received: Decimal  # cash received in the month
    construction_capitalised: Decimal  # construction paid in the month: an asset, not an expense
    fixed_assets: Decimal  # book value at month end
    construction_in_progress: Decimal  # construction paid up to month end
    receivables: Decimal  # rent in arrears at month end
    debt: Decimal  # principal outstanding at month end
    new_debt: Decimal  # principal drawn in the month
    principal_repaid: Decimal

    @property
    def income(self) -> Decimal:
        return self.rent_income + self.other_income

    @property
    def expenses(self) -> Decimal:
        return self.interest_expense + self.depreciation_expense + self.disposal_loss

    @property
    def result(self) -> Decimal:
        return self.income - self.expenses

    @property
    def total_assets(self) -> Decimal:
        return self.fixed_assets + self.construction_in_progress + self.receivables


def monthly_statement(zone_id: int, year: int, month: int) -> MonthlyStatement:
    """The company's statement for ``year``-``month``, computed from its records in a fixed number of queries."""
    first = dt.date(year, month, 1)
    last = month_end(first)
    rent_income = RentBill.objects.filter(zone_id=zone_id, period_start__range=(first, last)).aggregate(
        t=_sum("amount")
    )["t"]
    rent_received = RentPayment.objects.filter(zone_id=zone_id, paid_on__range=(first, last)).aggregate(
        t=_sum("amount")
    )["t"]
    construction = ConstructionPayment.objects.filter(zone_id=zone_id, paid_on__lte=last).aggregate(
        cumulative=_sum("amount"), month=_sum("amount", filter=Q(paid_on__gte=first))
    )
    depreciation = ZERO
    fixed_assets = ZERO
    gains = ZERO
    losses = ZERO
    for asset in Asset.objects.filter(zone_id=zone_id, acquired_on__lte=last):
        depreciation += charge_for_month(asset.basis, year, month)
        fixed_assets += book_value(asset.basis, last)
        if asset.disposed_on is not None and first <= asset.disposed_on <= last:
            result = (asset.disposal_proceeds or ZERO) - carrying_amount_at_disposal(asset.basis, asset.disposed_on)
            if result >= 0:
                gains += result
            else:
                losses -= result
    interest = ZERO
    repaid = ZERO
    debt = ZERO
    new_debt = ZERO
    for loan in Loan.objects.filter(zone_id=zone_id, start__lte=last):
        schedule = loan.schedule()
        for row in schedule:
            if first <= row.due_on <= last:
                interest += row.interest
                repaid += row.principal
        debt += outstanding_on(schedule, loan.principal, loan.start, last)
        if first <= loan.start <= last:
            new_debt += loan.principal
    return MonthlyStatement(
        year=year,
        month=month,
        rent_income=rent_income,
        other_income=gains,
        interest_expense=interest,
        depreciation_expense=depreciation,
        disposal_loss=losses,
        rent_received=rent_received,
        construction_capitalised=construction["month"],
        fixed_assets=fixed_assets,
        construction_in_progress=construction["cumulative"],
        receivables=arrears_total(zone_id, last),
        debt=debt,
        new_debt=new_debt,
        principal_repaid=repaid,
    )


@dataclass(frozen=True)
class KeyFigures:
    assets_book_value: Decimal
    arrears: Decimal
    debt: Decimal
    leases_active: int


def key_figures(zone_id: int, on: dt.date) -> KeyFigures:
    """The figures the committee's leaders watch: assets, arrears, debt."""
    active = (
        Lease.objects.filter(zone_id=zone_id, start__lte=on)
        .filter(Q(terminated_on__isnull=True, end__gte=on) | Q(terminated_on__gte=on))
        .count()
    )
    return KeyFigures(
        assets_book_value=assets_book_value(zone_id, on),
        arrears=arrears_total(zone_id, on),
        debt=debt_outstanding(zone_id, on),
        leases_active=active,
    )
