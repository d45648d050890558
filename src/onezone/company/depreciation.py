"""Straight-line depreciation of the company's assets, as pure functions (no Django).

Convention (企业会计准则第4号 practice, also in docs/company.md):

- An asset acquired in a month is depreciated from the **next** month (当月增加，下月起计提).
- Each month's charge is booked on the month's last day; the book value on a date counts every
  month that has ended by then (a date that is a month's last day counts that month).
- The depreciable amount is cost × (1 − residual rate), rounded half-up to the fen; the monthly
  charge is that ÷ useful life in months, rounded half-up to the fen, and the last month of the
  useful life takes what is left, so the charges add up to the depreciable amount exactly.
- An asset disposed of in a month is still charged for that month and not after
  (当月减少，当月照提); from the disposal date its book value is nil.
- Land use rights are amortised the same way (usually with a residual rate of 0).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, localcontext

from onezone.company.schedules import fen, month_end, month_index

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DepreciationBasis:
    cost: Decimal
    residual_rate: Decimal  # 0.05 = 5 %
    useful_life_months: int
    acquired_on: dt.date
    disposed_on: dt.date | None = None

    @property
    def depreciable(self) -> Decimal:
        with localcontext(prec=40):
            return fen(Decimal(self.cost) * (1 - Decimal(self.residual_rate)))

    @property
    def monthly_charge(self) -> Decimal:
        with localcontext(prec=40):
            return fen(self.depreciable / self.useful_life_months)


def months_charged(basis: DepreciationBasis, on: dt.date) -> int:
    """How many monthly charges have been booked by the end of ``on``."""
    first = month_index(basis.acquired_on) + 1
    last = month_index(on) if on == month_end(on) else month_index(on) - 1
    if basis.disposed_on is not None:
        last = min(last, month_index(basis.disposed_on))
    return max(0, min(last - first + 1, basis.useful_life_months))


def accumulated_after(basis: DepreciationBasis, months: int) -> Decimal:
    """Accumulated depreciation after ``months`` monthly charges."""
    if months <= 0:
        return ZERO
    if months >= basis.useful_life_months:
        return basis.depreciable
    return min(basis.monthly_charge * months, basis.depreciable)


def accumulated_depreciation(basis: DepreciationBasis, on: dt.date) -> Decimal:
    return accumulated_after(basis, months_charged(basis, on))


def book_value(basis: DepreciationBasis, on: dt.date) -> Decimal:
    """The asset's book value at the end of ``on``: nil before it is acquired and from its disposal."""
    if on < basis.acquired_on:
        return ZERO
    if basis.disposed_on is not None and on >= basis.disposed_on:
        return ZERO
    return Decimal(basis.cost) - accumulated_depreciation(basis, on)


def carrying_amount_at_disposal(basis: DepreciationBasis, disposed_on: dt.date) -> Decimal:
    """Cost less depreciation including the disposal month's charge."""
    months = max(
        0,
        min(month_index(disposed_on) - month_index(basis.acquired_on), basis.useful_life_months),
    )
    return Decimal(basis.cost) - accumulated_after(basis, months)


def charge_for_month(basis: DepreciationBasis, year: int, month: int) -> Decimal:
    """The depreciation booked for the month ``year``-``month``."""
    end = month_end(dt.date(year, month, 1))
    previous_end = dt.date(year, month, 1) - dt.timedelta(days=1)
    return accumulated_depreciation(basis, end) - accumulated_depreciation(basis, previous_end)
