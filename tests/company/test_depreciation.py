import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.company.depreciation import (
    DepreciationBasis,
    accumulated_depreciation,
    book_value,
    carrying_amount_at_disposal,
    charge_for_month,
    months_charged,
)

D = Decimal
# 1,000,000 yuan, 5 % residual, 20 years, acquired mid-June 2025:
# depreciable 950,000.00; monthly 950,000 / 240 = 3958.333… → 3958.33; first charge July 2025.
FACTORY = DepreciationBasis(
    cost=D("1000000"), residual_rate=D("0.05"), useful_life_months=240, acquired_on=dt.date(2025, 6, 15)
)


def test_depreciation_starts_the_month_after_acquisition():
    assert FACTORY.depreciable == D("950000.00")
    assert FACTORY.monthly_charge == D("3958.33")
    assert book_value(FACTORY, dt.date(2025, 6, 14)) == D("0.00")  # not yet acquired
    assert book_value(FACTORY, dt.date(2025, 6, 30)) == D("1000000")
    assert book_value(FACTORY, dt.date(2025, 7, 30)) == D("1000000")
    assert book_value(FACTORY, dt.date(2025, 7, 31)) == D("996041.67")
    # Twelve charges by the end of June 2026: 3958.33 × 12 = 47499.96
    assert book_value(FACTORY, dt.date(2026, 6, 30)) == D("952500.04")


def test_the_last_month_takes_the_rounding_and_the_value_stops_at_the_residual():
    # 239 charges: 3958.33 × 239 = 946040.87; the 240th is 950000 − 946040.87 = 3959.13.
    assert book_value(FACTORY, dt.date(2045, 6, 29)) == D("53959.13")
    assert charge_for_month(FACTORY, 2045, 6) == D("3959.13")
    assert book_value(FACTORY, dt.date(2045, 6, 30)) == D("50000.00")
    assert book_value(FACTORY, dt.date(2060, 1, 1)) == D("50000.00")
    assert charge_for_month(FACTORY, 2045, 7) == D("0.00")


def test_monthly_charges():
    assert charge_for_month(FACTORY, 2025, 6) == D("0.00")
    assert charge_for_month(FACTORY, 2025, 7) == D("3958.33")
    assert charge_for_month(FACTORY, 2026, 2) == D("3958.33")


def test_disposal_month_is_still_charged_and_the_value_is_nil_after():
    disposed = DepreciationBasis(
        cost=D("1000000"),
        residual_rate=D("0.05"),
        useful_life_months=240,
        acquired_on=dt.date(2025, 6, 15),
        disposed_on=dt.date(2026, 3, 10),
    )
    # 8 charges (July–February) by the day before: 31666.64
    assert book_value(disposed, dt.date(2026, 3, 9)) == D("968333.36")
    assert book_value(disposed, dt.date(2026, 3, 10)) == D("0.00")
    # At disposal the March charge counts too: 9 × 3958.33 = 35624.97
    assert carrying_amount_at_disposal(
        disposed.__class__(**{**disposed.__dict__, "disposed_on": None}), dt.date(2026, 3, 10)
    ) == D("964375.03")
    assert charge_for_month(disposed, 2026, 3) == D("3958.33")
    assert charge_for_month(disposed, 2026, 4) == D("0.00")
    assert months_charged(disposed, dt.date(2030, 1, 1)) == 9


def test_land_use_right_without_residual():
    land = DepreciationBasis(
        cost=D("12000000"), residual_rate=D("0"), useful_life_months=600, acquired_on=dt.date(2020, 12, 1)
    )
    # 12,000,000 / 600 = 20,000 a month; January 2021 … December 2025 = 60 months
    assert book_value(land, dt.date(2025, 12, 31)) == D("10800000.00")


@settings(max_examples=200, deadline=None)
@given(
    cost=st.integers(min_value=100, max_value=10**12).map(lambda c: D(c) / 100),
    residual=st.integers(min_value=0, max_value=500).map(lambda r: D(r) / 1000),
    life=st.integers(min_value=1, max_value=600),
    acquired=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)),
    later=st.integers(min_value=0, max_value=20000),
)
def test_depreciation_properties(cost, residual, life, acquired, later):
    basis = DepreciationBasis(cost=cost, residual_rate=residual, useful_life_months=life, acquired_on=acquired)
    on = acquired + dt.timedelta(days=later)
    value = book_value(basis, on)
    # Between residual and cost, exact to the fen, never rising over time.
    assert cost - basis.depreciable <= value <= cost
    assert value == value.quantize(D("0.01"))
    assert book_value(basis, on + dt.timedelta(days=31)) <= value
    assert accumulated_depreciation(basis, on) == cost - value
    # The charges over the whole life add up to the depreciable amount.
    if later > life * 31 + 62:
        assert value == cost - basis.depreciable
