"""Reward policies and awards: claim, approve, reject, pay and claw back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record, snapshot
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.services import record_save
from onezone.investment.models import (
    AwardStatus,
    FundsEntry,
    Project,
    RewardAward,
    RewardPolicy,
)
from onezone.investment.rewards import ClaimFacts, award_compute
from onezone.investment.services.common import (
    AWARD_CLAIMERS,
    AWARD_DECIDERS,
    AWARD_TRANSITIONS,
    POLICY_WRITERS,
    _lock_project,
    _not_future,
    _today,
)


def reward_policy_save(*, actor: Any, policy: RewardPolicy) -> RewardPolicy:
    """Create or change a reward policy (validated by the model)."""
    return record_save(actor=actor, obj=policy, roles=POLICY_WRITERS)


def award_claim(
    *,
    actor: Any,
    project: Project,
    policy: RewardPolicy,
    referrer: str,
    claimed_on: dt.date | None = None,
    investor_confirmation: str = "",
    zone_confirmation: str = "",
    invoices: list[str] | None = None,
) -> RewardAward:
    """Register a referrer's claim. The award is computed by the policy's formula on the project's
    funds in place at the claim date; a claim the policy refuses is not registered, and a project
    has at most one live claim."""
    require(actor, zone_id=project.zone_id, roles=AWARD_CLAIMERS, action="登记奖励申领")
    claimed_on = claimed_on or _today()
    _not_future(claimed_on, "claimed_on", "申领日期")
    if policy.zone_id != project.zone_id:
        raise InvalidInput("奖励办法必须属于本开发区。")
    if claimed_on < policy.effective_from or (policy.effective_to and claimed_on > policy.effective_to):
        raise InvalidInput(f"申领日期不在《{policy.name}》的施行期内。", fields={"policy": "请选择施行期内的办法。"})
    invoices = [i.strip() for i in (invoices or []) if i.strip()]
    with transaction.atomic():
        locked = _lock_project(project)
        live = RewardAward.objects.filter(project=locked).exclude(status=AwardStatus.REJECTED).first()
        if live is not None:
            raise Conflict(
                f"项目“{locked.name}”已有引荐人“{live.referrer}”的奖励申领（{live.get_status_display()}），不能重复申领。"
            )
        funds = sum(
            FundsEntry.objects.filter(project=locked, received_on__lte=claimed_on).values_list("amount", flat=True),
            Decimal(0),
        )
        result = award_compute(
            policy.terms(),
            ClaimFacts(
                funds_in_place=funds,
                project_tags=locked.reward_tags,
                referrer=referrer,
                first_referrer=locked.referrer,
                investor_confirmed=bool(investor_confirmation.strip()),
                zone_confirmed=bool(zone_confirmation.strip()),
                invoice_count=len(invoices),
                completed_on=locked.completed_on,
                claimed_on=claimed_on,
            ),
        )
        if not result.eligible:
            raise InvalidInput("不符合奖励条件：" + "".join(result.refusals))
        award = RewardAward(
            zone_id=locked.zone_id,
            project=locked,
            policy=policy,
            referrer=referrer.strip(),
            claimed_on=claimed_on,
            funds_base=result.base,
            amount=result.amount,
            investor_confirmation=investor_confirmation.strip(),
            zone_confirmation=zone_confirmation.strip(),
            invoices=invoices,
        )
        try:
            with transaction.atomic():
                award.save()
        except IntegrityError as exc:
            raise Conflict(f"项目“{locked.name}”刚有他人登记了奖励申领，请刷新后查看。") from exc
        audit_record(actor=actor, action="investment.award.claim", obj=award, changes=snapshot(award))
    return award


@dataclass(frozen=True)
class AwardStep:
    """A decision on an award: the status it leads to, the date it stamps, the text it keeps."""

    target: str
    label: str
    date_field: str
    text_field: str = ""  # the award's field for the step's text, also the service's keyword
    text_required: tuple[str, str] | None = None  # (message, field message) when the text is empty


AWARD_STEPS: dict[str, AwardStep] = {
    "approve": AwardStep(AwardStatus.APPROVED, "审核通过", "decided_on"),
    "reject": AwardStep(
        AwardStatus.REJECTED, "不予奖励", "decided_on", "reason", ("不予奖励必须填写原因。", "请填写原因。")
    ),
    "pay": AwardStep(
        AwardStatus.PAID,
        "兑付",
        "paid_on",
        "payment_reference",
        ("兑付必须填写凭证编号。", "请填写兑付凭证编号。"),
    ),
    # 追回: a paid award taken back, e.g. when the referral turns out false or the project leaves.
    "claw_back": AwardStep(
        AwardStatus.CLAWED_BACK, "追回", "clawed_back_on", "reason", ("追回奖励必须填写原因。", "请填写追回原因。")
    ),
}


def award_step(
    *,
    actor: Any,
    award: RewardAward,
    action: str,
    text: str = "",
    on: dt.date | None = None,
    extra: dict[str, Any] | None = None,
) -> RewardAward:
    """Move ``award`` by the step ``action`` of ``AWARD_STEPS`` if ``AWARD_TRANSITIONS`` allows it,
    stamping the step's date and text; audited as ``investment.award.<action>``."""
    step = AWARD_STEPS[action]
    text = text.strip()
    if step.text_required is not None and not text:
        message, field_message = step.text_required
        raise InvalidInput(message, fields={step.text_field: field_message})
    fields: dict[str, Any] = {step.date_field: on or _today()}
    if step.text_field:
        fields[step.text_field] = text
    fields.update(extra or {})
    require(actor, zone_id=award.zone_id, roles=AWARD_DECIDERS, action=step.label)
    with transaction.atomic():
        locked = RewardAward.objects.select_for_update().get(pk=award.pk)
        if step.target not in AWARD_TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(f"奖励“{locked}”处于“{locked.get_status_display()}”状态，不能{step.label}。")
        before = locked.status
        locked.status = step.target
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save()
        audit_record(
            actor=actor,
            action=f"investment.award.{action}",
            obj=locked,
            changes={"status": [before, step.target], **fields},
        )
    return locked


def award_approve(*, actor: Any, award: RewardAward, on: dt.date | None = None) -> RewardAward:
    """审核通过: a claimed award is approved."""
    return award_step(actor=actor, award=award, action="approve", on=on)


def award_reject(*, actor: Any, award: RewardAward, reason: str = "", on: dt.date | None = None) -> RewardAward:
    """不予奖励: a claimed award is refused, with its reason."""
    return award_step(actor=actor, award=award, action="reject", text=reason, on=on)


def award_pay(*, actor: Any, award: RewardAward, payment_reference: str = "", on: dt.date | None = None) -> RewardAward:
    """兑付: an approved award is paid, with the payment voucher's number."""
    return award_step(actor=actor, award=award, action="pay", text=payment_reference, on=on)


def award_claw_back(
    *,
    actor: Any,
    award: RewardAward,
    reason: str = "",
    amount: Decimal | None = None,
    on: dt.date | None = None,
) -> RewardAward:
    """追回: a paid award is taken back, with its reason and the amount to recover (the whole award when not
    given, never more than was paid); what comes back is recorded by ``clawback.award_recovery_record``."""
    amount = award.amount if amount is None else amount
    if not Decimal(0) < amount <= award.amount:
        message = f"应追回金额应大于0且不超过已兑付的奖励金额{award.amount:,.2f}元。"
        raise InvalidInput(message, fields={"amount": message})
    return award_step(
        actor=actor, award=award, action="claw_back", text=reason, on=on, extra={"clawback_amount": amount}
    )
