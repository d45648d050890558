"""The inspection register (无事不打扰): planning visits under the zone's rule, joint inspections.

- A routine inspection of a low-risk enterprise is refused when the rule exempts low risk.
- A routine plan near another body's plan for the same enterprise is offered as one joint
  inspection (综合查一次); with ``join=True`` the two become one.
- Routine inspections beyond the rule's limit per period are refused.
- An inspection triggered by a complaint or an accident is always allowed, and recorded as such.

A refused plan is kept as a row with status "blocked" and its reason, so the register shows what
the rule prevented; the refusal is raised to the caller after that row is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.services import record_save
from onezone.enterprises.access import INSPECTION_ROLES
from onezone.enterprises.models import Enterprise, Inspection, InspectionRule
from onezone.enterprises.rules import PERIOD_NAMES, period_bounds, period_label, within_window

COUNTED_STATUSES = (Inspection.Status.PLANNED, Inspection.Status.DONE)
COUNTED_KINDS = (Inspection.Kind.ROUTINE, Inspection.Kind.JOINT)
# The trigger note of a routine visit outside the quota (see ``inspection_plan``'s ``quota_exempt``).
QUOTA_EXEMPT_PREFIX = "不计入例行检查次数："


class InspectionBlocked(Conflict):
    """The rule refused the plan; ``inspection`` is the recorded refusal."""

    def __init__(self, message: str, *, inspection: Inspection) -> None:
        super().__init__(message, code="inspection_blocked")
        self.inspection = inspection


class JointInspectionOffered(Conflict):
    """Another body plans a visit close by; plan with ``join=True`` to make it one joint inspection."""

    def __init__(self, message: str, *, candidates: list[Inspection]) -> None:
        super().__init__(message, code="joint_offered", fields={"joint_with": ",".join(str(c.pk) for c in candidates)})
        self.candidates = candidates


def inspection_rule(zone_id: int) -> InspectionRule:
    """The zone's rule, or the default rule (1 routine inspection per quarter) when none is saved."""
    return InspectionRule.objects.filter(zone_id=zone_id).first() or InspectionRule(zone_id=zone_id)


def inspection_rule_save(*, actor: Any, zone_id: int, **settings: Any) -> InspectionRule:
    """Set the zone's rule (max_routine, period, joint_window_days, exempt_low_risk)."""
    rule = inspection_rule(zone_id)
    for key, value in settings.items():
        if key not in {"max_routine", "period", "joint_window_days", "exempt_low_risk"}:
            raise InvalidInput(f"未知的检查规则项：{key}。")
        setattr(rule, key, value)
    from onezone.enterprises.access import REGISTRY_ROLES

    return record_save(actor=actor, obj=rule, roles=REGISTRY_ROLES | INSPECTION_ROLES, zone_id=zone_id)


def _body_name(body) -> str:
    return body.short_name or body.name


def _overlapping(enterprise: Enterprise, body, planned_on: dt.date, window: int) -> list[Inspection]:
    """Plans of other bodies for the enterprise within ``window`` days of ``planned_on``."""
    candidates = (
        Inspection.objects.filter(
            enterprise=enterprise,
            status=Inspection.Status.PLANNED,
            planned_on__gte=planned_on - dt.timedelta(days=window),
            planned_on__lte=planned_on + dt.timedelta(days=window),
        )
        .exclude(body=body)
        .select_related("body")
        .prefetch_related("participants")
        .order_by("planned_on", "id")
    )
    return [c for c in candidates if body.pk not in {p.pk for p in c.participants.all()}]


def _blocked(
    *, actor: Any, enterprise: Enterprise, body, kind: str, planned_on: dt.date, purpose: str, reason: str
) -> InspectionBlocked:
    with transaction.atomic():
        row = Inspection.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            body=body,
            kind=kind,
            planned_on=planned_on,
            purpose=purpose,
            status=Inspection.Status.BLOCKED,
            block_reason=reason,
            planned_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="enterprises.inspection.blocked",
            obj=row,
            changes={"enterprise": enterprise.uscc, "body": body.pk, "planned_on": planned_on, "reason": reason},
        )
    return InspectionBlocked(reason, inspection=row)


