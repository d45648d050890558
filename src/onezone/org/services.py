"""Writes of the organisation registry: bodies, posts, people, appointments, routing, meetings and their tasks.

Every entry point (the back office's forms, the API, the demo) saves these records here, so the same
rules and the same audit event apply whichever way a record comes in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.services import record_delete, record_save
from onezone.org.authority import require_on_body
from onezone.org.models import AgendaItem, Appointment, Body, FollowUpTask, Meeting, Person, Post, RoutingRule

ORG_ROLES = (Role.ADMIN,)
MEETING_ROLES = (Role.ADMIN, Role.LEADER, Role.DEPT_HEAD)
TaskStatus = FollowUpTask.Status
# A task is open until it is done (with its result) or cancelled (with the reason); neither goes back.
TASK_TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.DONE, TaskStatus.CANCELLED}),
    TaskStatus.DONE: frozenset(),
    TaskStatus.CANCELLED: frozenset(),
}


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
                row = FollowUpTask(
                    zone_id=zone_id,
                    agenda_item=item,
                    description=task["description"],
                    owner_body=task["owner_body"],
                    owner=task.get("owner"),
                    deadline=task["deadline"],
                )
                _check_task(row, held_on=held_on)
                row.save()
        audit_record(
            actor=actor,
            action="meeting.record",
            obj=meeting,
            changes={"title": meeting.title, "held_on": held_on, "agenda_items": len(agenda or [])},
        )
    return meeting


def _check_task(task: FollowUpTask, *, held_on: dt.date) -> None:
    """A task's rules: it has a description, its owners are of the zone, its deadline is not before the meeting."""
    if not task.description.strip():
        raise InvalidInput("请填写督办任务的内容。", fields={"description": "请填写任务内容。"})
    if task.deadline is None or task.deadline < held_on:
        message = f"任务“{task.description}”的完成时限早于会议日期（{held_on}），请核对。"
        raise InvalidInput(message, fields={"deadline": "完成时限不能早于会议召开日期。"})
    if task.owner_body.zone_id != task.zone_id:
        raise InvalidInput("督办任务的牵头单位必须属于本开发区。", fields={"owner_body": "请选择本开发区的机构。"})
    if task.owner is not None and task.owner.zone_id != task.zone_id:
        raise InvalidInput("督办任务的责任人必须属于本开发区。", fields={"owner": "请选择本开发区的人员。"})


def _held_on(task: FollowUpTask) -> dt.date:
    return AgendaItem.objects.select_related("meeting").get(pk=task.agenda_item_id).meeting.held_on


def _close_fields(*, task: FollowUpTask, result: str, done_on: dt.date | None, step: str) -> tuple[str, dt.date]:
    """The result and date a task is closed with: a result is required; the date is not in the future nor
    before the meeting, and is today when not given."""
    result = result.strip()
    if not result:
        message = "请填写办理结果。" if step == "done" else "请在办理结果中写明撤销原因。"
        raise InvalidInput(message, fields={"result": message})
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise InvalidInput("办结日期不能晚于今天。", fields={"done_on": "办结日期不能晚于今天。"})
    held_on = _held_on(task)
    if done_on < held_on:
        message = f"办结日期不能早于会议召开日期（{held_on}）。"
        raise InvalidInput(message, fields={"done_on": message})
    return result, done_on


def _task_close(*, actor: Any, task: FollowUpTask, to: str, result: str, done_on: dt.date | None) -> FollowUpTask:
    label = "办结督办任务" if to == TaskStatus.DONE else "撤销督办任务"
    require(actor, zone_id=task.zone_id, roles=MEETING_ROLES, action=label)
    result, done_on = _close_fields(task=task, result=result, done_on=done_on, step=to)
    with transaction.atomic():
        locked = FollowUpTask.objects.select_for_update().get(pk=task.pk)
        # Closing a task is its lead body's work (or its head above it, or a leader).
        require_on_body(
            actor,
            zone_id=locked.zone_id,
            roles=MEETING_ROLES,
            body_ids=[locked.owner_body_id],
            action=label,
            what=f"督办任务“{locked.description}”",
        )
        if to not in TASK_TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(f"任务“{locked}”已是“{locked.get_status_display()}”状态，不能再{label[:2]}。")
        before = locked.status
        locked.status = to
        locked.result = result
        locked.done_on = done_on
        locked.save(update_fields=["status", "result", "done_on", "updated_at"])
        action = "meeting_task.complete" if to == TaskStatus.DONE else "meeting_task.cancel"
        audit_record(actor=actor, action=action, obj=locked, changes={"status": [before, to], "done_on": done_on})
    return locked


