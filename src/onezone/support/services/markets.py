"""Writes of supply and demand (找市场/找订单): listings, their matches and consents, chain leaders,
matchmaking events and their deals.

An enterprise publishes and manages its own listings; staff of the desk (economic development,
investment service) keep chain leaders and events. Acting on an event means being on its organiser
body, or a leader or administrator of the zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from onezone.core.audit import audit_record, snapshot
from onezone.core.codes import CodeError, validate_mobile
from onezone.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TransitionNotAllowed,
)
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.enterprises.access import is_member_of
from onezone.enterprises.services import normalise_industry
from onezone.org.authority import require_on_body
from onezone.support import matching
from onezone.support.chains import ChainLink, chain_links, upstream_keys
from onezone.support.models import ChainLeader, Deal, Listing, MarketMatch, MatchmakingEvent

# Run the desk of enterprise services: chain leaders, events, deals, institutions, meetings, loans.
DESK_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER})
# Read the desk's pages (the provincial supervisor reads every zone).
DESK_READERS = DESK_ROLES | {Role.PROVINCE_SUPERVISOR}
# May act on any body's event or meeting in the zone.
MAX_PARTICIPANTS = 500

LISTING_TRANSITIONS: dict[str, set[str]] = {
    Listing.Status.OPEN: {Listing.Status.CLOSED},
    Listing.Status.CLOSED: {Listing.Status.OPEN},
}
MATCH_TRANSITIONS: dict[str, set[str]] = {
    MarketMatch.Status.PROPOSED: {MarketMatch.Status.SHARED, MarketMatch.Status.DECLINED},
    MarketMatch.Status.SHARED: set(),
    MarketMatch.Status.DECLINED: set(),
}


# --- shared checks ----------------------------------------------------------------------------


def text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """``value`` stripped; refused (never cut) when longer than ``limit`` or missing when required."""
    value = (value or "").strip()
    if required and not value:
        message = f"请填写{label}。"
        raise InvalidInput(message, fields={field: message})
    if len(value) > limit:
        message = f"{label}最多{limit}个字，现为{len(value)}个字，请删减后再提交。"
        raise InvalidInput(message, fields={field: message})
    return value


def money(value: Decimal, *, field: str, label: str) -> Decimal:
    if value is None or not value.is_finite() or value <= 0:
        message = f"{label}须为大于零的金额（元）。"
        raise InvalidInput(message, fields={field: message})
    if value >= Decimal("1e14") or value.as_tuple().exponent < -2:
        message = f"{label}须为不超过一百万亿元、最多两位小数的金额（元）。"
        raise InvalidInput(message, fields={field: message})
    return value


def require_enterprise_side(actor: Any, enterprise: Any, *, action: str) -> None:
    """Raise unless ``actor`` acts for ``enterprise`` in the portal or is desk staff of its zone."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if roles_in(actor, enterprise.zone_id) & DESK_ROLES or is_member_of(actor, enterprise):
        return
    raise PermissionDenied(f"只有本企业的账号或园区企业服务人员可以{action}。")


def require_body(actor: Any, *, zone_id: int, body: Any, action: str) -> None:
    """Raise unless ``actor`` is desk staff on ``body`` (the one rule, ``org.authority``)."""
    require_on_body(actor, zone_id=zone_id, roles=DESK_ROLES, body_ids=[body.pk], action=action, what="该对接活动")


# --- listings ---------------------------------------------------------------------------------


def _link(zone_id: int, link_id: int | None) -> ChainLink | None:
    if link_id is None:
        return None
    link = chain_links([zone_id]).get(link_id)
    if link is None or link.zone_id != zone_id:
        message = "所选产业链环节不属于本开发区，请从本开发区的产业链中选择。"
        raise InvalidInput(message, fields={"link_id": message})
    return link


