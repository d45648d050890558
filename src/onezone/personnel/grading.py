"""Pure rules of appraisal: scores from ratings, grades from scores, the quota on the top grade.

No Django: plain Decimals, dicts and tuples.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from onezone.core.errors import InvalidInput
from onezone.personnel import formula

EXCELLENT = "excellent"
COMPETENT = "competent"
BASIC = "basic"
UNSATISFACTORY = "unsatisfactory"

RATER_KINDS = ("self", "leader", "peer")
SCORE_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Thresholds:
    """Lowest score of each grade: 优秀 ≥ excellent, 称职 ≥ competent, 基本称职 ≥ basic, else 不称职."""

    excellent: Decimal = Decimal(90)
    competent: Decimal = Decimal(70)
    basic: Decimal = Decimal(60)

    def __post_init__(self) -> None:
        if not self.excellent > self.competent > self.basic >= 0:
            raise InvalidInput("等次分数线应满足：优秀 > 称职 > 基本称职 ≥ 0。")


def grade_for(score: Decimal, thresholds: Thresholds | None = None) -> str:
    """The grade a score earns before the quota."""
    thresholds = thresholds or Thresholds()
    if score >= thresholds.excellent:
        return EXCELLENT
    if score >= thresholds.competent:
        return COMPETENT
    if score >= thresholds.basic:
        return BASIC
    return UNSATISFACTORY


def quota(appraised: int, percent: Decimal) -> int:
    """How many of ``appraised`` staff may be graded 优秀: ``percent`` of them, rounded down.

    Rounding down keeps the share at or under the percentage: 20% of 4 staff is 0.8, so none;
    of 5 staff, one; of 12 staff, two.
    """
    if appraised < 0 or percent < 0:
        raise InvalidInput("参加考核人数和优秀比例不能为负数。")
    return int((Decimal(appraised) * percent / 100).to_integral_value(rounding=ROUND_DOWN))


@dataclass(frozen=True)
class Candidate:
    """One appraised person of a body, in the order the quota ranks them."""

    key: Hashable
    score: Decimal
    leader: Decimal = Decimal(0)


def apply_quota(candidates: Sequence[Candidate], seats: int) -> tuple[set[Hashable], set[Hashable]]:
    """Split those who scored 优秀 into (kept, demoted to 称职) so at most ``seats`` are kept.

    The highest final scores keep the grade; a tie is broken by the higher leader rating, then by
    the order the candidates are given in (the caller passes them in a stable order).
    """
    ranked = sorted(enumerate(candidates), key=lambda ic: (-ic[1].score, -ic[1].leader, ic[0]))
    kept = {c.key for _, c in ranked[: max(seats, 0)]}
    return kept, {c.key for _, c in ranked} - kept


class IncompleteRatings(InvalidInput):
    """Some ratings a final score needs are missing."""


@dataclass
class Scored:
    perspectives: dict[str, Decimal] = field(default_factory=dict)
    final: Decimal = Decimal(0)


def score(
    *,
    weights: Mapping[int, Decimal],
    manual: Mapping[int, Mapping[str, Sequence[Decimal]]],
    computed: Mapping[int, Decimal | None],
    final_formula: str,
    labels: Mapping[int, str] | None = None,
) -> Scored:
    """The perspective scores (self, leader, peer) and the final score of one appraisal.

    ``weights``: indicator → weight (they add up to 100). ``manual``: for each hand-scored indicator,
    the scores each kind of rater gave (several peers are averaged). ``computed``: the score of each
    formula or metric indicator, None when its source has no data for this person; such an
    indicator is left out and the others are re-weighted. Every perspective is the weighted mean of
    the indicator scores as that kind of rater sees them (a computed indicator looks the same to
    all); the final score is ``final_formula`` of the three, rounded half up to 0.01.
    """
    missing = []
    perspectives: dict[str, Decimal] = {}
    for kind in RATER_KINDS:
        total = Decimal(0)
        weight_used = Decimal(0)
        for indicator, weight in weights.items():
            if indicator in computed:
                value = computed[indicator]
                if value is None:
                    continue
            else:
                given = list(manual.get(indicator, {}).get(kind, ()))
                if not given:
                    missing.append((indicator, kind))
                    continue
                value = sum(given, Decimal(0)) / len(given)
            total += weight * value
            weight_used += weight
        perspectives[kind] = (total / weight_used) if weight_used else Decimal(0)
    if missing:
        labels = labels or {}
        parts = [f"“{labels.get(i, i)}”的{RATER_LABELS[k]}" for i, k in missing]
        raise IncompleteRatings("评分不完整，缺少" + "、".join(parts) + "。")
    final = formula.evaluate(final_formula, perspectives).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
    return Scored(
        perspectives={k: v.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP) for k, v in perspectives.items()},
        final=final,
    )


RATER_LABELS = {"self": "自评", "leader": "领导评分", "peer": "同事互评"}


def clamp_score(value: Decimal) -> Decimal:
    """A computed indicator score kept within 0–100."""
    return min(Decimal(100), max(Decimal(0), value))
