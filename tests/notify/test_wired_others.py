"""Enterprise requests, meeting tasks and rent bills tell the right people, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.company.notifications import bills_due
from onezone.company.services import bills_generate, lease_sign
from onezone.enterprises.services import request_acknowledge, request_resolve, request_respond, request_submit
from onezone.notify.models import Notification
from onezone.org.models import Body, FollowUpTask, Person
from onezone.org.notifications import tasks_due
from onezone.org.services import meeting_record
from tests.company.conftest import enterprise, factory, park, staff  # noqa: F401  fixtures
from tests.enterprises.conftest import bodies, firms, parks, routing, setup  # noqa: F401  fixtures

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


def test_rent_bills_due_are_told_to_the_company_staff(zone, staff, factory, enterprise):  # noqa: F811
    lease = lease_sign(
        actor=staff,
        asset=factory,
        number="ZL-2026-001",
        lessee=enterprise,
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
        rent=Decimal("30000"),
        billing_cycle="quarterly",
    )
    bills = bills_generate(actor=staff, lease=lease, through=D(2026, 12, 31))
    july = next(b for b in bills if b.due_on == D(2026, 7, 1))
    assert bills_due(today=D(2026, 6, 23)) == 0
    assert bills_due(today=D(2026, 6, 24)) == 1
    assert bills_due(today=D(2026, 6, 25)) == 0
    n = Notification.objects.get()
    assert n.recipient == staff
    assert n.subject == f"租金账单 {july.number}（永昌新材料有限公司）将于 2026年7月1日 到期"
    assert "未收 9.00万元" in n.body
    assert bills_due(today=D(2026, 7, 2)) == 1
    assert Notification.objects.filter(key=f"bill:{july.pk}:overdue").count() == 1
