"""The park's safety risk level by total score: A below 60, B 60 to below 70, C 70 to below 85, D 85 and above."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.safety.risklevel import Item, ScoreError, level_of, total_of


@pytest.mark.parametrize(
    ("score", "level"),
    [
        ("0", "A"),
        ("59.99", "A"),
        ("59.999999", "A"),
        ("60", "B"),
        ("60.00", "B"),
        ("69.99", "B"),
        ("70", "C"),
        ("84.99", "C"),
        ("85", "D"),
        ("85.0", "D"),
        ("100", "D"),
    ],
)
def test_level_boundaries_exactly(score, level):
    assert level_of(Decimal(score)) == level


def test_every_whole_score_from_0_to_100():
    expected = ["A"] * 60 + ["B"] * 10 + ["C"] * 15 + ["D"] * 16
    assert [level_of(Decimal(n)) for n in range(101)] == expected


@pytest.mark.parametrize("score", ["-0.01", "100.01", "NaN", "Infinity"])
def test_scores_out_of_range_are_refused(score):
    with pytest.raises(ScoreError):
        level_of(Decimal(score))


def test_total_adds_scores_and_checks_each_item_and_the_full_score():
    items = [Item("1", "规划布局", Decimal(40), Decimal("32.5")), Item("2", "安全管理", Decimal(60), Decimal(45))]
    assert total_of(items) == Decimal("77.5")
    assert level_of(total_of(items)) == "C"
    with pytest.raises(ScoreError, match="得分应在 0 到 40 之间，收到 41"):
        total_of([Item("1", "规划布局", Decimal(40), Decimal(41)), Item("2", "安全管理", Decimal(60), Decimal(0))])
    with pytest.raises(ScoreError, match="满分合计应为 100 分，现为 90 分"):
        total_of([Item("1", "规划布局", Decimal(40), Decimal(1)), Item("2", "安全管理", Decimal(50), Decimal(0))])
    with pytest.raises(ScoreError, match="编号“1”重复"):
        total_of([Item("1", "a", Decimal(50), Decimal(1)), Item("1", "b", Decimal(50), Decimal(0))])
    with pytest.raises(ScoreError, match="至少填写一个"):
        total_of([])


boundary = st.sampled_from([Decimal(60), Decimal(70), Decimal(85)])
offsets = st.decimals(min_value=Decimal("-0.01"), max_value=Decimal("0.01"), places=4, allow_nan=False)


@given(edge=boundary, offset=offsets)
def test_property_at_each_boundary_the_level_changes_exactly_there(edge, offset):
    order = "ABCD"
    below, at_or_above = {Decimal(60): ("A", "B"), Decimal(70): ("B", "C"), Decimal(85): ("C", "D")}[edge]
    level = level_of(edge + offset)
    assert level == (at_or_above if offset >= 0 else below)
    assert order.index(level) in (order.index(below), order.index(at_or_above))


@given(a=st.decimals(min_value=0, max_value=100, places=2), b=st.decimals(min_value=0, max_value=100, places=2))
def test_property_a_higher_score_never_has_a_higher_risk(a, b):
    low, high = sorted([a, b])
    assert "ABCD".index(level_of(low)) <= "ABCD".index(level_of(high))