def listing_publish(
    *,
    actor: Any,
    enterprise: Any,
    kind: str,
    title: str,
    industry_code: str,
    contact_name: str,
    contact_mobile: str,
    subject: str = Listing.Subject.PRODUCT,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
    starts: dt.date | None = None,
    ends: dt.date | None = None,
    link_id: int | None = None,
) -> Listing:
    """Publish what ``enterprise`` buys or sells, and match it at once with the other side's listings."""
    require_enterprise_side(actor, enterprise, action="发布供需信息")
    if kind not in Listing.Kind.values:
        raise InvalidInput("类型须为“需求”或“供给”。", fields={"kind": "类型须为“需求”或“供给”。"})
    if subject not in Listing.Subject.values:
        raise InvalidInput("请选择产品或服务。", fields={"subject": "请选择产品或服务。"})
    if quantity is not None and (
        not quantity.is_finite() or quantity < 0 or quantity >= Decimal("1e12") or quantity.as_tuple().exponent < -2
    ):
        message = "数量须为不小于零、小于一万亿、最多两位小数的数。"
        raise InvalidInput(message, fields={"quantity": message})
    unit = text(unit, field="unit", label="单位", limit=10, required=quantity is not None)
    if starts and ends and ends < starts:
        raise InvalidInput("截止日期不能早于起始日期。", fields={"ends": "截止日期不能早于起始日期。"})
    try:
        mobile = validate_mobile(contact_mobile or "")
    except CodeError as exc:
        raise InvalidInput(exc.message, fields={"contact_mobile": exc.message}) from exc
    link = _link(enterprise.zone_id, link_id)
    listing = Listing(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        kind=kind,
        subject=subject,
        title=text(title, field="title", label="名称", limit=100, required=True),
        description=text(description, field="description", label="说明", limit=500),
        quantity=quantity,
        unit=unit,
        starts=starts,
        ends=ends,
        industry_code=normalise_industry(industry_code),
        chain_id=link.chain_id if link else None,
        link_id=link.id if link else None,
        link_label=link.label[:120] if link else "",
        contact_name=text(contact_name, field="contact_name", label="联系人", limit=50, required=True),
        contact_mobile=mobile,
    )
    with transaction.atomic():
        listing.save()
        changes = snapshot(listing)
        changes["contact_mobile"] = listing.contact_mobile_masked
        audit_record(actor=actor, action="support.listing.publish", obj=listing, changes=changes)
        _record_matches(listing=listing)
    return listing


def _transition_listing(listing: Listing, to: str) -> None:
    if to not in LISTING_TRANSITIONS[listing.status]:
        raise TransitionNotAllowed(f"“{listing.title}”当前为“{listing.get_status_display()}”，不能再改为该状态。")
    listing.status = to


def listing_set_status(*, actor: Any, listing: Listing, status: str) -> Listing:
    """Close a listing (bought, sold or withdrawn) or open it again; opening matches it again."""
    require_enterprise_side(actor, listing.enterprise, action="关闭或重新发布供需信息")
    with transaction.atomic():
        locked = Listing.objects.select_for_update().select_related("enterprise").get(pk=listing.pk)
        before = locked.status
        _transition_listing(locked, status)
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="support.listing.status", obj=locked, changes={"status": [before, status]})
        if status == Listing.Status.OPEN:
            _record_matches(listing=locked)
    return locked


# --- matching ---------------------------------------------------------------------------------


def _side(listing: Listing, links: dict[int, ChainLink], zone_names: dict[int, tuple[str, str]]) -> matching.Side:
    province, name = zone_names[listing.zone_id]
    return matching.Side(
        id=listing.pk,
        enterprise_id=listing.enterprise_id,
        zone_id=listing.zone_id,
        province_code=province,
        industry_code=listing.industry_code,
        link_key=links[listing.link_id].key if listing.link_id in links else "",
        link_label=listing.link_label,
        upstream_keys=upstream_keys(links, listing.link_id),
        starts=listing.starts,
        ends=listing.ends,
        zone_name=name,
    )


def _record_matches(*, listing: Listing) -> int:
    """Record the matches of an open listing with the open listings of the other side (in its zone and
    the province's other zones); existing matches are kept. Answers how many were added.

    Called inside the writes that publish or reopen a listing, which check who acts and audit it.
    """
    from onezone.zones.models import Zone

    if listing.status != Listing.Status.OPEN:
        return 0
    zone = Zone.objects.only("province_code").get(pk=listing.zone_id)
    zone_names = {
        z["id"]: (z["province_code"], z["name"])
        for z in Zone.objects.filter(province_code=zone.province_code).values("id", "province_code", "name")
    }
    other = Listing.Kind.OFFER if listing.kind == Listing.Kind.NEED else Listing.Kind.NEED
    # Only a listing with the same industry code or on a chain can match: read those, the zone's own first.
    plausible = Q(industry_code=listing.industry_code)
    if listing.link_id is not None:
        plausible |= Q(link_id__isnull=False)
    base = (
        Listing.objects.filter(plausible, kind=other, status=Listing.Status.OPEN)
        .exclude(enterprise_id=listing.enterprise_id)
        .order_by("-id")
    )
    candidates = list(base.filter(zone_id=listing.zone_id)[: matching.MAX_CANDIDATES])
    others = [z for z in zone_names if z != listing.zone_id]
    if others and len(candidates) < matching.MAX_CANDIDATES:
        candidates += list(base.filter(zone_id__in=others)[: matching.MAX_CANDIDATES - len(candidates)])
    links = chain_links(zone_names)
    me = _side(listing, links, zone_names)
    sides = [_side(c, links, zone_names) for c in candidates]
    found = matching.offers_for(me, sides) if listing.kind == Listing.Kind.NEED else matching.needs_for(me, sides)
    zone_of = {c.pk: c.zone_id for c in candidates} | {listing.pk: listing.zone_id}
    rows = [
        MarketMatch(
            zone_id=zone_of[m.need_id], need_id=m.need_id, offer_id=m.offer_id, score=m.score, reasons=list(m.reasons)
        )
        for m in found
    ]
    existing = set(
        MarketMatch.objects.filter(
            need_id__in=[r.need_id for r in rows], offer_id__in=[r.offer_id for r in rows]
        ).values_list("need_id", "offer_id")
    )
    new = [r for r in rows if (r.need_id, r.offer_id) not in existing]
    MarketMatch.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _side_of(actor: Any, match: MarketMatch) -> str:
    """ "need" or "offer": the side ``actor`` acts for; NotFound for anyone else."""
    if is_member_of(actor, match.need.enterprise):
        return "need"
    if is_member_of(actor, match.offer.enterprise):
        return "offer"
    raise NotFound("没有找到该匹配，或您无权查看。")


