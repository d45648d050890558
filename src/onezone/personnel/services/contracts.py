"""Employment contracts: signing, activation, renewal, termination, the review flag, expiry.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.org.models import Person, Post
from onezone.personnel.models import (
    EmploymentContract,
)
from onezone.personnel.services.common import HR_ROLES, status_move

Contract = EmploymentContract


CONTRACT_TRANSITIONS: dict[str, frozenset[str]] = {
    Contract.Status.DRAFT: frozenset({Contract.Status.ACTIVE}),
    Contract.Status.ACTIVE: frozenset({Contract.Status.RENEWED, Contract.Status.EXPIRED, Contract.Status.TERMINATED}),
}


def _contract_move(contract: EmploymentContract, to: str) -> str:
    return status_move(contract, to, CONTRACT_TRANSITIONS, subject=f"合同“{contract.number}”")


def _check_terms(*, term_type: str, start: dt.date, end: dt.date | None, probation_months: int) -> None:
    if term_type not in Contract.TermType.values:
        raise InvalidInput(
            "期限类型不正确。", fields={"term_type": "请选择固定期限、无固定期限或以完成一定工作任务为期限。"}
        )
    if term_type == Contract.TermType.FIXED and end is None:
        raise InvalidInput("固定期限合同必须填写终止日期。", fields={"end": "固定期限合同必须填写终止日期。"})
    if term_type == Contract.TermType.OPEN_ENDED and end is not None:
        raise InvalidInput("无固定期限合同不填终止日期。", fields={"end": "无固定期限合同不填终止日期。"})
    if end is not None and end < start:
        raise InvalidInput("合同终止日期不能早于起始日期。", fields={"end": "合同终止日期不能早于起始日期。"})
    if not 0 <= probation_months <= 6:
        raise InvalidInput("试用期应为 0 至 6 个月。", fields={"probation_months": "试用期应为 0 至 6 个月。"})


def _overlapping_active(person: Person, start: dt.date, end: dt.date | None, exclude: Iterable[int] = ()) -> Any:
    qs = Contract.objects.filter(person=person, status=Contract.Status.ACTIVE).exclude(pk__in=list(exclude))
    qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs.first()


def _refuse_overlap(person: Person, start: dt.date, end: dt.date | None, exclude: Iterable[int] = ()) -> None:
    other = _overlapping_active(person, start, end, exclude)
    if other is not None:
        until = other.end.isoformat() if other.end else "无固定期限"
        raise Conflict(
            f"{person.name}已有履行中的合同“{other.number}”（{other.start}至{until}），期间重叠；"
            "请先续订、解除或调整该合同。"
        )


def contract_create(
    *,
    actor: Any,
    person: Person,
    post: Post,
    number: str,
    start: dt.date,
    end: dt.date | None = None,
    term_type: str = Contract.TermType.FIXED,
    probation_months: int = 0,
) -> EmploymentContract:
    """Draft a contract for ``person`` on ``post``."""
    require(actor, zone_id=person.zone_id, roles=HR_ROLES, action="草拟聘用合同")
    if post.zone_id != person.zone_id:
        raise InvalidInput("聘用岗位必须属于同一开发区。", fields={"post": "聘用岗位必须属于同一开发区。"})
    if not number.strip():
        raise InvalidInput("请填写合同编号。", fields={"number": "请填写合同编号。"})
    _check_terms(term_type=term_type, start=start, end=end, probation_months=probation_months)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        _refuse_overlap(person, start, end)
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    zone_id=person.zone_id,
                    person=person,
                    post=post,
                    number=number.strip(),
                    term_type=term_type,
                    start=start,
                    end=end,
                    probation_months=probation_months,
                )
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{number}”已被使用，请换一个编号。", fields={"number": "编号已被使用。"}) from exc
        audit_record(
            actor=actor,
            action="contract.create",
            obj=contract,
            changes={"person": person.name, "post": str(post), "start": start, "end": end, "term_type": term_type},
        )
    return contract


def contract_activate(*, actor: Any, contract: EmploymentContract) -> EmploymentContract:
    """Sign a draft contract: it becomes active unless it overlaps another active one of the person."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="签订聘用合同")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=contract.person_id)
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        old = _contract_move(locked, Contract.Status.ACTIVE)
        _refuse_overlap(locked.person, locked.start, locked.end, exclude=[locked.pk])
        locked.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="contract.activate", obj=locked, changes={"status": [old, locked.status]})
    return locked


