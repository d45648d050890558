"""The chemical park's safety risk level (化工园区安全风险评估, 应急〔2023〕123号): pure rules, no Django.

A park assesses itself against the rules' items, each with its full score; the total decides the level:
A (high risk) below 60, B 60 to below 70, C 70 to below 85, D (low risk) 85 and above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

A, B, C, D = "A", "B", "C", "D"
LEVEL_LABELS: dict[str, str] = {
    A: "A类（高安全风险）",
    B: "B类（较高安全风险）",
    C: "C类（一般安全风险）",
    D: "D类（较低安全风险）",
}
# The lowest score of each level, from the highest level down.
BOUNDS: tuple[tuple[Decimal, str], ...] = ((Decimal(85), D), (Decimal(70), C), (Decimal(60), B))
FULL_SCORE = Decimal(100)
MAX_ITEMS = 200


class ScoreError(ValueError):
    """Scores that cannot be added up as given; the message is in Chinese."""


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    full: Decimal
    score: Decimal


def level_of(total: Decimal) -> str:
    """The park's level by its total score (0 to 100)."""
    if not isinstance(total, Decimal) or not total.is_finite():
        raise ScoreError("总分应为有限的数值。")
    if total < 0 or total > FULL_SCORE:
        raise ScoreError(f"总分应在 0 到 {FULL_SCORE} 之间，收到 {total}。")
    for lowest, level in BOUNDS:
        if total >= lowest:
            return level
    return A


def _decimal(value: object, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ScoreError(f"{what}“{value}”不是数值。") from exc
    if not number.is_finite():
        raise ScoreError(f"{what}应为有限的数值。")
    return number


def total_of(items: Iterable[Item]) -> Decimal:
    """The total of the items' scores, each within 0 and its full score; the full scores add up to 100."""
    items = list(items)
    if not items:
        raise ScoreError("请至少填写一个评估项目。")
    if len(items) > MAX_ITEMS:
        raise ScoreError(f"评估项目最多 {MAX_ITEMS} 项，收到 {len(items)} 项。")
    codes: set[str] = set()
    full = Decimal(0)
    total = Decimal(0)
    for item in items:
        if item.code in codes:
            raise ScoreError(f"评估项目编号“{item.code}”重复。")
        codes.add(item.code)
        item_full = _decimal(item.full, f"项目“{item.name}”的满分")
        score = _decimal(item.score, f"项目“{item.name}”的得分")
        if item_full <= 0:
            raise ScoreError(f"项目“{item.name}”的满分应大于 0。")
        if score < 0 or score > item_full:
            raise ScoreError(f"项目“{item.name}”的得分应在 0 到 {item_full} 之间，收到 {score}。")
        full += item_full
        total += score
    if full != FULL_SCORE:
        raise ScoreError(f"各评估项目满分合计应为 {FULL_SCORE} 分，现为 {full} 分，请核对评估细则。")
    return total
