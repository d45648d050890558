"""The policy form: rows with Chinese labels in, the matcher's data out, and back."""

from __future__ import annotations

import pytest

from onezone.policies.forms import (
    AmountRuleField,
    AmountRuleWidget,
    ConditionsField,
    ConditionsWidget,
    clause_to_row,
    tree_to_rows,
)

DEMO_TREES = [
    [
        {"field": "size", "op": "eq", "value": "above"},
        {"field": "industry", "op": "in", "value": ["C"]},
        {"field": "tax", "op": ">=", "value": 2000000, "year": "latest"},
    ],
    [{"field": "tag", "op": "has", "value": "zjtx"}],
    [
        {"field": "rd_ratio", "op": ">=", "value": 3, "year": "latest"},
        {"field": "employees", "op": ">=", "value": 30, "year": 2025},
    ],
    [{"field": "established_within_years", "op": "within", "value": 5}],
    [
        {
            "any": [
                {"field": "tag", "op": "has", "value": "专精特新"},
                {"field": "exports", "op": ">=", "value": 5000000, "year": "previous"},
            ]
        }
    ],
    [],
]


def _post_data(tree, name="conditions"):
    """What a browser posts for the rows the widget shows for ``tree``."""
    mode, rows = tree_to_rows(tree)
    data = {f"{name}-mode": mode}
    for i, row in enumerate(rows):
        for part, text in row.items():
            data[f"{name}-{i}-{part}"] = text
    return data


@pytest.mark.parametrize("tree", DEMO_TREES)
def test_every_flat_tree_survives_the_rows(tree):
    field = ConditionsField(required=False)
    value = ConditionsWidget().value_from_datadict(_post_data(tree), {}, "conditions")
    assert field.clean(value) == tree


def test_money_is_typed_in_wan_and_stored_in_yuan():
    data = {
        "conditions-mode": "all",
        "conditions-0-field": "tax",
        "conditions-0-op": ">=",
        "conditions-0-value": "300",
        "conditions-0-year": "previous",
        "conditions-1-field": "industry",
        "conditions-1-op": "in",
        "conditions-1-value": "C26，C32、 D45",
        "conditions-2-field": "size",
        "conditions-2-op": "eq",
        "conditions-2-value": "规上",
        "conditions-3-field": "energy_per_output",
        "conditions-3-op": "<=",
        "conditions-3-value": "0.35",
        "conditions-3-year": "2025",
    }
    tree = ConditionsField().clean(ConditionsWidget().value_from_datadict(data, {}, "conditions"))
    assert tree == [
        {"field": "tax", "op": ">=", "value": 3000000, "year": "previous"},
        {"field": "industry", "op": "in", "value": ["C26", "C32", "D45"]},
        {"field": "size", "op": "eq", "value": "above"},
        {"field": "energy_per_output", "op": "<=", "value": "0.35", "year": 2025},
    ]
    assert clause_to_row(tree[0])["value"] == "300"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"field": "", "op": ">=", "value": "5"}, "第1行：请选择条件字段。"),
        ({"field": "tax", "op": "in", "value": "5"}, "第1行（纳税额）：请选择比较方式"),
        ({"field": "tax", "op": ">=", "value": ""}, "第1行（纳税额）：请填写值（万元）。"),
        ({"field": "tax", "op": ">=", "value": "三百"}, "第1行（纳税额）：值“三百”不合适，应为万元。"),
        ({"field": "employees", "op": ">=", "value": "-3"}, "应为人"),
        ({"field": "size", "op": "eq", "value": "大型"}, "应为规上 或 规下"),
        ({"field": "tax", "op": ">=", "value": "5", "year": "九"}, "第1行（纳税额）：年度“九”不合适"),
    ],
)
def test_a_bad_row_is_refused_with_its_row_and_field(row, message):
    data = {"conditions-mode": "all", **{f"conditions-0-{k}": v for k, v in row.items()}}
    with pytest.raises(Exception) as caught:
        ConditionsField().clean(ConditionsWidget().value_from_datadict(data, {}, "conditions"))
    assert message in " ".join(caught.value.messages)


def test_a_nested_tree_is_shown_as_text_and_kept_unchanged():
    nested = [
        {
            "not": {
                "any": [
                    {"field": "tag", "op": "has", "value": "zjtx"},
                    {"field": "park", "op": "in", "value": ["hexipu"]},
                ]
            }
        }
    ]
    assert tree_to_rows(nested) is None
    html = ConditionsWidget().render("conditions", nested)
    assert "表单无法逐行显示" in html and "原样保留" in html
    import json

    kept = ConditionsWidget().value_from_datadict({"conditions-keep": json.dumps(nested)}, {}, "conditions")
    assert ConditionsField().clean(kept) == nested


def test_the_rows_render_with_chinese_labels_and_the_description():
    html = ConditionsWidget().render("conditions", DEMO_TREES[0])
    assert "纳税额" in html and "大于等于 ≥" in html and "最近有数据的年度" in html
    assert "企业规模为规模以上工业企业" in html  # the description the enterprise reads
    assert 'value="200"' in html  # 2,000,000 yuan shown as 200 万元


@pytest.mark.parametrize(
    ("rule", "posted"),
    [
        ({"kind": "fixed", "amount": 300000}, ["fixed", "30", "", "previous", "", ""]),
        (
            {"kind": "rate", "metric": "tax", "year": "previous", "rate": "0.05", "cap": 500000},
            ["rate", "", "tax", "previous", "5", "50"],
        ),
        (
            {"kind": "rate", "metric": "employees", "year": "latest", "rate": "500", "cap": 200000},
            ["rate", "", "employees", "latest", "500", "20"],
        ),
        ({"kind": "none"}, ["none", "", "", "previous", "", ""]),
    ],
)
def test_the_amount_rule_round_trips(rule, posted):
    assert AmountRuleWidget().decompress(rule)[0] == rule["kind"]
    assert AmountRuleField(required=False).clean(posted) == rule
    shown = AmountRuleWidget().decompress(rule)
    assert AmountRuleField(required=False).clean(shown) == rule


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (["fixed", "", "", "previous", "", ""], "定额兑现须填写定额（万元）"),
        (["fixed", "-1", "", "previous", "", ""], "定额应大于 0"),
        (["rate", "", "", "previous", "5", ""], "须选择计算依据"),
        (["rate", "", "tax", "previous", "五", ""], "不是数字"),
        (["rate", "", "tax", "1800", "5", ""], "金额规则：年度“1800”不合适"),
    ],
)
def test_a_bad_amount_rule_says_what_to_fill(posted, message):
    with pytest.raises(Exception) as caught:
        AmountRuleField(required=False).clean(posted)
    assert message in " ".join(caught.value.messages)
