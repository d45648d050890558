from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.assessment.evaluation import (
    Node,
    TreeError,
    check_tree,
    evaluate,
    leaf_options,
    normalise,
    tree_from_rows,
    what_if,
)

TREE = Node(
    key="root",
    name="综合",
    children=(
        Node(
            key="A",
            name="甲",
            weight=D(60),
            children=(
                Node(key="a1", name="甲一", weight=D(50), method="minmax"),
                Node(key="a2", name="甲二", weight=D(50), method="ratio", higher_is_better=False),
            ),
        ),
        Node(key="B", name="乙", weight=D(40), children=(Node(key="b1", name="乙一", weight=D(100), method="zscore"),)),
    ),
)
VALUES = {
    "X": {"a1": D(10), "a2": D(2), "b1": D(1)},
    "Y": {"a1": D(20), "a2": D(4), "b1": D(2)},
    "Z": {"a1": D(30), "a2": D(8), "b1": D(3)},
}


def test_normalisation_methods_exact():
    values = {"x": D(10), "y": D(20), "z": D(30), "m": None}
    assert normalise(values, method="minmax") == {"x": D(0), "y": D(50), "z": D(100), "m": None}
    assert normalise(values, method="minmax", higher_is_better=False) == {"x": D(100), "y": D(50), "z": D(0), "m": None}
    ratio = normalise(values, method="ratio")
    assert ratio["z"] == D(100) and ratio["x"].quantize(D("0.0001")) == D("33.3333")
    lower = normalise({"x": D(2), "y": D(4), "z": D(8)}, method="ratio", higher_is_better=False)
    assert lower == {"x": D(100), "y": D(50), "z": D(25)}
    z = normalise({"x": D(1), "y": D(2), "z": D(3)}, method="zscore")
    assert z["y"] == D(50)
    assert z["x"].quantize(D("0.0001")) == D("29.5876") and z["z"].quantize(D("0.0001")) == D("70.4124")
    assert normalise({"x": D(5), "y": D(5)}, method="minmax") == {"x": D(100), "y": D(100)}
    assert normalise({"x": D(5), "y": D(5)}, method="zscore") == {"x": D(50), "y": D(50)}


def test_zscore_is_clamped_to_0_100():
    values = {i: D(0) for i in range(20)} | {"far": D(1000)}
    points = normalise(values, method="zscore")
    assert points["far"] == D(100)


def test_composite_scores_and_ranks_exact():
    result = evaluate(TREE, VALUES)
    assert {k: v.score for k, v in result.items()} == {"X": D("41.84"), "Y": D("50.00"), "Z": D("65.66")}
    assert {k: v.rank for k, v in result.items()} == {"X": 3, "Y": 2, "Z": 1}
    assert result["Z"].node_points["A"] == D("62.50")
    assert result["X"].leaf_points == {"a1": D("0.00"), "a2": D("100.00"), "b1": D("29.59")}
    assert all(v.complete for v in result.values())


def test_missing_value_scores_zero_and_marks_incomplete():
    values = {**VALUES, "X": {"a1": D(10), "a2": D(2), "b1": None}}
    result = evaluate(TREE, values, missing_rule="zero")
    assert {k: v.score for k, v in result.items()} == {"X": D("30.00"), "Y": D("43.33"), "Z": D("64.17")}
    assert {k: v.rank for k, v in result.items()} == {"Z": 1, "Y": 2, "X": 3}
    assert result["X"].complete is False and result["X"].missing == ("b1",)
    assert result["X"].leaf_points["b1"] is None


def test_missing_value_renormalised_changes_the_ranking():
    values = {**VALUES, "X": {"a1": D(10), "a2": D(2), "b1": None}}
    result = evaluate(TREE, values, missing_rule="renormalise")
    assert {k: v.score for k, v in result.items()} == {"X": D("50.00"), "Y": D("43.33"), "Z": D("64.17")}
    assert {k: v.rank for k, v in result.items()} == {"Z": 1, "X": 2, "Y": 3}
    assert result["X"].complete is False


def test_zone_without_any_value():
    values = {**VALUES, "W": {}}
    assert evaluate(TREE, values, missing_rule="zero")["W"].score == D("0.00")
    renormalised = evaluate(TREE, values, missing_rule="renormalise")["W"]
    assert renormalised.score is None and renormalised.rank is None


def test_ties_share_a_rank_and_the_next_rank_skips():
    tree = Node(key="r", name="r", children=(Node(key="x", name="x", weight=D(100)),))
    values = {"A": {"x": D(10)}, "B": {"x": D(20)}, "C": {"x": D(20)}, "D": {"x": D(5)}}
    result = evaluate(tree, values)
    assert {k: v.rank for k, v in result.items()} == {"B": 1, "C": 1, "A": 3, "D": 4}
    assert result["A"].score == D("33.33")


def test_tree_weights_must_sum_to_100():
    bad = Node(
        key="r",
        name="综合",
        children=(Node(key="a", name="甲", weight=D(60)), Node(key="b", name="乙", weight=D(39), method="rank")),
    )
    with pytest.raises(TreeError) as err:
        check_tree(bad)
    assert err.value.problems == [
        "“综合”的下级指标权重合计为 99%，应为 100%。",
        "指标“乙”的标准化方法“rank”无效，应为 minmax、zscore 或 ratio。",
    ]


