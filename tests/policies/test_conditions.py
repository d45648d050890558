"""The pure eligibility engine: exact reasons, validation messages and properties."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.policies.amounts import compute_amount, validate_amount_rule
from onezone.policies.conditions import (
    FIELDS,
    ConditionError,
    EnterpriseFacts,
    Labels,
    ProjectFacts,
    YearFigures,
    describe,
    evaluate,
    validate,
)

LABELS = Labels(
    industries={"C26": "化学原料和化学制品制造业", "C32": "有色金属冶炼和压延加工业"},
    parks={"hexipu": "河西堡工业园", "dongzhai": "东寨工业园"},
    tags={"zjtx": "专精特新"},
)

CHEMICAL = EnterpriseFacts(
    enterprise_id=1,
    name="金化科技",
    as_of=dt.date(2026, 3, 1),
    industry_code="C2614",
    park_code="hexipu",
    park_name="河西堡工业园",
    above_designated_size=True,
    tags=frozenset({"高新技术企业", "gxjs"}),
    established=dt.date(2024, 5, 1),
    years={
        2025: YearFigures(
            output_value=Decimal("80000000"),
            revenue=Decimal("50000000"),
            tax=Decimal("3200000"),
            employees=120,
            energy_use=Decimal("1200"),
            rd_spend=Decimal("1600000"),
            exports=Decimal("0"),
        )
    },
    projects=(
        ProjectFacts("年产5万吨氟化盐项目", funds_in_place={2025: Decimal("52000000")}),
        ProjectFacts("仓储扩建", funds_in_place={2024: Decimal("3000000")}),
    ),
)


def test_each_clause_says_why_it_passed():
    ok, reasons = evaluate(
        [
            {"field": "industry", "op": "in", "value": ["C26"]},
            {"field": "tax", "op": ">=", "value": 3000000, "year": 2025},
            {"field": "park", "op": "in", "value": "hexipu"},
            {"field": "size", "op": "eq", "value": "above"},
            {"field": "tag", "op": "has", "value": "高新技术企业"},
            {"field": "established_within_years", "value": 3},
            {"field": "rd_ratio", "op": ">=", "value": 3, "year": "previous"},
            {"field": "energy_per_output", "op": "<=", "value": "0.2", "year": "latest"},
            {"field": "employees", "op": ">", "value": 100, "year": 2025},
            {"field": "project_funds_in_place", "op": ">=", "value": 50000000, "year": 2025},
            {"field": "project_count", "op": ">=", "value": 1},
        ],
        CHEMICAL,
        labels=LABELS,
    )
    assert ok is True
    assert reasons == [
        "行业代码 C2614 属于 C26 化学原料和化学制品制造业 ✓",
        "2025年纳税额 320.00万元 ≥ 300万元 ✓",
        "所在园区为河西堡工业园 ✓",
        "规模以上工业企业 ✓",
        "已获得“高新技术企业”称号 ✓",
        "成立于2024-05-01，在3年以内 ✓",
        "2025年研发投入强度 3.20% ≥ 3% ✓",
        "2025年单位产值能耗 0.150吨标准煤/万元 ≤ 0.2吨标准煤/万元 ✓",
        "2025年从业人数 120人 > 100人 ✓",
        "项目“年产5万吨氟化盐项目”2025年到位资金 5,200.00万元 ≥ 5,000万元 ✓",
        "招商项目 2个 ≥ 1个 ✓",
    ]


def test_each_clause_says_why_it_failed():
    ok, reasons = evaluate(
        [
            {"field": "industry", "op": "in", "value": ["C32", "C13"]},
            {"field": "tax", "op": ">=", "value": 5000000, "year": 2025},
            {"field": "park", "op": "in", "value": ["dongzhai"]},
            {"field": "size", "op": "eq", "value": "below"},
            {"field": "tag", "op": "has", "value": "zjtx"},
            {"field": "tag", "op": "has_not", "value": "高新技术企业"},
            {"field": "established_within_years", "op": "not_within", "value": 5},
            {"field": "exports", "op": ">", "value": 0, "year": 2025},
        ],
        CHEMICAL,
        labels=LABELS,
    )
    assert ok is False
    assert reasons == [
        "行业代码 C2614 不属于 C32 有色金属冶炼和压延加工业、C13 ✗",
        "2025年纳税额 320.00万元 < 500万元（要求 ≥ 500万元）✗",
        "所在园区为河西堡工业园，不在东寨工业园 ✗",
        "规模以上工业企业，要求为规模以下企业 ✗",
        "未获得“专精特新”称号 ✗",
        "已获得“高新技术企业”称号 ✗",
        "成立于2024-05-01，在5年以内 ✗",
        "2025年出口额 0.00万元 ≤ 0万元（要求 > 0万元）✗",
    ]


def test_missing_figures_fail_with_a_clear_reason():
    ok, reasons = evaluate(
        [
            {"field": "tax", "op": ">=", "value": 1, "year": 2024},
            {"field": "revenue", "op": ">=", "value": 1},  # previous year of 2026-03-01: 2025, present
        ],
        CHEMICAL,
    )
    assert ok is False
    assert reasons == ["缺少2024年度数据 ✗", "2025年营业收入 5,000.00万元 ≥ 0.0001万元 ✓"]
    bare = EnterpriseFacts(enterprise_id=2, name="新企", as_of=dt.date(2026, 3, 1))
    assert evaluate([{"field": "tax", "op": ">", "value": 0, "year": "latest"}], bare) == (False, ["缺少年度数据 ✗"])
    assert evaluate([{"field": "tax", "op": ">", "value": 0}], bare) == (False, ["缺少2025年度数据 ✗"])
    assert evaluate([{"field": "industry", "op": "in", "value": "C"}], bare) == (False, ["未登记行业代码 ✗"])
    assert evaluate([{"field": "established_within_years", "value": 1}], bare) == (False, ["未登记成立日期 ✗"])
    assert evaluate([{"field": "project_funds_in_place", "op": ">", "value": 0}], bare) == (
        False,
        ["没有登记招商引资项目 ✗"],
    )
    no_revenue = EnterpriseFacts(
        enterprise_id=3, name="零收入", as_of=dt.date(2026, 1, 1), years={2025: YearFigures(rd_spend=Decimal(5))}
    )
    assert evaluate([{"field": "rd_ratio", "op": ">", "value": 1}], no_revenue) == (
        False,
        ["缺少2025年度研发投入强度数据 ✗"],
    )


def test_combinators_show_their_own_result_and_indent_their_clauses():
    ok, reasons = evaluate(
        {
            "all": [
                {
                    "any": [
                        {"field": "tag", "op": "has", "value": "专精特新"},
                        {"field": "tag", "op": "has", "value": "高新技术企业"},
                    ]
                },
                {"not": {"field": "industry", "op": "in", "value": ["C25"]}},
            ]
        },
        CHEMICAL,
    )
    assert ok is True
    assert reasons == [
        "满足以下条件之一 ✓",
        "　未获得“专精特新”称号 ✗",
        "　已获得“高新技术企业”称号 ✓",
        "不得满足以下条件 ✓",
        "　行业代码 C2614 不属于 C25 ✗",
    ]


def test_no_conditions_means_everyone_qualifies():
    assert evaluate([], CHEMICAL) == (True, ["不设资格条件 ✓"])


def test_established_within_counts_from_the_evaluation_date_and_handles_29_february():
    leap = EnterpriseFacts(enterprise_id=4, name="闰", as_of=dt.date(2028, 2, 29), established=dt.date(2025, 2, 28))
    assert evaluate([{"field": "established_within_years", "value": 3}], leap)[0] is True
    later = EnterpriseFacts(enterprise_id=4, name="闰", as_of=dt.date(2028, 2, 29), established=dt.date(2025, 2, 27))
    assert evaluate([{"field": "established_within_years", "value": 3}], later) == (
        False,
        ["成立于2025-02-27，已超过3年 ✗"],
    )


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([{"field": "taxx", "op": ">", "value": 1}], "第1条条件：未知的字段“taxx”。可用字段：行业（industry）"),
        (
            [{"field": "industry", "op": "in", "value": "C"}, {"all": [{"field": "tax", "op": "~", "value": 1}]}],
            "第2条条件中的第1项（纳税额）：不支持的运算符“~”，可用：>=、>、<=、<、=。",
        ),
        ([{"field": "tax", "op": ">", "value": 1, "yaer": 2025}], "第1条条件（纳税额）：不认识的键“yaer”"),
        ([{"field": "tax", "op": ">"}], "第1条条件（纳税额）：缺少“value”（比较的值）。"),
        ([{"field": "size", "op": "eq", "value": "big"}], "第1条条件（企业规模）：值“big”不合适。应为 above"),
        ([{"field": "tax", "op": ">", "value": "abc"}], "第1条条件（纳税额）：值“abc”不合适。"),
        ([{"field": "tax", "op": ">", "value": 1, "year": "last"}], "第1条条件（纳税额）：年度“last”不合适"),
        ([{"field": "tag", "op": "has", "value": "x", "year": 2025}], "该字段不按年度比较"),
        ([{"any": []}], "第1条条件：“any”后面应为至少包含一个条件的列表。"),
        ([{"not": [{"field": "tag", "op": "has", "value": "x"}]}], "“not”后面应为一个条件，不是列表"),
        ([{"any": [{"field": "tag", "op": "has", "value": "x"}], "field": "tax"}], "组合条件只能有"),
        (["tax>1"], "第1条条件应为一个对象"),
        (None, "条件不能为空"),
    ],
)
def test_malformed_conditions_are_refused_naming_the_clause(conditions, message):
    with pytest.raises(ConditionError) as err:
        validate(conditions)
    assert message in err.value.message


def test_describe_reads_the_conditions_aloud():
    assert describe(
        [
            {"field": "industry", "op": "in", "value": ["C26", "C32"]},
            {"field": "tax", "op": ">=", "value": 3000000},
            {"any": [{"field": "tag", "op": "has", "value": "zjtx"}, {"field": "size", "op": "eq", "value": "above"}]},
        ],
        labels=LABELS,
    ) == [
        "行业属于C26 化学原料和化学制品制造业、C32 有色金属冶炼和压延加工业",
        "上一年度纳税额 ≥ 300万元",
        "满足以下条件之一：",
        "　已获得“专精特新”称号",
        "　企业规模为规模以上工业企业",
    ]


def test_amount_rules():
    assert compute_amount({"kind": "fixed", "amount": 200000}, CHEMICAL).value == Decimal("200000.00")
    capped = compute_amount({"kind": "rate", "metric": "tax", "year": 2025, "rate": "0.1", "cap": 300000}, CHEMICAL)
    assert capped.value == Decimal("300000.00")
    assert capped.explanation == "2025年纳税额 320.00万元 × 10% = 32.00万元，超过封顶 30万元，按 30.00万元 计"
    per_head = compute_amount({"kind": "rate", "metric": "employees", "rate": "500"}, CHEMICAL)
    assert (per_head.value, per_head.explanation) == (Decimal("60000.00"), "2025年从业人数 120人 × 500元/人 = 6.00万元")
    funds = compute_amount(
        {"kind": "rate", "metric": "project_funds_in_place", "year": 2025, "rate": "0.005"}, CHEMICAL
    )
    assert (funds.value, funds.explanation) == (
        Decimal("260000.00"),
        "2025年项目到位资金 5,200.00万元 × 0.5% = 26.00万元",
    )
    missing = compute_amount({"kind": "rate", "metric": "tax", "year": 2024, "rate": "0.1"}, CHEMICAL)
    assert (missing.value, missing.explanation) == (None, "缺少2024年度数据，无法计算金额")
    assert compute_amount({"kind": "none"}, CHEMICAL).value is None
    for bad in ({"kind": "gift"}, {"kind": "fixed", "amount": -1}, {"kind": "rate", "metric": "rd_ratio", "rate": 1}):
        with pytest.raises(ConditionError):
            validate_amount_rule(bad)


# --- properties ------------------------------------------------------------------------------

_money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
_years = st.sampled_from([2023, 2024, 2025])

_leaf = st.one_of(
    st.builds(
        lambda op, codes: {"field": "industry", "op": op, "value": codes},
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from(["C", "C26", "C2614", "C32", "D44"]), min_size=1, max_size=3),
    ),
    st.builds(
        lambda op, code: {"field": "park", "op": op, "value": [code]},
        st.sampled_from(["in", "not_in"]),
        st.sampled_from(["hexipu", "dongzhai"]),
    ),
    st.builds(lambda v: {"field": "size", "op": "eq", "value": v}, st.sampled_from(["above", "below"])),
    st.builds(
        lambda op, tag: {"field": "tag", "op": op, "value": tag},
        st.sampled_from(["has", "has_not"]),
        st.sampled_from(["专精特新", "高新技术企业"]),
    ),
    st.builds(
        lambda metric, op, value, year: {"field": metric, "op": op, "value": str(value), "year": year},
        st.sampled_from(["tax", "revenue", "output_value", "exports", "rd_ratio", "energy_per_output"]),
        st.sampled_from([">=", ">", "<=", "<", "="]),
        _money,
        st.one_of(_years, st.sampled_from(["previous", "latest"])),
    ),
)

_figures = st.builds(
    YearFigures,
    output_value=_money,
    revenue=_money,
    tax=_money,
    employees=st.integers(0, 5000),
    energy_use=_money,
    rd_spend=_money,
    exports=_money,
)

_facts = st.builds(
    EnterpriseFacts,
    enterprise_id=st.integers(1, 10**6),
    name=st.just("企业"),
    as_of=st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    industry_code=st.sampled_from(["", "C2614", "C3216", "D4411", "C1351"]),
    park_code=st.sampled_from(["", "hexipu", "dongzhai"]),
    above_designated_size=st.booleans(),
    tags=st.frozensets(st.sampled_from(["专精特新", "高新技术企业"])),
    established=st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2026, 1, 1))),
    years=st.dictionaries(_years, _figures, max_size=3),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_leaf, min_size=1, max_size=5), _facts)
def test_not_any_equals_all_of_negations(clauses, facts):
    left, _ = evaluate({"not": {"any": clauses}}, facts)
    right, _ = evaluate({"all": [{"not": clause} for clause in clauses]}, facts)
    assert left == right


@settings(max_examples=150, deadline=None)
@given(st.lists(_leaf, min_size=1, max_size=5), _facts)
def test_not_all_equals_any_of_negations(clauses, facts):
    left, _ = evaluate({"not": {"all": clauses}}, facts)
    right, _ = evaluate({"any": [{"not": clause} for clause in clauses]}, facts)
    assert left == right


@settings(max_examples=100, deadline=None)
@given(st.lists(_leaf, min_size=0, max_size=6), _facts)
def test_evaluation_is_deterministic_and_gives_one_reason_per_clause(clauses, facts):
    first = evaluate(clauses, facts, labels=LABELS)
    assert first == evaluate(list(clauses), facts, labels=LABELS)
    ok, reasons = first
    assert len(reasons) == max(1, len(clauses))
    assert all(reason.endswith(("✓", "✗")) for reason in reasons)
    assert ok == all(reason.endswith("✓") for reason in reasons)


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(lambda name: name not in FIELDS), _facts)
def test_unknown_fields_are_refused(name, facts):
    with pytest.raises(ConditionError, match="未知的字段"):
        evaluate([{"field": name, "op": ">=", "value": 1}], facts)


@settings(max_examples=100, deadline=None)
@given(_leaf, _facts)
def test_double_negation_changes_nothing(clause, facts):
    assert evaluate({"not": {"not": clause}}, facts)[0] == evaluate([clause], facts)[0]
