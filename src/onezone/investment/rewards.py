"""The investment reward formula (招商引资奖励办法): a pure function of the policy and the facts.

Nothing here touches the database. The policy is data (``RewardTerms``); the facts of one claim are
data (``ClaimFacts``); ``award_compute`` says how much is due and, when nothing is, why.

Tiers have inclusive upper bounds (“1000万元（含）以下”). Two ways of applying them, chosen per policy:

- ``marginal`` (超额累进): each slice of the funds is paid at its own tier's rate, like an income tax.
  The award never jumps at a tier boundary.
- ``whole`` (全额累进): the whole amount is paid at the rate of the tier it falls in.

The award is rounded half-up to the fen and then capped.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
MARGINAL = "marginal"
WHOLE = "whole"
TIER_MODES = (MARGINAL, WHOLE)

# The exclusions a policy may name and what each means in Chinese.
EXCLUSIONS = {
    "real_estate": "房地产项目",
    "loan_funded": "以银行贷款等债务资金投入的项目",
    "ppp": "政府和社会资本合作（PPP）项目",
}


@dataclass(frozen=True)
class Tier:
    """Funds up to and including ``up_to`` yuan (None: no upper bound) are paid at ``rate``."""

    up_to: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class RewardTerms:
    tiers: tuple[Tier, ...]
    mode: str = MARGINAL
    cap: Decimal | None = None
    exclusions: frozenset[str] = frozenset()
    claim_window_months: int | None = 12
    require_investor_confirmation: bool = True
    require_zone_confirmation: bool = True
    require_invoices: bool = True


@dataclass(frozen=True)
class ClaimFacts:
    funds_in_place: Decimal
    project_tags: frozenset[str] = frozenset()
    referrer: str = ""
    first_referrer: str = ""
    investor_confirmed: bool = False
    zone_confirmed: bool = False
    invoice_count: int = 0
    completed_on: dt.date | None = None
    claimed_on: dt.date | None = None


@dataclass(frozen=True)
class AwardResult:
    amount: Decimal
    base: Decimal
    refusals: tuple[str, ...] = field(default_factory=tuple)

    @property
    def eligible(self) -> bool:
        return not self.refusals


def tiers_validate(tiers: Sequence[Tier]) -> None:
    """Raise ValueError unless the tiers rise strictly, end unbounded and have non-negative rates."""
    if not tiers:
        raise ValueError("奖励办法至少需要一个档次。")
    previous = Decimal(0)
    for index, tier in enumerate(tiers):
        if not tier.rate.is_finite() or (tier.up_to is not None and not tier.up_to.is_finite()):
            raise ValueError("奖励档次的上限和比例应为数字（上限以元计，比例如 0.02）。")
        if tier.rate < 0:
            raise ValueError("奖励比例不能为负数。")
        last = index == len(tiers) - 1
        if tier.up_to is None:
            if not last:
                raise ValueError("只有最后一档可以不设上限。")
            continue
        if tier.up_to <= previous:
            raise ValueError("各档上限必须逐档递增且大于零。")
        previous = tier.up_to
    if tiers[-1].up_to is not None:
        raise ValueError("最后一档不能设上限（应覆盖以上全部金额）。")


def tiered_amount(funds: Decimal, tiers: Sequence[Tier], mode: str) -> Decimal:
    """The tiered amount on ``funds`` before the cap, unrounded. Funds of zero or less give zero."""
    if funds <= 0:
        return Decimal(0)
    if mode == WHOLE:
        for tier in tiers:
            if tier.up_to is None or funds <= tier.up_to:
                return funds * tier.rate
        raise ValueError("档次未覆盖该金额。")
    if mode != MARGINAL:
        raise ValueError(f"未知的计奖方式：{mode}")
    total = Decimal(0)
    lower = Decimal(0)
    for tier in tiers:
        upper = funds if tier.up_to is None else min(funds, tier.up_to)
        if upper > lower:
            total += (upper - lower) * tier.rate
        if tier.up_to is None or funds <= tier.up_to:
            break
        lower = tier.up_to
    return total


def reward_amount(funds: Decimal, terms: RewardTerms) -> Decimal:
    """The award on ``funds`` under ``terms``: tiered, rounded to the fen, capped."""
    amount = tiered_amount(funds, terms.tiers, terms.mode).quantize(FEN, rounding=ROUND_HALF_UP)
    if terms.cap is not None and amount > terms.cap:
        amount = terms.cap
    return amount


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def claim_deadline(completed_on: dt.date, months: int) -> dt.date:
    """The last day a claim may be made: ``months`` after completion, that day included."""
    return add_months(completed_on, months)


def award_compute(terms: RewardTerms, facts: ClaimFacts) -> AwardResult:
    """What a claim is worth under the policy. Any refusal makes the amount zero and says why."""
    refusals: list[str] = []
    for tag in sorted(facts.project_tags & terms.exclusions):
        refusals.append(f"{EXCLUSIONS.get(tag, tag)}不在奖励范围内。")
    if not facts.referrer.strip():
        refusals.append("未登记引荐人。")
    elif facts.first_referrer.strip() and facts.referrer.strip() != facts.first_referrer.strip():
        refusals.append(f"只奖励首位引荐人（{facts.first_referrer.strip()}）。")
    if terms.require_investor_confirmation and not facts.investor_confirmed:
        refusals.append("引荐关系尚未经投资方书面确认。")
    if terms.require_zone_confirmation and not facts.zone_confirmed:
        refusals.append("引荐关系尚未经园区确认。")
    if terms.require_invoices and facts.invoice_count <= 0:
        refusals.append("缺少证明资金到位的发票或凭证。")
    if terms.claim_window_months is not None:
        if facts.completed_on is None:
            refusals.append("项目尚未竣工，暂不能申领奖励。")
        elif facts.claimed_on is not None:
            if facts.claimed_on < facts.completed_on:
                refusals.append("申领日期早于项目竣工日期。")
            elif facts.claimed_on > claim_deadline(facts.completed_on, terms.claim_window_months):
                deadline = claim_deadline(facts.completed_on, terms.claim_window_months)
                refusals.append(
                    f"已超过申领期限（竣工后{terms.claim_window_months}个月内，截至{deadline:%Y年%m月%d日}）。"
                )
    base = max(facts.funds_in_place, Decimal(0))
    if base <= 0:
        refusals.append("项目没有到位资金。")
    if refusals:
        return AwardResult(amount=Decimal("0.00"), base=base, refusals=tuple(refusals))
    return AwardResult(amount=reward_amount(base, terms), base=base)
