"""Writes of the policy library: publishing, matching enterprises, notices and 免申即享 grants.

``policy_match_run`` is idempotent: it records each (policy, enterprise) match once, sends a notice
only for a new match and proposes a grant only once, so running it twice changes nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.money import format_amount
from onezone.core.permissions import require, roles_in
from onezone.core.roles import STAFF_ROLES, Role
from onezone.core.services import record_save
from onezone.enterprises.models import EnterpriseMember
from onezone.policies.amounts import compute_amount
from onezone.policies.conditions import evaluate
from onezone.policies.models import GrantStatus, Policy, PolicyGrant, PolicyMatch, PolicyNotice
from onezone.policies.selectors import enterprise_facts, labels_of

# Keep the library, run the matching.
POLICY_EDITORS = frozenset({Role.ADMIN, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER})
# Approve the payment of a confirmed grant.
PAYMENT_APPROVERS = frozenset({Role.ADMIN, Role.LEADER})

# --- the policy's own life --------------------------------------------------------------------

POLICY_TRANSITIONS: dict[tuple[str, str], str] = {
    (Policy.Status.DRAFT, "publish"): Policy.Status.PUBLISHED,
    (Policy.Status.PUBLISHED, "expire"): Policy.Status.EXPIRED,
    (Policy.Status.EXPIRED, "publish"): Policy.Status.PUBLISHED,
}
_POLICY_ACTIONS = {"publish": "发布", "expire": "停止执行"}


def policy_save(*, actor: Any, policy: Policy) -> Policy:
    """Create or change a policy; its conditions and amount rule are validated first."""
    return record_save(actor=actor, obj=policy, roles=POLICY_EDITORS)


def _policy_transition(*, actor: Any, policy: Policy, action: str) -> Policy:
    require(actor, zone_id=policy.zone_id, roles=POLICY_EDITORS, action=f"{_POLICY_ACTIONS[action]}政策")
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        target = POLICY_TRANSITIONS.get((locked.status, action))
        if target is None:
            raise TransitionNotAllowed(
                f"政策“{locked.title}”目前为“{locked.get_status_display()}”，不能{_POLICY_ACTIONS[action]}。"
            )
        before = locked.status
        locked.status = target
        fields = ["status", "updated_at"]
        if action == "publish":
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        audit_record(actor=actor, action=f"policy.{action}", obj=locked, changes={"status": [before, target]})
    return locked


def policy_publish(*, actor: Any, policy: Policy) -> Policy:
    """Publish a draft (or re-publish an expired) policy: it appears on the portal and is matched."""
    return _policy_transition(actor=actor, policy=policy, action="publish")


def policy_expire(*, actor: Any, policy: Policy) -> Policy:
    """Stop a published policy: it is no longer matched; grants already made stand."""
    return _policy_transition(actor=actor, policy=policy, action="expire")


# --- matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchRun:
    policies: int
    new_matches: int
    notices: int
    grants: int
    lapsed: int
    not_computable: int

    def summary(self) -> str:
        return (
            f"核对政策 {self.policies} 项：新增符合 {self.new_matches} 家次，发出通知 {self.notices} 份，"
            f"免申即享核定 {self.grants} 笔，不再符合 {self.lapsed} 家次，无法核定金额 {self.not_computable} 笔"
        )


def _notice_text(policy: Policy, reasons: list[str], grant: PolicyGrant | None) -> tuple[str, str]:
    title = f"贵企业符合《{policy.title}》的条件"
    lines = [
        f"经平台根据登记信息核对，贵企业符合{policy.issuer}《{policy.title}》"
        + (f"（{policy.document_number}）" if policy.document_number else "")
        + "的条件：",
        *reasons,
    ]
    if policy.amount_description:
        lines.append(f"支持标准：{policy.amount_description}")
    if grant is not None:
        lines.append(
            f"本政策免申即享，已为贵企业核定 {format_amount(grant.amount)}（{grant.basis}），请登录企业门户确认。"
        )
    elif policy.auto_grant:
        lines.append("本政策免申即享，但贵企业的登记数据不足以核定金额，请联系园区补充年度数据。")
    else:
        lines.append("请按政策要求准备材料申报，或联系园区企业服务专员咨询。")
    return title, "\n".join(lines)


def policy_match_run(*, actor: Any, zone_id: int, on: dt.date | None = None) -> MatchRun:
    """Check every policy in force against the zone's enterprises and record what is new."""
    require(actor, zone_id=zone_id, roles=POLICY_EDITORS, action="运行政策匹配")
    return _match_zone(actor=actor, zone_id=zone_id, on=on)