def task_complete(*, actor: Any, task: FollowUpTask, result: str, done_on: dt.date | None = None) -> FollowUpTask:
    """Close an open follow-up task with its result, done on ``done_on`` (today when not given)."""
    return _task_close(actor=actor, task=task, to=TaskStatus.DONE, result=result, done_on=done_on)


def task_cancel(*, actor: Any, task: FollowUpTask, reason: str, on: dt.date | None = None) -> FollowUpTask:
    """Cancel an open follow-up task, the reason kept as its result."""
    return _task_close(actor=actor, task=task, to=TaskStatus.CANCELLED, result=reason, done_on=on)


def task_add(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    description: str,
    owner_body: Body,
    deadline: dt.date,
    owner: Person | None = None,
) -> FollowUpTask:
    """Add a follow-up task to an agenda item of a held meeting; it starts open."""
    require(actor, zone_id=agenda_item.zone_id, roles=MEETING_ROLES, action="新增督办任务")
    task = FollowUpTask(
        zone_id=agenda_item.zone_id,
        agenda_item=agenda_item,
        description=description.strip(),
        owner_body=owner_body,
        owner=owner,
        deadline=deadline,
    )
    _check_task(task, held_on=_held_on(task))
    with transaction.atomic():
        task.save()
        audit_record(actor=actor, action="meeting_task.add", obj=task, changes={"deadline": deadline})
    return task


def task_save(*, actor: Any, task: FollowUpTask) -> FollowUpTask:
    """Save a task as edited in a form: a new one is added open; on an existing one the details change under
    the task's rules and a change of status is its step (办结 with a result, 撤销 with a reason)."""
    if task._state.adding:
        if task.status != TaskStatus.OPEN or task.result.strip() or task.done_on:
            raise InvalidInput(
                "新增的督办任务应为“办理中”；办结时再登记办理结果和办结日期。", fields={"status": "请选择“办理中”。"}
            )
        return task_add(
            actor=actor,
            agenda_item=task.agenda_item,
            description=task.description,
            owner_body=task.owner_body,
            owner=task.owner,
            deadline=task.deadline,
        )
    require(actor, zone_id=task.zone_id, roles=MEETING_ROLES, action="修改督办任务")
    current = FollowUpTask.objects.get(pk=task.pk)
    if current.status != TaskStatus.OPEN:
        if (task.status, task.result, task.done_on) != (current.status, current.result, current.done_on):
            raise TransitionNotAllowed(
                f"任务“{current}”已是“{current.get_status_display()}”状态，办理结果和办结日期不能再改。"
            )
    elif task.status == TaskStatus.OPEN and (task.result.strip() or task.done_on):
        message = "办理结果和办结日期在办结时填写：请把状态改为“已办结”（或“已撤销”）后保存。"
        raise InvalidInput(message, fields={"status": message})
    _check_task(task, held_on=_held_on(task))
    with transaction.atomic():
        details = ["description", "owner_body", "owner", "deadline"]
        changes = {
            f: [getattr(current, f), getattr(task, f)] for f in details if getattr(current, f) != getattr(task, f)
        }
        if changes:
            for field in details:
                setattr(current, field, getattr(task, field))
            current.save(update_fields=[*details, "updated_at"])
            audit_record(actor=actor, action="meeting_task.update", obj=current, changes=changes)
        if task.status != current.status:
            return _task_close(actor=actor, task=current, to=task.status, result=task.result, done_on=task.done_on)
    return current


# --- meetings edited after they were recorded --------------------------------------------------


def meeting_save(*, actor: Any, meeting: Meeting) -> Meeting:
    """Save a meeting's details; its date cannot move past a deadline or a completion of its tasks."""
    if not meeting.title.strip():
        raise InvalidInput("请填写会议名称。", fields={"title": "请填写会议名称。"})
    if meeting.chair is not None and meeting.chair.zone_id != meeting.zone_id:
        raise InvalidInput("主持人必须是本开发区的人员。", fields={"chair": "请选择本开发区的人员。"})
    if meeting.pk:
        tasks = FollowUpTask.objects.filter(agenda_item__meeting_id=meeting.pk)
        early = tasks.filter(deadline__lt=meeting.held_on).first() or tasks.filter(done_on__lt=meeting.held_on).first()
        if early is not None:
            message = f"会议的督办任务“{early}”的完成时限或办结日期早于{meeting.held_on}，会议日期不能改到其后。"
            raise InvalidInput(message, fields={"held_on": message})
    meeting.title = meeting.title.strip()
    return record_save(actor=actor, obj=meeting, roles=MEETING_ROLES)


