"""The committee's notification event: a meeting's follow-up task coming due, or overdue.

``onezone sweep`` runs ``tasks_due_sweep``: each open task within ``DUE_DAYS`` of its deadline is told
to its owner (or, without one, to the heads of the body that leads it) once, and once more when
the deadline has passed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from onezone.core.sweeps import register_sweep
from onezone.notify.events import register_event
from onezone.notify.services import Message, notify_event_bulk

DUE_DAYS = 3  # calendar days before the deadline the owner is reminded
CHUNK = 1000

register_event(
    "org.task_due",
    label="会议督办任务到期",
    subject="督办任务“{{ task }}”{{ when }}",
    body="会议：{{ meeting }}\n议题：{{ topic }}\n牵头单位：{{ body }}\n完成时限：{{ deadline }}",
)


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def tasks_due(*, today: dt.date | None = None) -> int:
    """Tell the owners of open tasks due within ``DUE_DAYS`` (or overdue) once each; returns how many were told."""
    from onezone.org.models import FollowUpTask
    from onezone.org.selectors import bodies_heads

    today = today or timezone.localdate()
    qs = (
        FollowUpTask.objects.filter(status=FollowUpTask.Status.OPEN, deadline__lte=today + dt.timedelta(days=DUE_DAYS))
        .select_related("owner", "owner_body", "agenda_item__meeting")
        .order_by("pk")
    )
    told, last = 0, 0
    while chunk := list(qs.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        heads = bodies_heads({t.owner_body_id for t in chunk if t.owner is None or t.owner.user_id is None}, today)
        owners: dict[int, list[int]] = {}
        for t in chunk:
            if t.owner is not None and t.owner.user_id:
                owners[t.pk] = [t.owner.user_id]
            else:
                owners[t.pk] = [p.user_id for p in heads.get(t.owner_body_id, []) if p.user_id]
        users = get_user_model().objects.in_bulk({i for ids in owners.values() for i in ids})
        by_zone: dict[int, list[Message]] = {}
        for t in chunk:
            overdue = t.deadline < today
            by_zone.setdefault(t.zone_id, []).append(
                Message(
                    key=f"task:{t.pk}:{'overdue' if overdue else 'due'}:{t.deadline.isoformat()}",
                    recipients=[users[i] for i in owners[t.pk] if i in users],
                    context={
                        "task": t.description,
                        "when": f"已超过完成时限（{_date(t.deadline)}）"
                        if overdue
                        else f"将于 {_date(t.deadline)} 到期",
                        "meeting": str(t.agenda_item.meeting),
                        "topic": t.agenda_item.topic,
                        "body": t.owner_body.name,
                        "deadline": _date(t.deadline),
                    },
                    link=f"/admin/org/followuptask/{t.pk}/change/",
                )
            )
        for zone_id, messages in by_zone.items():
            told += notify_event_bulk(zone_id=zone_id, event="org.task_due", messages=messages)
    return told


def _sweep() -> str:
    return f"会议督办任务到期提醒 {tasks_due()} 条"


register_sweep("org.tasks_due", _sweep, order=45)