def _match_zone(*, actor: Any, zone_id: int, on: dt.date | None) -> MatchRun:
    on = on or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # Locking the zone's policies serialises two runs of the same zone.
        policies = list(
            Policy.objects.select_for_update().filter(zone_id=zone_id, status=Policy.Status.PUBLISHED).order_by("id")
        )
        policies = [p for p in policies if p.in_force(on)]
        facts = enterprise_facts(zone_id, on=on) if policies else {}
        labels = labels_of(zone_id) if policies else None
        existing = {
            (m.policy_id, m.enterprise_id): m for m in PolicyMatch.objects.filter(zone_id=zone_id, policy__in=policies)
        }
        granted = set(
            PolicyGrant.objects.filter(zone_id=zone_id, policy__in=policies).values_list("policy_id", "enterprise_id")
        )
        new_matches: list[tuple[Policy, PolicyMatch]] = []
        changed: list[PolicyMatch] = []
        lapsed = 0
        for policy in policies:
            for enterprise_id, item in facts.items():
                eligible, reasons = evaluate(policy.conditions, item, labels=labels)
                match = existing.get((policy.pk, enterprise_id))
                if match is None:
                    if eligible:
                        new_matches.append(
                            (
                                policy,
                                PolicyMatch(
                                    zone_id=zone_id,
                                    policy=policy,
                                    enterprise_id=enterprise_id,
                                    first_matched_at=now,
                                    checked_at=now,
                                    eligible=True,
                                    reasons=reasons,
                                    notified_at=now,
                                ),
                            )
                        )
                    continue
                if match.eligible and not eligible:
                    lapsed += 1
                if match.eligible != eligible or (eligible and match.reasons != reasons):
                    match.eligible = eligible
                    if eligible:
                        match.reasons = reasons
                    match.checked_at = now
                    changed.append(match)
        if changed:
            PolicyMatch.objects.bulk_update(changed, ["eligible", "reasons", "checked_at", "updated_at"])
        created = PolicyMatch.objects.bulk_create([m for _, m in new_matches])
        notices, grants, not_computable = [], [], 0
        for (policy, _), match in zip(new_matches, created, strict=True):
            grant = None
            if policy.auto_grant and (policy.pk, match.enterprise_id) not in granted:
                amount = compute_amount(policy.amount_rule, facts[match.enterprise_id])
                if amount.value is None:
                    not_computable += 1
                else:
                    grant = PolicyGrant(
                        zone_id=zone_id,
                        policy=policy,
                        enterprise_id=match.enterprise_id,
                        match=match,
                        amount=amount.value,
                        basis=amount.explanation[:300],
                        proposed_at=now,
                    )
                    grants.append(grant)
            title, body = _notice_text(policy, match.reasons, grant)
            notices.append(
                PolicyNotice(
                    zone_id=zone_id,
                    match=match,
                    policy=policy,
                    enterprise_id=match.enterprise_id,
                    title=title[:300],
                    body=body,
                    sent_at=now,
                )
            )
        PolicyNotice.objects.bulk_create(notices)
        PolicyGrant.objects.bulk_create(grants)
        result = MatchRun(
            policies=len(policies),
            new_matches=len(created),
            notices=len(notices),
            grants=len(grants),
            lapsed=lapsed,
            not_computable=not_computable,
        )
        audit_record(
            actor=actor,
            action="policy.match_run",
            zone_id=zone_id,
            object_type="policies.policy",
            object_repr=result.summary()[:200],
            changes={
                "on": on,
                "new_matches": [[m.policy_id, m.enterprise_id] for m in created],
                "grants": [[g.policy_id, g.enterprise_id, g.amount] for g in grants],
                "lapsed": lapsed,
            },
        )
    return result


def policies_sweep() -> str:
    """The periodic run over every zone with published policies (idempotent)."""
    zone_ids = sorted(set(Policy.objects.filter(status=Policy.Status.PUBLISHED).values_list("zone_id", flat=True)))
    runs = [_match_zone(actor="sweep", zone_id=zone_id, on=None) for zone_id in zone_ids]
    return (
        f"开发区 {len(runs)} 个，新增符合 {sum(r.new_matches for r in runs)} 家次，"
        f"通知 {sum(r.notices for r in runs)} 份，免申即享核定 {sum(r.grants for r in runs)} 笔"
    )


# --- notices ----------------------------------------------------------------------------------


def _member_enterprise_id(actor: Any, zone_id: int) -> int | None:
    if Role.ENTERPRISE not in roles_in(actor, zone_id):
        return None
    return (
        EnterpriseMember.objects.filter(zone_id=zone_id, user_id=actor.pk)
        .values_list("enterprise_id", flat=True)
        .first()
    )


