"""Writes of the operating company's books. Only company staff write them (政企分开、财务分设).

The committee's leaders, department heads and the system administrator read the company's figures
but change none of them; the administrator alone sets the committee's decision threshold
(``company_settings_save``), because the rule binds the company and the company must not relax it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from onezone.company.depreciation import carrying_amount_at_disposal
from onezone.company.models import (
    Asset,
    BillCounter,
    CompanySettings,
    ConstructionContract,
    ConstructionPayment,
    ConstructionProject,
    Lease,
    Loan,
    PaymentAllocation,
    ProgressReport,
    RentBill,
    RentPayment,
)
from onezone.company.schedules import rent_periods
from onezone.company.selectors import decision_threshold
from onezone.core.audit import audit_record, snapshot
from onezone.core.codes import CodeError, validate_uscc
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.money import format_amount
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.services import validation_message

WRITE_ROLES = (Role.COMPANY_STAFF,)
SETTINGS_ROLES = (Role.ADMIN,)
LEASABLE_KINDS = (Asset.Kind.FACTORY, Asset.Kind.LAND)
ZERO = Decimal("0.00")


def _valid(obj: models.Model, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        raise validation_message(exc) from exc


def _require_decision(*, zone_id: int, amount: Decimal, decision: Any, matter: str, effective_on: dt.date) -> None:
    """A matter above the zone's threshold takes effect only with an approved committee decision.

    A decision that is given is checked even below the threshold: it must be this zone's, approved,
    and taken no later than the matter takes effect.
    """
    threshold = decision_threshold(zone_id)
    if decision is None:
        if amount > threshold:
            message = (
                f"{matter}金额{format_amount(amount)}超过须经管委会决策的限额{format_amount(threshold)}，"
                "请先提请管委会会议审议，并在“决策议题”中引用审议通过的议题。"
            )
            raise InvalidInput(message, fields={"decision": message})
        return
    if decision.zone_id != zone_id:
        raise InvalidInput(
            "引用的决策议题不属于本开发区，请选择本开发区管委会会议的议题。",
            fields={"decision": "议题不属于本开发区。"},
        )
    if decision.approved is not True:
        message = f"议题“{decision.topic}”未经会议审议通过，不能作为{matter}的决策依据。"
        raise InvalidInput(message, fields={"decision": message})
    held_on = decision.meeting.held_on
    if held_on > effective_on:
        message = (
            f"议题“{decision.topic}”于{held_on:%Y年%m月%d日}审议，晚于{matter}的生效日期"
            f"{effective_on:%Y年%m月%d日}；须先经管委会决策，再实施。"
        )
        raise InvalidInput(message, fields={"decision": message})


# --- settings ------------------------------------------------------------------------------


def company_settings_save(*, actor: Any, zone_id: int, decision_threshold: Decimal) -> CompanySettings:
    """Set the amount above which the company's matters need a committee decision."""
    require(actor, zone_id=zone_id, roles=SETTINGS_ROLES, action="设置运营公司决策限额")
    with transaction.atomic():
        row = CompanySettings.objects.select_for_update().filter(zone_id=zone_id).first()
        before = row.decision_threshold if row else None
        row = row or CompanySettings(zone_id=zone_id)
        row.decision_threshold = decision_threshold
        _valid(row, exclude=["zone"])
        row.save()
        audit_record(
            actor=actor,
            action="company.settings.save",
            obj=row,
            changes={"decision_threshold": [before, decision_threshold]},
        )
    return row


# --- assets --------------------------------------------------------------------------------

ASSET_TRANSITIONS: dict[str, set[str]] = {
    Asset.Status.IN_USE: {Asset.Status.IDLE, Asset.Status.LEASED, Asset.Status.DISPOSED},
    Asset.Status.IDLE: {Asset.Status.IN_USE, Asset.Status.LEASED, Asset.Status.DISPOSED},
    Asset.Status.LEASED: {Asset.Status.IN_USE, Asset.Status.IDLE, Asset.Status.DISPOSED},
    Asset.Status.DISPOSED: set(),
}


def _transition(asset: Asset, to: str) -> None:
    if to not in ASSET_TRANSITIONS[asset.status]:
        raise TransitionNotAllowed(
            f"资产“{asset}”当前为“{asset.get_status_display()}”，不能变为“{Asset.Status(to).label}”。"
        )
    asset.status = to


def asset_register(
    *,
    actor: Any,
    zone_id: int,
    code: str,
    name: str,
    kind: str,
    park: Any,
    cost: Decimal,
    acquired_on: dt.date,
    useful_life_months: int,
    residual_rate: Decimal = Decimal("0.05"),
    location: str = "",
    area_m2: Decimal | None = None,
    status: str = Asset.Status.IN_USE,
    note: str = "",
) -> Asset:
    """Put an asset on the company's books."""
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="登记资产")
    if status not in (Asset.Status.IN_USE, Asset.Status.IDLE):
        raise InvalidInput("新登记的资产只能是“自用”或“闲置”；出租请签订租赁合同，处置请办理资产处置。")
    asset = Asset(
        zone_id=zone_id,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        park=park,
        cost=cost,
        acquired_on=acquired_on,
        useful_life_months=useful_life_months,
        residual_rate=residual_rate,
        location=location,
        area_m2=area_m2,
        status=status,
        note=note,
    )
    _valid(asset)
    with transaction.atomic():
        try:
            asset.save()
        except IntegrityError as exc:
            raise Conflict(f"资产编号“{asset.code}”已被使用，请换一个编号。") from exc
        audit_record(actor=actor, action="company.asset.register", obj=asset, changes=snapshot(asset))
    return asset


