"""The pure rules of the monthly statistics: due dates, lateness and the implausibility rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.support.services.statistics_rules import (
    FACTOR,
    MIN_HISTORY,
    due_date,
    implausible,
    is_late,
    last_due_month,
    report_flags,
    usual,
)


@pytest.mark.parametrize(
    ("year", "month", "due"),
    [(2025, 1, dt.date(2025, 2, 10)), (2025, 12, dt.date(2026, 1, 10)), (2024, 2, dt.date(2024, 3, 10))],
)
def test_due_date(year, month, due):
    assert due_date(year, month) == due


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 8), (2026, 10)),  # November is due on 10 December: not yet overdue
        (dt.date(2026, 12, 10), (2026, 10)),
        (dt.date(2026, 12, 11), (2026, 11)),
        (dt.date(2026, 1, 11), (2025, 12)),
        (dt.date(2026, 1, 5), (2025, 11)),
    ],
)
def test_last_due_month(today, expected):
    assert last_due_month(today) == expected


def test_lateness_is_after_the_due_day():
    assert not is_late(2026, 10, dt.date(2026, 11, 10))
    assert is_late(2026, 10, dt.date(2026, 11, 11))


def test_usual_needs_three_reports_and_takes_the_median_of_the_last_six():
    assert usual([Decimal(1), Decimal(2)]) is None
    assert usual([1, 2, 100]) == Decimal(2)
    assert usual([1000, 1000, 1000, 1, 2, 3, 4, 5, 6]) == Decimal("3.5")


@pytest.mark.parametrize(
    ("value", "history", "flagged"),
    [
        (Decimal(1000), [100, 100, 100], True),  # exactly ten times
        (Decimal(999), [100, 100, 100], False),
        (Decimal(10), [100, 100, 100], True),  # a tenth
        (Decimal(11), [100, 100, 100], False),
        (Decimal(0), [100, 100, 100], True),
        (Decimal(5000), [100, 100], False),  # too few reports to know the usual
        (Decimal(5000), [0, 0, 0], False),  # no usual to compare with
        (Decimal(1000), [100, 100, 5000], True),  # one odd month does not move the median
    ],
)
def test_implausible(value, history, flagged):
    assert (implausible(value, [Decimal(h) for h in history]) is not None) is flagged


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e10"), places=2, allow_nan=False)


@given(
    base=money, months=st.integers(min_value=MIN_HISTORY, max_value=12), scale=st.integers(min_value=10, max_value=1000)
)
def test_ten_times_a_steady_usual_is_always_flagged(base, months, scale):
    assert implausible(base * scale, [base] * months) is not None
    assert implausible(base / scale, [base] * months) is not None


@given(
    base=money, months=st.integers(min_value=MIN_HISTORY, max_value=12), ratio=st.integers(min_value=11, max_value=99)
)
def test_within_a_factor_of_ten_is_never_flagged(base, months, ratio):
    value = base * Decimal(ratio) / 10  # 1.1 to 9.9 times the usual
    assert implausible(value, [base] * months) is None


@given(history=st.lists(money, min_size=0, max_size=MIN_HISTORY - 1), value=money)
def test_too_little_history_never_flags(history, value):
    assert implausible(value, history) is None


@given(history=st.lists(money, min_size=MIN_HISTORY, max_size=12), value=money)
def test_the_flag_is_exactly_the_ratio_rule(history, value):
    ratio = value / usual(history)
    assert (implausible(value, history) is not None) == (ratio >= FACTOR or ratio <= 1 / FACTOR)


def test_report_flags_messages():
    flags = report_flags(
        year=2026,
        month=10,
        figures={
            "output_value": Decimal("50000000"),
            "revenue": Decimal("4800000"),
            "tax": Decimal("200000"),
            "employees": 100,
            "energy_tce": Decimal("300"),
        },
        history={
            "output_value": [Decimal("5000000")] * 6,
            "revenue": [Decimal("4800000")] * 6,
            "tax": [Decimal("200000")] * 6,
            "employees": [100] * 6,
            "energy_tce": [Decimal("300")] * 6,
        },
        reported_on=dt.date(2026, 11, 20),
    )
    assert [(f.key, f.message) for f in flags] == [
        ("late", "逾期报送：2026年10月报表应于 2026-11-10 前报送。"),
        ("output_value", "工业总产值 5,000.00万元，是近期通常值 500.00万元的 10.0 倍，请核实单位和数值。"),
    ]
