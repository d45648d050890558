"""The ledgers: funds in place and investment progress, with corrections as new entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record, snapshot
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.permissions import require
from onezone.investment.models import (
    FundsEntry,
    FundsSource,
    InvestmentProgress,
    Project,
)
from onezone.investment.services.common import FUNDS_FIELDS, LEDGER_WRITERS, _money, _not_future, _today
from onezone.investment.services.projects import _funded_project


def funds_receipt_record(
    *,
    actor: Any,
    project: Project,
    amount: Decimal | int | str,
    received_on: dt.date,
    source: str,
    evidence_reference: str = "",
    evidence_file: Any = None,
    note: str = "",
) -> FundsEntry:
    """Record funds that arrived (到位资金). Amounts are positive; errors are corrected by
    ``funds_entry_correct``, never by editing."""
    require(actor, zone_id=project.zone_id, roles=LEDGER_WRITERS, action="登记到位资金")
    value = _money(amount, "amount", "到位金额")
    if value <= 0:
        raise InvalidInput("到位金额必须大于零；冲减请登记更正分录。", fields={"amount": "请填写大于零的金额。"})
    if source not in FundsSource.values:
        raise InvalidInput("资金来源不正确。", fields={"source": "请从列表中选择资金来源。"})
    _not_future(received_on, "received_on", "到位日期")
    with transaction.atomic():
        locked = _funded_project(project, "到位资金")
        if locked.signed_on and received_on < locked.signed_on:
            raise InvalidInput(
                f"到位日期不能早于签约日期（{locked.signed_on:%Y-%m-%d}）。", fields={"received_on": "早于签约日期。"}
            )
        entry = FundsEntry(
            zone_id=locked.zone_id,
            project=locked,
            amount=value,
            received_on=received_on,
            source=source,
            evidence_reference=evidence_reference.strip(),
            note=note.strip(),
            recorded_by=actor,
        )
        if evidence_file is not None:
            entry.evidence_file = evidence_file
        entry.save()
        audit_record(
            actor=actor,
            action="investment.funds.record",
            obj=entry,
            changes={**snapshot(entry, FUNDS_FIELDS), "evidence_file": entry.evidence_file.name or ""},
        )
    return entry


def _chain_total(model, entry) -> Decimal:
    """The effective amount of an entry and the corrections hanging from it."""
    total = Decimal(0)
    current = entry
    while current is not None:
        total += current.amount
        current = model.objects.filter(corrects=current).first()
    return total


def _root_of(model, entry):
    current = entry
    while current.corrects_id is not None:
        current = model.objects.get(pk=current.corrects_id)
    return current


def _correct(model, *, actor: Any, entry, correct_amount: Any, reason: str, label: str, extra: dict[str, Any]):
    reason = reason.strip()
    if not reason:
        raise InvalidInput("更正必须填写原因。", fields={"reason": "请填写更正原因。"})
    target = _money(correct_amount, "correct_amount", "更正后的金额")
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=entry.pk)
        if model.objects.filter(corrects=locked).exists():
            raise Conflict(f"该{label}已被更正过；如需再次更正，请更正最新的更正分录。")
        root = _root_of(model, locked)
        effective = _chain_total(model, root)
        delta = target - effective
        if delta == 0:
            raise InvalidInput("更正后的金额与现有金额相同，无需更正。", fields={"correct_amount": "金额未变化。"})
        correction = model(
            zone_id=locked.zone_id,
            project_id=locked.project_id,
            amount=delta,
            note=reason,
            corrects=locked,
            recorded_by=actor,
            **{key: getattr(locked, key) for key in extra},
        )
        try:
            with transaction.atomic():
                correction.save()
        except IntegrityError as exc:
            raise Conflict(f"该{label}刚被他人更正，请刷新后查看。") from exc
        audit_record(
            actor=actor,
            action=f"investment.{model._meta.model_name}.correct",
            obj=correction,
            changes={"corrects": locked.pk, "amount": [effective, target], "reason": reason},
        )
    return correction


def funds_entry_correct(*, actor: Any, entry: FundsEntry, correct_amount: Any, reason: str) -> FundsEntry:
    """Correct a funds entry by a new entry of the difference, dated as the entry it corrects.

    ``correct_amount`` is what the original receipt should have been (0 reverses it)."""
    require(actor, zone_id=entry.zone_id, roles=LEDGER_WRITERS, action="更正到位资金")
    return _correct(
        FundsEntry,
        actor=actor,
        entry=entry,
        correct_amount=correct_amount,
        reason=reason,
        label="到位资金分录",
        extra={"received_on": None, "source": None, "evidence_reference": None},
    )


def _month_start(month: dt.date) -> dt.date:
    return month.replace(day=1)


def progress_record(
    *, actor: Any, project: Project, month: dt.date, amount: Decimal | int | str, note: str = ""
) -> InvestmentProgress:
    """Report investment completed in one month (one report per project and month)."""
    require(actor, zone_id=project.zone_id, roles=LEDGER_WRITERS, action="登记完成投资")
    value = _money(amount, "amount", "完成投资")
    if value < 0:
        raise InvalidInput("完成投资不能为负数；冲减请登记更正。", fields={"amount": "请填写不小于零的金额。"})
    month = _month_start(month)
    if month > _month_start(_today()):
        raise InvalidInput("不能登记未来月份的完成投资。", fields={"month": "不能填写未来月份。"})
    with transaction.atomic():
        locked = _funded_project(project, "完成投资")
        if InvestmentProgress.objects.filter(project=locked, month=month, corrects__isnull=True).exists():
            raise Conflict(
                f"项目“{locked.name}”{month:%Y年%m月}的完成投资已登记；如有错误请登记更正。",
                fields={"month": "该月已登记。"},
            )
        entry = InvestmentProgress(
            zone_id=locked.zone_id, project=locked, month=month, amount=value, note=note.strip(), recorded_by=actor
        )
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as exc:
            raise Conflict(f"项目“{locked.name}”{month:%Y年%m月}的完成投资刚被他人登记，请刷新后查看。") from exc
        audit_record(actor=actor, action="investment.progress.record", obj=entry, changes=snapshot(entry))
    return entry


def progress_correct(*, actor: Any, entry: InvestmentProgress, correct_amount: Any, reason: str) -> InvestmentProgress:
    """Correct a month's report by a new row of the difference for the same month."""
    require(actor, zone_id=entry.zone_id, roles=LEDGER_WRITERS, action="更正完成投资")
    return _correct(
        InvestmentProgress,
        actor=actor,
        entry=entry,
        correct_amount=correct_amount,
        reason=reason,
        label="完成投资记录",
        extra={"month": None},
    )


# Milestones (代办清单) -------------------------------------------------------------------------
