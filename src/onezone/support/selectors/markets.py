"""Reads of supply and demand: an enterprise's own listings and matches, the desk's lists, events with
their deals, and the local supply rate per chain computed from the recorded deals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Sum

from onezone.core.money import yuan
from onezone.support import matching
from onezone.support.chains import ChainLink, chain_links, chains_of
from onezone.support.models import ChainLeader, Deal, Listing, MarketMatch, MatchmakingEvent

PER_PAGE = 50
# An enterprise's own listings shown at once (newest first).
MAX_OWN = 500


def links_of_zone(zone_id: int) -> list[ChainLink]:
    """The zone's chain links, chain by chain, for a form's choices."""
    return [link for link in chain_links([zone_id]).values() if link.zone_id == zone_id]


def chain_choices(zone_id: int) -> list[tuple[int, str]]:
    return chains_of(chain_links([zone_id]), zone_id)


def _page(qs: QuerySet, page: int, per_page: int = PER_PAGE) -> Page:
    return Paginator(qs, per_page).get_page(page)


# --- the enterprise's own ---------------------------------------------------------------------


def listings_of_enterprise(enterprise: Any) -> list[Listing]:
    """The enterprise's needs and offers, newest first."""
    return list(
        Listing.objects.filter(zone_id=enterprise.zone_id, enterprise=enterprise).order_by("-created_at", "-id")[
            :MAX_OWN
        ]
    )


def _matches() -> QuerySet[MarketMatch]:
    return MarketMatch.objects.select_related("need__enterprise", "offer__enterprise", "zone")


def matches_of_enterprise(enterprise: Any) -> list[MarketMatch]:
    """The matches of the enterprise's listings on either side, best first. A match of another zone's
    need with this enterprise's offer belongs to the need's zone and shows here too."""
    return list(
        _matches()
        .filter(Q(need__enterprise=enterprise) | Q(offer__enterprise=enterprise))
        .order_by("-score", "id")[: matching.MAX_RESULTS * 10]
    )


def match_of_enterprise(enterprise: Any, match_id: int) -> MarketMatch | None:
    return _matches().filter(Q(need__enterprise=enterprise) | Q(offer__enterprise=enterprise), pk=match_id).first()


@dataclass
class MatchView:
    """A match as one side sees it: its own listing, the other's, and the other's contact masked."""

    match: MarketMatch
    mine: Listing
    theirs: Listing
    my_side: str
    i_agreed: bool
    they_agreed: bool

    @property
    def contact_masked(self) -> str:
        return f"{self.theirs.contact_name[:1]}**　{self.theirs.contact_mobile_masked}"


def match_view(match: MarketMatch, enterprise: Any) -> MatchView:
    mine_is_need = match.need.enterprise_id == enterprise.pk
    mine, theirs = (match.need, match.offer) if mine_is_need else (match.offer, match.need)
    return MatchView(
        match=match,
        mine=mine,
        theirs=theirs,
        my_side="need" if mine_is_need else "offer",
        i_agreed=(match.need_agreed_at if mine_is_need else match.offer_agreed_at) is not None,
        they_agreed=(match.offer_agreed_at if mine_is_need else match.need_agreed_at) is not None,
    )


# --- the desk ---------------------------------------------------------------------------------


def listings_query(
    *, zone_id: int, enterprise_id: int | None = None, kind: str = "", status: str = ""
) -> QuerySet[Listing]:
    """The zone's listings (or one enterprise's), newest first, with their enterprise."""
    qs = Listing.objects.filter(zone_id=zone_id).select_related("enterprise")
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def listings_list(*, zone_id: int, kind: str = "", status: str = "", page: int = 1) -> Page:
    return _page(listings_query(zone_id=zone_id, kind=kind, status=status), page)


def matches_query(*, zone_id: int, status: str = "") -> QuerySet[MarketMatch]:
    """The matches of the zone's needs, best first, with both listings and their enterprises."""
    qs = _matches().filter(zone_id=zone_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-score", "-id")


def matches_list(*, zone_id: int, status: str = "", page: int = 1) -> Page:
    return _page(matches_query(zone_id=zone_id, status=status), page)


def events_list(*, zone_id: int, page: int = 1) -> Page:
    qs = (
        MatchmakingEvent.objects.filter(zone_id=zone_id)
        .select_related("organiser")
        .prefetch_related("participants", "deals")
    )
    return _page(qs.order_by("-held_on", "-id"), page)


def event_get(*, zone_id: int, event_id: int) -> MatchmakingEvent | None:
    return (
        MatchmakingEvent.objects.filter(zone_id=zone_id, pk=event_id)
        .select_related("organiser")
        .prefetch_related("participants")
        .first()
    )


def deals_of_event(event: MatchmakingEvent) -> list[Deal]:
    return list(
        Deal.objects.filter(zone_id=event.zone_id, event=event).select_related("buyer").order_by("signed_on", "id")
    )


def leaders_of_zone(zone_id: int) -> list[ChainLeader]:
    return list(ChainLeader.objects.filter(zone_id=zone_id).select_related("enterprise").order_by("chain_name", "id"))


# --- local supply rate ------------------------------------------------------------------------


@dataclass
class ChainSupply:
    """One chain's local supply rate with the deals it was computed from."""

    chain_id: int
    chain_name: str
    leaders: list[str]
    rate: matching.SupplyRate
    deals: list[Deal]

    @property
    def rate_percent(self) -> str:
        value = self.rate.rate
        return "—" if value is None else f"{(value * 100).quantize(Decimal('0.01'))}%"


def local_supply(zone_id: int) -> list[ChainSupply]:
    """Per chain with a leader: the share of its leaders' purchases (deals at the chain's events where the
    buyer leads the chain) bought from sellers inside the zone, and those deals."""
    leaders = leaders_of_zone(zone_id)
    led: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for leader in leaders:
        led.setdefault(leader.chain_id, set()).add(leader.enterprise_id)
        names[leader.chain_id] = leader.chain_name
    deals = list(
        Deal.objects.filter(zone_id=zone_id, event__chain_id__in=list(led))
        .select_related("buyer", "event")
        .order_by("event__chain_id", "signed_on", "id")
    )
    behind: dict[int, list[Deal]] = {}
    purchases = []
    for deal in deals:
        chain_id = deal.event.chain_id
        is_leader = deal.buyer_id in led[chain_id]
        purchases.append(matching.Purchase(chain_id, deal.amount, is_leader, deal.seller_in_zone))
        if is_leader:
            behind.setdefault(chain_id, []).append(deal)
    rates = matching.local_supply_rates(purchases)
    by_name = {leader.enterprise_id: leader.enterprise.name for leader in leaders}
    return [
        ChainSupply(
            chain_id=chain_id,
            chain_name=names[chain_id],
            leaders=sorted(by_name[e] for e in led[chain_id]),
            rate=rates.get(chain_id, matching.SupplyRate(chain_id, Decimal(0), Decimal(0))),
            deals=behind.get(chain_id, []),
        )
        for chain_id in sorted(led, key=lambda c: names[c])
    ]


def deals_total(zone_id: int) -> Decimal:
    """Every deal signed at the zone's events, in yuan."""
    return yuan(Deal.objects.filter(zone_id=zone_id).aggregate(total=Sum("amount"))["total"] or 0)
