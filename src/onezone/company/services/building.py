"""Writes of the company's financing and construction: loans, projects, contracts, payments, progress."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from onezone.company.models import (
    ConstructionContract,
    ConstructionPayment,
    ConstructionProject,
    Loan,
    ProgressReport,
)
from onezone.company.services.common import (
    WRITE_ROLES,
    ZERO,
    _require_decision,
    _valid,
)
from onezone.core.audit import audit_record, snapshot
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.money import format_amount
from onezone.core.permissions import require

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
