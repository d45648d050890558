"""Policies over the API: the public library, matches for staff, an enterprise's own notices and grants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import STAFF_ROLES
from onezone.policies import selectors
from onezone.policies.models import GrantStatus
from onezone.policies.services import POLICY_EDITORS, grant_confirm, grant_decline, grant_pay, policy_match_run

router = Router(tags=["惠企政策"])


class PolicyOut(Schema):
    id: int
    title: str
    kind: str
    issuer: str
    document_number: str
    summary: str
    valid_from: dt.date
    valid_to: dt.date | None
    amount_description: str
    auto_grant: bool
    is_demo: bool
    conditions_text: list[str]

    @staticmethod
    def resolve_conditions_text(obj) -> list[str]:
        return selectors.policy_conditions_text(obj)


class PolicyListOut(Schema):
    id: int
    title: str
    kind: str
    issuer: str
    document_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    amount_description: str
    auto_grant: bool


class QualificationOut(Schema):
    enterprise_id: int
    enterprise_name: str
    eligible: bool
    reasons: list[str]


class MatchOut(Schema):
    id: int
    policy_id: int
    policy_title: str
    enterprise_id: int
    enterprise_name: str
    eligible: bool
    reasons: list[str]
    first_matched_at: dt.datetime
    notified_at: dt.datetime | None

    @staticmethod
    def resolve_policy_title(obj) -> str:
        return obj.policy.title

    @staticmethod
    def resolve_enterprise_name(obj) -> str:
        return obj.enterprise.name


class MatchRunOut(Schema):
    policies: int
    new_matches: int
    notices: int
    grants: int
    lapsed: int
    not_computable: int
    summary: str

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.summary()


class NoticeOut(Schema):
    id: int
    policy_id: int
    title: str
    body: str
    sent_at: dt.datetime
    read_at: dt.datetime | None


class GrantOut(Schema):
    id: int
    policy_id: int
    policy_title: str
    enterprise_id: int
    amount: Decimal
    basis: str
    status: str
    status_label: str
    proposed_at: dt.datetime
    confirmed_at: dt.datetime | None
    paid_at: dt.datetime | None

    @staticmethod
    def resolve_policy_title(obj) -> str:
        return obj.policy.title

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class ConfirmIn(Schema):
    bank_account_note: str = ""


class DeclineIn(Schema):
    reason: str


class PayIn(Schema):
    payment_reference: str = ""


def _page(qs, limit: int, offset: int, *, most: int) -> list:
    """One page of ``qs``: ``limit`` clamped to 1…``most``, a negative offset read as 0."""
    limit = max(1, min(limit, most))
    offset = min(max(0, offset), 10**9)
    return list(qs[offset : offset + limit])


def _require_staff(request, zone_id: int) -> None:
    require_read(request.user, zone_id=zone_id)
    if not roles_in(request.user, zone_id) & STAFF_ROLES:
        raise PermissionDenied("只有园区工作人员可以查看政策匹配结果。")


# --- public ---------------------------------------------------------------------------------


@router.get("/zones/{zone_id}/policies", response=list[PolicyListOut], auth=None, summary="已发布的惠企政策（公开）")
def list_policies(request, zone_id: int, q: str = "", limit: int = 50, offset: int = 0):
    return _page(selectors.policies_public(zone_id, query=q), limit, offset, most=200)


@router.get("/zones/{zone_id}/policies/{policy_id}", response=PolicyOut, auth=None, summary="政策详情（公开）")
def get_policy(request, zone_id: int, policy_id: int):
    policy = selectors.policy_public_get(zone_id, policy_id)
    if policy is None:
        raise NotFound("没有找到该政策，或它尚未发布。")
    return policy


# --- staff ----------------------------------------------------------------------------------


@router.get(
    "/zones/{zone_id}/policies/{policy_id}/qualifying",
    response=list[QualificationOut],
    summary="按当前登记信息符合政策条件的企业及理由",
)
def qualifying(request, zone_id: int, policy_id: int, all: bool = False):
    _require_staff(request, zone_id)
    policy = selectors.Policy.objects.filter(zone_id=zone_id, pk=policy_id).first()
    if policy is None:
        raise NotFound("没有找到该政策。")
    return selectors.policy_qualifying(zone_id, policy, include_unqualified=all)


@router.get("/zones/{zone_id}/matches", response=list[MatchOut], summary="已记录的政策匹配")
def list_matches(request, zone_id: int, policy_id: int | None = None, limit: int = 100, offset: int = 0):
    _require_staff(request, zone_id)
    qs = selectors.matches_of_zone(zone_id)
    if policy_id is not None:
        qs = qs.filter(policy_id=policy_id)
    return _page(qs, limit, offset, most=500)


@router.post("/zones/{zone_id}/match-run", response=MatchRunOut, summary="运行政策匹配（幂等）")
def match_run(request, zone_id: int):
    require(request.user, zone_id=zone_id, roles=POLICY_EDITORS, action="运行政策匹配")
    return policy_match_run(actor=request.user, zone_id=zone_id)


@router.get("/zones/{zone_id}/grants", response=list[GrantOut], summary="免申即享兑现")
def list_grants(request, zone_id: int, status: str = "", limit: int = 100, offset: int = 0):
    _require_staff(request, zone_id)
    if status and status not in GrantStatus.values:
        raise InvalidInput(f"状态应为 {'、'.join(GrantStatus.values)} 之一。", fields={"status": "状态不正确。"})
    return _page(selectors.grants_of_zone(zone_id, status=status or None), limit, offset, most=500)


@router.post("/grants/{grant_id}/pay", response=GrantOut, summary="批准拨付（工作人员）")
def pay(request, grant_id: int, payload: PayIn):
    grant = grant_pay(actor=request.user, grant_id=grant_id, payment_reference=payload.payment_reference)
    return selectors.grants_of_zone(grant.zone_id).get(pk=grant.pk)


# --- the enterprise itself ------------------------------------------------------------------


def _my_enterprise(request):
    enterprise = selectors.enterprise_of_member(request.user)
    if enterprise is None:
        raise NotFound("您的账号没有关联企业。")
    return enterprise


@router.get("/mine/notices", response=list[NoticeOut], summary="本企业的政策通知")
def my_notices(request):
    return list(selectors.notices_of_enterprise(_my_enterprise(request))[:200])


@router.get("/mine/grants", response=list[GrantOut], summary="本企业的免申即享兑现")
def my_grants(request):
    return list(selectors.grants_of_enterprise(_my_enterprise(request)))


@router.post("/mine/grants/{grant_id}/confirm", response=GrantOut, summary="企业确认兑现")
def confirm(request, grant_id: int, payload: ConfirmIn):
    grant = grant_confirm(actor=request.user, grant_id=grant_id, bank_account_note=payload.bank_account_note)
    return selectors.grants_of_enterprise(_my_enterprise(request)).get(pk=grant.pk)


@router.post("/mine/grants/{grant_id}/decline", response=GrantOut, summary="企业放弃兑现")
def decline(request, grant_id: int, payload: DeclineIn):
    grant = grant_decline(actor=request.user, grant_id=grant_id, reason=payload.reason)
    return selectors.grants_of_enterprise(_my_enterprise(request)).get(pk=grant.pk)