def contract_renew(
    *,
    actor: Any,
    contract: EmploymentContract,
    end: dt.date | None,
    number: str,
    term_type: str | None = None,
    post: Post | None = None,
) -> EmploymentContract:
    """Renew an active contract: a new active contract from the day after it ends, linked to it."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="续订聘用合同")
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=contract.person_id)
        locked = Contract.objects.select_for_update().select_related("person", "post").get(pk=contract.pk)
        if locked.end is None:
            raise TransitionNotAllowed(f"合同“{locked.number}”没有终止日期，无需续订。")
        old = _contract_move(locked, Contract.Status.RENEWED)
        start = locked.end + dt.timedelta(days=1)
        term_type = term_type or locked.term_type
        _check_terms(term_type=term_type, start=start, end=end, probation_months=0)
        _refuse_overlap(locked.person, start, end, exclude=[locked.pk])
        locked.save(update_fields=["status", "updated_at"])
        try:
            with transaction.atomic():
                renewal = Contract.objects.create(
                    zone_id=locked.zone_id,
                    person=locked.person,
                    post=post or locked.post,
                    number=number.strip(),
                    term_type=term_type,
                    start=start,
                    end=end,
                    probation_months=0,
                    status=Contract.Status.ACTIVE,
                    previous=locked,
                )
        except IntegrityError as exc:
            raise Conflict(f"合同编号“{number}”已被使用，请换一个编号。", fields={"number": "编号已被使用。"}) from exc
        audit_record(actor=actor, action="contract.renew", obj=locked, changes={"status": [old, locked.status]})
        audit_record(
            actor=actor,
            action="contract.create_renewal",
            obj=renewal,
            changes={"previous": locked.number, "start": start, "end": end},
        )
    return renewal


def contract_terminate(*, actor: Any, contract: EmploymentContract, on: dt.date, reason: str) -> EmploymentContract:
    """End an active contract early, with the date and the reason (解除聘用合同)."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="解除聘用合同")
    if not reason.strip():
        raise InvalidInput("请填写解除原因。", fields={"reason": "请填写解除原因。"})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if on < locked.start or (locked.end is not None and on > locked.end):
            raise InvalidInput(
                "解除日期应在合同期限之内。", fields={"on": f"应在 {locked.start} 至 {locked.end or '—'} 之间。"}
            )
        old = _contract_move(locked, Contract.Status.TERMINATED)
        locked.terminated_on = on
        locked.termination_reason = reason.strip()
        locked.save(update_fields=["status", "terminated_on", "termination_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="contract.terminate",
            obj=locked,
            changes={"status": [old, locked.status], "terminated_on": on, "reason": locked.termination_reason},
        )
    return locked


def contract_review_clear(*, actor: Any, contract: EmploymentContract, note: str) -> EmploymentContract:
    """Record that HR reviewed a flagged contract and clear the flag."""
    require(actor, zone_id=contract.zone_id, roles=HR_ROLES, action="处理合同审查")
    if not note.strip():
        raise InvalidInput("请填写审查结论。", fields={"note": "请填写审查结论。"})
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not locked.review_flag:
            raise TransitionNotAllowed(f"合同“{locked.number}”没有待审查标记。")
        locked.review_flag = False
        locked.save(update_fields=["review_flag", "updated_at"])
        audit_record(
            actor=actor,
            action="contract.review_clear",
            obj=locked,
            changes={"reason": locked.review_reason, "note": note},
        )
    return locked


def contracts_expire_due(*, today: dt.date) -> int:
    """Mark active contracts whose end has passed as expired. Idempotent; run by the sweep."""
    count = 0
    with transaction.atomic():
        for contract in Contract.objects.select_for_update().filter(status=Contract.Status.ACTIVE, end__lt=today):
            old = _contract_move(contract, Contract.Status.EXPIRED)
            contract.save(update_fields=["status", "updated_at"])
            audit_record(actor="system", action="contract.expire", obj=contract, changes={"status": [old, "expired"]})
            count += 1
    return count
