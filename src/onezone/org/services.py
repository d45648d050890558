"""Writes of the organisation registry: routing answers, meetings and their follow-up tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.org.authority import require_on_body
from onezone.org.models import AgendaItem, Body, FollowUpTask, Meeting, Person, RoutingRule

MEETING_ROLES = (Role.ADMIN, Role.LEADER, Role.DEPT_HEAD)


def matter_route(*, zone_id: int, category: str) -> RoutingRule:
    """Who handles ``category`` in this zone: the rule with its domain and body.

    Every module that takes in a matter (case, request, complaint) asks this one function.
    """
    rule = RoutingRule.objects.select_related("body").filter(zone_id=zone_id, category=category).first()
    if rule is None:
        raise NotFound(f"本开发区尚未设置“{category}”类事项的归口规则，请管理员在“事务归口规则”中补充。")
    return rule


def meeting_record(
    *,
    actor: Any,
    zone_id: int,
    title: str,
    kind: str,
    held_on: dt.date,
    chair: Person | None = None,
    minutes_number: str = "",
    agenda: list[dict[str, Any]] | None = None,
) -> Meeting:
    """Record a held meeting with its agenda items, decisions and follow-up tasks, all at once.

    ``agenda`` items: ``{"topic", "decision", "approved", "presenter", "amount", "tasks": [{"description",
    "owner_body", "owner", "deadline"}]}``.
    """
    require(actor, zone_id=zone_id, roles=MEETING_ROLES, action="登记会议")
    if not title.strip():
        raise InvalidInput("请填写会议名称。", fields={"title": "请填写会议名称。"})
    if kind not in Meeting.Kind.values:
        raise InvalidInput("会议类型不正确。", fields={"kind": "请从列表中选择会议类型。"})
    with transaction.atomic():
        meeting = Meeting.objects.create(
            zone_id=zone_id, title=title.strip(), kind=kind, held_on=held_on, chair=chair, minutes_number=minutes_number
        )
        for order, entry in enumerate(agenda or [], start=1):
            item = AgendaItem.objects.create(
                zone_id=zone_id,
                meeting=meeting,
                order=order,
                topic=entry["topic"],
                decision=entry.get("decision", ""),
                approved=entry.get("approved"),
                presenter=entry.get("presenter"),
                amount=entry.get("amount"),
            )
            for task in entry.get("tasks", []):
                if task["deadline"] < held_on:
                    raise InvalidInput(f"议题“{item.topic}”的任务“{task['description']}”完成时限早于会议日期，请核对。")
                body: Body = task["owner_body"]
                if body.zone_id != zone_id:
                    raise InvalidInput("督办任务的牵头单位必须属于本开发区。")
                FollowUpTask.objects.create(
                    zone_id=zone_id,
                    agenda_item=item,
                    description=task["description"],
                    owner_body=body,
                    owner=task.get("owner"),
                    deadline=task["deadline"],
                )
        audit_record(
            actor=actor,
            action="meeting.record",
            obj=meeting,
            changes={"title": meeting.title, "held_on": held_on, "agenda_items": len(agenda or [])},
        )
    return meeting


def task_complete(*, actor: Any, task: FollowUpTask, result: str, done_on: dt.date | None = None) -> FollowUpTask:
    """Close a follow-up task with its result. Only open tasks can be closed, by its lead body's people
    (its head above it, a leader)."""
    with transaction.atomic():
        locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        require_on_body(
            actor,
            zone_id=locked.zone_id,
            roles=MEETING_ROLES,
            body_ids=[locked.owner_body_id],
            action="办结督办任务",
            what=f"督办任务“{locked.description}”",
        )
        if not result.strip():
            raise InvalidInput("请填写办理结果。", fields={"result": "请填写办理结果。"})
        if locked.status != FollowUpTask.Status.OPEN:
            raise TransitionNotAllowed(f"任务“{locked}”已是“{locked.get_status_display()}”状态，不能再办结。")
        locked.status = FollowUpTask.Status.DONE
        locked.result = result.strip()
        locked.done_on = done_on or timezone.localdate()
        locked.save(update_fields=["status", "result", "done_on", "updated_at"])
        audit_record(actor=actor, action="meeting_task.complete", obj=locked, changes={"status": ["open", "done"]})
    return locked
