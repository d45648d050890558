from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.core.errors import InvalidInput
from onezone.personnel import grading
from onezone.personnel.grading import Candidate, IncompleteRatings, Thresholds, apply_quota, grade_for, quota

D = Decimal


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (D("100"), "excellent"),
        (D("90"), "excellent"),
        (D("89.99"), "competent"),
        (D("70"), "competent"),
        (D("69.99"), "basic"),
        (D("60"), "basic"),
        (D("59.99"), "unsatisfactory"),
        (D("0"), "unsatisfactory"),
    ],
)
def test_grade_thresholds(score, grade):
    assert grade_for(score) == grade


def test_thresholds_must_descend():
    with pytest.raises(InvalidInput, match="优秀 > 称职 > 基本称职"):
        Thresholds(excellent=D(70), competent=D(80), basic=D(60))


@pytest.mark.parametrize(("n", "seats"), [(0, 0), (1, 0), (4, 0), (5, 1), (9, 1), (10, 2), (12, 2), (15, 3)])
def test_quota_rounds_down(n, seats):
    assert quota(n, D(20)) == seats


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=0, max_value=2000), percent=st.decimals(min_value=0, max_value=100, places=2))
def test_quota_never_exceeds_the_percentage(n, percent):
    seats = quota(n, percent)
    assert 0 <= seats <= n
    assert D(seats) * 100 <= D(n) * percent
    assert D(seats + 1) * 100 > D(n) * percent  # and is the largest that fits


def test_apply_quota_keeps_highest_and_breaks_ties_by_leader_then_order():
    candidates = [
        Candidate(key="a", score=D("92"), leader=D("90")),
        Candidate(key="b", score=D("95"), leader=D("88")),
        Candidate(key="c", score=D("92"), leader=D("93")),
        Candidate(key="d", score=D("92"), leader=D("93")),
    ]
    kept, demoted = apply_quota(candidates, 2)
    assert kept == {"b", "c"}
    assert demoted == {"a", "d"}
    assert apply_quota(candidates, 0) == (set(), {"a", "b", "c", "d"})
    assert apply_quota(candidates, 10)[1] == set()


def test_score_blends_perspectives_and_reweights_missing_data():
    result = grading.score(
        weights={1: D(60), 2: D(20), 3: D(20)},
        manual={1: {"self": [D(90)], "leader": [D(80)], "peer": [D(70), D(90)]}},
        computed={2: D(100), 3: None},
        final_formula="0.2*self + 0.5*leader + 0.3*peer",
    )
    # indicator 3 has no data: 1 and 2 are re-weighted over 80
    assert result.perspectives == {"self": D("92.50"), "leader": D("85.00"), "peer": D("85.00")}
    assert result.final == D("86.50")


def test_score_reports_missing_ratings_by_name():
    with pytest.raises(IncompleteRatings, match="缺少“工作实绩”的同事互评"):
        grading.score(
            weights={1: D(100)},
            manual={1: {"self": [D(90)], "leader": [D(80)]}},
            computed={},
            final_formula="self",
            labels={1: "工作实绩"},
        )