def agenda_item_save(*, actor: Any, item: AgendaItem) -> AgendaItem:
    """Save one agenda item of a meeting; its presenter is a body of the zone."""
    item.zone_id = item.meeting.zone_id
    if not item.topic.strip():
        raise InvalidInput("请填写议题。", fields={"topic": "请填写议题。"})
    if item.presenter is not None and item.presenter.zone_id != item.zone_id:
        raise InvalidInput("汇报单位必须属于本开发区。", fields={"presenter": "请选择本开发区的机构。"})
    return record_save(actor=actor, obj=item, roles=MEETING_ROLES)


def meeting_part_delete(*, actor: Any, obj: Meeting | AgendaItem) -> None:
    """Delete a meeting or an agenda item that has no follow-up task (tasks are cancelled, never deleted)."""
    tasks = FollowUpTask.objects.filter(
        **({"agenda_item__meeting": obj} if isinstance(obj, Meeting) else {"agenda_item": obj})
    )
    if tasks.exists():
        raise Conflict(f"“{obj}”下有{tasks.count()}项督办任务，不能删除；不再办理的任务请撤销。")
    record_delete(actor=actor, obj=obj, roles=MEETING_ROLES)


# --- the registry: bodies, posts, people, appointments, routing ---------------------------------


def body_save(*, actor: Any, body: Body) -> Body:
    """Save a body; its line of superiors never comes back to itself."""
    seen = {body.pk} if body.pk else set()
    parent = body.parent
    while parent is not None:
        if parent.pk in seen:
            raise InvalidInput(
                f"“{body.parent}”是“{body.name}”的下级机构，不能作为其上级。",
                fields={"parent": "上级机构不能形成循环。"},
            )
        seen.add(parent.pk)
        parent = parent.parent
    return record_save(actor=actor, obj=body, roles=ORG_ROLES)


def post_save(*, actor: Any, post: Post) -> Post:
    """Save a post; its number of places is not below the people holding it today."""
    if post.pk:
        today = timezone.localdate()
        holding = (
            Appointment.objects.filter(post_id=post.pk, start__lte=today)
            .filter(models.Q(end__isnull=True) | models.Q(end__gte=today))
            .count()
        )
        if post.headcount < holding:
            message = f"岗位“{post.title}”现有{holding}人在任，岗位数不能少于{holding}。"
            raise InvalidInput(message, fields={"headcount": message})
    return record_save(actor=actor, obj=post, roles=ORG_ROLES)


def person_save(*, actor: Any, person: Person) -> Person:
    """Save a member of staff (ID number and mobile are checked by their validators)."""
    return record_save(actor=actor, obj=person, roles=ORG_ROLES)


def appointment_save(*, actor: Any, appointment: Appointment) -> Appointment:
    """Save an appointment: a post holds no more people at once than its places, nobody holds it twice."""
    new = appointment
    if new.post is not None and new.start is not None:
        others = Appointment.objects.filter(post_id=new.post_id).exclude(pk=new.pk)
        overlapping = [a for a in others if a.start <= (new.end or dt.date.max) and new.start <= (a.end or dt.date.max)]
        same = next((a for a in overlapping if a.person_id == new.person_id), None)
        if same is not None:
            message = f"{new.person}已于{same.start}起担任“{new.post}”，任职期间不能重叠。"
            raise InvalidInput(message, fields={"start": message})
        # The most people at once falls on a start date: the new one's or a later one's within its term.
        for day in sorted({new.start} | {a.start for a in overlapping if a.start > new.start}):
            at_once = 1 + sum(1 for a in overlapping if a.start <= day <= (a.end or dt.date.max))
            if at_once > new.post.headcount:
                message = f"岗位“{new.post}”只有{new.post.headcount}个岗位数，{day}起在任的人数将超过岗位数。"
                raise InvalidInput(message, fields={"post": message})
    return record_save(actor=actor, obj=new, roles=ORG_ROLES)


def routing_rule_save(*, actor: Any, rule: RoutingRule) -> RoutingRule:
    """Save a routing rule (its domain must fit the kind of body that handles it)."""
    return record_save(actor=actor, obj=rule, roles=ORG_ROLES)


def registry_delete(*, actor: Any, obj: Body | Post | Person | Appointment | RoutingRule) -> None:
    """Delete a registry record nothing refers to."""
    record_delete(actor=actor, obj=obj, roles=ORG_ROLES)
