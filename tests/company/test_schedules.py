import datetime as dt
import itertools
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.company.schedules import (
    add_months,
    ageing_bucket,
    equal_instalment,
    outstanding_on,
    rent_periods,
    repayment_schedule,
)

D = Decimal


def rows(schedule):
    return [(r.number, r.due_on, r.payment, r.principal, r.interest, r.balance) for r in schedule]


def test_equal_instalments_exact_to_the_fen():
    # 10,000 yuan at 12 % a year (1 % a month) over 3 months:
    # A = 10000 × 0.01 × 1.01³ / (1.01³ − 1) = 3400.2211… → 3400.22
    # 1: interest 100.00, principal 3300.22, balance 6699.78
    # 2: interest 66.9978 → 67.00, principal 3333.22, balance 3366.56
    # 3: interest 33.6656 → 33.67, the last repays the 3366.56 left: payment 3400.23
    schedule = repayment_schedule(
        principal=D("10000"),
        annual_rate_percent=D("12"),
        start=dt.date(2026, 1, 31),
        term_months=3,
        method="equal_instalments",
        payment_day=20,
    )
    assert rows(schedule) == [
        (1, dt.date(2026, 2, 20), D("3400.22"), D("3300.22"), D("100.00"), D("6699.78")),
        (2, dt.date(2026, 3, 20), D("3400.22"), D("3333.22"), D("67.00"), D("3366.56")),
        (3, dt.date(2026, 4, 20), D("3400.23"), D("3366.56"), D("33.67"), D("0.00")),
    ]


def test_equal_principal_exact_to_the_fen():
    # 10,000 over 3 months at 1 % a month: principal 3333.33, 3333.33, and the last 3333.34.
    # interest 100.00; 6666.67 × 0.01 = 66.6667 → 66.67; 3333.34 × 0.01 = 33.3334 → 33.33
    schedule = repayment_schedule(
        principal=D("10000"),
        annual_rate_percent=D("12"),
        start=dt.date(2026, 1, 31),
        term_months=3,
        method="equal_principal",
        payment_day=31,
    )
    assert rows(schedule) == [
        (1, dt.date(2026, 2, 28), D("3433.33"), D("3333.33"), D("100.00"), D("6666.67")),
        (2, dt.date(2026, 3, 31), D("3400.00"), D("3333.33"), D("66.67"), D("3333.34")),
        (3, dt.date(2026, 4, 30), D("3366.67"), D("3333.34"), D("33.33"), D("0.00")),
    ]


def test_a_typical_bank_loan():
    # 1,000,000 at 4.35 % over 12 months, equal instalments:
    # r = 0.003625, A = 1e6 × r × (1+r)¹² / ((1+r)¹² − 1) = 85309.9003… → 85309.90.
    # First interest 1,000,000 × 0.0435 / 12 = 3625.00; the last instalment is 85001.76 + 308.13.
    schedule = repayment_schedule(
        principal=D("1000000"),
        annual_rate_percent=D("4.35"),
        start=dt.date(2026, 1, 10),
        term_months=12,
        method="equal_instalments",
        payment_day=21,
    )
    assert equal_instalment(D("1000000"), D("4.35"), 12) == D("85309.90")
    assert schedule[0].interest == D("3625.00")
    assert schedule[0].principal == D("81684.90")
    assert sum(r.principal for r in schedule) == D("1000000")
    assert sum(r.interest for r in schedule) == D("23718.79")
    assert (schedule[-1].principal, schedule[-1].interest, schedule[-1].payment) == (
        D("85001.76"),
        D("308.13"),
        D("85309.89"),
    )


def test_zero_rate_splits_the_principal():
    schedule = repayment_schedule(
        principal=D("100"),
        annual_rate_percent=D("0"),
        start=dt.date(2026, 1, 1),
        term_months=3,
        method="equal_instalments",
        payment_day=1,
    )
    assert [r.principal for r in schedule] == [D("33.33"), D("33.33"), D("33.34")]
    assert all(r.interest == 0 for r in schedule)


