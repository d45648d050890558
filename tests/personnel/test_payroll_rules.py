import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.core.errors import InvalidInput
from onezone.personnel.payroll import Held, held_on, rate_on, split_pool

D = Decimal


def test_split_pool_exact_example():
    # 1000.00 over 1.2 + 1.0 + 1.0 = 3.2: exact shares 375, 312.5, 312.5 → no remainder
    assert split_pool(D("1000.00"), [("a", D("1.2")), ("b", D("1.0")), ("c", D("1.0"))]) == {
        "a": D("375.00"),
        "b": D("312.50"),
        "c": D("312.50"),
    }


def test_split_pool_largest_remainder_and_tie_break():
    # 100.00 over three equal shares: 33.33 each plus one fen to the first listed (tie)
    assert split_pool(D("100.00"), [("x", D(1)), ("y", D(1)), ("z", D(1))]) == {
        "x": D("33.34"),
        "y": D("33.33"),
        "z": D("33.33"),
    }
    # The fen goes to the largest remainder, not the first: 0.10 over 1, 2 → 3.33.. and 6.66..
    assert split_pool(D("0.10"), [("p", D(1)), ("q", D(2))]) == {"p": D("0.03"), "q": D("0.07")}


def test_zero_coefficient_gets_zero_and_pool_rules():
    parts = split_pool(D("10.00"), [("a", D("0")), ("b", D("0.6")), ("c", D("1.2"))])
    assert parts["a"] == D("0.00")
    assert sum(parts.values()) == D("10.00")
    with pytest.raises(InvalidInput, match="均为 0"):
        split_pool(D("10.00"), [("a", D(0))])
    assert split_pool(D("0.00"), [("a", D(0))]) == {"a": D("0.00")}
    with pytest.raises(InvalidInput, match="精确到分"):
        split_pool(D("10.001"), [("a", D(1))])
    with pytest.raises(InvalidInput, match="负数"):
        split_pool(D("-1.00"), [("a", D(1))])
    with pytest.raises(InvalidInput, match="重复"):
        split_pool(D("1.00"), [("a", D(1)), ("a", D(1))])


shares_strategy = st.lists(
    st.sampled_from([D("0"), D("0.6"), D("1.0"), D("1.2"), D("0.35"), D("2")]), min_size=1, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(pool=st.decimals(min_value=0, max_value=10_000_000, places=2), coefficients=shares_strategy)
def test_split_pool_properties(pool, coefficients):
    shares = list(enumerate(coefficients))
    if sum(coefficients) == 0:
        if pool:
            with pytest.raises(InvalidInput):
                split_pool(pool, shares)
        return
    parts = split_pool(pool, shares)
    assert sum(parts.values()) == pool  # adds up exactly
    total = sum(Fraction(c) for c in coefficients)
    for key, coefficient in shares:
        exact = Fraction(pool) * Fraction(coefficient) / total
        assert abs(Fraction(parts[key]) - exact) < Fraction(1, 100)  # within one fen
        if coefficient == 0:
            assert parts[key] == 0
        assert parts[key] == parts[key].quantize(D("0.01"))
    # deterministic: the same input gives the same split
    assert split_pool(pool, shares) == parts


@settings(max_examples=200, deadline=None)
@given(pool=st.decimals(min_value=0, max_value=100_000, places=2), coefficients=shares_strategy)
def test_higher_coefficient_never_gets_less(pool, coefficients):
    if sum(coefficients) == 0:
        return
    parts = split_pool(pool, list(enumerate(coefficients)))
    for i, ci in enumerate(coefficients):
        for j, cj in enumerate(coefficients):
            if ci > cj:
                assert parts[i] >= parts[j]


def test_held_on_prefers_the_principal_post_and_follows_dates():
    history = [
        Held(post_id=1, start=dt.date(2021, 1, 1), end=dt.date(2023, 6, 30)),
        Held(post_id=2, start=dt.date(2023, 7, 1), end=None),
        Held(post_id=9, start=dt.date(2022, 1, 1), end=None, concurrent=True),
    ]
    assert held_on(history, dt.date(2020, 12, 31)) is None
    assert held_on(history, dt.date(2021, 6, 1)).post_id == 1
    assert held_on(history, dt.date(2023, 6, 30)).post_id == 1
    assert held_on(history, dt.date(2023, 7, 1)).post_id == 2
    only_concurrent = [Held(post_id=9, start=dt.date(2022, 1, 1), end=None, concurrent=True)]
    assert held_on(only_concurrent, dt.date(2024, 1, 1)).post_id == 9


def test_rate_on_takes_the_latest_effective():
    rates = [(dt.date(2024, 1, 1), D("3000")), (dt.date(2026, 7, 1), D("3300")), (dt.date(2025, 1, 1), D("3100"))]
    assert rate_on(rates, dt.date(2023, 12, 31)) is None
    assert rate_on(rates, dt.date(2025, 6, 1)) == D("3100")
    assert rate_on(rates, dt.date(2026, 7, 1)) == D("3300")
