"""Writes of leases and rent: sign, terminate, bill, record payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from onezone.company.models import (
    Asset,
    BillCounter,
    Lease,
    PaymentAllocation,
    RentBill,
    RentPayment,
)
from onezone.company.schedules import rent_periods
from onezone.company.services.assets import _transition
from onezone.company.services.common import (
    LEASABLE_KINDS,
    WRITE_ROLES,
    ZERO,
    _valid,
)
from onezone.core.audit import audit_record, snapshot
from onezone.core.codes import CodeError, validate_uscc
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require

# --- leases and rent -----------------------------------------------------------------------


def lease_sign(
    *,
    actor: Any,
    asset: Asset,
    number: str,
    lessee: Any,
    start: dt.date,
    end: dt.date,
    rent: Decimal,
    rent_unit: str = Lease.RentUnit.MONTH,
    deposit: Decimal = ZERO,
    billing_cycle: str = Lease.BillingCycle.QUARTERLY,
    signed_on: dt.date | None = None,
) -> Lease:
    """Let a building or land to an enterprise of the zone.

    The contract keeps the lessee's name and code as they stand at signing. The asset row is
    locked first, so two leases of the same asset for overlapping periods can never both be
    signed, however close together they arrive.
    """
    zone_id = asset.zone_id
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="签订租赁合同")
    if lessee.zone_id != zone_id:
        raise InvalidInput("承租企业必须是本开发区登记的企业。", fields={"lessee": "承租企业不属于本开发区。"})
    try:
        uscc = validate_uscc(lessee.uscc)
    except CodeError as exc:
        message = f"承租企业“{lessee.name}”的统一社会信用代码有误：{exc.message}请先在企业库中更正。"
        raise InvalidInput(message, fields={"lessee": message}) from exc
    if end < start:
        raise InvalidInput("租期结束日期不能早于开始日期。", fields={"end": "租期结束日期不能早于开始日期。"})
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        if locked.kind not in LEASABLE_KINDS:
            raise InvalidInput(f"资产“{locked}”是{locked.get_kind_display()}，只有标准化厂房和土地可以出租。")
        if locked.status == Asset.Status.DISPOSED:
            raise TransitionNotAllowed(f"资产“{locked}”已于{locked.disposed_on}处置，不能出租。")
        if start < locked.acquired_on:
            raise InvalidInput(
                f"租期不能早于资产取得日期{locked.acquired_on}。", fields={"start": "租期早于资产取得日期。"}
            )
        other = (
            Lease.objects.filter(asset=locked, start__lte=end)
            .filter(models.Q(terminated_on__isnull=True, end__gte=start) | models.Q(terminated_on__gte=start))
            .order_by("start")
            .first()
        )
        if other is not None:
            message = (
                f"资产“{locked}”在{other.start}至{other.effective_end}已出租给{other.lessee_name}"
                f"（合同{other.number}），与本合同租期{start}至{end}重叠，不能重复出租。"
            )
            raise Conflict(message, fields={"start": message})
        lease = Lease(
            zone_id=zone_id,
            number=number.strip(),
            asset=locked,
            lessee=lessee,
            lessee_name=lessee.name,
            lessee_uscc=uscc,
            start=start,
            end=end,
            rent=rent,
            rent_unit=rent_unit,
            deposit=deposit,
            billing_cycle=billing_cycle,
            signed_on=signed_on or timezone.localdate(),
        )
        _valid(lease, exclude=["asset", "lessee"])
        try:
            with transaction.atomic():
                lease.save()
        except IntegrityError as exc:
            if "company_lease_no_overlap" in str(exc):
                raise Conflict(f"资产“{locked}”在{start}至{end}期间已有其他租赁合同，不能重复出租。") from exc
            raise Conflict(f"合同编号“{lease.number}”已被使用，请核对合同编号。") from exc
        before = locked.status
        if before != Asset.Status.LEASED:
            _transition(locked, Asset.Status.LEASED)
            locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="company.lease.sign",
            obj=lease,
            changes={**snapshot(lease), "asset_status": [before, Asset.Status.LEASED]},
        )
    return lease


def lease_terminate(*, actor: Any, lease: Lease, terminated_on: dt.date) -> Lease:
    """End a lease early. Periods already billed stay billed, so the date cannot fall inside them."""
    require(actor, zone_id=lease.zone_id, roles=WRITE_ROLES, action="终止租赁合同")
    with transaction.atomic():
        Asset.objects.select_for_update().get(pk=lease.asset_id)
        locked = Lease.objects.select_for_update().select_related("asset").get(pk=lease.pk)
        if locked.status != Lease.Status.ACTIVE:
            raise TransitionNotAllowed(f"合同{locked.number}已于{locked.terminated_on}终止，不能重复终止。")
        if not locked.start <= terminated_on < locked.end:
            raise InvalidInput(f"终止日期应在租期{locked.start}至{locked.end}之内（早于约定到期日）。")
        last_billed = locked.bills.order_by("-period_end").values_list("period_end", flat=True).first()
        if last_billed is not None and terminated_on < last_billed:
            raise Conflict(f"合同{locked.number}已出账至{last_billed}，终止日期不能早于已出账期间的结束日。")
        locked.status = Lease.Status.TERMINATED
        locked.terminated_on = terminated_on
        locked.save(update_fields=["status", "terminated_on", "updated_at"])
        asset = locked.asset
        if asset.status == Asset.Status.LEASED:
            _transition(asset, Asset.Status.IDLE)
            asset.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="company.lease.terminate",
            obj=locked,
            changes={"status": ["active", "terminated"], "terminated_on": terminated_on},
        )
    return locked


def _next_bill_number(zone_id: int, year: int) -> str:
    """Take the next number of the year from the locked counter (never given twice)."""
    counter = BillCounter.objects.select_for_update().filter(zone_id=zone_id, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                BillCounter.objects.create(zone_id=zone_id, year=year, last=0)
        except IntegrityError:
            pass  # another transaction created it first; lock theirs below
        counter = BillCounter.objects.select_for_update().get(zone_id=zone_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return f"ZJ{year}-{counter.last:06d}"


def bills_generate(*, actor: Any, lease: Lease, through: dt.date) -> list[RentBill]:
    """Bill every period of the lease that begins on or before ``through``. Safe to run again.

    Returns the bills created by this call (none when all were already billed).
    """
    require(actor, zone_id=lease.zone_id, roles=WRITE_ROLES, action="生成租金账单")
    created: list[RentBill] = []
    with transaction.atomic():
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        billed = set(locked.bills.values_list("period_start", flat=True))
        for period in rent_periods(
            start=locked.start,
            end=locked.effective_end,
            cycle_months=locked.cycle_months,
            rent=locked.rent,
            per=locked.rent_unit,
        ):
            if period.start > through or period.start in billed:
                continue
            created.append(
                RentBill.objects.create(
                    zone_id=locked.zone_id,
                    number=_next_bill_number(locked.zone_id, period.due_on.year),
                    lease=locked,
                    period_start=period.start,
                    period_end=period.end,
                    due_on=period.due_on,
                    amount=period.amount,
                )
            )
        if created:
            audit_record(
                actor=actor,
                action="company.bills.generate",
                obj=locked,
                changes={
                    "through": through,
                    "bills": [b.number for b in created],
                    "total": sum((b.amount for b in created), ZERO),
                },
            )
    return created


def bills_generate_all(*, actor: Any, zone_id: int, through: dt.date) -> list[RentBill]:
    """Bill every lease of the zone up to ``through``."""
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="生成租金账单")
    created: list[RentBill] = []
    with transaction.atomic():
        for lease in Lease.objects.filter(zone_id=zone_id, start__lte=through).order_by("start", "pk"):
            created.extend(bills_generate(actor=actor, lease=lease, through=through))
    return created


def payment_record(*, actor: Any, lease: Lease, paid_on: dt.date, amount: Decimal, reference: str = "") -> RentPayment:
    """Record rent received and apply it to the lease's unpaid bills, oldest period first.

    Part payments are allowed; a payment larger than everything billed and unpaid is refused.
    """
    require(actor, zone_id=lease.zone_id, roles=WRITE_ROLES, action="登记租金收款")
    if amount is None or amount <= 0:
        raise InvalidInput("收款金额必须大于零。", fields={"amount": "收款金额必须大于零。"})
    amount = Decimal(amount)
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput("收款金额最多保留两位小数（到分）。", fields={"amount": "金额最多到分。"})
    with transaction.atomic():
        locked = Lease.objects.select_for_update().get(pk=lease.pk)
        bills = list(
            RentBill.objects.select_for_update()
            .filter(lease=locked, paid__lt=models.F("amount"))
            .order_by("period_start")
        )
        outstanding = sum((b.outstanding for b in bills), ZERO)
        if amount > outstanding:
            message = (
                f"收款金额{amount}元超过合同{locked.number}已出账未收的租金{outstanding}元；"
                "请核对金额，或先生成下一期账单。"
            )
            raise InvalidInput(message, fields={"amount": message})
        payment = RentPayment.objects.create(
            zone_id=locked.zone_id, lease=locked, paid_on=paid_on, amount=amount, reference=reference.strip()
        )
        left = amount
        applied = []
        for bill in bills:
            if left == 0:
                break
            part = min(left, bill.outstanding)
            PaymentAllocation.objects.create(zone_id=locked.zone_id, payment=payment, bill=bill, amount=part)
            bill.paid += part
            bill.save(update_fields=["paid", "updated_at"])
            left -= part
            applied.append([bill.number, str(part)])
        audit_record(
            actor=actor,
            action="company.payment.record",
            obj=payment,
            changes={"lease": locked.number, "amount": amount, "paid_on": paid_on, "allocations": applied},
        )
    return payment
