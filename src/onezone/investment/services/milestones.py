"""A project's milestones (the approvals before start), chosen and updated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput, PermissionDenied
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.investment.models import (
    MILESTONE_ORDER,
    Milestone,
    MilestoneKind,
    Project,
)
from onezone.investment.services.common import MILESTONE_WRITERS, _lock_project, _not_future, _today


def _require_milestone_writer(actor: Any, project: Project, action: str) -> None:
    require(actor, zone_id=project.zone_id, roles=MILESTONE_WRITERS, action=action)
    roles = roles_in(actor, project.zone_id)
    if not roles & {Role.ADMIN, Role.INVESTMENT_OFFICER} and project.agent_id != actor.pk:
        raise PermissionDenied(f"您不是项目“{project.name}”的代办员，不能修改它的代办清单。")


def _case_id_for(zone_id: int, number: str) -> int | None:
    """The zone's window case with this number, if the case was filed at the zone's own window.

    A number with no such case is kept as text: the approval is handled at another window."""
    if not number:
        return None
    case_model = Milestone._meta.get_field("case").related_model
    return case_model.objects.filter(zone_id=zone_id, number=number).values_list("pk", flat=True).first()


def milestones_choose(
    *, actor: Any, project: Project, kinds: list[str], planned: dict[str, dt.date] | None = None
) -> list[Milestone]:
    """Set which approvals apply to a project. Items added get their planned dates; items dropped
    from the list are removed unless already done or linked to a case."""
    _require_milestone_writer(actor, project, "设置代办清单")
    planned = planned or {}
    unknown = sorted(set(kinds) - set(MilestoneKind.values))
    if unknown:
        raise InvalidInput(f"未知的审批事项：{'、'.join(unknown)}。", fields={"kinds": "请从审批事项列表中选择。"})
    with transaction.atomic():
        locked = _lock_project(project)
        existing = {m.kind: m for m in Milestone.objects.filter(project=locked)}
        for kind, milestone in existing.items():
            if kind not in kinds:
                if milestone.status == Milestone.Status.DONE or milestone.case_number or milestone.case_id:
                    raise Conflict(
                        f"“{milestone.get_kind_display()}”已完成或已关联办件，不能从清单中去掉。",
                        fields={"kinds": "已完成或已关联办件的事项不能去掉。"},
                    )
                milestone.delete()
        for kind in kinds:
            if kind not in existing:
                Milestone.objects.create(
                    zone_id=locked.zone_id,
                    project=locked,
                    kind=kind,
                    order=MILESTONE_ORDER[kind],
                    planned_on=planned.get(kind),
                )
        audit_record(
            actor=actor,
            action="investment.milestones.choose",
            obj=locked,
            changes={"kinds": [sorted(existing), sorted(kinds)]},
        )
    return list(Milestone.objects.filter(project=locked).order_by("order"))


def milestone_update(
    *,
    actor: Any,
    milestone: Milestone,
    status: str | None = None,
    planned_on: dt.date | None = None,
    done_on: dt.date | None = None,
    case_number: str | None = None,
    note: str | None = None,
) -> Milestone:
    """Update one checklist item: its status, planned date, completion date and window case."""
    project = milestone.project
    _require_milestone_writer(actor, project, "更新代办事项")
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        before = snapshot(locked)
        if status is not None:
            if status not in Milestone.Status.values:
                raise InvalidInput("状态不正确。", fields={"status": "请从列表中选择状态。"})
            locked.status = status
        if planned_on is not None:
            locked.planned_on = planned_on
        if case_number is not None:
            locked.case_number = case_number.strip()
            locked.case_id = _case_id_for(locked.zone_id, locked.case_number)
        if note is not None:
            locked.note = note.strip()
        if locked.status == Milestone.Status.DONE:
            locked.done_on = done_on or locked.done_on or _today()
            _not_future(locked.done_on, "done_on", "完成日期")
        else:
            locked.done_on = None
        locked.save()
        audit_record(
            actor=actor, action="investment.milestone.update", obj=locked, changes=diff(before, snapshot(locked))
        )
    return locked


# Rewards --------------------------------------------------------------------------------------
