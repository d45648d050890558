"""Eligibility conditions of a policy as data, and the pure engine that checks them.

No Django here: a policy's conditions are a JSON tree of clauses, an enterprise is a plain
``EnterpriseFacts`` built by a selector, and ``evaluate`` says whether the enterprise qualifies and,
clause by clause, why (in Chinese, each line ending in ✓ or ✗).

The language
------------
A node is one of:

- a clause ``{"field": ..., "op": ..., "value": ..., "year": ...}``;
- ``{"all": [node, ...]}`` (every one), ``{"any": [node, ...]}`` (at least one), ``{"not": node}``;
- a list of nodes at the top, read as ``all``. An empty top list means "no conditions".

Fields and operators (``FIELDS``):

===========================  ===============================  ======================================
field                        op                               value
===========================  ===============================  ======================================
industry                     in, not_in                       GB/T 4754 codes, prefix match ("C26")
park                         in, not_in                       park codes ("hexipu")
size                         eq                               "above" 规上 / "below" 规下
tag                          has, has_not                     a tag name ("专精特新")
established_within_years     within, not_within               years (int)
output_value, revenue, tax,  >=, >, <=, <, =                  yuan; people; 吨标准煤/万元; percent
employees, energy_use,
energy_per_output, rd_spend,
rd_ratio, exports
project_funds_in_place       >=, >, <=, <, =                  yuan: one project's funds in that year
project_count                >=, >, <=, <, =                  number of the enterprise's projects
===========================  ===============================  ======================================

Yearly fields and ``project_funds_in_place`` take ``year``: a year (2025), ``"previous"`` (the year
before the evaluation date) or ``"latest"`` (the latest year with figures). Missing data is a rule
of its own: the clause fails with the reason "缺少2025年度数据".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from onezone.core.money import WAN, format_number, format_wan

MET = "✓"
UNMET = "✗"


class ConditionError(ValueError):
    """A condition tree that cannot be checked. The message names the clause and says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Facts


@dataclass(frozen=True)
class YearFigures:
    """One enterprise's figures for one year. Money in yuan, energy in tonnes of standard coal."""

    output_value: Decimal | None = None
    revenue: Decimal | None = None
    tax: Decimal | None = None
    employees: int | None = None
    energy_use: Decimal | None = None
    rd_spend: Decimal | None = None
    exports: Decimal | None = None