def notice_read(*, actor: Any, notice_id: int) -> PolicyNotice:
    """The enterprise marks its notice read (the first reading counts)."""
    if not getattr(actor, "is_authenticated", False):
        require(actor, zone_id=None, roles=[Role.ENTERPRISE])
    with transaction.atomic():
        notice = PolicyNotice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or _member_enterprise_id(actor, notice.zone_id) != notice.enterprise_id:
            raise NotFound("没有找到该通知，或您无权查看。")
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at", "updated_at"])
            audit_record(actor=actor, action="policy_notice.read", obj=notice)
    return notice


# --- 免申即享 grants ---------------------------------------------------------------------------

GRANT_TRANSITIONS: dict[tuple[str, str], str] = {
    (GrantStatus.PROPOSED, "confirm"): GrantStatus.CONFIRMED,
    (GrantStatus.PROPOSED, "decline"): GrantStatus.DECLINED,
    (GrantStatus.CONFIRMED, "pay"): GrantStatus.PAID,
}
_GRANT_ACTIONS = {"confirm": "确认", "decline": "放弃", "pay": "批准拨付"}


def _grant_target(grant: PolicyGrant, action: str) -> str:
    target = GRANT_TRANSITIONS.get((grant.status, action))
    if target is None:
        raise TransitionNotAllowed(
            f"该兑现目前为“{grant.get_status_display()}”，不能{_GRANT_ACTIONS[action]}；请刷新页面查看最新状态。"
        )
    return target


def _grant_for_enterprise(actor: Any, grant_id: int, action: str) -> PolicyGrant:
    """The grant, locked, if ``actor`` acts for its enterprise; another enterprise's grant is "not found"."""
    if not getattr(actor, "is_authenticated", False):
        require(actor, zone_id=None, roles=[Role.ENTERPRISE], action=f"{_GRANT_ACTIONS[action]}兑现")
    grant = PolicyGrant.objects.select_for_update().select_related("policy").filter(pk=grant_id).first()
    if grant is None:
        raise NotFound("没有找到该兑现记录，或您无权查看。")
    if _member_enterprise_id(actor, grant.zone_id) == grant.enterprise_id:
        return grant
    if roles_in(actor, grant.zone_id) & STAFF_ROLES:
        raise PermissionDenied(f"免申即享兑现须由企业本身{_GRANT_ACTIONS[action]}，工作人员不能代为操作。")
    raise NotFound("没有找到该兑现记录，或您无权查看。")


def grant_confirm(*, actor: Any, grant_id: int, bank_account_note: str = "") -> PolicyGrant:
    """The enterprise confirms the benefit the zone computed for it."""
    with transaction.atomic():
        grant = _grant_for_enterprise(actor, grant_id, "confirm")
        target = _grant_target(grant, "confirm")
        grant.status = target
        grant.confirmed_at = timezone.now()
        grant.confirmed_by = actor
        grant.bank_account_note = bank_account_note.strip()[:200]
        grant.save(update_fields=["status", "confirmed_at", "confirmed_by", "bank_account_note", "updated_at"])
        audit_record(
            actor=actor,
            action="policy_grant.confirm",
            obj=grant,
            changes={"status": [GrantStatus.PROPOSED, target], "amount": grant.amount},
        )
    return grant


def grant_decline(*, actor: Any, grant_id: int, reason: str) -> PolicyGrant:
    """The enterprise declines the benefit, saying why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请填写放弃原因。", fields={"reason": "请填写放弃原因。"})
    with transaction.atomic():
        grant = _grant_for_enterprise(actor, grant_id, "decline")
        target = _grant_target(grant, "decline")
        grant.status = target
        grant.declined_at = timezone.now()
        grant.decline_reason = reason[:200]
        grant.save(update_fields=["status", "declined_at", "decline_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="policy_grant.decline",
            obj=grant,
            changes={"status": [GrantStatus.PROPOSED, target], "reason": reason},
        )
    return grant


def grant_pay(*, actor: Any, grant_id: int, payment_reference: str = "") -> PolicyGrant:
    """Staff approve the payment of a grant the enterprise has confirmed."""
    with transaction.atomic():
        grant = PolicyGrant.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None:
            raise NotFound("没有找到该兑现记录。")
        require(actor, zone_id=grant.zone_id, roles=PAYMENT_APPROVERS, action="批准拨付免申即享资金")
        target = _grant_target(grant, "pay")
        grant.status = target
        grant.paid_at = timezone.now()
        grant.paid_by = actor
        grant.payment_reference = payment_reference.strip()[:60]
        grant.save(update_fields=["status", "paid_at", "paid_by", "payment_reference", "updated_at"])
        audit_record(
            actor=actor,
            action="policy_grant.pay",
            obj=grant,
            changes={"status": [GrantStatus.CONFIRMED, target], "amount": grant.amount, "reference": payment_reference},
        )
    return grant