def test_tree_from_rows():
    tree = tree_from_rows(
        [
            {"key": "r", "parent": None, "name": "综合"},
            {"key": "b", "parent": "r", "name": "乙", "weight": "40", "order": 2},
            {"key": "a", "parent": "r", "name": "甲", "weight": "60", "order": 1, "higher_is_better": False},
        ]
    )
    assert [c.key for c in tree.children] == ["a", "b"]
    assert tree.children[0].higher_is_better is False
    check_tree(tree)
    with pytest.raises(TreeError, match="有且只有一个根节点"):
        tree_from_rows([{"key": "a", "parent": None, "name": "a"}, {"key": "b", "parent": None, "name": "b"}])


TWO = Node(
    key="r",
    name="r",
    children=(
        Node(key="p", name="产值", weight=D(50), method="ratio"),
        Node(key="q", name="税收", weight=D(50), method="ratio"),
    ),
)
FOUR = {
    "A": {"p": D(10), "q": D(10)},
    "B": {"p": D(20), "q": D(24)},
    "C": {"p": D(40), "q": D(12)},
    "D": {"p": D(40), "q": D(40)},
}


def test_what_if_moves_score_and_rank():
    result = what_if(TWO, FOUR, "B", {"p": D(30)})
    assert (result.score_before, result.rank_before) == (D("55.00"), 3)
    assert (result.score_after, result.rank_after) == (D("67.50"), 2)
    assert result.places_gained == 1


def test_leaf_options_say_what_moves_a_zone_up():
    options = leaf_options(TWO, FOUR, "B", improvement_pct=D(10))
    assert [(o.key, o.improved, o.rank_after, o.places_gained, o.needed, o.needed_change_pct) for o in options] == [
        ("q", D("26.40"), 3, 0, D("32.00"), D("33.33")),
        ("p", D("22.00"), 3, 0, D("28.00"), D("40.00")),
    ]
    bigger = leaf_options(TWO, FOUR, "B", improvement_pct=D(50))
    assert [(o.key, o.places_gained) for o in bigger] == [("q", 1), ("p", 1)]


def test_leaf_options_for_the_leader_and_for_a_missing_value():
    assert all(o.needed is None for o in leaf_options(TWO, FOUR, "D"))
    values = {**FOUR, "A": {"p": D(10), "q": None}}
    missing = {o.key: o for o in leaf_options(TWO, values, "A")}
    assert missing["q"].current is None and missing["q"].improved is None


def test_lower_is_better_needs_a_lower_value():
    tree = Node(
        key="r",
        name="r",
        children=(Node(key="e", name="能耗", weight=D(100), method="ratio", higher_is_better=False),),
    )
    values = {"A": {"e": D("0.5")}, "B": {"e": D("1.0")}, "C": {"e": D("2.0")}}
    options = leaf_options(tree, values, "C")
    assert options[0].needed == D("1.00") and options[0].needed_change_pct == D("-50.00")
    assert options[0].improved == D("1.80")


def test_a_share_is_never_proposed_above_its_maximum():
    tree = Node(
        key="r",
        name="r",
        children=(Node(key="t", name="按时办结率", weight=D(100), method="ratio", unit="%", maximum=D(100)),),
    )
    values = {"A": {"t": D("100")}, "B": {"t": D("99.8")}, "C": {"t": D("95")}}
    [second] = leaf_options(tree, values, "B", improvement_pct=D(10))
    assert (second.improved, second.needed, second.rank_after) == (D("100.00"), D("100.00"), 1)  # not 109.78
    unbounded = Node(key="r", name="r", children=(Node(key="t", name="t", weight=D(100), method="ratio"),))
    assert leaf_options(unbounded, values, "B", improvement_pct=D(10))[0].improved == D("109.78")


@pytest.mark.parametrize(("maximum", "needed"), [(D(100), None), (None, D("124.97"))])
def test_a_place_that_only_a_share_over_its_maximum_would_win_is_not_proposed(maximum, needed):
    tree = Node(
        key="r",
        name="r",
        children=(
            Node(key="t", name="按时办结率", weight=D(50), method="ratio", maximum=maximum),
            Node(key="s", name="s", weight=D(50), method="ratio"),
        ),
    )
    values = {"A": {"t": D("50"), "s": D(100)}, "C": {"t": D("99"), "s": D(40)}}
    options = {o.key: o for o in leaf_options(tree, values, "C", improvement_pct=D(10))}
    assert options["t"].needed == needed
    assert options["s"].needed == D("50.49")


def test_the_tree_reads_a_maximum_from_its_rows():
    rows = [
        {"key": "r", "parent": None, "name": "r"},
        {"key": "t", "parent": "r", "name": "t", "weight": 100, "maximum": "100"},
        {"key": "u", "parent": "r", "name": "u", "weight": 0},
    ]
    tree = tree_from_rows(rows)
    assert [leaf.maximum for leaf in tree.leaves()] == [D(100), None]


zone_values = st.lists(st.decimals(min_value=0, max_value=1000, places=1), min_size=2, max_size=8)


@settings(max_examples=60, deadline=None)
@given(p=zone_values, q=zone_values, method=st.sampled_from(["minmax", "ratio"]), rise=st.integers(1, 500))
def test_improving_a_value_never_costs_places(p, q, method, rise):
    tree = Node(
        key="r",
        name="r",
        children=(Node(key="p", name="p", weight=D(70), method=method), Node(key="q", name="q", weight=D(30))),
    )
    n = min(len(p), len(q))
    values = {i: {"p": p[i], "q": q[i]} for i in range(n)}
    before = evaluate(tree, values)
    for result in before.values():
        assert D(0) <= result.score <= D(100)
        assert result.rank == 1 + sum(1 for other in before.values() if other.score > result.score)
    after = what_if(tree, values, 0, {"p": p[0] + rise})
    assert after.rank_after <= after.rank_before
