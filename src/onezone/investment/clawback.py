"""Services of a clawed-back award's recovery (追回): what is to be recovered and what has come back.

``services.award_claw_back`` takes the award back and fixes the amount to recover; the money that
comes back is recorded here, one receipt at a time, and never sums to more than that amount.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.investment.models import AwardRecovery, AwardStatus, RewardAward
from onezone.investment.services import AWARD_DECIDERS

ZERO = Decimal("0.00")


def award_recovered(award: RewardAward) -> Decimal:
    """The sum received back so far on ``award``."""
    return award.recoveries.aggregate(total=Sum("amount"))["total"] or ZERO


def award_recovery_record(
    *,
    actor: Any,
    award: RewardAward,
    received_on: dt.date,
    amount: Decimal | str,
    reference: str,
) -> AwardRecovery:
    """Record money received back on a clawed-back award: a positive amount, with its voucher, on a day
    between the claw-back and today, and no more than what is still to recover."""
    require(actor, zone_id=award.zone_id, roles=AWARD_DECIDERS, action="登记奖励追回款")
    try:
        amount = Decimal(str(amount).replace(",", "").strip()).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise InvalidInput("追回金额应为数字（元）。", fields={"amount": "请填写数字。"}) from exc
    reference = reference.strip()
    if not reference:
        raise InvalidInput("请填写缴款凭证编号。", fields={"reference": "请填写缴款凭证编号。"})
    if amount <= ZERO:
        raise InvalidInput("追回金额应大于0。", fields={"amount": "追回金额应大于0。"})
    with transaction.atomic():
        locked = RewardAward.objects.select_for_update().get(pk=award.pk)
        if locked.status != AwardStatus.CLAWED_BACK:
            raise TransitionNotAllowed(f"奖励“{locked}”处于“{locked.get_status_display()}”状态，追回后才能登记追回款。")
        if received_on > timezone.localdate() or received_on < locked.clawed_back_on:
            message = f"到账日期应在追回日期{locked.clawed_back_on}至今天之间。"
            raise InvalidInput(message, fields={"received_on": message})
        outstanding = locked.clawback_amount - award_recovered(locked)
        if amount > outstanding:
            message = f"尚待追回{outstanding:,.2f}元，本次登记的{amount:,.2f}元超过了待追回金额。"
            raise InvalidInput(message, fields={"amount": message})
        recovery = AwardRecovery.objects.create(
            zone_id=locked.zone_id, award=locked, received_on=received_on, amount=amount, reference=reference
        )
        audit_record(
            actor=actor,
            action="investment.award.recovery",
            obj=locked,
            changes={"amount": amount, "received_on": received_on, "outstanding": [outstanding, outstanding - amount]},
        )
    return recovery