def _transition_match(match: MarketMatch, to: str) -> None:
    if to not in MATCH_TRANSITIONS[match.status]:
        raise TransitionNotAllowed(f"该匹配当前为“{match.get_status_display()}”，不能再变更。")
    match.status = to


def _locked_match(match: MarketMatch) -> MarketMatch:
    return (
        MarketMatch.objects.select_for_update(of=("self",))
        .select_related("need__enterprise", "offer__enterprise")
        .get(pk=match.pk)
    )


def match_agree(*, actor: Any, match: MarketMatch) -> MarketMatch:
    """The actor's side agrees to share its contact; when both sides have, both contacts show."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    with transaction.atomic():
        locked = _locked_match(match)
        side = _side_of(actor, locked)
        if locked.status != MarketMatch.Status.PROPOSED:
            raise TransitionNotAllowed(f"该匹配当前为“{locked.get_status_display()}”，不能再变更。")
        field = f"{side}_agreed_at"
        if getattr(locked, field) is not None:
            raise Conflict("您已同意交换联系方式，请等待对方同意。")
        setattr(locked, field, timezone.now())
        if locked.both_agreed:
            _transition_match(locked, MarketMatch.Status.SHARED)
        locked.save(update_fields=[field, "status", "updated_at"])
        audit_record(
            actor=actor, action="support.match.agree", obj=locked, changes={"side": side, "status": locked.status}
        )
    return locked


def match_decline(*, actor: Any, match: MarketMatch) -> MarketMatch:
    """The actor's side declines the match; neither contact is shared."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    with transaction.atomic():
        locked = _locked_match(match)
        side = _side_of(actor, locked)
        before = locked.status
        _transition_match(locked, MarketMatch.Status.DECLINED)
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="support.match.decline",
            obj=locked,
            changes={"side": side, "status": [before, locked.status]},
        )
    return locked


def match_contact(*, actor: Any, match: MarketMatch) -> dict[str, str]:
    """The other side's full contact, once both sides agreed; every such view is logged."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再查看。")
    match = MarketMatch.objects.select_related("need__enterprise", "offer__enterprise").get(pk=match.pk)
    side = _side_of(actor, match)
    if match.status != MarketMatch.Status.SHARED:
        raise Conflict("双方都同意交换联系方式后才能查看对方的完整联系方式。")
    other = match.offer if side == "need" else match.need
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="support.match.view_contact",
            obj=match,
            changes={"listing": other.pk, "enterprise": other.enterprise.name},
        )
    return {"enterprise": other.enterprise.name, "name": other.contact_name, "mobile": other.contact_mobile}


# --- chain leaders ----------------------------------------------------------------------------


def _chain_name(zone_id: int, chain_id: int) -> str:
    for link in chain_links([zone_id]).values():
        if link.zone_id == zone_id and link.chain_id == chain_id:
            return link.chain_name
    message = "所选产业链不属于本开发区，请从本开发区的产业链中选择。"
    raise InvalidInput(message, fields={"chain_id": message})


def chain_leader_mark(*, actor: Any, enterprise: Any, chain_id: int) -> ChainLeader:
    """Count ``enterprise`` as a leader (链主) of the chain: its purchases make the local supply rate."""
    require(actor, zone_id=enterprise.zone_id, roles=DESK_ROLES, action="认定链主企业")
    leader = ChainLeader(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        chain_id=chain_id,
        chain_name=_chain_name(enterprise.zone_id, chain_id),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                leader.save()
        except IntegrityError as exc:
            raise Conflict(f"“{enterprise.name}”已是{leader.chain_name}产业链的链主企业。") from exc
        audit_record(actor=actor, action="support.chain_leader.mark", obj=leader, changes=snapshot(leader))
    return leader


def chain_leader_unmark(*, actor: Any, leader: ChainLeader) -> None:
    """No longer count the enterprise as the chain's leader."""
    require(actor, zone_id=leader.zone_id, roles=DESK_ROLES, action="取消链主企业认定")
    with transaction.atomic():
        audit_record(actor=actor, action="support.chain_leader.unmark", obj=leader, changes=snapshot(leader))
        leader.delete()


