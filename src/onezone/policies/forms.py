"""The policy form: conditions and the amount rule edited as rows with Chinese labels, stored as data.

An official fills one row per condition (字段, 比较, 值, 年度) and says whether all rows or any one of
them must hold; money is typed in 万元. The form turns the rows into the JSON tree that
``conditions.evaluate`` reads, and a stored tree back into rows, so the stored data stays what the
matcher checks. A tree the rows cannot show (nested combinations, made through the API) is shown as
text and kept unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from onezone.core.money import WAN
from onezone.policies.amounts import AMOUNT_KINDS, RATE_METRICS, validate_amount_rule
from onezone.policies.conditions import (
    FIELDS,
    METRICS,
    SIZES,
    YEARLY_FIELDS,
    ConditionError,
    describe,
    validate,
)
from onezone.policies.models import Policy

MAX_ROWS = 20
BLANK_ROWS = 2
MONEY_FIELDS = {name for name, metric in METRICS.items() if metric.unit == "money"} | {"project_funds_in_place"}
WHOLE_FIELDS = {"established_within_years", "project_count", "employees"}
UNITS = {"money": "万元", "people": "人", "tce": "吨标准煤", "intensity": "吨标准煤/万元", "percent": "%"}
VALUE_HINTS = {
    "industry": "行业代码，多个用逗号分隔（如 C26, C32）",
    "park": "园区代码，多个用逗号分隔",
    "size": "规上 或 规下",
    "tag": "称号名称或代码（如 专精特新）",
    "established_within_years": "年",
    "project_count": "个",
    "project_funds_in_place": "万元",
    **{name: UNITS[metric.unit] for name, metric in METRICS.items()},
}
OPERATOR_CHOICES = [
    ("", "—"),
    ("in", "属于"),
    ("not_in", "不属于"),
    ("eq", "为"),
    ("has", "具有"),
    ("has_not", "不具有"),
    ("within", "不超过（年）"),
    ("not_within", "超过（年）"),
    (">=", "大于等于 ≥"),
    (">", "大于 >"),
    ("<=", "小于等于 ≤"),
    ("<", "小于 <"),
    ("=", "等于 ="),
]
OPERATOR_LABELS = dict(OPERATOR_CHOICES)
MODE_CHOICES = [("all", "须全部满足"), ("any", "满足任一条即可")]
SIZE_WORDS = {
    "above": "above",
    "规上": "above",
    "规模以上": "above",
    SIZES["above"]: "above",
    "below": "below",
    "规下": "below",
    "规模以下": "below",
    SIZES["below"]: "below",
}
_SPLIT = re.compile(r"[\s,，、;；]+")


def year_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    this_year = (today or timezone.localdate()).year
    years = [(str(y), f"{y}年") for y in range(this_year + 1, 2014, -1)]
    return [("previous", "上一年度"), ("latest", "最近有数据的年度"), *years]


ROW_YEAR_CHOICES_HEAD = [("", "—（不按年度的字段）")]


def _year(text: str, where: str) -> str | int:
    """``previous``, ``latest`` or a year between 1949 and 2200, as the conditions store it."""
    if text in {"previous", "latest"}:
        return text
    if text.isdigit() and 1949 <= int(text) <= 2200:
        return int(text)
    raise ValidationError(f"{where}：年度“{text[:10]}”不合适，请从列表中选择上一年度、最近有数据的年度或某一年。")


def _plain(value: Decimal) -> str:
    """A number for an input box: no thousands separators, no exponent, no trailing zeros."""
    value = value.normalize()
    return f"{value:f}"


def _stored_number(value: Decimal) -> int | str:
    """Integers stay JSON integers (as the stored examples are); other figures are exact strings."""
    value = value.normalize()
    return int(value) if value == value.to_integral_value() else f"{value:f}"


def _number(text: str) -> Decimal:
    value = Decimal(text.strip().replace(",", "").replace("，", ""))
    if not value.is_finite():
        raise InvalidOperation
    return value


# ---------------------------------------------------------------------------------------------
# Conditions: tree ↔ rows


def clause_to_row(node: Any) -> dict[str, str] | None:
    """One stored clause as the texts of a form row; None for a combination the rows cannot show."""
    if not isinstance(node, dict) or "field" not in node:
        return None
    name = node["field"]
    value = node.get("value")
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif name in MONEY_FIELDS:
        text = _plain(Decimal(str(value)) / WAN)
    elif name == "size":
        text = {"above": "规上", "below": "规下"}.get(value, str(value))
    else:
        text = str(value)
    year = node.get("year", "previous") if name in YEARLY_FIELDS else ""
    return {"field": name, "op": node.get("op", ""), "value": text, "year": str(year)}


def tree_to_rows(conditions: Any) -> tuple[str, list[dict[str, str]]] | None:
    """``(mode, rows)`` for a tree the form can show, else None."""
    if conditions in (None, [], {}):
        return "all", []
    mode, nodes = "all", conditions
    if isinstance(conditions, dict):
        key = next(iter(conditions), None)
        if key not in ("all", "any") or len(conditions) != 1:
            return None
        mode, nodes = key, conditions[key]
    elif len(conditions) == 1 and isinstance(conditions[0], dict) and set(conditions[0]) == {"any"}:
        mode, nodes = "any", conditions[0]["any"]
    if not isinstance(nodes, list):
        return None
    rows = [clause_to_row(node) for node in nodes]
    if any(row is None for row in rows):
        return None
    return mode, rows  # type: ignore[return-value]


def row_to_clause(row: dict[str, str], number: int) -> dict[str, Any]:
    """The clause of one filled row; ``ValidationError`` naming the row and what to fix."""
    name = row.get("field", "")
    if name not in FIELDS:
        raise ValidationError(f"第{number}行：请选择条件字段。")
    label, ops = FIELDS[name]
    where = f"第{number}行（{label}）"
    op = row.get("op", "")
    if op not in ops:
        allowed = "、".join(OPERATOR_LABELS[o] for o in ops)
        raise ValidationError(f"{where}：请选择比较方式，可选：{allowed}。")
    text = row.get("value", "").strip()
    if not text:
        raise ValidationError(f"{where}：请填写值（{VALUE_HINTS[name]}）。")
    clause: dict[str, Any] = {"field": name, "op": op}
    try:
        if name in {"industry", "park"}:
            clause["value"] = [code for code in _SPLIT.split(text) if code]
        elif name == "size":
            clause["value"] = SIZE_WORDS[text]
        elif name == "tag":
            clause["value"] = text
        elif name in WHOLE_FIELDS:
            clause["value"] = int(text)
            if clause["value"] < 0:
                raise ValueError
        else:
            figure = _number(text)
            if figure < 0:
                raise ValueError
            clause["value"] = _stored_number(figure * WAN if name in MONEY_FIELDS else figure)
    except (KeyError, ValueError, InvalidOperation) as exc:
        raise ValidationError(f"{where}：值“{text[:40]}”不合适，应为{VALUE_HINTS[name]}。") from exc
    if name in YEARLY_FIELDS:
        clause["year"] = _year(row.get("year") or "previous", where)
    return clause


def rows_to_tree(mode: str, clauses: list[dict[str, Any]]) -> list[Any]:
    if mode == "any" and len(clauses) > 1:
        return [{"any": clauses}]
    return clauses


class ConditionsWidget(forms.Widget):
    """Rows of 字段 / 比较 / 值 / 年度 with a choice of all-or-any; a tree it cannot show is kept."""

    template_name = "policies/widgets/conditions.html"

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        if isinstance(value, dict) and "rows" in value:
            shown: tuple[str, list[dict[str, str]]] | None = (value.get("mode", "all"), value["rows"])
            kept = value.get("keep")
        else:
            shown, kept = tree_to_rows(value), None
            if shown is None:
                kept = json.dumps(value, ensure_ascii=False)
        context["widget"]["kept"] = kept
        try:
            context["widget"]["description"] = describe(json.loads(kept) if kept else _tree_of(shown))
        except (ConditionError, ValidationError, ValueError, TypeError):
            context["widget"]["description"] = []
        if kept:
            return context
        mode, rows = shown or ("all", [])
        rows = [*rows, *({} for _ in range(BLANK_ROWS))][:MAX_ROWS]
        field_choices = [("", "—"), *((key, label) for key, (label, _ops) in FIELDS.items())]
        years = [*ROW_YEAR_CHOICES_HEAD, *year_choices()]
        context["widget"]["mode"] = UnfoldAdminSelectWidget(choices=MODE_CHOICES).render(f"{name}-mode", mode)
        context["widget"]["rows"] = [
            {
                "number": i + 1,
                "field": UnfoldAdminSelectWidget(choices=field_choices).render(f"{name}-{i}-field", row.get("field")),
                "op": UnfoldAdminSelectWidget(choices=OPERATOR_CHOICES).render(f"{name}-{i}-op", row.get("op")),
                "value": UnfoldAdminTextInputWidget(attrs={"maxlength": 200}).render(
                    f"{name}-{i}-value", row.get("value", "")
                ),
                "year": UnfoldAdminSelectWidget(choices=years).render(f"{name}-{i}-year", row.get("year", "")),
            }
            for i, row in enumerate(rows)
        ]
        context["widget"]["hints"] = [(FIELDS[key][0], hint) for key, hint in VALUE_HINTS.items()]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, Any]:
        if data.get(f"{name}-keep"):
            return {"keep": data.get(f"{name}-keep"), "rows": []}
        rows = []
        for i in range(MAX_ROWS):
            row = {part: str(data.get(f"{name}-{i}-{part}", ""))[:200] for part in ("field", "op", "value", "year")}
            if row["field"] or row["value"].strip():
                rows.append(row)
        return {"mode": data.get(f"{name}-mode", "all"), "rows": rows}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-mode" not in data and f"{name}-keep" not in data


def _tree_of(shown: tuple[str, list[dict[str, str]]] | None) -> list[Any]:
    if shown is None:
        return []
    mode, rows = shown
    return rows_to_tree(mode, [row_to_clause(row, n) for n, row in enumerate(rows, start=1)])


class ConditionsField(forms.Field):
    widget = ConditionsWidget
    default_error_messages = {"invalid": "资格条件有误。"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict) and value.get("keep"):
            try:
                return json.loads(value["keep"])
            except ValueError as exc:
                raise ValidationError("保留的资格条件已损坏，请重新填写各行条件。") from exc
        if isinstance(value, dict) and "rows" in value:
            mode = value.get("mode") if value.get("mode") in {"all", "any"} else "all"
            errors, clauses = [], []
            for number, row in enumerate(value["rows"], start=1):
                try:
                    clauses.append(row_to_clause(row, number))
                except ValidationError as exc:
                    errors.extend(exc.messages)
            if errors:
                raise ValidationError(errors)
            return rows_to_tree(mode, clauses)
        return value if value is not None else []

    def validate(self, value: Any) -> None:
        try:
            validate(value)
        except ConditionError as exc:
            raise ValidationError(f"资格条件有误：{exc.message}") from exc


# ---------------------------------------------------------------------------------------------
# The amount rule


class AmountRuleWidget(forms.MultiWidget):
    """计算方式, 定额（万元）, 计算依据, 年度, 比例或标准, 封顶（万元）, each with its label."""

    template_name = "policies/widgets/amount_rule.html"
    labels = ("计算方式", "定额（万元）", "计算依据", "依据年度", "比例（%）或标准（元/人）", "封顶（万元，可不填）")

    def __init__(self, attrs: Any = None) -> None:
        metrics = [("", "—"), *((key, FIELDS[key][0]) for key in sorted(RATE_METRICS))]
        super().__init__(
            [
                UnfoldAdminSelectWidget(choices=list(AMOUNT_KINDS.items())),
                UnfoldAdminTextInputWidget(attrs={"maxlength": 20}),
                UnfoldAdminSelectWidget(choices=metrics),
                UnfoldAdminSelectWidget(choices=year_choices()),
                UnfoldAdminTextInputWidget(attrs={"maxlength": 20}),
                UnfoldAdminTextInputWidget(attrs={"maxlength": 20}),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = {}
        rule = value if isinstance(value, dict) else {}
        kind = rule.get("kind", "none")
        amount = _plain(Decimal(str(rule["amount"])) / WAN) if rule.get("amount") is not None else ""
        metric = rule.get("metric", "")
        rate = ""
        if rule.get("rate") is not None:
            figure = Decimal(str(rule["rate"]))
            rate = _plain(figure if metric == "employees" else figure * 100)
        cap = _plain(Decimal(str(rule["cap"])) / WAN) if rule.get("cap") is not None else ""
        return [kind, amount, metric, str(rule.get("year", "previous")), rate, cap]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["labelled"] = list(zip(self.labels, context["widget"]["subwidgets"], strict=True))
        return context


class AmountRuleField(forms.MultiValueField):
    widget = AmountRuleWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = [forms.CharField(required=False) for _ in range(6)]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, Any]:
        if not data_list:
            return {}
        kind, amount, metric, year, rate, cap = (str(v or "").strip() for v in data_list)

        def figure(text: str, what: str) -> Decimal:
            try:
                value = _number(text)
            except InvalidOperation as exc:
                raise ValidationError(f"金额规则：{what}“{text[:20]}”不是数字，请填写大于 0 的数字。") from exc
            if value <= 0:
                raise ValidationError(f"金额规则：{what}应大于 0。")
            return value

        if kind == "fixed":
            if not amount:
                raise ValidationError("金额规则：定额兑现须填写定额（万元）。")
            return {"kind": "fixed", "amount": _stored_number(figure(amount, "定额") * WAN)}
        if kind == "rate":
            if metric not in RATE_METRICS:
                raise ValidationError("金额规则：按比例/标准计算须选择计算依据。")
            if not rate:
                raise ValidationError("金额规则：请填写比例（%）或每人标准（元/人）。")
            per = figure(rate, "比例或标准")
            rule: dict[str, Any] = {
                "kind": "rate",
                "metric": metric,
                "year": _year(year or "previous", "金额规则"),
                "rate": f"{(per if metric == 'employees' else per / 100).normalize():f}",
            }
            if cap:
                rule["cap"] = _stored_number(figure(cap, "封顶额") * WAN)
            return rule
        return {"kind": "none"}

    def validate(self, value: Any) -> None:
        try:
            validate_amount_rule(value)
        except ConditionError as exc:
            raise ValidationError(exc.message) from exc


class PolicyForm(forms.ModelForm):
    conditions = ConditionsField(label="资格条件", required=False)
    amount_rule = AmountRuleField(label="金额规则", required=False)

    class Meta:
        model = Policy
        fields = [
            "title",
            "kind",
            "issuer",
            "issuing_body",
            "document_number",
            "summary",
            "valid_from",
            "valid_to",
            "amount_description",
            "auto_grant",
            "amount_rule",
            "conditions",
            "is_demo",
        ]
