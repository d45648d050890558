"""Matching rules of enterprise services, as pure functions of plain data (no Django).

Supply and demand (找市场/找订单): a need matches an offer of another enterprise on the same chain link,
or on a link upstream of the need's (the offer supplies the need's input), or with the same industry
code; the zone's own offers come first, then the province's other zones. Financing (找资金): a
financing need matches a product whose amount and term ranges hold it and whose target enterprises
and collateral the enterprise meets.

Both are bounded: at most ``MAX_CANDIDATES`` candidates are looked at and at most ``MAX_RESULTS``
answered, and the answer does not depend on the order the candidates came in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from onezone.core.money import format_amount

MAX_CANDIDATES = 2000
MAX_RESULTS = 20

SCORE_SAME_LINK = 50
SCORE_UPSTREAM = 40
SCORE_SAME_ZONE = 20
SCORE_SAME_INDUSTRY = 10
SCORE_SAME_PROVINCE = 5

# The collateral kind of a loan on credit alone.
CREDIT = "none"


@dataclass(frozen=True)
class Side:
    """A need or an offer as the rule sees it."""

    id: int
    enterprise_id: int
    zone_id: int
    province_code: str
    industry_code: str
    link_key: str = ""
    link_label: str = ""
    upstream_keys: frozenset[str] = frozenset()
    starts: dt.date | None = None
    ends: dt.date | None = None
    zone_name: str = ""


@dataclass(frozen=True)
class MarketMatch:
    need_id: int
    offer_id: int
    score: int
    reasons: tuple[str, ...]
    same_zone: bool


def _periods_meet(a: Side, b: Side) -> bool:
    if a.starts and b.ends and b.ends < a.starts:
        return False
    return not (b.starts and a.ends and a.ends < b.starts)


def market_match(need: Side, offer: Side) -> MarketMatch | None:
    """Whether ``offer`` answers ``need``, with the score and the reasons; None when it does not.

    A chain relation or the same industry code makes a match; being near only adds to its score.
    """
    if need.enterprise_id == offer.enterprise_id or not _periods_meet(need, offer):
        return None
    if need.zone_id != offer.zone_id and need.province_code != offer.province_code:
        return None
    score = 0
    reasons: list[str] = []
    if need.link_key and need.link_key == offer.link_key:
        score += SCORE_SAME_LINK
        reasons.append(f"同一产业链环节：{need.link_label}")
    elif offer.link_key and offer.link_key in need.upstream_keys:
        score += SCORE_UPSTREAM
        reasons.append(f"上游供给：{offer.link_label}")
    if need.industry_code and need.industry_code == offer.industry_code:
        score += SCORE_SAME_INDUSTRY
        reasons.append("行业代码相同")
    if not reasons:
        return None
    same_zone = need.zone_id == offer.zone_id
    if same_zone:
        score += SCORE_SAME_ZONE
        reasons.append("同在园区内")
    else:
        score += SCORE_SAME_PROVINCE
        reasons.append(f"省内其他园区：{offer.zone_name}" if offer.zone_name else "省内其他园区")
    return MarketMatch(need.id, offer.id, score, tuple(reasons), same_zone)


def _bounded(items: Iterable, cap: int) -> list:
    out = []
    for item in items:
        if len(out) >= cap:
            break
        out.append(item)
    return out


def _ranked(found: list[MarketMatch], limit: int) -> list[MarketMatch]:
    found.sort(key=lambda m: (not m.same_zone, -m.score, m.need_id, m.offer_id))
    return found[:limit]


def offers_for(need: Side, offers: Iterable[Side], *, limit: int = MAX_RESULTS) -> list[MarketMatch]:
    """The offers that answer ``need``: the zone's own first, then by score, then by id."""
    found = [m for o in _bounded(offers, MAX_CANDIDATES) if (m := market_match(need, o)) is not None]
    return _ranked(found, min(limit, MAX_RESULTS))


def needs_for(offer: Side, needs: Iterable[Side], *, limit: int = MAX_RESULTS) -> list[MarketMatch]:
    """The needs ``offer`` answers, in the same order as ``offers_for``."""
    found = [m for n in _bounded(needs, MAX_CANDIDATES) if (m := market_match(n, offer)) is not None]
    return _ranked(found, min(limit, MAX_RESULTS))