def asset_set_status(*, actor: Any, asset: Asset, status: str) -> Asset:
    """Mark an asset as used by the company itself or idle."""
    require(actor, zone_id=asset.zone_id, roles=WRITE_ROLES, action="变更资产状态")
    if status not in (Asset.Status.IN_USE, Asset.Status.IDLE):
        raise InvalidInput("这里只能改为“自用”或“闲置”；出租请签订租赁合同，处置请办理资产处置。")
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        before = locked.status
        _transition(locked, status)
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="company.asset.status", obj=locked, changes={"status": [before, status]})
    return locked


def asset_dispose(*, actor: Any, asset: Asset, disposed_on: dt.date, proceeds: Decimal, decision: Any = None) -> Asset:
    """Take an asset off the books on ``disposed_on`` for ``proceeds``.

    The matter's amount for the threshold rule is the larger of the proceeds and the carrying
    amount at disposal. An asset let on or after the disposal date cannot be disposed of.
    """
    require(actor, zone_id=asset.zone_id, roles=WRITE_ROLES, action="处置资产")
    if proceeds < 0:
        raise InvalidInput("处置收入不能为负数。", fields={"proceeds": "处置收入不能为负数。"})
    with transaction.atomic():
        locked = Asset.objects.select_for_update().select_related("park").get(pk=asset.pk)
        if locked.status == Asset.Status.DISPOSED:
            raise TransitionNotAllowed(f"资产“{locked}”已于{locked.disposed_on}处置，不能重复处置。")
        if disposed_on < locked.acquired_on:
            raise InvalidInput("处置日期不能早于资产取得日期。", fields={"disposed_on": "处置日期不能早于取得日期。"})
        lease = (
            Lease.objects.filter(asset=locked)
            .filter(
                models.Q(terminated_on__gte=disposed_on) | models.Q(terminated_on__isnull=True, end__gte=disposed_on)
            )
            .first()
        )
        if lease is not None:
            raise Conflict(
                f"资产“{locked}”在{disposed_on}仍出租给{lease.lessee_name}（合同{lease.number}，"
                f"租期至{lease.effective_end}），请先终止租赁合同再处置。"
            )
        carrying = carrying_amount_at_disposal(locked.basis, disposed_on)
        _require_decision(
            zone_id=locked.zone_id,
            amount=max(carrying, proceeds),
            decision=decision,
            matter="资产处置",
            effective_on=disposed_on,
        )
        before = locked.status
        _transition(locked, Asset.Status.DISPOSED)
        locked.disposed_on = disposed_on
        locked.disposal_proceeds = proceeds
        locked.disposal_decision = decision
        locked.save()
        audit_record(
            actor=actor,
            action="company.asset.dispose",
            obj=locked,
            changes={
                "status": [before, Asset.Status.DISPOSED],
                "disposed_on": disposed_on,
                "proceeds": proceeds,
                "carrying_amount": carrying,
                "decision_id": getattr(decision, "pk", None),
            },
        )
    return locked


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


# --- financing -----------------------------------------------------------------------------


def loan_register(
    *,
    actor: Any,
    zone_id: int,
    contract_number: str,
    lender: str,
    principal: Decimal,
    annual_rate: Decimal,
    start: dt.date,
    term_months: int,
    method: str,
    payment_day: int,
    kind: str = Loan.Kind.LOAN,
    purpose: str = "",
    decision: Any = None,
) -> Loan:
    """Record a loan or bond; above the threshold only with an approved committee decision."""
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="登记借款")
    loan = Loan(
        zone_id=zone_id,
        kind=kind,
        contract_number=contract_number.strip(),
        lender=lender.strip(),
        principal=principal,
        annual_rate=annual_rate,
        start=start,
        term_months=term_months,
        method=method,
        payment_day=payment_day,
        purpose=purpose,
        decision=decision,
    )
    _valid(loan)
    with transaction.atomic():
        _require_decision(zone_id=zone_id, amount=principal, decision=decision, matter="新增借款", effective_on=start)
        try:
            with transaction.atomic():
                loan.save()
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{loan.contract_number}”已登记，请核对。") from exc
        audit_record(actor=actor, action="company.loan.register", obj=loan, changes=snapshot(loan))
    return loan


# --- construction --------------------------------------------------------------------------


