"""Supply and demand over the API (/api/v1/support/markets/...).

An enterprise user reads and writes its own enterprise's listings and matches; staff of the zone read
the zone's. The other side's contact is masked in every answer; the full contact is one audited read
once both sides agreed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import TextChoices
from ninja import Router, Schema, Status
from pydantic import WithJsonSchema

from onezone.core.api_types import Id, Limit, Offset
from onezone.core.errors import NotFound, PermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.permissions import require_read, roles_in
from onezone.core.roles import STAFF_ROLES, Role
from onezone.enterprises.selectors import enterprise_of_user
from onezone.support.models import Listing, MarketMatch
from onezone.support.selectors import markets as s
from onezone.support.services import markets as services

router = Router(tags=["企业服务·找市场"])


def choice(choices: type[TextChoices]) -> Any:
    """A choice field described inline in the API schema: other apps' choices share the class name
    (Kind, Status), and one named component would describe only one of them."""
    return Annotated[choices, WithJsonSchema({"type": "string", "enum": list(choices.values)})]


ListingKind = choice(Listing.Kind)
ListingStatus = choice(Listing.Status)


def viewer(request) -> tuple[int, Any]:
    """The zone the request reads and, for an enterprise user, its enterprise (None for staff)."""
    enterprise = enterprise_of_user(request.user)
    if enterprise is not None and Role.ENTERPRISE in roles_in(request.user, enterprise.zone_id):
        return enterprise.zone_id, enterprise
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise PermissionDenied("您的账号尚未获得任何开发区的角色授权。")
    require_read(request.user, zone_id=zone_id)
    if not roles_in(request.user, zone_id) & STAFF_ROLES:
        raise PermissionDenied("只有园区工作人员和企业用户可以查看供需信息。")
    return zone_id, None


def own_enterprise(request) -> Any:
    _zone_id, enterprise = viewer(request)
    if enterprise is None:
        raise PermissionDenied("请使用企业账号发布和管理本企业的供需信息。")
    return enterprise


class ListingOut(Schema):
    id: int
    kind: str
    subject: str
    title: str
    description: str
    quantity: Decimal | None
    unit: str
    starts: dt.date | None
    ends: dt.date | None
    industry_code: str
    link_id: int | None
    link_label: str
    enterprise_id: int
    enterprise_name: str
    contact_name: str
    contact_mobile: str
    status: str

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_contact_mobile(obj) -> str:
        return obj.contact_mobile_masked


class ListingBrief(Schema):
    """A listing as the other side of a match sees it: no contact until both agree."""

    id: int
    kind: str
    title: str
    link_label: str
    industry_code: str
    enterprise_name: str
    status: str

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name


class ListingIn(Schema):
    kind: ListingKind
    subject: Listing.Subject = Listing.Subject.PRODUCT
    title: str
    description: str = ""
    quantity: Decimal | None = None
    unit: str = ""
    starts: dt.date | None = None
    ends: dt.date | None = None
    industry_code: str
    link_id: int | None = None
    contact_name: str
    contact_mobile: str


class StatusIn(Schema):
    status: ListingStatus


class MarketMatchOut(Schema):
    id: int
    score: int
    reasons: list[str]
    status: str
    need: ListingBrief
    offer: ListingBrief
    need_agreed: bool
    offer_agreed: bool

    @staticmethod
    def resolve_need_agreed(obj) -> bool:
        return obj.need_agreed_at is not None

    @staticmethod
    def resolve_offer_agreed(obj) -> bool:
        return obj.offer_agreed_at is not None


class ContactOut(Schema):
    enterprise: str
    name: str
    mobile: str


class DealOut(Schema):
    id: int
    buyer: str
    seller_name: str
    seller_in_zone: bool
    subject: str
    amount: Decimal
    signed_on: dt.date

    @staticmethod
    def resolve_buyer(obj) -> str:
        return obj.buyer.name


class SupplyRateOut(Schema):
    chain_id: int
    chain_name: str
    leaders: list[str]
    leaders_total: Decimal
    local_total: Decimal
    rate: Decimal | None
    deals: list[DealOut]


def _listing(request, listing_id: int) -> Listing:
    zone_id, enterprise = viewer(request)
    qs = s.listings_query(zone_id=zone_id, enterprise_id=enterprise.pk if enterprise else None)
    listing = qs.filter(pk=listing_id).first()
    if listing is None:
        raise NotFound("没有找到该供需信息，或您无权查看。")
    return listing


def _match(request, match_id: int) -> MarketMatch:
    enterprise = own_enterprise(request)
    match = s.match_of_enterprise(enterprise, match_id)
    if match is None:
        raise NotFound("没有找到该匹配，或您无权查看。")
    return match


@router.get("/markets/listings", response=list[ListingOut], summary="供需信息（企业：本企业的；工作人员：本区的）")
def listings(
    request,
    kind: ListingKind | None = None,
    status: ListingStatus | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    zone_id, enterprise = viewer(request)
    qs = s.listings_query(
        zone_id=zone_id, enterprise_id=enterprise.pk if enterprise else None, kind=kind or "", status=status or ""
    )
    return list(qs[offset : offset + limit])


@router.post("/markets/listings", response={201: ListingOut}, summary="发布需求或供给（企业账号）")
def listing_publish(request, payload: ListingIn):
    enterprise = own_enterprise(request)
    listing = services.listing_publish(actor=request.user, enterprise=enterprise, **payload.dict())
    return Status(201, listing)


@router.post("/markets/listings/{listing_id}/status", response=ListingOut, summary="关闭或重新发布")
def listing_status(request, listing_id: Id, payload: StatusIn):
    listing = _listing(request, listing_id)
    return services.listing_set_status(actor=request.user, listing=listing, status=payload.status)


@router.get(
    "/markets/matches", response=list[MarketMatchOut], summary="供需匹配及理由（企业：本企业的；工作人员：本区的）"
)
def matches(request, limit: Limit = 50, offset: Offset = 0):
    zone_id, enterprise = viewer(request)
    if enterprise is not None:
        return s.matches_of_enterprise(enterprise)[offset : offset + limit]
    return list(s.matches_query(zone_id=zone_id)[offset : offset + limit])


@router.post("/markets/matches/{match_id}/agree", response=MarketMatchOut, summary="同意与对方交换联系方式")
def match_agree(request, match_id: Id):
    return services.match_agree(actor=request.user, match=_match(request, match_id))


@router.post("/markets/matches/{match_id}/decline", response=MarketMatchOut, summary="谢绝该匹配")
def match_decline(request, match_id: Id):
    return services.match_decline(actor=request.user, match=_match(request, match_id))


@router.get(
    "/markets/matches/{match_id}/contact", response=ContactOut, summary="对方的完整联系方式（双方同意后，留痕）"
)
def match_contact(request, match_id: Id):
    return services.match_contact(actor=request.user, match=_match(request, match_id))


@router.get("/markets/supply-rate", response=list[SupplyRateOut], summary="各产业链链主企业本地配套率及其签约记录")
def supply_rate(request):
    zone_id, enterprise = viewer(request)
    if enterprise is not None:
        raise PermissionDenied("本地配套率仅向园区工作人员开放。")
    return [
        {
            "chain_id": row.chain_id,
            "chain_name": row.chain_name,
            "leaders": row.leaders,
            "leaders_total": row.rate.leaders_total,
            "local_total": row.rate.local_total,
            "rate": row.rate.rate,
            "deals": row.deals,
        }
        for row in s.local_supply(zone_id)
    ]