def test_outstanding_on_a_date():
    schedule = repayment_schedule(
        principal=D("10000"),
        annual_rate_percent=D("12"),
        start=dt.date(2026, 1, 31),
        term_months=3,
        method="equal_principal",
        payment_day=20,
    )
    assert outstanding_on(schedule, D("10000"), dt.date(2026, 1, 31), dt.date(2026, 1, 30)) == D("0.00")
    assert outstanding_on(schedule, D("10000"), dt.date(2026, 1, 31), dt.date(2026, 1, 31)) == D("10000")
    assert outstanding_on(schedule, D("10000"), dt.date(2026, 1, 31), dt.date(2026, 2, 19)) == D("10000")
    assert outstanding_on(schedule, D("10000"), dt.date(2026, 1, 31), dt.date(2026, 2, 20)) == D("6666.67")
    assert outstanding_on(schedule, D("10000"), dt.date(2026, 1, 31), dt.date(2027, 1, 1)) == D("0.00")


@pytest.mark.parametrize("bad", [{"principal": D("0")}, {"term_months": 0}, {"payment_day": 32}, {"method": "x"}])
def test_schedule_refuses_nonsense(bad):
    args = {
        "principal": D("100"),
        "annual_rate_percent": D("5"),
        "start": dt.date(2026, 1, 1),
        "term_months": 3,
        "method": "equal_principal",
        "payment_day": 1,
        **bad,
    }
    with pytest.raises(ValueError):
        repayment_schedule(**args)


def _fraction_reference(principal, rate_percent, n, method):
    """An independent reference with exact fractions and the same rounding rules."""

    def round_fen(x: Fraction) -> Fraction:
        cents = x * 100
        whole = cents.numerator // cents.denominator
        if cents - whole >= Fraction(1, 2):
            whole += 1
        return Fraction(whole, 100)

    p = Fraction(principal)
    r = Fraction(rate_percent) / 1200
    if method == "equal_instalments":
        level = round_fen(p / n) if r == 0 else round_fen(p * r * (1 + r) ** n / ((1 + r) ** n - 1))
    else:
        level = round_fen(p / n)
    balance = p
    out = []
    for k in range(1, n + 1):
        interest = round_fen(balance * r)
        if k == n:
            repaid = balance
        elif method == "equal_instalments":
            repaid = min(max(level - interest, Fraction(0)), balance)
        else:
            repaid = min(level, balance)
        balance -= repaid
        out.append((Decimal(repaid.numerator) / repaid.denominator, Decimal(interest.numerator) / interest.denominator))
    return out


# From 100,000 yuan up: below that, a 30-year loan at a high rate can see the half-fen rounding of
# the level payment (compounded over 360 months, up to some tens of yuan) repay the principal
# before the last month (see test_a_tiny_long_loan_still_repays_exactly).
amounts = st.integers(min_value=10_000_000, max_value=10_000_000_000).map(lambda c: Decimal(c) / 100)
rates = st.integers(min_value=0, max_value=150_000).map(lambda r: Decimal(r) / 10_000)  # 0–15 %


@settings(max_examples=150, deadline=None)
@given(
    principal=amounts,
    rate=rates,
    n=st.integers(min_value=1, max_value=360),
    method=st.sampled_from(["equal_instalments", "equal_principal"]),
    start=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31)),
    day=st.integers(min_value=1, max_value=31),
)
def test_schedule_properties(principal, rate, n, method, start, day):
    schedule = repayment_schedule(
        principal=principal, annual_rate_percent=rate, start=start, term_months=n, method=method, payment_day=day
    )
    assert len(schedule) == n
    # The principal repaid is the principal, exactly; the last balance is nil.
    assert sum(r.principal for r in schedule) == principal
    assert schedule[-1].balance == 0
    for row in schedule:
        assert row.payment == row.principal + row.interest
        assert row.principal >= 0 and row.interest >= 0
        assert row.principal == row.principal.quantize(D("0.01"))
        assert row.interest == row.interest.quantize(D("0.01"))
    # Due dates: one a month, on the payment day or the month's last day, strictly increasing.
    for a, b in itertools.pairwise(schedule):
        assert a.due_on < b.due_on
    assert schedule[0].due_on == add_months(start, 1, on_day=day)
    # Equal instalments: every payment but the last is the same.
    if method == "equal_instalments" and n > 2:
        assert len({r.payment for r in schedule[:-1]}) == 1
    # Equal principal: the interest never grows.
    if method == "equal_principal":
        assert all(a.interest >= b.interest for a, b in itertools.pairwise(schedule))
    assert [(r.principal, r.interest) for r in schedule] == _fraction_reference(principal, rate, n, method)