# --- events and deals -------------------------------------------------------------------------


def _own_enterprises(zone_id: int, enterprises: Iterable[Any]) -> list[Any]:
    chosen = list(enterprises)
    if len(chosen) > MAX_PARTICIPANTS:
        raise InvalidInput(f"一次最多登记{MAX_PARTICIPANTS}家参会企业，现为{len(chosen)}家，请分批登记。")
    foreign = [e.name for e in chosen if e.zone_id != zone_id]
    if foreign:
        raise InvalidInput(f"参会企业须为本开发区登记的企业：{'、'.join(foreign[:5])}不属于本开发区。")
    return chosen


def event_create(
    *,
    actor: Any,
    zone_id: int,
    title: str,
    held_on: dt.date,
    chain_id: int,
    organiser: Any,
    participants: Iterable[Any] = (),
    note: str = "",
) -> MatchmakingEvent:
    """Record a supply-and-demand meeting of a chain, organised by one of the zone's bodies."""
    if organiser.zone_id != zone_id:
        raise InvalidInput("主办机构须为本开发区的机构。", fields={"organiser": "主办机构须为本开发区的机构。"})
    require_body(actor, zone_id=zone_id, body=organiser, action="登记供需对接会")
    chosen = _own_enterprises(zone_id, participants)
    event = MatchmakingEvent(
        zone_id=zone_id,
        title=text(title, field="title", label="对接会名称", limit=100, required=True),
        held_on=held_on,
        chain_id=chain_id,
        chain_name=_chain_name(zone_id, chain_id),
        organiser=organiser,
        note=text(note, field="note", label="备注", limit=500),
    )
    with transaction.atomic():
        event.save()
        event.participants.set(chosen)
        changes = snapshot(event) | {"participants": [e.pk for e in chosen]}
        audit_record(actor=actor, action="support.event.create", obj=event, changes=changes)
    return event


def event_add_participants(*, actor: Any, event: MatchmakingEvent, enterprises: Iterable[Any]) -> MatchmakingEvent:
    """Add enterprises to the event's participants."""
    require_body(actor, zone_id=event.zone_id, body=event.organiser, action="登记对接会参会企业")
    chosen = _own_enterprises(event.zone_id, enterprises)
    with transaction.atomic():
        event.participants.add(*chosen)
        audit_record(
            actor=actor, action="support.event.participants", obj=event, changes={"added": [e.pk for e in chosen]}
        )
    return event


def deal_record(
    *,
    actor: Any,
    event: MatchmakingEvent,
    buyer: Any,
    subject: str,
    amount: Decimal,
    signed_on: dt.date,
    seller: Any = None,
    seller_name: str = "",
) -> Deal:
    """Record a purchase agreement signed at ``event``: a participant of the zone buys from a seller,
    registered on the platform (any zone) or named."""
    require_body(actor, zone_id=event.zone_id, body=event.organiser, action="登记对接会签约项目")
    if buyer.zone_id != event.zone_id or not event.participants.filter(pk=buyer.pk).exists():
        message = f"采购方“{buyer.name}”不是本次对接会的参会企业，请先登记为参会企业。"
        raise InvalidInput(message, fields={"buyer": message})
    if seller is not None and seller.pk == buyer.pk:
        raise InvalidInput("采购方和供应方不能是同一家企业。", fields={"seller": "采购方和供应方不能是同一家企业。"})
    name = (
        seller.name
        if seller is not None
        else text(seller_name, field="seller_name", label="供应方名称", limit=200, required=True)
    )
    if signed_on < event.held_on:
        message = f"签约日期不能早于对接会举办日期{event.held_on:%Y年%m月%d日}。"
        raise InvalidInput(message, fields={"signed_on": message})
    deal = Deal(
        zone_id=event.zone_id,
        event=event,
        buyer=buyer,
        seller=seller,
        seller_name=name,
        seller_in_zone=seller is not None and seller.zone_id == event.zone_id,
        subject=text(subject, field="subject", label="采购内容", limit=100, required=True),
        amount=money(amount, field="amount", label="签约金额"),
        signed_on=signed_on,
    )
    with transaction.atomic():
        deal.save()
        audit_record(actor=actor, action="support.deal.record", obj=deal, changes=snapshot(deal))
    return deal
