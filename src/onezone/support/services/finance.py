"""Writes of financing (找资金): institutions and products, financing needs, bank-enterprise meetings and
the loans granted through them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record, snapshot
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.enterprises.models import Enterprise
from onezone.support.models import BankMeeting, Collateral, FinanceProduct, FinancingNeed, Institution, LoanGranted
from onezone.support.services.markets import (
    DESK_ROLES,
    MAX_PARTICIPANTS,
    money,
    require_body,
    require_enterprise_side,
    text,
)

MAX_TERM_MONTHS = 600
MAX_PREFIXES = 50
NEED_TRANSITIONS: dict[str, set[str]] = {
    FinancingNeed.Status.OPEN: {FinancingNeed.Status.FUNDED, FinancingNeed.Status.CLOSED},
    FinancingNeed.Status.FUNDED: set(),
    FinancingNeed.Status.CLOSED: {FinancingNeed.Status.OPEN},
}


def _term(value: int, *, field: str, label: str) -> int:
    if not isinstance(value, int) or not 1 <= value <= MAX_TERM_MONTHS:
        message = f"{label}须为1至{MAX_TERM_MONTHS}个月。"
        raise InvalidInput(message, fields={field: message})
    return value


def _rate(value: Decimal, *, field: str, label: str) -> Decimal:
    if (
        value is None
        or not value.is_finite()
        or not Decimal(0) <= value <= Decimal(100)
        or value.as_tuple().exponent < -3
    ):
        message = f"{label}须为0至100之间、最多三位小数的年利率（%）。"
        raise InvalidInput(message, fields={field: message})
    return value


# --- institutions and products ----------------------------------------------------------------


def institution_register(*, actor: Any, zone_id: int, name: str, kind: str, contact: str = "") -> Institution:
    """Add a bank, fund, guarantee or leasing company the zone works with."""
    require(actor, zone_id=zone_id, roles=DESK_ROLES, action="登记金融机构")
    if kind not in Institution.Kind.values:
        raise InvalidInput("请选择机构类型。", fields={"kind": "请选择机构类型。"})
    row = Institution(
        zone_id=zone_id,
        name=text(name, field="name", label="机构名称", limit=100, required=True),
        kind=kind,
        contact=text(contact, field="contact", label="对接人及电话", limit=100),
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise Conflict(f"金融机构“{row.name}”已登记。") from exc
        audit_record(actor=actor, action="support.institution.register", obj=row, changes=snapshot(row))
    return row


def product_save(
    *,
    actor: Any,
    institution: Institution,
    name: str,
    loan_kind: str,
    amount_min: Decimal,
    amount_max: Decimal,
    term_min: int,
    term_max: int,
    rate_min: Decimal,
    rate_max: Decimal,
    collaterals: Iterable[str] = (),
    target_sizes: Iterable[str] = (),
    target_industries: Iterable[str] = (),
    active: bool = True,
    product: FinanceProduct | None = None,
) -> FinanceProduct:
    """Add a product of ``institution`` (or change ``product``): its ranges and whom it serves."""
    require(actor, zone_id=institution.zone_id, roles=DESK_ROLES, action="登记金融产品")
    if loan_kind not in FinanceProduct.LoanKind.values:
        raise InvalidInput("请选择产品类型。", fields={"loan_kind": "请选择产品类型。"})
    amount_min = money(amount_min, field="amount_min", label="最低金额")
    amount_max = money(amount_max, field="amount_max", label="最高金额")
    term_min = _term(term_min, field="term_min", label="最短期限")
    term_max = _term(term_max, field="term_max", label="最长期限")
    rate_min = _rate(rate_min, field="rate_min", label="最低年利率")
    rate_max = _rate(rate_max, field="rate_max", label="最高年利率")
    for low, high, field, label in (
        (amount_min, amount_max, "amount_max", "金额"),
        (term_min, term_max, "term_max", "期限"),
        (rate_min, rate_max, "rate_max", "利率"),
    ):
        if low > high:
            message = f"{label}的下限不能大于上限。"
            raise InvalidInput(message, fields={field: message})
    kinds = sorted(set(collaterals))
    if set(kinds) - set(Collateral.values):
        raise InvalidInput("担保方式不在可选范围内。", fields={"collaterals": "担保方式不在可选范围内。"})
    sizes = sorted(set(target_sizes))
    if set(sizes) - set(Enterprise.Size.values):
        raise InvalidInput("企业规模须为“规上”或“规下”。", fields={"target_sizes": "企业规模须为“规上”或“规下”。"})
    prefixes = sorted({p.strip().upper() for p in target_industries if p.strip()})
    if len(prefixes) > MAX_PREFIXES or any(len(p) > 5 or not p[0].isalpha() or not p[1:].isdigit() for p in prefixes):
        message = f"行业代码前缀须为门类字母加最多4位数字，例如 C26，最多{MAX_PREFIXES}个。"
        raise InvalidInput(message, fields={"target_industries": message})
    row = product or FinanceProduct(zone_id=institution.zone_id)
    before = snapshot(row) if product is not None else {}
    row.institution = institution
    row.name = text(name, field="name", label="产品名称", limit=100, required=True)
    row.loan_kind = loan_kind
    row.amount_min, row.amount_max = amount_min, amount_max
    row.term_min, row.term_max = term_min, term_max
    row.rate_min, row.rate_max = rate_min, rate_max
    row.collaterals, row.target_sizes, row.target_industries = kinds, sizes, prefixes
    row.active = active
    with transaction.atomic():
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise Conflict(f"“{institution.name}”已有名为“{row.name}”的产品。") from exc
        after = snapshot(row)
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v} if before else after
        audit_record(actor=actor, action="support.product.save", obj=row, changes=changes)
    return row


# --- financing needs --------------------------------------------------------------------------


def financing_need_submit(
    *, actor: Any, enterprise: Enterprise, amount: Decimal, term_months: int, purpose: str, collateral: str
) -> FinancingNeed:
    """State what ``enterprise`` wants to raise; the matching products show beside it."""
    require_enterprise_side(actor, enterprise, action="提交融资需求")
    if collateral not in Collateral.values:
        raise InvalidInput("请选择可提供的担保方式。", fields={"collateral": "请选择可提供的担保方式。"})
    need = FinancingNeed(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        amount=money(amount, field="amount", label="融资金额"),
        term_months=_term(term_months, field="term_months", label="期限"),
        purpose=text(purpose, field="purpose", label="资金用途", limit=200, required=True),
        collateral=collateral,
    )
    with transaction.atomic():
        need.save()
        audit_record(actor=actor, action="support.financing_need.submit", obj=need, changes=snapshot(need))
    return need


def financing_need_set_status(*, actor: Any, need: FinancingNeed, status: str) -> FinancingNeed:
    """Close a need, open it again, or mark it funded."""
    require_enterprise_side(actor, need.enterprise, action="变更融资需求状态")
    with transaction.atomic():
        locked = FinancingNeed.objects.select_for_update().get(pk=need.pk)
        if status not in NEED_TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(f"该融资需求当前为“{locked.get_status_display()}”，不能改为该状态。")
        before, locked.status = locked.status, status
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor, action="support.financing_need.status", obj=locked, changes={"status": [before, status]}
        )
    return locked


# --- meetings and loans -----------------------------------------------------------------------


def meeting_create(
    *,
    actor: Any,
    zone_id: int,
    title: str,
    held_on: dt.date,
    organiser: Any,
    institutions: Iterable[Institution] = (),
    enterprises: Iterable[Enterprise] = (),
    note: str = "",
) -> BankMeeting:
    """Record a bank-enterprise meeting with the institutions and enterprises that took part."""
    if organiser.zone_id != zone_id:
        raise InvalidInput("主办机构须为本开发区的机构。", fields={"organiser": "主办机构须为本开发区的机构。"})
    require_body(actor, zone_id=zone_id, body=organiser, action="登记银企对接会")
    banks, firms = list(institutions), list(enterprises)
    if len(banks) + len(firms) > MAX_PARTICIPANTS:
        raise InvalidInput(f"一次最多登记{MAX_PARTICIPANTS}个参会单位，现为{len(banks) + len(firms)}个，请分批登记。")
    if any(b.zone_id != zone_id for b in banks) or any(f.zone_id != zone_id for f in firms):
        raise InvalidInput("参会金融机构和企业须为本开发区登记的机构和企业。")
    meeting = BankMeeting(
        zone_id=zone_id,
        title=text(title, field="title", label="对接会名称", limit=100, required=True),
        held_on=held_on,
        organiser=organiser,
        note=text(note, field="note", label="备注", limit=500),
    )
    with transaction.atomic():
        meeting.save()
        meeting.institutions.set(banks)
        meeting.enterprises.set(firms)
        changes = snapshot(meeting) | {"institutions": [b.pk for b in banks], "enterprises": [f.pk for f in firms]}
        audit_record(actor=actor, action="support.meeting.create", obj=meeting, changes=changes)
    return meeting


def loan_record(
    *,
    actor: Any,
    institution: Institution,
    enterprise: Enterprise,
    amount: Decimal,
    granted_on: dt.date,
    meeting: BankMeeting | None = None,
    need: FinancingNeed | None = None,
    product: FinanceProduct | None = None,
) -> LoanGranted:
    """Record financing an enterprise received; through a meeting it is its organiser's to record.

    A loan that answers a financing need marks the need funded.
    """
    zone_id = enterprise.zone_id
    if meeting is not None:
        require_body(actor, zone_id=zone_id, body=meeting.organiser, action="登记融资落地")
    else:
        require(actor, zone_id=zone_id, roles=DESK_ROLES, action="登记融资落地")
    if institution.zone_id != zone_id or (meeting is not None and meeting.zone_id != zone_id):
        raise InvalidInput("金融机构、对接会和企业须属于同一开发区。")
    if need is not None and need.enterprise_id != enterprise.pk:
        raise InvalidInput("所选融资需求不是该企业的。", fields={"need": "所选融资需求不是该企业的。"})
    if product is not None and product.institution_id != institution.pk:
        raise InvalidInput("所选产品不是该金融机构的。", fields={"product": "所选产品不是该金融机构的。"})
    if meeting is not None and granted_on < meeting.held_on:
        message = f"放款日期不能早于对接会举办日期{meeting.held_on:%Y年%m月%d日}。"
        raise InvalidInput(message, fields={"granted_on": message})
    loan = LoanGranted(
        zone_id=zone_id,
        institution=institution,
        enterprise=enterprise,
        meeting=meeting,
        need=need,
        product=product,
        amount=money(amount, field="amount", label="融资金额"),
        granted_on=granted_on,
    )
    with transaction.atomic():
        loan.save()
        audit_record(actor=actor, action="support.loan.record", obj=loan, changes=snapshot(loan))
        if need is not None:
            updated = FinancingNeed.objects.filter(pk=need.pk, status=FinancingNeed.Status.OPEN).update(
                status=FinancingNeed.Status.FUNDED
            )
            if updated:
                audit_record(
                    actor=actor,
                    action="support.financing_need.status",
                    obj=need,
                    changes={"status": [FinancingNeed.Status.OPEN, FinancingNeed.Status.FUNDED]},
                )
    return loan
