"""The pure rules: limits, item checks, version differences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from onezone.powers.rules import (
    committed_limit_problem,
    diff_snapshots,
    item_problems,
    limit_text,
    working_day_equivalent,
)

BASE = {
    "name": "取水许可",
    "implementation_code": "Y001",
    "category": "licensing",
    "legal_limit": 20,
    "legal_limit_unit": "working",
    "committed_limit": 10,
    "committed_limit_unit": "working",
    "handling_type": "promised",
}


def test_working_day_equivalent_of_calendar_days():
    assert [working_day_equivalent(n, "calendar") for n in (0, 1, 2, 3, 7, 8, 9, 10, 14, 30, 60)] == [
        0,
        0,
        0,
        1,
        5,
        5,
        5,
        6,
        10,
        20,
        42,
    ]
    assert working_day_equivalent(15, "working") == 15


def test_committed_longer_than_legal_is_refused_with_the_numbers():
    assert committed_limit_problem(legal=15, legal_unit="working", committed=20, committed_unit="working") == (
        "承诺时限20个工作日超过法定时限15个工作日，请把承诺时限改为不超过法定时限。"
    )
    assert committed_limit_problem(legal=15, legal_unit="working", committed=15, committed_unit="working") is None
    # 30 calendar days hold at least 20 working days: a 20-working-day promise fits, 21 does not.
    assert committed_limit_problem(legal=30, legal_unit="calendar", committed=20, committed_unit="working") is None
    assert committed_limit_problem(legal=30, legal_unit="calendar", committed=21, committed_unit="working") == (
        "承诺时限21个工作日超过法定时限30个自然日，请把承诺时限改为不超过法定时限。"
    )
    assert committed_limit_problem(legal=5, legal_unit="working", committed=7, committed_unit="calendar") is None
    assert committed_limit_problem(legal=5, legal_unit="working", committed=10, committed_unit="calendar")


@given(st.integers(0, 400), st.integers(0, 400), st.sampled_from(["working", "calendar"]))
def test_same_unit_compares_plain_numbers(legal, committed, unit):
    refused = committed_limit_problem(legal=legal, legal_unit=unit, committed=committed, committed_unit=unit)
    assert (refused is not None) == (committed > legal)


@given(st.integers(0, 400), st.integers(0, 400))
def test_calendar_equivalent_is_monotone_and_never_above_the_days(a, b):
    lo, hi = sorted((a, b))
    assert working_day_equivalent(lo, "calendar") <= working_day_equivalent(hi, "calendar")
    assert working_day_equivalent(hi, "calendar") <= hi


def test_a_sound_item_has_no_problems():
    assert item_problems(BASE) == []


def test_item_problems_are_each_explained():
    assert item_problems({**BASE, "handling_type": "instant"}) == [
        "即办件的承诺时限应为0（收到10个工作日），或改为承诺件。"
    ]
    assert item_problems({**BASE, "committed_limit": 0}) == ["承诺件的承诺时限不能为0；当场办结的事项请选择“即办件”。"]
    assert item_problems({**BASE, "handling_type": "instant", "committed_limit": 0}) == []
    assert item_problems({**BASE, "legal_limit": -1}) == ["法定时限应为0或正整数（收到“-1”）。"]
    assert item_problems({**BASE, "legal_limit_unit": "weeks"}) == [
        "法定时限单位应为“工作日”或“自然日”（收到“weeks”）。"
    ]
    assert item_problems({**BASE, "special_procedures": ["hearing", "lottery"]}) == [
        "特别程序“lottery”不在行政许可法第四十五条所列范围内（听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审）。"
    ]
    assert item_problems({**BASE, "name": " ", "implementation_code": ""}) == [
        "事项名称不能为空。",
        "实施编码不能为空。",
    ]


def test_licensing_limits_of_articles_42_and_26():
    assert item_problems({**BASE, "legal_limit": 30})[0].startswith(
        "行政许可（行政许可法第四十二条）的法定时限为20个工作日"
    )
    assert item_problems({**BASE, "legal_limit": 45, "joint_handling": True}) == []
    assert item_problems({**BASE, "legal_limit": 46, "joint_handling": True})[0].startswith(
        "联合办理（行政许可法第二十六条）的法定时限为45个工作日"
    )
    assert item_problems({**BASE, "legal_limit": 60, "legal_limit_note": "取水许可管理办法第二十条"}) == []
    assert item_problems({**BASE, "category": "penalty", "legal_limit": 90}) == []


def test_diff_snapshots_counts_and_fields():
    a = {
        1: {"implementation_code": "A", "name": "甲", "committed_limit": 10, "order": 1},
        2: {"implementation_code": "B", "name": "乙", "committed_limit": 5},
        3: {"implementation_code": "C", "name": "丙", "committed_limit": 5},
    }
    b = {
        1: {"implementation_code": "A", "name": "甲", "committed_limit": 8, "order": 7},
        3: {"implementation_code": "C", "name": "丙", "committed_limit": 5},
        4: {"implementation_code": "D", "name": "丁", "committed_limit": 3},
        5: {"implementation_code": "E", "name": "戊", "committed_limit": 3},
    }
    d = diff_snapshots(a, b, {"committed_limit": "承诺办结时限"})
    assert [x.code for x in d.added] == ["D", "E"]
    assert [x.code for x in d.removed] == ["B"]
    assert [(x.code, [(c.label, c.old, c.new) for c in x.changes]) for x in d.modified] == [
        ("A", [("承诺办结时限", 10, 8)])
    ]
    assert d.summary == "+2 −1, 1 modified"
    assert d.summary_zh == "新增2项、取消1项、调整1项"
    assert limit_text(30, "calendar") == "30个自然日"
