"""The window's notification events: what the applicant hears of its case, what staff hear of deadlines.

The applicant is told through the portal users of its enterprise (an applicant not in the enterprise
register has no portal account and is told at the window, as before). Warnings go to the case's
reviewer, or else its clerk; escalations and violations to the head of the case's body (the people the
window's alerts name); a bad rating's rectification to the heads of the body that must rectify and the
case's clerk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model

from onezone.enterprises.notifications import portal_users
from onezone.notify.events import register_event
from onezone.notify.services import Message, notify_event, notify_event_bulk

register_event(
    "window.case_accepted",
    label="办件已受理",
    subject="您的申请“{{ item }}”已受理",
    body="办件编号 {{ number }}\n受理日期：{{ on }}\n承诺办结时限：{{ committed|default:'—' }}\n"
    "法定办结时限：{{ legal|default:'—' }}",
    audience="enterprise",
)
register_event(
    "window.supplement_requested",
    label="一次性告知补正",
    subject="您的申请“{{ item }}”需补正材料",
    body="办件编号 {{ number }}\n请一次性补正以下材料：{{ materials }}\n{{ note }}",
    audience="enterprise",
)
register_event(
    "window.case_decided",
    label="作出不予许可决定",
    subject="您的申请“{{ item }}”已作出决定：不予许可",
    body="办件编号 {{ number }}\n决定日期：{{ on }}\n决定内容：{{ text }}",
    audience="enterprise",
)
register_event(
    "window.licence_ready",
    label="准予许可，证照待送达",
    subject="您的申请“{{ item }}”准予许可，证照待送达",
    body="办件编号 {{ number }}\n决定日期：{{ on }}\n证照编号：{{ licence|default:'—' }}\n"
    "依法于 {{ delivery_deadline|default:'—' }} 前送达。",
    audience="enterprise",
)
register_event(
    "window.licence_delivered",
    label="证照已送达",
    subject="您的申请“{{ item }}”决定书和证照已送达",
    body="办件编号 {{ number }}\n送达日期：{{ on }}\n证照编号：{{ licence|default:'—' }}\n欢迎对本次服务作出评价。",
    audience="enterprise",
)
register_event(
    "window.deadline_warning",
    label="办件临期预警",
    subject="办件临期预警：{{ deadline }} 到期",
    body="{{ message }}",
)
register_event(
    "window.deadline_escalation",
    label="办件超期督办",
    subject="办件{{ kind }}（{{ deadline }}），请督办",
    body="{{ message }}",
)
register_event(
    "window.rectification_opened",
    label="差评整改",
    subject="办件 {{ number }} 收到差评，请于 {{ due }} 前整改",
    body="事项：{{ item }}\n评价：{{ level }}\n评价内容：{{ comment }}\n整改期限：{{ due }}",
)

# The case steps the applicant hears of, by the transition's name.
_APPLICANT_EVENTS = {
    "accept": "window.case_accepted",
    "supplement_request": "window.supplement_requested",
    "deliver": "window.licence_delivered",
}


def _date(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def case_changed(case: Any, action: str, on: Any) -> int:
    """After a case step: tell the applicant's portal users of the steps that concern them."""
    event = _APPLICANT_EVENTS.get(action)
    if action == "decide":
        event = "window.licence_ready" if case.granted else "window.case_decided"
    if event is None:
        return 0
    context = {
        "item": case.item_name,
        "number": case.number,
        "on": _date(on),
        "committed": _date(case.committed_deadline),
        "legal": _date(case.legal_deadline),
        "text": case.decision_text,
        "licence": case.licence_number,
        "delivery_deadline": _date(case.delivery_deadline),
    }
    if action == "supplement_request":
        notice = case.supplement
        context.update(materials="、".join(notice.materials), note=notice.note)
    return notify_event(
        zone_id=case.zone_id,
        event=event,
        recipients=portal_users(zone_id=case.zone_id, enterprise_id=case.enterprise_id),
        context=context,
        key=f"case:{case.pk}",
        link=f"/portal/window/lookup/?number={case.number}",
    )


def _head_users(body_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each body's heads with a login today: body id → user ids."""
    from onezone.org.selectors import bodies_heads

    return {
        body_id: [p.user_id for p in people if p.user_id] for body_id, people in bodies_heads(list(body_ids)).items()
    }


def alerts_raised(rows: Sequence[Sequence[Any]]) -> int:
    """Tell each new alert of the sweep to the person it names (a warning: the case's reviewer, or else
    its clerk; an escalation or violation: the head of the case's body), from the rows the sweep's
    insert returned ``(kind, id, zone_id, case_id, deadline, recipient_id, message)``: no alert or case
    is read back, one query for the recipients and a fixed number per event for the batch."""
    if not rows:
        return 0
    users = get_user_model().objects.in_bulk({row[5] for row in rows if row[5]})
    wanted: dict[tuple[int, str], list[Message]] = {}
    for kind, _alert_id, zone_id, case_id, deadline, recipient_id, message in rows:
        day = deadline if isinstance(deadline, dt.date) else dt.date.fromisoformat(str(deadline)[:10])
        event = "window.deadline_warning" if kind == "warning" else "window.deadline_escalation"
        wanted.setdefault((zone_id, event), []).append(
            Message(
                key=f"alert:{case_id}:{kind}:{day.isoformat()}",
                recipients=[users[recipient_id]] if recipient_id in users else [],
                context={"deadline": _date(day), "message": message, "kind": _KIND_LABELS.get(kind, "")},
                link=f"/desk/window/cases/{case_id}/",
            )
        )
    return sum(
        notify_event_bulk(zone_id=zone_id, event=event, messages=messages)
        for (zone_id, event), messages in wanted.items()
    )


_KIND_LABELS = {"warning": "临期预警", "escalation": "超过承诺时限", "violation": "超过法定时限"}


def rectification_opened(rectification: Any, case: Any, rating: Any) -> int:
    """Tell the heads of the rectifying body and the case's clerk of a bad rating to rectify."""
    heads = _head_users([rectification.body_id]).get(rectification.body_id, []) if rectification.body_id else []
    ids = [*heads, case.clerk_id]
    people = get_user_model().objects.in_bulk([i for i in ids if i])
    return notify_event(
        zone_id=case.zone_id,
        event="window.rectification_opened",
        recipients=list(people.values()),
        context={
            "number": case.number,
            "item": case.item_name,
            "level": rating.get_level_display(),
            "comment": rating.comment,
            "due": _date(rectification.due_on),
        },
        key=f"rating:{rating.pk}",
        link=f"/desk/window/cases/{case.pk}/",
    )
