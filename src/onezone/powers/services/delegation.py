"""Delegations (赋权): batches, proposed items and their way from proposed to operating."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.powers.models import Delegation, DelegationBatch, PowerItem
from onezone.powers.services.items import DELEGATION_ROLES, _body_check


def batch_create(
    *,
    actor: Any,
    zone_id: int,
    number: int,
    title: str,
    document_number: str = "",
    issued_on: dt.date | None = None,
) -> DelegationBatch:
    require(actor, zone_id=zone_id, roles=DELEGATION_ROLES, action="登记赋权批次")
    if not title.strip():
        raise InvalidInput("请填写批次名称。", fields={"title": "请填写批次名称。"})
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = DelegationBatch.objects.create(
                    zone_id=zone_id,
                    number=number,
                    title=title.strip(),
                    document_number=document_number,
                    issued_on=issued_on,
                )
        except IntegrityError as exc:
            raise Conflict(f"第{number}批已登记，请换一个批次号。") from exc
        audit_record(actor=actor, action="powers.batch.create", obj=batch, changes={"document_number": document_number})
    return batch


def delegation_propose(
    *,
    actor: Any,
    batch_id: int,
    item_id: int,
    form: str,
    original_department: str,
    receiving_body_id: int,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Delegation:
    """Put an item in a batch as a proposed delegation (拟赋权)."""
    batch = DelegationBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("赋权批次不存在。")
    require(actor, zone_id=batch.zone_id, roles=DELEGATION_ROLES, action="登记赋权事项")
    if form not in Delegation.Form.values:
        raise InvalidInput("赋权形式应为“委托”或“下放”。", fields={"form": "请选择委托或下放。"})
    if not original_department.strip():
        raise InvalidInput("请填写原行使部门。", fields={"original_department": "请填写原行使部门。"})
    if not PowerItem.objects.filter(pk=item_id, zone_id=batch.zone_id).exists():
        raise InvalidInput("事项不属于本开发区清单。", fields={"item": "请选择本开发区清单中的事项。"})
    _body_check(batch.zone_id, receiving_body_id)
    with transaction.atomic():
        delegation = Delegation.objects.create(
            zone_id=batch.zone_id,
            batch=batch,
            item_id=item_id,
            form=form,
            original_department=original_department.strip(),
            receiving_body_id=receiving_body_id,
            effective_on=effective_on,
            note=note,
        )
        audit_record(actor=actor, action="powers.delegation.propose", obj=delegation, changes={"batch": batch.number})
    return delegation


S = Delegation.Status
DELEGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ISSUED, S.WITHDRAWN}),
    S.ISSUED: frozenset({S.TAKEN_OVER, S.WITHDRAWN}),
    S.TAKEN_OVER: frozenset({S.OPERATING, S.WITHDRAWN}),
    S.OPERATING: frozenset({S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}
_DATE_OF = {
    S.ISSUED: "issued_on",
    S.TAKEN_OVER: "taken_over_on",
    S.OPERATING: "operating_on",
    S.WITHDRAWN: "withdrawn_on",
}


def delegation_transition(
    *,
    actor: Any,
    delegation_id: int,
    to: str,
    on: dt.date | None = None,
    staff_trained: bool | None = None,
    window_ready: bool | None = None,
    note: str = "",
) -> Delegation:
    """Move a delegation along proposed → issued → taken_over → operating (→ withdrawn from any).

    Taking over needs both facts recorded: staff trained and window ready.
    """
    zone_id = Delegation.objects.filter(pk=delegation_id).values_list("zone_id", flat=True).first()
    if zone_id is None:
        raise NotFound("赋权事项不存在。")
    labels = dict(S.choices)
    require(actor, zone_id=zone_id, roles=DELEGATION_ROLES, action=f"赋权事项转为“{labels.get(to, to)}”")
    on = on or timezone.localdate()
    with transaction.atomic():
        d = Delegation.objects.select_for_update().select_related("item").get(pk=delegation_id)
        if to not in DELEGATION_TRANSITIONS[d.status]:
            allowed = "、".join(str(labels[s]) for s in sorted(DELEGATION_TRANSITIONS[d.status])) or "无"
            raise TransitionNotAllowed(
                f"赋权事项“{d.item.name}”当前为“{d.get_status_display()}”，不能转为“{labels.get(to, to)}”；"
                f"可转为：{allowed}。"
            )
        before = {"status": d.status, "staff_trained": d.staff_trained, "window_ready": d.window_ready}
        if staff_trained is not None:
            d.staff_trained = staff_trained
        if window_ready is not None:
            d.window_ready = window_ready
        if to == S.TAKEN_OVER and not (d.staff_trained and d.window_ready):
            missing = [w for w, ok in (("人员培训", d.staff_trained), ("窗口就绪", d.window_ready)) if not ok]
            raise TransitionNotAllowed(f"承接前须确认{'和'.join(missing)}已完成，请先记录后再转为“已承接”。")
        d.status = to
        setattr(d, _DATE_OF[to], on)
        if to == S.OPERATING and d.effective_on is None:
            d.effective_on = on
        if note:
            d.note = note[:300]
        d.save()
        after = {"status": d.status, "staff_trained": d.staff_trained, "window_ready": d.window_ready}
        audit_record(
            actor=actor,
            action=f"powers.delegation.{to}",
            obj=d,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]} | {"on": on},
        )
    return d