# --- financing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinancingAsk:
    """An enterprise's financing need."""

    amount: Decimal
    term_months: int
    collateral: str  # CREDIT for none
    size: str
    industry_code: str


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    amount_min: Decimal
    amount_max: Decimal
    term_min: int
    term_max: int
    collaterals: frozenset[str] = frozenset()  # accepted kinds (CREDIT among them: no collateral needed)
    sizes: frozenset[str] = frozenset()  # empty: every size
    industry_prefixes: tuple[str, ...] = ()  # empty: every industry
    rate_min: Decimal | None = None


@dataclass(frozen=True)
class ProductMatch:
    product_id: int
    score: int
    reasons: tuple[str, ...]


def product_match(ask: FinancingAsk, product: Product) -> ProductMatch | None:
    """Whether ``product`` can serve ``ask``, with the reasons; None when any condition fails."""
    if not product.amount_min <= ask.amount <= product.amount_max:
        return None
    if not product.term_min <= ask.term_months <= product.term_max:
        return None
    if product.sizes and ask.size not in product.sizes:
        return None
    industry = next((p for p in product.industry_prefixes if ask.industry_code.startswith(p)), None)
    if product.industry_prefixes and industry is None:
        return None
    if product.collaterals and ask.collateral not in product.collaterals:
        return None
    reasons = [
        f"金额在产品额度内：{format_amount(product.amount_min)}至{format_amount(product.amount_max)}",
        f"期限在产品期限内：{product.term_min}至{product.term_max}个月",
    ]
    score = 20
    if product.sizes:
        reasons.append("企业规模符合产品支持对象")
        score += 10
    if industry is not None:
        reasons.append(f"行业符合产品支持方向：{industry}")
        score += 10
    if ask.collateral != CREDIT:
        reasons.append("接受企业提供的担保方式")
    else:
        reasons.append("信用方式，无需抵押担保")
        score += 5
    return ProductMatch(product.id, score, tuple(reasons))


def products_for(ask: FinancingAsk, products: Iterable[Product], *, limit: int = MAX_RESULTS) -> list[ProductMatch]:
    """The products that can serve ``ask``, best first, then by lowest rate, then by id."""
    by_id = {p.id: p for p in _bounded(products, MAX_CANDIDATES)}
    found = [m for p in by_id.values() if (m := product_match(ask, p)) is not None]

    def rate(m: ProductMatch) -> Decimal:
        r = by_id[m.product_id].rate_min
        return r if r is not None else Decimal("Infinity")

    found.sort(key=lambda m: (-m.score, rate(m), m.product_id))
    return found[: min(limit, MAX_RESULTS)]


# --- local supply rate ------------------------------------------------------------------------


@dataclass(frozen=True)
class Purchase:
    """A deal as the rate sees it: what a chain leader bought and whether the seller is in the zone."""

    chain_id: int
    amount: Decimal
    buyer_is_leader: bool
    seller_in_zone: bool


@dataclass(frozen=True)
class SupplyRate:
    chain_id: int
    leaders_total: Decimal
    local_total: Decimal

    @property
    def rate(self) -> Decimal | None:
        """The share bought inside the zone, as a fraction with four places; None without purchases."""
        if not self.leaders_total:
            return None
        return (self.local_total / self.leaders_total).quantize(Decimal("0.0001"))


def local_supply_rates(purchases: Iterable[Purchase]) -> dict[int, SupplyRate]:
    """Per chain: the chain leaders' purchases and the part bought from sellers inside the zone."""
    totals: dict[int, list[Decimal]] = {}
    for p in purchases:
        if not p.buyer_is_leader:
            continue
        pair = totals.setdefault(p.chain_id, [Decimal(0), Decimal(0)])
        pair[0] += p.amount
        if p.seller_in_zone:
            pair[1] += p.amount
    return {chain: SupplyRate(chain, pair[0], pair[1]) for chain, pair in totals.items()}
