"""Shared labour between enterprises (用工调剂) and the zone's talent needs with their placements.

A sharing is proposed by one of the two enterprises (its side counts as confirmed) or by the desk,
and takes effect when both enterprises have confirmed it. The rule it records: the workers' labour
contracts and social insurance stay with the lender; the borrower directs their work for the period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.limits import require_lengths
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.support.models.labour import LabourSharing, SharingStatus, TalentField, TalentNeed, TalentPlacement
from onezone.support.services.labour_authority import may_act_at_desk, require_desk

WORK_MAX = 200
REASON_MAX = 200
WORKERS_MAX = 500
SHARING_DAYS_MAX = 366  # one sharing runs at most a year; a longer need is a new agreement
TALENT_TITLE_MAX = 60
TALENT_NOTE_MAX = 200
NEEDED_MAX = 999
PERSON_MAX = 30

# The lifecycle of a sharing: proposed → confirmed (both sides) | declined | cancelled.
SHARING_TRANSITIONS: dict[str, frozenset[str]] = {
    SharingStatus.PROPOSED: frozenset({SharingStatus.CONFIRMED, SharingStatus.DECLINED, SharingStatus.CANCELLED}),
    SharingStatus.CONFIRMED: frozenset(),
    SharingStatus.DECLINED: frozenset(),
    SharingStatus.CANCELLED: frozenset(),
}


def employer_rule(lender: Any) -> str:
    """The rule a sharing records, in the words both enterprises confirm."""
    return (
        f"劳动合同和社会保险关系保留在调出企业（{lender.name}），工资由调出企业发放；调入企业负责工作安排和安全教育。"[
            :200
        ]
    )


def _side(actor: Any, sharing: LabourSharing) -> str | None:
    """'lender' or 'borrower' for an enterprise user of that side, else None."""
    from onezone.enterprises.access import is_member_of

    if Role.ENTERPRISE not in roles_in(actor, sharing.zone_id):
        return None
    if is_member_of(actor, sharing.lender):
        return "lender"
    if is_member_of(actor, sharing.borrower):
        return "borrower"
    return None


def _transition(current: LabourSharing, to: str, label: str) -> None:
    if to not in SHARING_TRANSITIONS[current.status]:
        raise TransitionNotAllowed(f"该用工调剂当前为“{current.get_status_display()}”，不能{label}。请刷新页面。")
    current.status = to


def sharing_propose(
    *, actor: Any, lender: Any, borrower: Any, workers: int, start: dt.date, end: dt.date, work: str
) -> LabourSharing:
    """Propose that ``lender`` lends ``workers`` workers to ``borrower`` from ``start`` to ``end``."""
    if lender.zone_id != borrower.zone_id:
        raise InvalidInput("调出企业与调入企业须在同一开发区。")
    zone_id = lender.zone_id
    proposer = None
    if Role.ENTERPRISE in roles_in(actor, zone_id) and not may_act_at_desk(actor, zone_id):
        from onezone.enterprises.access import is_member_of

        require(actor, zone_id=zone_id, roles=[Role.ENTERPRISE], action="发起用工调剂")
        proposer = "lender" if is_member_of(actor, lender) else "borrower" if is_member_of(actor, borrower) else None
        if proposer is None:
            raise NotFound("只能为本企业发起用工调剂：调出或调入企业须是本企业。")
    else:
        require_desk(actor, zone_id=zone_id, action="登记用工调剂")
    require_lengths(work=("工作内容", work, WORK_MAX))
    if lender.pk == borrower.pk:
        raise InvalidInput("调出企业与调入企业不能是同一家企业。", fields={"borrower": "请选择另一家企业。"})
    if not (work or "").strip():
        raise InvalidInput("请填写工作内容。", fields={"work": "请填写工作内容。"})
    try:
        count = int(workers)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("调剂人数应为整数。", fields={"workers": "请填写整数。"}) from exc
    if not 1 <= count <= WORKERS_MAX:
        raise InvalidInput(
            f"调剂人数应在 1 到 {WORKERS_MAX} 人之间，收到 {count}。", fields={"workers": "人数不合理。"}
        )
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise InvalidInput("请填写开始和结束日期。", fields={"start": "请填写日期。"})
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期。", fields={"end": "不能早于开始日期。"})
    if (end - start).days >= SHARING_DAYS_MAX:
        raise InvalidInput(
            f"一次用工调剂最长 {SHARING_DAYS_MAX} 天，收到 {(end - start).days + 1} 天；更长的需要请到期后另行约定。",
            fields={"end": f"最长 {SHARING_DAYS_MAX} 天。"},
        )
    now = timezone.now()
    with transaction.atomic():
        sharing = LabourSharing.objects.create(
            zone_id=zone_id,
            lender=lender,
            borrower=borrower,
            workers=count,
            start=start,
            end=end,
            work=work.strip(),
            employer_rule=employer_rule(lender),
            proposed_by=actor,
            lender_confirmed_at=now if proposer == "lender" else None,
            borrower_confirmed_at=now if proposer == "borrower" else None,
        )
        audit_record(
            actor=actor,
            action="support.sharing.propose",
            obj=sharing,
            changes={"lender": lender.pk, "borrower": borrower.pk, "workers": count, "start": start, "end": end},
        )
    return sharing


def _party(actor: Any, sharing: LabourSharing, action: str) -> str:
    require(actor, zone_id=sharing.zone_id, roles=[Role.ENTERPRISE], action=action)
    side = _side(actor, sharing)
    if side is None:
        raise NotFound("没有找到该用工调剂，或您无权办理。")
    return side


def sharing_confirm(*, actor: Any, sharing: LabourSharing) -> LabourSharing:
    """One enterprise confirms; the sharing takes effect when both have."""
    side = _party(actor, sharing, "确认用工调剂")
    with transaction.atomic():
        current = LabourSharing.objects.select_for_update().get(pk=sharing.pk)
        if current.status != SharingStatus.PROPOSED:
            raise TransitionNotAllowed(f"该用工调剂当前为“{current.get_status_display()}”，无需再确认。")
        setattr(current, f"{side}_confirmed_at", timezone.now())
        if current.lender_confirmed_at and current.borrower_confirmed_at:
            _transition(current, SharingStatus.CONFIRMED, "生效")
        current.save()
        audit_record(
            actor=actor, action="support.sharing.confirm", obj=current, changes={"side": side, "status": current.status}
        )
    return current


def sharing_decline(*, actor: Any, sharing: LabourSharing, reason: str) -> LabourSharing:
    """One enterprise declines the proposal, saying why."""
    side = _party(actor, sharing, "拒绝用工调剂")
    return _close(actor=actor, sharing=sharing, to=SharingStatus.DECLINED, reason=reason, label="拒绝", side=side)


def sharing_cancel(*, actor: Any, sharing: LabourSharing, reason: str) -> LabourSharing:
    """The desk (or the proposing enterprise) withdraws a proposal not yet in effect."""
    if sharing.proposed_by_id == getattr(actor, "pk", None) and _side(actor, sharing):
        side = "proposer"
    else:
        require_desk(actor, zone_id=sharing.zone_id, action="撤回用工调剂")
        side = "desk"
    return _close(actor=actor, sharing=sharing, to=SharingStatus.CANCELLED, reason=reason, label="撤回", side=side)


def _close(*, actor: Any, sharing: LabourSharing, to: str, reason: str, label: str, side: str) -> LabourSharing:
    require_lengths(reason=("原因", reason, REASON_MAX))
    if not (reason or "").strip():
        raise InvalidInput(f"请填写{label}原因。", fields={"reason": f"请填写{label}原因。"})
    with transaction.atomic():
        current = LabourSharing.objects.select_for_update().get(pk=sharing.pk)
        before = current.status
        _transition(current, to, label)
        current.closed_reason = reason.strip()
        current.save(update_fields=["status", "closed_reason", "updated_at"])
        audit_record(
            actor=actor,
            action=f"support.sharing.{to}",
            obj=current,
            changes={"status": [before, to], "side": side, "reason": current.closed_reason},
        )
    return current


# --- talent needs --------------------------------------------------------------------------------


def talent_need_save(
    *,
    actor: Any,
    zone_id: int,
    field: str,
    title: str,
    needed: int,
    year: int,
    note: str = "",
    need: TalentNeed | None = None,
) -> TalentNeed:
    """Record (or change) one of the zone's talent needs."""
    require_desk(actor, zone_id=zone_id, action="登记人才需求")
    require_lengths(title=("岗位或专业", title, TALENT_TITLE_MAX), note=("说明", note, TALENT_NOTE_MAX))
    if field not in TalentField.values:
        raise InvalidInput(
            f"领域应为{'、'.join(str(label) for label in TalentField.labels)}之一。", fields={"field": "请选择领域。"}
        )
    if not (title or "").strip():
        raise InvalidInput("请填写岗位或专业。", fields={"title": "请填写岗位或专业。"})
    try:
        count, year = int(needed), int(year)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("需求人数和年度应为整数。") from exc
    if not 1 <= count <= NEEDED_MAX:
        raise InvalidInput(f"需求人数应在 1 到 {NEEDED_MAX} 人之间，收到 {count}。", fields={"needed": "人数不合理。"})
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"年度应为 2000–2100 之间的年份，收到 {year}。", fields={"year": "年份不正确。"})
    with transaction.atomic():
        if (
            TalentNeed.objects.filter(zone_id=zone_id, year=year, field=field, title=title.strip())
            .exclude(pk=need.pk if need else None)
            .exists()
        ):
            raise InvalidInput("该年度该领域已有同名人才需求，请修改已有记录。", fields={"title": "已有同名需求。"})
        if need is None:
            obj = TalentNeed(zone_id=zone_id)
            before: dict[str, Any] = {}
        else:
            obj = TalentNeed.objects.select_for_update().get(pk=need.pk, zone_id=zone_id)
            before = {"field": obj.field, "title": obj.title, "needed": obj.needed, "year": obj.year, "note": obj.note}
        obj.field, obj.title, obj.needed, obj.year, obj.note = field, title.strip(), count, year, (note or "").strip()
        obj.save()
        after = {"field": obj.field, "title": obj.title, "needed": obj.needed, "year": obj.year, "note": obj.note}
        audit_record(
            actor=actor,
            action="support.talent_need.save",
            obj=obj,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
    return obj


def talent_place(
    *,
    actor: Any,
    need: TalentNeed,
    person_name: str,
    placed_on: dt.date,
    enterprise: Any = None,
    note: str = "",
) -> TalentPlacement:
    """Record a person placed against a need (it counts towards the need's filled number)."""
    require_desk(actor, zone_id=need.zone_id, action="登记人才到岗")
    require_lengths(person_name=("姓名", person_name, PERSON_MAX), note=("说明", note, TALENT_NOTE_MAX))
    if not (person_name or "").strip():
        raise InvalidInput("请填写姓名。", fields={"person_name": "请填写姓名。"})
    if not isinstance(placed_on, dt.date):
        raise InvalidInput("请填写到岗日期。", fields={"placed_on": "请填写日期。"})
    if placed_on > timezone.localdate():
        raise InvalidInput("到岗日期不能晚于今天：人员到岗后再登记。", fields={"placed_on": "不能晚于今天。"})
    if enterprise is not None and enterprise.zone_id != need.zone_id:
        raise InvalidInput("就职企业须是本开发区的企业。", fields={"enterprise": "请选择本开发区企业。"})
    with transaction.atomic():
        placement = TalentPlacement.objects.create(
            zone_id=need.zone_id,
            need=need,
            person_name=person_name.strip(),
            placed_on=placed_on,
            enterprise=enterprise,
            note=(note or "").strip(),
        )
        audit_record(
            actor=actor,
            action="support.talent.place",
            obj=placement,
            changes={"need": need.pk, "enterprise": getattr(enterprise, "pk", None), "placed_on": placed_on},
        )
    return placement
