"""Enterprise requests and meeting tasks tell the right people, once."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.enterprises.services import request_acknowledge, request_resolve, request_respond, request_submit
from onezone.notify.models import Notification
from onezone.org.models import Body, FollowUpTask, Person
from onezone.org.notifications import tasks_due
from onezone.org.services import meeting_record
from tests.enterprises.conftest import bodies, firms, parks, routing, setup, staff  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db
D = dt.date


def _told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient__username", "key"))


def test_request_answered_and_resolved_reach_the_enterprise_only(firms, users):  # noqa: F811
    request = request_submit(
        actor=firms["user_a"], enterprise=firms["a"], title="资金困难", description="流动资金紧张，希望对接银行贷款。"
    )
    clerk = users["admin"]
    request = request_acknowledge(actor=clerk, request=request)
    assert Notification.objects.count() == 0
    request = request_respond(actor=clerk, request=request, response="已对接县农商行，下周上门。")
    assert _told("enterprises.request_answered") == [("ent-a", f"request:{request.pk}:round:1")]
    answered = Notification.objects.get(event="enterprises.request_answered")
    assert answered.subject == "您的诉求“资金困难”已答复"
    assert answered.body.endswith("答复：已对接县农商行，下周上门。")
    assert answered.link == f"/portal/enterprise/requests/{request.number}/"
    request_resolve(actor=clerk, request=request, resolution="农商行授信300万元已到账。")
    assert _told("enterprises.request_resolved") == [("ent-a", f"request:{request.pk}:round:1")]


def _meeting(zone, users, owner_body, owner=None):
    return meeting_record(
        actor=users["leader"],
        zone_id=zone.pk,
        title="第9次主任办公会",
        kind="directors",
        held_on=D(2026, 12, 1),
        agenda=[
            {
                "topic": "标准化厂房建设",
                "decision": "同意",
                "approved": True,
                "tasks": [
                    {
                        "description": "编制建设方案",
                        "owner_body": owner_body,
                        "owner": owner,
                        "deadline": D(2026, 12, 10),
                    }
                ],
            }
        ],
    )


def test_a_task_due_is_told_to_its_owner_once_and_again_when_overdue(zone, users):
    body = Body.objects.create(zone=zone, name="规划建设局", kind=Body.Kind.DEPARTMENT)
    owner = Person.objects.create(zone=zone, name="王建国", user=users["dept_head"])
    _meeting(zone, users, body, owner)
    task = FollowUpTask.objects.get()
    assert tasks_due(today=D(2026, 12, 6)) == 0  # four days before: not yet
    assert tasks_due(today=D(2026, 12, 7)) == 1
    assert tasks_due(today=D(2026, 12, 8)) == 0
    n = Notification.objects.get()
    assert (n.recipient, n.subject) == (users["dept_head"], "督办任务“编制建设方案”将于 2026年12月10日 到期")
    assert n.key == f"task:{task.pk}:due:2026-12-10"
    assert tasks_due(today=D(2026, 12, 11)) == 1
    assert Notification.objects.filter(key=f"task:{task.pk}:overdue:2026-12-10").count() == 1
    FollowUpTask.objects.update(status=FollowUpTask.Status.DONE)
    assert tasks_due(today=D(2026, 12, 12)) == 0


def test_a_task_without_owner_goes_to_the_heads_of_its_body(zone, users):
    from onezone.org.models import Appointment, Post

    body = Body.objects.create(zone=zone, name="规划建设局", kind=Body.Kind.DEPARTMENT)
    head = Person.objects.create(zone=zone, name="赵局长", user=users["leader"])
    post = Post.objects.create(zone=zone, body=body, title="局长", is_head=True)
    Appointment.objects.create(zone=zone, person=head, post=post, start=D(2020, 1, 1))
    _meeting(zone, users, body)
    assert tasks_due(today=D(2026, 12, 9)) == 1
    assert Notification.objects.get().recipient == users["leader"]
