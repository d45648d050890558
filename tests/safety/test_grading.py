"""GB 18218-2018 identification and grading: the tables, the boundaries, and properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.safety import grading
from onezone.safety.grading import GradingError, alpha_for, grade, level_for, resolve


def test_the_example_of_the_api():
    g = grade([("氯", 10)], people_exposed=0)
    assert (g.s, g.r, g.major, g.level) == (Fraction(2), Fraction(4), True, 4)
    assert g.steps == (
        "氯：q = 10 t，Q = 5 t（表1），q/Q = 2；β = 4（表3），β·q/Q = 8",
        "S = Σq/Q = 2 ≥ 1，构成重大危险源",
        "α = 0.5（厂区外500米范围内常住人口0人，表5）",
        "R = α·Σβ·q/Q = 0.5 × 8 = 4",
        "R < 10，定为四级重大危险源",
    )


@pytest.mark.parametrize(
    ("name", "q", "beta"),
    [
        ("氨", "10", "2"),
        ("二氧化硫", "20", "2"),
        ("环氧乙烷", "10", "2"),
        ("一氧化碳和氢气混合物", "20", "2"),
        ("氯化氢（无水）", "20", "3"),
        ("溴甲烷", "10", "3"),
        ("氯", "5", "4"),
        ("硫化氢", "5", "5"),
        ("氟化氢", "1", "5"),
        ("二氧化氮", "1", "10"),
        ("氰化氢", "1", "10"),
        ("碳酰氯", "0.3", "20"),
        ("磷化氢", "1", "20"),
        ("异氰酸甲酯", "0.75", "20"),
        ("氢", "5", "1.5"),
        ("甲醇", "500", "1"),
        ("电石", "100", "1"),
    ],
)
def test_table_1_thresholds_and_betas(name, q, beta):
    assert resolve(name)[:2] == (Decimal(q), Decimal(beta))


@pytest.mark.parametrize(("alias", "name"), [("液氯", "氯"), ("液氨", "氨"), ("光气", "碳酰氯"), ("氢气", "氢")])
def test_aliases_resolve_to_table_1(alias, name):
    assert resolve(alias)[2] == name


@pytest.mark.parametrize(
    ("code", "q", "beta"),
    [
        ("J1", "5", "4"),
        ("J3", "50", "2"),
        ("W1.1", "1", "2"),
        ("W2", "10", "1.5"),
        ("W4", "50", "1"),
        ("W5.1", "10", "1.5"),
        ("W5.3", "50", "1"),
        ("W5.4-2", "1000", "1"),
        ("W5.4-3", "5000", "1"),
        ("W6.1", "10", "1.5"),
        ("W7.2", "50", "1"),
        ("W11", "200", "1"),
    ],
)
def test_unlisted_substances_by_category(code, q, beta):
    assert resolve("某混合物", code) == (Decimal(q), Decimal(beta), "某混合物", code, code)


def test_a_listed_substance_ignores_a_category():
    assert resolve("氯", "W2")[:2] == (Decimal(5), Decimal(4))


@pytest.mark.parametrize(
    ("people", "alpha"),
    [
        (0, "0.5"),
        (1, "1.0"),
        (29, "1.0"),
        (30, "1.2"),
        (49, "1.2"),
        (50, "1.5"),
        (99, "1.5"),
        (100, "2.0"),
        (10**6, "2.0"),
    ],
)
def test_alpha_bands(people, alpha):
    assert alpha_for(people)[0] == Decimal(alpha)


@pytest.mark.parametrize(
    ("r", "level"),
    [
        (Fraction(0), 4),
        (Fraction(999, 100), 4),
        (Fraction(10), 3),
        (Fraction(4999, 100), 3),
        (Fraction(50), 2),
        (Fraction(9999, 100), 2),
        (Fraction(100), 1),
        (Fraction(10**6), 1),
    ],
)
def test_level_bounds_fall_in_the_higher_level(r, level):
    assert level_for(r) == level


def test_s_equal_to_one_is_major():
    g = grade([("氯", 5)], people_exposed=0)
    assert (g.s, g.major, g.level) == (1, True, 4)
    below = grade([("氯", Decimal("4.999"))], people_exposed=0)
    assert (below.major, below.level) == (False, None)
    assert below.steps[-1] == "S = Σq/Q = 0.9998 < 1，未构成重大危险源，不分级"


def test_boundaries_exactly_at_r_10_50_100():
    # 氯 β 4, α 2.0 (100 people): R = 8·q/5 → q = 6.25 gives R = 10.
    assert grade([("氯", Decimal("6.25"))], people_exposed=100).level == 3
    assert grade([("氯", Decimal("31.25"))], people_exposed=100).level == 2
    assert grade([("氯", Decimal("62.5"))], people_exposed=100).level == 1
    # Thresholds that are not exact in binary: 光气 Q 0.3 β 20, α 0.5 → R = 10·q/0.3; q = 0.3 gives R = 10.
    assert grade([("碳酰氯", Decimal("0.3"))], people_exposed=0).r == 10
    assert grade([("碳酰氯", Decimal("0.3"))], people_exposed=0).level == 3


def test_a_mixture_of_substances_sums():
    g = grade([("氯", 3), ("氨", 5), ("某易燃气体", 2, "W2")], people_exposed=40)
    # S = 0.6 + 0.5 + 0.2 = 1.3; Σβq/Q = 2.4 + 1 + 0.3 = 3.7; α 1.2 → R = 4.44
    assert (g.s, g.r, g.level) == (Fraction(13, 10), Fraction(444, 100), 4)


@pytest.mark.parametrize(
    ("items", "people", "field", "message"),
    [
        ([], 0, "substances", "请至少填写一种危险化学品及其最大存在量。"),
        (
            [("某物质", 1)],
            0,
            "name",
            "“某物质”不在GB 18218-2018表1中，请写明其危险性类别（表2的类别代码，如易燃气体填W2）。",
        ),
        ([("氯", -1)], 0, "quantity_t", "数量不能为负数，收到 -1 吨；请填写最大存在量（吨）。"),
        ([("氯", "abc")], 0, "quantity_t", "数量应为吨数（数字）。"),
        ([("氯", "NaN")], 0, "quantity_t", "数量应为有限的吨数。"),
        ([("氯", 1), ("液氯", 2)], 0, "name", "“氯”重复填写；同一物质只填一次，数量为单元内的最大存在量。"),
        ([("氯", 1)], -1, "people_exposed", "500米范围内人数不能为负数，收到 -1。"),
        ([("", 1)], 0, "name", "请填写物质名称。"),
    ],
)
def test_refusals(items, people, field, message):
    with pytest.raises(GradingError) as exc:
        grade(items, people_exposed=people)
    assert (exc.value.field, exc.value.message) == (field, message)


def test_an_unknown_category_is_refused():
    with pytest.raises(GradingError) as exc:
        grade([("某物质", 1, "X9")], people_exposed=0)
    assert exc.value.field == "category"


def test_too_many_substances_are_refused():
    with pytest.raises(GradingError):
        grade([(f"物质{i}", 1, "W2") for i in range(grading.MAX_SUBSTANCES + 1)], people_exposed=0)


NAMES = [listed.name for listed in grading.TABLE_1]
quantities = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False)
people = st.integers(min_value=0, max_value=100000)


@st.composite
def installations(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    return [(name, draw(quantities)) for name in names]


@settings(max_examples=200, deadline=None)
@given(installations(), people, st.integers(min_value=0, max_value=5), quantities)
def test_monotonic_in_quantities(items, exposed, index, extra):
    index %= len(items)
    more = list(items)
    more[index] = (items[index][0], items[index][1] + extra)
    a, b = grade(items, people_exposed=exposed), grade(more, people_exposed=exposed)
    assert b.s >= a.s and b.r >= a.r
    assert not a.major or b.major
    if a.major:
        assert b.level <= a.level


@settings(max_examples=200, deadline=None)
@given(installations(), people, people)
def test_monotonic_in_exposure(items, first, second):
    low, high = sorted((first, second))
    a, b = grade(items, people_exposed=low), grade(items, people_exposed=high)
    assert a.s == b.s and b.r >= a.r
    if a.major:
        assert b.level <= a.level


@settings(max_examples=200, deadline=None)
@given(installations(), people)
def test_level_agrees_with_r_and_s(items, exposed):
    g = grade(items, people_exposed=exposed)
    assert g.major == (g.s >= 1)
    if not g.major:
        assert g.level is None
    else:
        assert g.level == (1 if g.r >= 100 else 2 if g.r >= 50 else 3 if g.r >= 10 else 4)
    assert len(g.steps) == len(items) + (4 if g.major else 1)
