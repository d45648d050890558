from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.assessment.scoring import (
    RuleError,
    ScoringRule,
    at_risk,
    competition_ranks,
    rule_from_data,
    score,
    weighted_score,
)

LINEAR = rule_from_data({"kind": "linear", "cap": 120})
STEPS = rule_from_data({"kind": "steps", "steps": [[0.6, 60], [0.8, 80], [1, 100], [1.2, 110]]})


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        ("0", "100", "0.00"),
        ("85", "100", "85.00"),
        ("100", "100", "100.00"),
        ("119.996", "100", "120.00"),
        ("150", "100", "120.00"),
        ("1", "3", "33.33"),
        ("-5", "10", "0.00"),
    ],
)
def test_linear_to_the_cap(actual, target, expected):
    assert score(actual=D(actual), target=D(target), rule=LINEAR) == D(expected)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("59.99", "0.00"),
        ("60", "60.00"),
        ("79", "60.00"),
        ("80", "80.00"),
        ("99.9", "80.00"),
        ("100", "100.00"),
        ("125", "110.00"),
    ],
)
def test_steps_take_the_highest_threshold_reached(actual, expected):
    assert score(actual=D(actual), target=D(100), rule=STEPS) == D(expected)


def test_lower_is_better_inverts_the_ratio():
    # Energy per unit of value added: target 0.8, actual 1.0 → 80 % achieved.
    assert score(actual=D("1.0"), target=D("0.8"), rule=LINEAR, higher_is_better=False) == D("80.00")
    assert score(actual=D("0.4"), target=D("0.8"), rule=LINEAR, higher_is_better=False) == D("120.00")
    assert score(actual=D(0), target=D("0.8"), rule=LINEAR, higher_is_better=False) == D("120.00")
    assert score(actual=D(0), target=D("0.8"), rule=STEPS, higher_is_better=False) == D("110.00")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "linear", "cap": 0}, "封顶分应大于 0"),
        ({"kind": "steps", "steps": []}, "至少需要一个档次"),
        ({"kind": "steps", "steps": [[1, 100], [0.8, 80]]}, "逐档递增"),
        ({"kind": "steps", "steps": [["x", 1]]}, "分档计分应写成"),
        ({"kind": "curve"}, "未知的计分方式“curve”"),
    ],
)
def test_bad_rules_are_refused_in_chinese(data, message):
    with pytest.raises(RuleError, match=message):
        rule_from_data(data)


def test_zero_target_is_refused():
    with pytest.raises(RuleError, match="目标值应大于 0"):
        score(actual=D(1), target=D(0), rule=LINEAR)


def test_weighted_score_and_competition_ranks():
    assert weighted_score([(D(100), D(30)), (D(50), D(70))]) == D("65.00")
    assert weighted_score([]) is None
    ranks = competition_ranks({"a": D(90), "b": D(95), "c": D(90), "d": D(80), "e": None})
    assert ranks == {"b": 1, "a": 2, "c": 2, "d": 4, "e": None}


def test_at_risk_compares_with_expected_progress():
    assert at_risk(ratio=D("0.5"), expected=D("0.9")) is True
    assert at_risk(ratio=D("0.8"), expected=D("0.9")) is False
    assert at_risk(ratio=D("0.95"), expected=D(1), margin=D("0.02")) is True


amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
targets = st.decimals(min_value="0.01", max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
caps = st.decimals(min_value=1, max_value=200, places=0)


@given(a=amounts, b=amounts, target=targets, cap=caps)
def test_linear_is_monotone_and_bounded(a, b, target, cap):
    rule = ScoringRule(kind="linear", cap=cap)
    low, high = sorted([a, b])
    s_low = score(actual=low, target=target, rule=rule)
    s_high = score(actual=high, target=target, rule=rule)
    assert D(0) <= s_low <= s_high <= cap
    # Lower is better: the order turns round, the bounds hold.
    l_low = score(actual=low, target=target, rule=rule, higher_is_better=False)
    l_high = score(actual=high, target=target, rule=rule, higher_is_better=False)
    assert cap >= l_low >= l_high >= D(0)


@given(a=amounts, b=amounts, target=targets)
def test_steps_are_monotone_and_bounded(a, b, target):
    low, high = sorted([a, b])
    s_low = score(actual=low, target=target, rule=STEPS)
    s_high = score(actual=high, target=target, rule=STEPS)
    assert D(0) <= s_low <= s_high <= STEPS.max_score


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 5), max_size=20))
def test_competition_rank_is_one_plus_the_number_strictly_better(scores):
    ranks = competition_ranks({k: D(v) for k, v in scores.items()})
    for key, value in scores.items():
        assert ranks[key] == 1 + sum(1 for other in scores.values() if other > value)