def project_create(
    *,
    actor: Any,
    zone_id: int,
    name: str,
    park: Any,
    budget: Decimal,
    start: dt.date | None = None,
    planned_end: dt.date | None = None,
    decision: Any = None,
    description: str = "",
) -> ConstructionProject:
    """Open a construction project with its approved budget."""
    require(actor, zone_id=zone_id, roles=WRITE_ROLES, action="登记建设项目")
    project = ConstructionProject(
        zone_id=zone_id,
        name=name.strip(),
        park=park,
        budget=budget,
        start=start,
        planned_end=planned_end,
        decision=decision,
        description=description,
    )
    _valid(project)
    if park.zone_id != zone_id:
        raise InvalidInput("项目所在园区必须属于本开发区。", fields={"park": "园区不属于本开发区。"})
    with transaction.atomic():
        if decision is not None:
            _require_decision(
                zone_id=zone_id,
                amount=budget,
                decision=decision,
                matter="建设项目立项",
                effective_on=start or timezone.localdate(),
            )
        try:
            with transaction.atomic():
                project.save()
        except IntegrityError as exc:
            raise Conflict(f"建设项目“{project.name}”已存在。") from exc
        audit_record(actor=actor, action="company.project.create", obj=project, changes=snapshot(project))
    return project


def contract_sign(
    *,
    actor: Any,
    project: ConstructionProject,
    number: str,
    contractor: str,
    amount: Decimal,
    signed_on: dt.date,
    decision: Any = None,
) -> ConstructionContract:
    """Record a construction contract; above the threshold only with an approved committee decision."""
    require(actor, zone_id=project.zone_id, roles=WRITE_ROLES, action="登记施工合同")
    contract = ConstructionContract(
        zone_id=project.zone_id,
        project=project,
        number=number.strip(),
        contractor=contractor.strip(),
        amount=amount,
        signed_on=signed_on,
        decision=decision,
    )
    _valid(contract, exclude=["project"])
    with transaction.atomic():
        ConstructionProject.objects.select_for_update().get(pk=project.pk)
        _require_decision(
            zone_id=project.zone_id, amount=amount, decision=decision, matter="施工合同", effective_on=signed_on
        )
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{contract.number}”已登记，请核对。") from exc
        audit_record(actor=actor, action="company.contract.sign", obj=contract, changes=snapshot(contract))
    return contract


def construction_payment_record(
    *,
    actor: Any,
    project: ConstructionProject,
    amount: Decimal,
    paid_on: dt.date,
    contract: ConstructionContract | None = None,
    note: str = "",
    over_budget_decision: Any = None,
) -> ConstructionPayment:
    """Pay for a project. Beyond the budget only with an approved committee decision; never beyond a contract."""
    require(actor, zone_id=project.zone_id, roles=WRITE_ROLES, action="登记工程付款")
    if amount is None or amount <= 0:
        raise InvalidInput("支付金额必须大于零。", fields={"amount": "支付金额必须大于零。"})
    with transaction.atomic():
        locked = ConstructionProject.objects.select_for_update().get(pk=project.pk)
        if contract is not None and contract.project_id != locked.pk:
            raise InvalidInput("所选施工合同不属于该项目。", fields={"contract": "合同不属于该项目。"})
        paid = locked.payments.aggregate(total=models.Sum("amount"))["total"] or ZERO
        if contract is not None:
            on_contract = contract.payments.aggregate(total=models.Sum("amount"))["total"] or ZERO
            if on_contract + amount > contract.amount:
                message = (
                    f"合同{contract.number}金额{contract.amount}元，已付{on_contract}元，"
                    f"本次{amount}元将超过合同金额；请先签订补充合同。"
                )
                raise InvalidInput(message, fields={"amount": message})
        if paid + amount > locked.budget:
            if over_budget_decision is None:
                message = (
                    f"项目“{locked}”预算{format_amount(locked.budget)}，已付{format_amount(paid)}，"
                    f"本次支付{format_amount(amount)}后将超出预算{format_amount(paid + amount - locked.budget)}；"
                    "超预算支付须经管委会会议审议通过，请引用审议通过的议题。"
                )
                raise InvalidInput(message, fields={"over_budget_decision": message})
            _require_decision(
                zone_id=locked.zone_id,
                amount=paid + amount - locked.budget,
                decision=over_budget_decision,
                matter="超预算支付",
                effective_on=paid_on,
            )
        payment = ConstructionPayment.objects.create(
            zone_id=locked.zone_id,
            project=locked,
            contract=contract,
            paid_on=paid_on,
            amount=amount,
            note=note,
            over_budget_decision=over_budget_decision,
        )
        audit_record(actor=actor, action="company.construction_payment.record", obj=payment, changes=snapshot(payment))
    return payment


def progress_record(
    *, actor: Any, project: ConstructionProject, on: dt.date, percent: int, note: str = ""
) -> ProgressReport:
    """Record the project's percent complete on a date (one report per day; a later one replaces it)."""
    require(actor, zone_id=project.zone_id, roles=WRITE_ROLES, action="登记形象进度")
    if not 0 <= percent <= 100:
        raise InvalidInput("形象进度应在0到100之间。", fields={"percent": "形象进度应在0到100之间。"})
    with transaction.atomic():
        report, _created = ProgressReport.objects.update_or_create(
            project=project, on=on, defaults={"zone_id": project.zone_id, "percent": percent, "note": note}
        )
        audit_record(actor=actor, action="company.progress.record", obj=report, changes=snapshot(report))
    return report
