"""Scoring of targets: pure functions of plain data (no Django).

A target's score compares the actual value with the target value:

- the *achievement ratio* is ``actual / target`` when higher is better and ``target / actual``
  when lower is better (an actual of 0 against a lower-is-better target achieves the cap);
- a **linear** rule gives ``ratio × 100`` points, never more than its cap (e.g. 120);
- a **steps** rule gives the points of the highest threshold the ratio reaches
  (``[[0.6, 60], [0.8, 80], [1, 100]]``: 85 % achieved → 80 points), and 0 below the first.

Scores are Decimals rounded half-up to two places. A body's score is the weighted mean of its
targets' scores; bodies are ranked by competition ranking (see :func:`competition_ranks`).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DEFAULT_CAP = Decimal(120)


class RuleError(ValueError):
    """A scoring rule that cannot be applied; the message is Chinese and says what to fix."""


@dataclass(frozen=True)
class ScoringRule:
    """How a target is scored. ``kind`` is "linear" or "steps"."""

    kind: str = "linear"
    cap: Decimal = DEFAULT_CAP
    steps: tuple[tuple[Decimal, Decimal], ...] = ()

    @property
    def max_score(self) -> Decimal:
        if self.kind == "steps":
            return max((points for _, points in self.steps), default=Decimal(0))
        return self.cap


def rule_from_data(data: Mapping[str, Any] | None) -> ScoringRule:
    """Parse and check a rule stored as data (``{"kind": "linear", "cap": 120}`` or steps)."""
    data = dict(data or {"kind": "linear", "cap": 120})
    kind = data.get("kind", "linear")
    if kind == "linear":
        try:
            cap = Decimal(str(data.get("cap", DEFAULT_CAP)))
        except ArithmeticError as exc:
            raise RuleError("线性计分的封顶分应为数字，例如 120。") from exc
        if cap <= 0:
            raise RuleError("线性计分的封顶分应大于 0，例如 100 或 120。")
        return ScoringRule(kind="linear", cap=cap)
    if kind == "steps":
        raw = data.get("steps") or []
        try:
            steps = tuple((Decimal(str(ratio)), Decimal(str(points))) for ratio, points in raw)
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise RuleError("分档计分应写成 [[完成比例, 分数], ...]，例如 [[0.8, 80], [1, 100]]。") from exc
        if not steps:
            raise RuleError("分档计分至少需要一个档次，例如 [[1, 100]]。")
        for (r1, p1), (r2, p2) in itertools.pairwise(steps):
            if not (r2 > r1 and p2 >= p1):
                raise RuleError("分档计分的完成比例应逐档递增，分数不得随档次降低。")
        if steps[0][0] < 0 or steps[0][1] < 0:
            raise RuleError("分档计分的完成比例和分数不能为负数。")
        return ScoringRule(kind="steps", steps=steps)
    raise RuleError(f"未知的计分方式“{kind}”：应为 linear（线性封顶）或 steps（分档）。")


def achievement_ratio(*, actual: Decimal, target: Decimal, higher_is_better: bool = True) -> Decimal:
    """How far the actual meets the target (1 = exactly met). Never negative."""
    if target <= 0:
        raise RuleError("目标值应大于 0，才能计算完成比例。")
    actual = max(Decimal(actual), Decimal(0))
    if higher_is_better:
        return actual / Decimal(target)
    if actual == 0:
        return Decimal("Infinity")
    return Decimal(target) / actual


def score(*, actual: Decimal, target: Decimal, rule: ScoringRule, higher_is_better: bool = True) -> Decimal:
    """The points a target earns: between 0 and the rule's maximum, rounded to 0.01."""
    ratio = achievement_ratio(actual=actual, target=target, higher_is_better=higher_is_better)
    if rule.kind == "steps":
        points = Decimal(0)
        for threshold, step_points in rule.steps:
            if ratio >= threshold:
                points = step_points
        return points.quantize(CENT, rounding=ROUND_HALF_UP)
    if ratio.is_infinite():
        return rule.cap.quantize(CENT, rounding=ROUND_HALF_UP)
    return min(ratio * HUNDRED, rule.cap).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(items: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """The weighted mean of ``(score, weight)`` pairs; None when there is no weight at all."""
    total = Decimal(0)
    weights = Decimal(0)
    for points, weight in items:
        total += Decimal(points) * Decimal(weight)
        weights += Decimal(weight)
    if weights == 0:
        return None
    return (total / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def competition_ranks(scores: Mapping[Hashable, Decimal | None]) -> dict[Hashable, int | None]:
    """Competition ranking ("1224"): equal scores share a rank and the next rank skips.

    Higher scores rank first. A key whose score is None gets no rank.
    """
    ranked = sorted((s for s in scores.values() if s is not None), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ranked, start=1):
        first_position.setdefault(value, position)
    return {key: (None if value is None else first_position[value]) for key, value in scores.items()}


def at_risk(*, ratio: Decimal, expected: Decimal, margin: Decimal = Decimal("0.1")) -> bool:
    """Whether a target is at risk: its achievement ratio lags the expected progress by more than ``margin``.

    ``expected`` is the share of the year elapsed for cumulative indicators and 1 for levels and rates.
    """
    return ratio < expected - margin
