"""The operating company's schedules as pure functions of plain data (no Django).

- ``repayment_schedule``: a loan's or bond's instalments, equal instalments (等额本息) or equal
  principal (等额本金), exact to the fen.
- ``rent_periods``: the billing periods of a lease and the rent of each.
- ``ageing_bucket``: which arrears bucket a number of overdue days falls in.

Conventions (also in docs/company.md):

- The monthly rate is the annual rate ÷ 12; each period's interest is the balance × the monthly
  rate, rounded half-up to the fen. The equal instalment is rounded half-up to the fen; the last
  period repays whatever principal is left, so the principal repaid always equals the principal.
- Instalment k falls due on ``payment_day`` of the k-th month after the start date (the last day
  of the month when the month is shorter).
- Rent is paid in advance: a bill falls due on the first day of its period. A period that is not
  a whole number of months (the lease's last one) pays the whole months plus the remaining days at
  the daily rent = monthly rent × 12 ÷ 365.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

FEN = Decimal("0.01")
_PRECISION = 40


def fen(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the fen."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def add_months(day: dt.date, months: int, *, on_day: int | None = None) -> dt.date:
    """``day`` moved by ``months`` months, on ``on_day`` (default: the same day), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(on_day or day.day, last))


def month_index(day: dt.date) -> int:
    """A running month number: months since year 0, so consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --- loans and bonds ---------------------------------------------------------------------


class RepaymentMethod(StrEnum):
    EQUAL_INSTALMENTS = "equal_instalments"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: dt.date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal  # principal still owed after this instalment


def monthly_rate(annual_rate_percent: Decimal) -> Decimal:
    with localcontext(prec=_PRECISION):
        return Decimal(annual_rate_percent) / Decimal(1200)


def equal_instalment(principal: Decimal, annual_rate_percent: Decimal, term_months: int) -> Decimal:
    """The monthly payment of an equal-instalment loan (等额本息), rounded half-up to the fen."""
    rate = monthly_rate(annual_rate_percent)
    with localcontext(prec=_PRECISION):
        if rate == 0:
            return fen(Decimal(principal) / term_months)
        growth = (1 + rate) ** term_months
        return fen(Decimal(principal) * rate * growth / (growth - 1))


def repayment_schedule(
    *,
    principal: Decimal,
    annual_rate_percent: Decimal,
    start: dt.date,
    term_months: int,
    method: str,
    payment_day: int,
) -> list[Instalment]:
    """Every instalment of a loan drawn on ``start``, exact to the fen.

    The principals add up to ``principal`` exactly; each interest is the balance before the
    instalment × the monthly rate, rounded half-up to the fen.
    """
    principal = Decimal(principal)
    if principal <= 0:
        raise ValueError("principal must be positive")
    if term_months < 1:
        raise ValueError("term_months must be at least 1")
    if not 1 <= payment_day <= 31:
        raise ValueError("payment_day must be 1..31")
    if Decimal(annual_rate_percent) < 0:
        raise ValueError("annual_rate_percent must not be negative")
    method = RepaymentMethod(method)
    rate = monthly_rate(annual_rate_percent)
    if method is RepaymentMethod.EQUAL_INSTALMENTS:
        level = equal_instalment(principal, annual_rate_percent, term_months)
    else:
        with localcontext(prec=_PRECISION):
            level = fen(principal / term_months)
    balance = principal
    rows: list[Instalment] = []
    for number in range(1, term_months + 1):
        with localcontext(prec=_PRECISION):
            interest = fen(balance * rate)
        if number == term_months:
            repaid = balance
        elif method is RepaymentMethod.EQUAL_INSTALMENTS:
            repaid = min(max(level - interest, Decimal("0.00")), balance)
        else:
            repaid = min(level, balance)
        balance -= repaid
        rows.append(
            Instalment(
                number=number,
                due_on=add_months(start, number, on_day=payment_day),
                payment=repaid + interest,
                principal=repaid,
                interest=interest,
                balance=balance,
            )
        )
    return rows


def outstanding_on(schedule: list[Instalment], principal: Decimal, start: dt.date, on: dt.date) -> Decimal:
    """Principal owed at the end of ``on``, assuming every instalment due by then was paid.

    Nothing is owed before the loan is drawn on ``start``.
    """
    if on < start:
        return Decimal("0.00")
    repaid = sum((row.principal for row in schedule if row.due_on <= on), Decimal("0.00"))
    return Decimal(principal) - repaid


# --- rent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RentPeriod:
    start: dt.date
    end: dt.date
    amount: Decimal

    @property
    def due_on(self) -> dt.date:
        """Rent is paid in advance: due on the first day of the period."""
        return self.start


def monthly_rent(rent: Decimal, per: str) -> Decimal:
    """The unrounded monthly rent of ``rent`` per ``"month"`` or per ``"year"``."""
    with localcontext(prec=_PRECISION):
        return Decimal(rent) if per == "month" else Decimal(rent) / 12


def period_rent(monthly: Decimal, anchor: dt.date, from_month: int, end: dt.date) -> Decimal:
    """Rent from month ``from_month`` after ``anchor`` to ``end`` inclusive.

    Whole months (counted from ``anchor``, so month ends stay on the lease's start day), then the
    remaining days at monthly × 12 ÷ 365.
    """
    months = 0
    while add_months(anchor, from_month + months + 1) - dt.timedelta(days=1) <= end:
        months += 1
    days = (end - add_months(anchor, from_month + months)).days + 1
    with localcontext(prec=_PRECISION):
        return fen(monthly * months + monthly * 12 * days / 365)


def rent_periods(*, start: dt.date, end: dt.date, cycle_months: int, rent: Decimal, per: str) -> list[RentPeriod]:
    """The billing periods of a lease from ``start`` to ``end`` (both inclusive), each with its rent.

    Periods are ``cycle_months`` long and anchored on the lease's start day (so a lease starting on
    the 31st bills on the last day of shorter months); the last one stops at ``end``.
    """
    if end < start:
        raise ValueError("end before start")
    if cycle_months not in (1, 3, 12):
        raise ValueError("cycle_months must be 1, 3 or 12")
    monthly = monthly_rent(rent, per)
    periods = []
    k = 0
    while True:
        p_start = add_months(start, k * cycle_months)
        if p_start > end:
            break
        p_end = min(add_months(start, (k + 1) * cycle_months) - dt.timedelta(days=1), end)
        periods.append(
            RentPeriod(start=p_start, end=p_end, amount=period_rent(monthly, start, k * cycle_months, p_end))
        )
        k += 1
    return periods


# --- arrears ageing ------------------------------------------------------------------------

AGEING_BUCKETS: tuple[tuple[str, str, int, int | None], ...] = (
    ("d0_30", "0–30天", 0, 30),
    ("d31_90", "31–90天", 31, 90),
    ("d91_180", "91–180天", 91, 180),
    ("d181_365", "181–365天", 181, 365),
    ("d365_plus", "365天以上", 366, None),
)


def ageing_bucket(days_overdue: int) -> str:
    """The key of the bucket for a bill ``days_overdue`` days past its due date (0 on the due date)."""
    if days_overdue < 0:
        raise ValueError("a bill not yet due is not in arrears")
    for key, _label, low, high in AGEING_BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return key
    raise AssertionError("unreachable")