def test_rent_periods_quarterly_with_a_short_last_period():
    periods = rent_periods(
        start=dt.date(2026, 1, 15), end=dt.date(2026, 12, 31), cycle_months=3, rent=D("10000"), per="month"
    )
    assert [(p.start, p.end, p.amount, p.due_on) for p in periods] == [
        (dt.date(2026, 1, 15), dt.date(2026, 4, 14), D("30000.00"), dt.date(2026, 1, 15)),
        (dt.date(2026, 4, 15), dt.date(2026, 7, 14), D("30000.00"), dt.date(2026, 4, 15)),
        (dt.date(2026, 7, 15), dt.date(2026, 10, 14), D("30000.00"), dt.date(2026, 7, 15)),
        # two whole months and 17 days: 20000 + 10000 × 12 × 17 / 365 = 25589.041… → 25589.04
        (dt.date(2026, 10, 15), dt.date(2026, 12, 31), D("25589.04"), dt.date(2026, 10, 15)),
    ]


def test_rent_per_year_billed_monthly_and_anchored_on_the_31st():
    periods = rent_periods(
        start=dt.date(2026, 1, 31), end=dt.date(2026, 4, 29), cycle_months=1, rent=D("100000"), per="year"
    )
    assert [(p.start, p.end, p.amount) for p in periods] == [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 27), D("8333.33")),
        (dt.date(2026, 2, 28), dt.date(2026, 3, 30), D("8333.33")),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 29), D("8333.33")),
    ]


def test_rent_per_year_billed_yearly_is_the_yearly_rent():
    periods = rent_periods(
        start=dt.date(2024, 3, 1), end=dt.date(2027, 2, 28), cycle_months=12, rent=D("360000"), per="year"
    )
    assert [p.amount for p in periods] == [D("360000.00")] * 3
    assert periods[-1].end == dt.date(2027, 2, 28)


@settings(max_examples=100, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2040, 12, 31)),
    days=st.integers(min_value=0, max_value=3000),
    cycle=st.sampled_from([1, 3, 12]),
)
def test_rent_periods_tile_the_lease(start, days, cycle):
    end = start + dt.timedelta(days=days)
    periods = rent_periods(start=start, end=end, cycle_months=cycle, rent=D("1000"), per="month")
    assert periods[0].start == start and periods[-1].end == end
    for a, b in itertools.pairwise(periods):
        assert b.start == a.end + dt.timedelta(days=1)
    assert all(p.amount <= D(1000) * cycle for p in periods)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "d0_30"),
        (30, "d0_30"),
        (31, "d31_90"),
        (90, "d31_90"),
        (91, "d91_180"),
        (180, "d91_180"),
        (181, "d181_365"),
        (365, "d181_365"),
        (366, "d365_plus"),
        (4000, "d365_plus"),
    ],
)
def test_ageing_buckets(days, bucket):
    assert ageing_bucket(days) == bucket


def test_a_bill_not_yet_due_has_no_bucket():
    with pytest.raises(ValueError):
        ageing_bucket(-1)


def test_a_tiny_long_loan_still_repays_exactly():
    schedule = repayment_schedule(
        principal=D("1000"),
        annual_rate_percent=D("15"),
        start=dt.date(2026, 1, 1),
        term_months=360,
        method="equal_instalments",
        payment_day=1,
    )
    assert sum(r.principal for r in schedule) == D("1000")
    assert all(r.principal >= 0 and r.balance >= 0 for r in schedule)
    assert [(r.principal, r.interest) for r in schedule] == _fraction_reference(
        D("1000"), D("15"), 360, "equal_instalments"
    )