def inspection_plan(
    *,
    actor: Any,
    enterprise: Enterprise,
    body,
    kind: str,
    planned_on: dt.date,
    purpose: str,
    trigger_note: str = "",
    join: bool = False,
    quota_exempt: str = "",
) -> Inspection:
    """Plan a visit of ``enterprise`` by ``body`` under the zone's rule (see the module's docstring).

    ``quota_exempt`` names why a routine visit is outside the quota (the safety app's inspection of a
    major hazard installation, which that app checks): it is neither refused by the quota nor counted in
    it, and the reason is kept as its trigger note.

    Returns the planned inspection, or the joint inspection it joined. Raises ``InspectionBlocked``
    (the refusal is recorded) or ``JointInspectionOffered``.
    """
    zone_id = enterprise.zone_id
    require(actor, zone_id=zone_id, roles=INSPECTION_ROLES, action="登记涉企检查")
    fields = {}
    if kind not in {Inspection.Kind.ROUTINE, Inspection.Kind.COMPLAINT, Inspection.Kind.ACCIDENT}:
        fields["kind"] = "检查类型应为例行检查、投诉触发或事故触发；联合检查由合并产生。"
    if body is None or body.zone_id != zone_id:
        fields["body"] = "请选择本开发区的检查机构。"
    if not (purpose or "").strip():
        fields["purpose"] = "请写明检查事由。"
    if kind in {Inspection.Kind.COMPLAINT, Inspection.Kind.ACCIDENT} and not (trigger_note or "").strip():
        fields["trigger_note"] = "投诉或事故触发的检查须写明来由（投诉编号或事故简述）。"
    if fields:
        raise InvalidInput("；".join(fields.values()), fields=fields)
    purpose = purpose.strip()
    rule = inspection_rule(zone_id)

    if kind == Inspection.Kind.ROUTINE:
        if rule.exempt_low_risk and enterprise.risk_level == Enterprise.Risk.LOW:
            raise _blocked(
                actor=actor,
                enterprise=enterprise,
                body=body,
                kind=kind,
                planned_on=planned_on,
                purpose=purpose,
                reason=f"“{enterprise.name}”为低风险企业，按本开发区规则免于例行检查；"
                "如因投诉或事故确需检查，请选择“投诉触发”或“事故触发”并写明来由。",
            )
        overlapping = _overlapping(enterprise, body, planned_on, rule.joint_window_days)
        if overlapping and not join:
            plans = "；".join(f"{_body_name(c.body)} {c.planned_on}（{c.get_kind_display()}）" for c in overlapping)
            raise JointInspectionOffered(
                f"{plans} 已计划对“{enterprise.name}”开展检查，与本次计划相距不超过{rule.joint_window_days}天；"
                "请合并为一次联合检查（综合查一次），不要分别上门。选择“合并为综合查一次”即可加入。",
                candidates=overlapping,
            )
        if not overlapping and not quota_exempt:
            start, end = period_bounds(planned_on, rule.period)
            already = list(
                Inspection.objects.filter(
                    enterprise=enterprise,
                    status__in=COUNTED_STATUSES,
                    kind__in=COUNTED_KINDS,
                    planned_on__range=(start, end),
                )
                .exclude(trigger_note__startswith=QUOTA_EXEMPT_PREFIX)
                .select_related("body")
                .order_by("planned_on")
            )
            if len(already) >= rule.max_routine:
                listed = "、".join(f"{_body_name(i.body)} {i.planned_on}" for i in already)
                raise _blocked(
                    actor=actor,
                    enterprise=enterprise,
                    body=body,
                    kind=kind,
                    planned_on=planned_on,
                    purpose=purpose,
                    reason=f"“{enterprise.name}”{period_label(planned_on, rule.period)}已安排例行检查{len(already)}次"
                    f"（{listed}），已达每{PERIOD_NAMES[rule.period]}{rule.max_routine}次的上限；"
                    "请与已有检查合并，或改在下一周期安排。",
                )

    with transaction.atomic():
        inspection = Inspection.objects.create(
            zone_id=zone_id,
            enterprise=enterprise,
            body=body,
            kind=kind,
            planned_on=planned_on,
            purpose=purpose,
            trigger_note=f"{QUOTA_EXEMPT_PREFIX}{quota_exempt}"[:200] if quota_exempt else (trigger_note or "").strip(),
            planned_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="enterprises.inspection.plan",
            obj=inspection,
            changes={"enterprise": enterprise.uscc, "body": body.pk, "kind": kind, "planned_on": planned_on},
        )
        if kind == Inspection.Kind.ROUTINE and join:
            overlapping = _overlapping(enterprise, body, planned_on, rule.joint_window_days)
            if overlapping:
                return inspections_merge(actor=actor, inspections=[*overlapping, inspection])
    return inspection