@dataclass(frozen=True)
class ProjectFacts:
    """An investment project of the enterprise and its funds in place per year (yuan)."""

    name: str
    status: str = ""
    funds_in_place: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class EnterpriseFacts:
    """What the engine knows about one enterprise on ``as_of``."""

    enterprise_id: int
    name: str
    as_of: dt.date
    industry_code: str = ""
    park_code: str = ""
    park_name: str = ""
    above_designated_size: bool = False
    tags: frozenset[str] = frozenset()  # names and codes of the tags it holds
    established: dt.date | None = None
    years: Mapping[int, YearFigures] = field(default_factory=dict)
    projects: tuple[ProjectFacts, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Names to show for codes: industries (GB/T 4754) and parks."""

    industries: Mapping[str, str] = field(default_factory=dict)
    parks: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)  # tag code → name


NO_LABELS = Labels()

# ---------------------------------------------------------------------------------------------
# The vocabulary

COMPARISONS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
_NEGATED = {">=": "<", ">": "≤", "<=": ">", "<": "≥", "=": "≠"}


@dataclass(frozen=True)
class Metric:
    label: str
    unit: str  # "money", "people", "tce", "intensity", "percent", "count"


METRICS: dict[str, Metric] = {
    "output_value": Metric("产值", "money"),
    "revenue": Metric("营业收入", "money"),
    "tax": Metric("纳税额", "money"),
    "employees": Metric("从业人数", "people"),
    "energy_use": Metric("综合能耗", "tce"),
    "energy_per_output": Metric("单位产值能耗", "intensity"),
    "rd_spend": Metric("研发投入", "money"),
    "rd_ratio": Metric("研发投入强度", "percent"),
    "exports": Metric("出口额", "money"),
}

FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "industry": ("行业", ("in", "not_in")),
    "park": ("园区", ("in", "not_in")),
    "size": ("企业规模", ("eq",)),
    "tag": ("称号/标签", ("has", "has_not")),
    "established_within_years": ("成立年限", ("within", "not_within")),
    **{name: (metric.label, tuple(COMPARISONS)) for name, metric in METRICS.items()},
    "project_funds_in_place": ("项目年度到位资金", tuple(COMPARISONS)),
    "project_count": ("招商项目个数", tuple(COMPARISONS)),
}
YEARLY_FIELDS = set(METRICS) | {"project_funds_in_place"}
_LEAF_KEYS = {"field", "op", "value", "year"}
SIZES = {"above": "规模以上工业企业", "below": "规模以下企业"}
OPERATOR_NAMES = {
    "in": "属于",
    "not_in": "不属于",
    "eq": "为",
    "has": "具有",
    "has_not": "不具有",
    "within": "以内",
    "not_within": "超过",
    **COMPARISONS,
}

# ---------------------------------------------------------------------------------------------
# Numbers as officials read them


def decimal_of(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).strip().replace(",", ""))


def plain_number(value: Decimal) -> str:
    """``Decimal("3000.00")`` → ``"3,000"``; ``Decimal("0.50")`` → ``"0.5"``; never an exponent."""
    return format_number(value)


def fact_text(value: Decimal, unit: str) -> str:
    """A measured figure, with its fixed decimals."""
    if unit == "money":
        return format_wan(value)
    if unit == "people":
        return f"{int(value)}人"
    if unit == "count":
        return f"{int(value)}个"
    if unit == "tce":
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}吨标准煤"
    if unit == "intensity":
        return f"{value.quantize(Decimal('0.001'), rounding=ROUND_HALF_UP)}吨标准煤/万元"
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def limit_text(value: Decimal, unit: str) -> str:
    """A threshold written in a clause, without trailing zeros."""
    if unit == "money":
        return f"{plain_number(value / WAN)}万元"
    suffix = {"people": "人", "count": "个", "tce": "吨标准煤", "intensity": "吨标准煤/万元", "percent": "%"}[unit]
    return f"{plain_number(value)}{suffix}"


def _compare(actual: Decimal, op: str, limit: Decimal) -> bool:
    if op == ">=":
        return actual >= limit
    if op == ">":
        return actual > limit
    if op == "<=":
        return actual <= limit
    if op == "<":
        return actual < limit
    return actual == limit


def _mark(passed: bool) -> str:
    return MET if passed else UNMET


# ---------------------------------------------------------------------------------------------
# Validation


def _codes(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise TypeError
    return [v.strip().upper() for v in items]


def _where(path: Sequence[int]) -> str:
    if not path:
        return "条件"
    head = f"第{path[0] + 1}条条件"
    return head + "".join(f"中的第{i + 1}项" for i in path[1:])


def validate(conditions: Any) -> None:
    """Raise ``ConditionError`` unless ``conditions`` is a well-formed tree this engine can check."""
    if conditions is None:
        raise ConditionError("条件不能为空；不设条件时请填写空列表 []。")
    if isinstance(conditions, list):
        for index, node in enumerate(conditions):
            _validate_node(node, [index])
        return
    _validate_node(conditions, [])


def _validate_node(node: Any, path: list[int]) -> None:
    where = _where(path)
    if not isinstance(node, dict):
        raise ConditionError(f'{where}应为一个对象，例如 {{"field": "tax", "op": ">=", "value": 3000000}}。')
    combinators = [key for key in ("all", "any", "not") if key in node]
    if combinators:
        if len(node) != 1:
            raise ConditionError(f"{where}：组合条件只能有“all”“any”“not”中的一个键，不能再带其他内容。")
        key = combinators[0]
        children = node[key]
        if key == "not":
            if isinstance(children, list):
                raise ConditionError(f"{where}：“not”后面应为一个条件，不是列表；多个条件请先用“any”或“all”组合。")
            _validate_node(children, [*path, 0])
            return
        if not isinstance(children, list) or not children:
            raise ConditionError(f"{where}：“{key}”后面应为至少包含一个条件的列表。")
        for index, child in enumerate(children):
            _validate_node(child, [*path, index])
        return
    if "field" not in node:
        raise ConditionError(f"{where}缺少“field”（字段）；或应为“all”“any”“not”组合。")
    name = node["field"]
    if name not in FIELDS:
        known = "、".join(f"{label}（{key}）" for key, (label, _ops) in FIELDS.items())
        raise ConditionError(f"{where}：未知的字段“{name}”。可用字段：{known}。")
    label, ops = FIELDS[name]
    extra = set(node) - _LEAF_KEYS
    if extra:
        raise ConditionError(
            f"{where}（{label}）：不认识的键“{'、'.join(sorted(extra))}”，条件只能包含 field、op、value、year。"
        )
    op = node.get("op", "within" if name == "established_within_years" else None)
    if op not in ops:
        raise ConditionError(f"{where}（{label}）：不支持的运算符“{op}”，可用：{'、'.join(ops)}。")
    if "value" not in node:
        raise ConditionError(f"{where}（{label}）：缺少“value”（比较的值）。")
    value = node["value"]
    try:
        if name in {"industry", "park"}:
            _codes(value)
        elif name == "size":
            if value not in SIZES:
                raise TypeError
        elif name == "tag":
            if not isinstance(value, str) or not value.strip():
                raise TypeError
        elif name in {"established_within_years", "project_count", "employees"}:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise TypeError
        else:
            if decimal_of(value) < 0:
                raise TypeError
    except (TypeError, InvalidOperation, ValueError) as exc:
        raise ConditionError(f"{where}（{label}）：值“{value}”不合适。{_value_hint(name)}") from exc
    if name in YEARLY_FIELDS:
        year = node.get("year", "previous")
        if not (year in {"previous", "latest"} or (isinstance(year, int) and not isinstance(year, bool))):
            raise ConditionError(
                f"{where}（{label}）：年度“{year}”不合适，"
                "应为年份（如 2025）、previous（上一年度）或 latest（最近有数据的年度）。"
            )
        if isinstance(year, int) and not 1949 <= year <= 2200:
            raise ConditionError(f"{where}（{label}）：年度 {year} 超出范围。")
    elif "year" in node:
        raise ConditionError(f"{where}（{label}）：该字段不按年度比较，请去掉“year”。")


def _value_hint(name: str) -> str:
    if name == "industry":
        return '应为行业代码或代码列表，例如 ["C26", "C32"]。'
    if name == "park":
        return '应为园区代码或代码列表，例如 ["hexipu"]。'
    if name == "size":
        return "应为 above（规模以上）或 below（规模以下）。"
    if name == "tag":
        return "应为称号名称，例如 “专精特新”。"
    if name in {"established_within_years", "project_count", "employees"}:
        return "应为不小于 0 的整数。"
    return "应为不小于 0 的数字（金额以元计，比例以百分数计）。"


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate(conditions: Any, facts: EnterpriseFacts, *, labels: Labels = NO_LABELS) -> tuple[bool, list[str]]:
    """Whether ``facts`` meet ``conditions``, and why, one Chinese line per clause.

    Every clause is checked (no short cut), so the reasons are complete. Raises ``ConditionError``
    for a malformed tree.
    """
    validate(conditions)
    if isinstance(conditions, list) or (isinstance(conditions, dict) and "all" in conditions):
        children = conditions if isinstance(conditions, list) else conditions["all"]
        if not children:
            return True, [f"不设资格条件 {MET}"]
        results = [_eval(child, facts, labels, 0) for child in children]
        return all(ok for ok, _ in results), [line for _, lines in results for line in lines]
    return _eval(conditions, facts, labels, 0)


def _eval(node: Mapping[str, Any], facts: EnterpriseFacts, labels: Labels, depth: int) -> tuple[bool, list[str]]:
    indent = "　" * depth
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        results = [_eval(child, facts, labels, depth + 1) for child in node[key]]
        passed = all(ok for ok, _ in results) if key == "all" else any(ok for ok, _ in results)
        title = "同时满足以下全部条件" if key == "all" else "满足以下条件之一"
        return passed, [f"{indent}{title} {_mark(passed)}", *(line for _, lines in results for line in lines)]
    if "not" in node:
        inner, lines = _eval(node["not"], facts, labels, depth + 1)
        return not inner, [f"{indent}不得满足以下条件 {_mark(not inner)}", *lines]
    passed, line = _clause(node, facts, labels)
    return passed, [f"{indent}{line}"]


def year_of(node: Mapping[str, Any], facts: EnterpriseFacts) -> int | None:
    year = node.get("year", "previous")
    if year == "previous":
        return facts.as_of.year - 1
    if year == "latest":
        return max(facts.years) if facts.years else None
    return int(year)


def metric_value(figures: YearFigures, metric: str) -> Decimal | None:
    """A yearly figure, or the ratio computed from two; None when the data is missing."""
    if metric == "energy_per_output":
        if figures.energy_use is None or not figures.output_value:
            return None
        return (Decimal(figures.energy_use) / (Decimal(figures.output_value) / WAN)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )
    if metric == "rd_ratio":
        if figures.rd_spend is None or not figures.revenue:
            return None
        return (Decimal(figures.rd_spend) * 100 / Decimal(figures.revenue)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    value = getattr(figures, metric)
    return None if value is None else Decimal(value)


def _comparison_line(subject: str, actual: Decimal, op: str, limit: Decimal, unit: str) -> tuple[bool, str]:
    passed = _compare(actual, op, limit)
    fact, bound = fact_text(actual, unit), limit_text(limit, unit)
    if passed:
        return True, f"{subject} {fact} {COMPARISONS[op]} {bound} {MET}"
    return False, f"{subject} {fact} {_NEGATED[op]} {bound}（要求 {COMPARISONS[op]} {bound}）{UNMET}"


def _industry_name(code: str, labels: Labels) -> str:
    name = labels.industries.get(code, "")
    return f"{code} {name}" if name else code


def _park_name(code: str, labels: Labels) -> str:
    return labels.parks.get(code, code)


def _clause(node: Mapping[str, Any], facts: EnterpriseFacts, labels: Labels) -> tuple[bool, str]:
    name = node["field"]
    op = node.get("op", "within" if name == "established_within_years" else None)
    value = node["value"]

    if name == "industry":
        codes = _codes(value)
        if not facts.industry_code:
            return False, f"未登记行业代码 {UNMET}"
        code = facts.industry_code.upper()
        hit = next((c for c in codes if code.startswith(c)), None)
        listed = "、".join(_industry_name(c, labels) for c in codes)
        if hit is not None:
            return op == "in", f"行业代码 {code} 属于 {_industry_name(hit, labels)} {_mark(op == 'in')}"
        return op == "not_in", f"行业代码 {code} 不属于 {listed} {_mark(op == 'not_in')}"

    if name == "park":
        codes = [c.lower() for c in _codes(value)]
        if not facts.park_code:
            return False, f"未登记所在园区 {UNMET}"
        here = facts.park_name or _park_name(facts.park_code, labels)
        inside = facts.park_code.lower() in codes
        listed = "、".join(_park_name(c, labels) for c in codes)
        passed = inside == (op == "in")
        if inside:
            return passed, f"所在园区为{here} {_mark(passed)}"
        return passed, f"所在园区为{here}，不在{listed} {_mark(passed)}"

    if name == "size":
        actual = "above" if facts.above_designated_size else "below"
        passed = actual == value
        if passed:
            return True, f"{SIZES[actual]} {MET}"
        return False, f"{SIZES[actual]}，要求为{SIZES[value]} {UNMET}"

    if name == "tag":
        tag = value.strip()
        held = tag in facts.tags
        tag = labels.tags.get(tag, tag)
        passed = held == (op == "has")
        return passed, f"{'已' if held else '未'}获得“{tag}”称号 {_mark(passed)}"

    if name == "established_within_years":
        if facts.established is None:
            return False, f"未登记成立日期 {UNMET}"
        within = facts.established >= _years_before(facts.as_of, int(value))
        passed = within == (op == "within")
        state = f"在{value}年以内" if within else f"已超过{value}年"
        return passed, f"成立于{facts.established.isoformat()}，{state} {_mark(passed)}"

    op_limit = decimal_of(value)
    if name == "project_count":
        return _comparison_line("招商项目", Decimal(len(facts.projects)), op, op_limit, "count")

    year = year_of(node, facts)
    if name == "project_funds_in_place":
        if not facts.projects:
            return False, f"没有登记招商引资项目 {UNMET}"
        best = max(facts.projects, key=lambda p: (p.funds_in_place.get(year, Decimal(0)), p.name))
        funds = Decimal(best.funds_in_place.get(year, Decimal(0)))
        return _comparison_line(f"项目“{best.name}”{year}年到位资金", funds, op, op_limit, "money")

    metric = METRICS[name]
    if year is None:
        return False, f"缺少年度数据 {UNMET}"
    figures = facts.years.get(year)
    if figures is None:
        return False, f"缺少{year}年度数据 {UNMET}"
    actual = metric_value(figures, name)
    if actual is None:
        return False, f"缺少{year}年度{metric.label}数据 {UNMET}"
    return _comparison_line(f"{year}年{metric.label}", actual, op, op_limit, metric.unit)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------------------------------------
# Describing conditions to a reader (the public policy page)


def describe(conditions: Any, *, labels: Labels = NO_LABELS) -> list[str]:
    """The conditions as Chinese sentences, one per clause, indented under combinators."""
    validate(conditions)
    if isinstance(conditions, list) or "all" in conditions:
        children = conditions if isinstance(conditions, list) else conditions["all"]
        if not children:
            return ["不设资格条件"]
        return [line for child in children for line in _describe(child, labels, 0)]
    return _describe(conditions, labels, 0)


def _describe(node: Mapping[str, Any], labels: Labels, depth: int) -> list[str]:
    indent = "　" * depth
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        title = "同时满足以下全部条件：" if key == "all" else "满足以下条件之一："
        return [f"{indent}{title}", *(line for child in node[key] for line in _describe(child, labels, depth + 1))]
    if "not" in node:
        return [f"{indent}不得满足以下条件：", *_describe(node["not"], labels, depth + 1)]
    return [indent + describe_clause(node, labels=labels)]


def _year_words(node: Mapping[str, Any]) -> str:
    year = node.get("year", "previous")
    return (
        {"previous": "上一年度", "latest": "最近年度"}.get(year, f"{year}年") if isinstance(year, str) else f"{year}年"
    )


def describe_clause(node: Mapping[str, Any], *, labels: Labels = NO_LABELS) -> str:
    name = node["field"]
    op = node.get("op", "within" if name == "established_within_years" else None)
    value = node["value"]
    if name == "industry":
        listed = "、".join(_industry_name(c, labels) for c in _codes(value))
        return f"行业{'属于' if op == 'in' else '不属于'}{listed}"
    if name == "park":
        listed = "、".join(_park_name(c.lower(), labels) for c in _codes(value))
        return f"所在园区{'为' if op == 'in' else '不为'}{listed}"
    if name == "size":
        return f"企业规模为{SIZES[value]}"
    if name == "tag":
        return f"{'已' if op == 'has' else '未'}获得“{labels.tags.get(value.strip(), value.strip())}”称号"
    if name == "established_within_years":
        return f"成立{'不超过' if op == 'within' else '超过'}{value}年"
    limit = decimal_of(value)
    if name == "project_count":
        return f"招商项目个数 {COMPARISONS[op]} {limit_text(limit, 'count')}"
    if name == "project_funds_in_place":
        return f"单个项目{_year_words(node)}到位资金 {COMPARISONS[op]} {limit_text(limit, 'money')}"
    metric = METRICS[name]
    return f"{_year_words(node)}{metric.label} {COMPARISONS[op]} {limit_text(limit, metric.unit)}"
