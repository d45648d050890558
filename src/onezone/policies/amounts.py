"""Amount rules: how much a policy grants an enterprise, and the working shown with it.

Pure like ``conditions``: a rule is JSON (yuan), the facts are an ``EnterpriseFacts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from onezone.core.money import format_wan
from onezone.policies.conditions import (
    METRICS,
    ConditionError,
    EnterpriseFacts,
    decimal_of,
    fact_text,
    limit_text,
    metric_value,
    plain_number,
    year_of,
)

AMOUNT_KINDS = {"none": "不计算金额", "fixed": "定额", "rate": "按比例/标准计算"}
RATE_METRICS = {*(m for m, spec in METRICS.items() if spec.unit in {"money", "people"}), "project_funds_in_place"}


@dataclass(frozen=True)
class Amount:
    """The computed benefit (yuan) and how it was computed; ``value`` None when it cannot be."""

    value: Decimal | None
    explanation: str


def validate_amount_rule(rule: Any) -> None:
    """Raise ``ConditionError`` unless ``rule`` is a well-formed amount rule.

    ``{"kind": "none"}``, ``{"kind": "fixed", "amount": 200000}``, or ``{"kind": "rate", "metric": "tax",
    "year": "previous", "rate": "0.05", "cap": 500000}`` (for ``employees`` the rate is yuan per person).
    """
    if rule in (None, {}):
        return
    if not isinstance(rule, dict) or rule.get("kind") not in AMOUNT_KINDS:
        raise ConditionError("金额规则的“kind”应为 none（不计算）、fixed（定额）或 rate（按比例/标准）。")
    kind = rule["kind"]
    allowed = {"none": {"kind"}, "fixed": {"kind", "amount"}, "rate": {"kind", "metric", "year", "rate", "cap"}}[kind]
    extra = set(rule) - allowed
    if extra:
        raise ConditionError(
            f"金额规则：不认识的键“{'、'.join(sorted(extra))}”，{kind} 规则只能包含 {'、'.join(sorted(allowed))}。"
        )
    try:
        if kind == "fixed" and decimal_of(rule.get("amount")) <= 0:
            raise ValueError
        if kind == "rate":
            if rule.get("metric") not in RATE_METRICS:
                raise ConditionError(
                    f"金额规则：计算依据“{rule.get('metric')}”不可用，可用：{'、'.join(sorted(RATE_METRICS))}。"
                )
            if decimal_of(rule.get("rate")) <= 0:
                raise ValueError
            if rule.get("cap") is not None and decimal_of(rule["cap"]) <= 0:
                raise ValueError
            year = rule.get("year", "previous")
            if not (year in {"previous", "latest"} or (isinstance(year, int) and not isinstance(year, bool))):
                raise ConditionError("金额规则：年度应为年份（如 2025）、previous 或 latest。")
    except (InvalidOperation, ValueError, TypeError) as exc:
        if isinstance(exc, ConditionError):
            raise
        raise ConditionError("金额规则：金额、比例和封顶额应为大于 0 的数字（金额以元计）。") from exc


def compute_amount(rule: Any, facts: EnterpriseFacts) -> Amount:
    """The benefit ``rule`` gives the enterprise, rounded to the fen, with the working shown."""
    validate_amount_rule(rule)
    if not rule or rule["kind"] == "none":
        return Amount(None, "本政策不按金额兑现")
    if rule["kind"] == "fixed":
        amount = decimal_of(rule["amount"]).quantize(Decimal("0.01"))
        return Amount(amount, f"定额 {format_wan(amount)}")
    metric = rule["metric"]
    year = year_of(rule, facts)
    rate = decimal_of(rule["rate"])
    if metric == "project_funds_in_place":
        base = sum((Decimal(p.funds_in_place.get(year, 0)) for p in facts.projects), Decimal(0))
        subject, base_text = f"{year}年项目到位资金", format_wan(base)
        rate_text = f"{plain_number(rate * 100)}%"
    else:
        spec = METRICS[metric]
        if year is None or year not in facts.years:
            return Amount(None, f"缺少{year or ''}年度数据，无法计算金额" if year else "缺少年度数据，无法计算金额")
        figure = metric_value(facts.years[year], metric)
        if figure is None:
            return Amount(None, f"缺少{year}年度{spec.label}数据，无法计算金额")
        base = figure
        subject, base_text = f"{year}年{spec.label}", fact_text(figure, spec.unit)
        rate_text = f"{plain_number(rate)}元/人" if spec.unit == "people" else f"{plain_number(rate * 100)}%"
    raw = (base * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{subject} {base_text} × {rate_text} = {format_wan(raw)}"
    if rule.get("cap") is not None:
        cap = decimal_of(rule["cap"]).quantize(Decimal("0.01"))
        if raw > cap:
            return Amount(cap, f"{text}，超过封顶 {limit_text(cap, 'money')}，按 {format_wan(cap)} 计")
    return Amount(raw, text)