def inspections_merge(
    *, actor: Any, inspections: Iterable[Inspection], planned_on: dt.date | None = None
) -> Inspection:
    """Make planned visits of one enterprise by different bodies one joint inspection (综合查一次).

    If one of them is already a joint inspection the others join it; otherwise a new joint
    inspection is led by the body of the earliest plan. The merged plans are kept, marked merged.
    """
    ids = [i.pk for i in inspections]
    if len(set(ids)) < 2:
        raise InvalidInput("请至少选择两项检查计划进行合并。")
    first = Inspection.objects.get(pk=ids[0])
    zone_id = first.zone_id
    require(actor, zone_id=zone_id, roles=INSPECTION_ROLES, action="合并涉企检查")
    rule = inspection_rule(zone_id)
    with transaction.atomic():
        locked = list(Inspection.objects.select_for_update().filter(pk__in=ids, zone_id=zone_id).values_list("pk"))
        plans = list(
            Inspection.objects.filter(pk__in=[pk for (pk,) in locked])
            .select_related("body", "enterprise")
            .prefetch_related("participants")
            .order_by("planned_on", "id")
        )
        if len(plans) != len(set(ids)):
            raise InvalidInput("所选检查计划不属于本开发区或已不存在，请刷新后重试。")
        if len({p.enterprise_id for p in plans}) != 1:
            raise InvalidInput("只能合并对同一企业的检查计划。")
        not_planned = [p for p in plans if p.status != Inspection.Status.PLANNED]
        if not_planned:
            raise TransitionNotAllowed(
                f"检查 {not_planned[0].planned_on} {_body_name(not_planned[0].body)} 当前为"
                f"“{not_planned[0].get_status_display()}”，只有已计划的检查可以合并。"
            )
        bodies = {p.body_id for p in plans} | {b.pk for p in plans for b in p.participants.all()}
        if len(bodies) < 2:
            raise InvalidInput("这些检查都由同一机构安排，无需联合检查；请取消重复的计划。")
        if not within_window([p.planned_on for p in plans], rule.joint_window_days):
            raise InvalidInput(f"所选检查计划相距超过{rule.joint_window_days}天，不宜合并；请调整日期后再合并。")
        joints = [p for p in plans if p.kind == Inspection.Kind.JOINT]
        if len(joints) > 1:
            raise InvalidInput("所选计划中有两项以上联合检查，请先逐项合并。")
        enterprise = plans[0].enterprise
        others = [p for p in plans if p not in joints]
        if joints:
            joint = joints[0]
            joint.purpose = "；".join([joint.purpose, *(f"{_body_name(p.body)}：{p.purpose}" for p in others)])
        else:
            joint = Inspection(
                zone_id=zone_id,
                enterprise=enterprise,
                body=plans[0].body,
                kind=Inspection.Kind.JOINT,
                planned_on=planned_on or plans[0].planned_on,
                purpose="；".join(f"{_body_name(p.body)}：{p.purpose}" for p in plans),
                planned_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        if planned_on is not None:
            joint.planned_on = planned_on
        notes = [joint.trigger_note, *(p.trigger_note for p in others)]
        joint.trigger_note = "；".join(n for n in notes if n)[:200]
        joint.save()
        joint.participants.add(*bodies)
        for plan in others:
            plan.status = Inspection.Status.MERGED
            plan.joint = joint
            plan.save(update_fields=["status", "joint", "updated_at"])
        audit_record(
            actor=actor,
            action="enterprises.inspection.merge",
            obj=joint,
            changes={"merged": [p.pk for p in others], "bodies": sorted(bodies), "planned_on": joint.planned_on},
        )
    return joint


def inspection_complete(*, actor: Any, inspection: Inspection, done_on: dt.date, result: str) -> Inspection:
    """Record that a planned inspection took place, and what it found."""
    require(actor, zone_id=inspection.zone_id, roles=INSPECTION_ROLES, action="登记检查结果")
    if not (result or "").strip():
        raise InvalidInput("请填写检查结果。", fields={"result": "请填写检查结果。"})
    with transaction.atomic():
        current = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if current.status != Inspection.Status.PLANNED:
            raise TransitionNotAllowed(f"该检查当前为“{current.get_status_display()}”，只有已计划的检查可以登记结果。")
        current.status = Inspection.Status.DONE
        current.done_on = done_on
        current.result = result.strip()
        current.save(update_fields=["status", "done_on", "result", "updated_at"])
        audit_record(actor=actor, action="enterprises.inspection.complete", obj=current, changes={"done_on": done_on})
    return current


def inspection_cancel(*, actor: Any, inspection: Inspection, reason: str) -> Inspection:
    """Cancel a planned inspection."""
    require(actor, zone_id=inspection.zone_id, roles=INSPECTION_ROLES, action="取消涉企检查")
    if not (reason or "").strip():
        raise InvalidInput("请说明取消原因。", fields={"reason": "请说明取消原因。"})
    with transaction.atomic():
        current = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if current.status != Inspection.Status.PLANNED:
            raise TransitionNotAllowed(f"该检查当前为“{current.get_status_display()}”，只有已计划的检查可以取消。")
        current.status = Inspection.Status.CANCELLED
        current.result = f"取消：{reason.strip()}"
        current.save(update_fields=["status", "result", "updated_at"])
        audit_record(
            actor=actor, action="enterprises.inspection.cancel", obj=current, changes={"reason": reason.strip()}
        )
    return current
