"""The organisation's back-office forms save through the org services: the same rules, the same audit events."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.models import AuditEvent
from onezone.org.models import AgendaItem, Appointment, Body, FollowUpTask, Meeting, Person, Post, RoutingRule
from onezone.org.services import meeting_record
from tests.conftest import zone_client

pytestmark = pytest.mark.django_db

HELD = dt.date(2026, 11, 2)


def _inline(prefix: str, rows: list[dict[str, str]], initial: int = 0) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def _errors(response) -> str:
    """The form's and the inlines' errors of a page shown again, for a failing assertion to say."""
    context = getattr(response, "context_data", None) or {}
    form = context.get("adminform")
    found = [str(form.form.errors)] if form is not None else []
    found += [
        str(f.formset.errors) + str(f.formset.non_form_errors()) for f in context.get("inline_admin_formsets", [])
    ]
    return " ".join(found)


def _refused(response, message: str) -> None:
    assert response.status_code == 403
    assert message in response.content.decode()


@pytest.fixture
def org(zone, users):
    committee = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    office = Body.objects.create(zone=zone, name="党政办", kind=Body.Kind.DEPARTMENT, parent=committee)
    meeting = meeting_record(
        actor=users["leader"],
        zone_id=zone.pk,
        title="第1次主任办公会",
        kind="directors",
        held_on=HELD,
        agenda=[
            {
                "topic": "厂房建设",
                "decision": "同意",
                "approved": True,
                "tasks": [{"description": "编制方案", "owner_body": committee, "deadline": dt.date(2026, 11, 30)}],
            }
        ],
    )
    task = FollowUpTask.objects.get(agenda_item__meeting=meeting)
    return {"committee": committee, "office": office, "meeting": meeting, "task": task}


def _task_form(org, **changes: str) -> dict[str, str]:
    return {
        "description": "编制方案",
        "owner_body": str(org["committee"].pk),
        "owner": "",
        "deadline": "2026-11-30",
        "status": "open",
        "done_on": "",
        "result": "",
        **changes,
    }


def _post_task(client, org, **changes: str):
    return client.post(f"/admin/org/followuptask/{org['task'].pk}/change/", _task_form(org, **changes))


# --- follow-up tasks --------------------------------------------------------------------------


def test_a_task_marked_done_without_a_result_is_refused_and_stays_open(zone, users, org):
    response = _post_task(zone_client(users["leader"], zone), org, status="done")
    _refused(response, "请填写办理结果。")
    task = FollowUpTask.objects.get(pk=org["task"].pk)
    assert (task.status, task.result, task.done_on) == ("open", "", None)
    assert not AuditEvent.objects.filter(action="meeting_task.complete").exists()


def test_a_task_done_before_the_meeting_is_refused(zone, users, org):
    response = _post_task(zone_client(users["leader"], zone), org, status="done", result="已完成", done_on="2026-10-30")
    _refused(response, "办结日期不能早于会议召开日期（2026-11-02）。")
    assert FollowUpTask.objects.get(pk=org["task"].pk).status == "open"


def test_a_deadline_before_the_meeting_is_refused(zone, users, org):
    response = _post_task(zone_client(users["leader"], zone), org, deadline="2026-10-01")
    _refused(response, "完成时限早于会议日期（2026-11-02）")
    assert FollowUpTask.objects.get(pk=org["task"].pk).deadline == dt.date(2026, 11, 30)


def test_a_result_on_an_open_task_is_refused(zone, users, org):
    response = _post_task(zone_client(users["leader"], zone), org, result="写了结果却未办结")
    _refused(response, "请把状态改为“已办结”")
    assert FollowUpTask.objects.get(pk=org["task"].pk).result == ""


def test_marking_done_in_the_form_is_the_completion_step(zone, users, org):
    client = zone_client(users["leader"], zone)
    response = _post_task(client, org, status="done", result="方案已印发", done_on="2026-11-20", deadline="2026-12-10")
    assert response.status_code == 302, _errors(response)
    task = FollowUpTask.objects.get(pk=org["task"].pk)
    assert (task.status, task.result, task.done_on, task.deadline) == (
        "done",
        "方案已印发",
        dt.date(2026, 11, 20),
        dt.date(2026, 12, 10),
    )
    complete = AuditEvent.objects.get(action="meeting_task.complete", object_id=str(task.pk))
    assert complete.changes["status"] == ["open", "done"]
    assert AuditEvent.objects.get(action="meeting_task.update").changes["deadline"] == ["2026-11-30", "2026-12-10"]
    # A done task does not go back, nor does its result change.
    response = _post_task(client, org, status="open", result="", deadline="2026-12-10")
    _refused(response, "已是“已办结”状态")
    assert FollowUpTask.objects.get(pk=task.pk).status == "done"


def test_a_task_is_cancelled_with_its_reason_and_never_deleted(zone, users, org):
    client = zone_client(users["leader"], zone)
    _refused(_post_task(client, org, status="cancelled"), "请在办理结果中写明撤销原因。")
    assert _post_task(client, org, status="cancelled", result="项目取消").status_code == 302
    assert FollowUpTask.objects.get(pk=org["task"].pk).status == "cancelled"
    assert AuditEvent.objects.filter(action="meeting_task.cancel").count() == 1
    response = client.post(f"/admin/org/followuptask/{org['task'].pk}/delete/", {"post": "yes"})
    _refused(response, "督办任务不能删除")
    assert FollowUpTask.objects.filter(pk=org["task"].pk).exists()


def test_adding_a_task_in_the_form(zone, users, org):
    client = zone_client(users["leader"], zone)
    item = AgendaItem.objects.get(meeting=org["meeting"])
    data = {**_task_form(org, description="报送进度"), "agenda_item": str(item.pk)}
    _refused(client.post("/admin/org/followuptask/add/", {**data, "status": "done", "result": "已办"}), "应为“办理中”")
    _refused(client.post("/admin/org/followuptask/add/", {**data, "deadline": "2026-11-01"}), "完成时限早于会议日期")
    assert FollowUpTask.objects.count() == 1
    assert client.post("/admin/org/followuptask/add/", data).status_code == 302
    added = FollowUpTask.objects.get(description="报送进度")
    assert (added.zone_id, added.status) == (zone.pk, "open")
    assert AuditEvent.objects.filter(action="meeting_task.add", object_id=str(added.pk)).exists()


def test_a_clerk_cannot_change_a_task(zone, users, org):
    response = _post_task(zone_client(users["clerk"], zone), org, status="done", result="已完成")
    assert response.status_code == 403
    assert FollowUpTask.objects.get(pk=org["task"].pk).status == "open"


# --- meetings and their agenda -----------------------------------------------------------------


def _meeting_form(**changes: str) -> dict[str, str]:
    return {
        "title": "第1次主任办公会",
        "kind": "directors",
        "held_on": "2026-11-02",
        "chair": "",
        "minutes_number": "",
    } | changes


def test_a_meeting_cannot_move_past_its_tasks_deadlines(zone, users, org):
    meeting = org["meeting"]
    item = AgendaItem.objects.get(meeting=meeting)
    row = {"id": str(item.pk), "meeting": str(meeting.pk), "order": "1", "topic": "厂房建设", "decision": "同意"}
    data = {**_meeting_form(), **_inline("agenda_items", [row], initial=1), "held_on": "2026-12-05"}
    response = zone_client(users["leader"], zone).post(f"/admin/org/meeting/{meeting.pk}/change/", data)
    _refused(response, "会议日期不能改到其后")
    assert Meeting.objects.get(pk=meeting.pk).held_on == HELD


def test_an_agenda_item_with_tasks_cannot_be_deleted(zone, users, org):
    meeting = org["meeting"]
    item = AgendaItem.objects.get(meeting=meeting)
    row = {"id": str(item.pk), "meeting": str(meeting.pk), "order": "1", "topic": "厂房建设", "DELETE": "on"}
    data = {**_meeting_form(), **_inline("agenda_items", [row], initial=1)}
    response = zone_client(users["leader"], zone).post(f"/admin/org/meeting/{meeting.pk}/change/", data)
    _refused(response, "下有1项督办任务，不能删除")
    assert FollowUpTask.objects.filter(agenda_item=item).exists()


def test_a_meeting_added_in_the_form_is_audited_with_its_agenda(zone, users, org):
    rows = [{"order": "1", "topic": "招商项目", "presenter": str(org["office"].pk), "decision": "", "approved": ""}]
    data = {**_meeting_form(), "title": "第2次主任办公会", **_inline("agenda_items", rows)}
    response = zone_client(users["leader"], zone).post("/admin/org/meeting/add/", data)
    assert response.status_code == 302, _errors(response)
    meeting = Meeting.objects.get(title="第2次主任办公会")
    assert meeting.zone_id == zone.pk
    assert AuditEvent.objects.filter(action="org.meeting.create", object_id=str(meeting.pk)).exists()
    item = AgendaItem.objects.get(meeting=meeting)
    assert AuditEvent.objects.filter(action="org.agendaitem.create", object_id=str(item.pk)).exists()


# --- bodies, posts, people, appointments, routing ----------------------------------------------


def _body_form(**changes: str) -> dict[str, str]:
    data = {
        "name": "经济发展局",
        "short_name": "",
        "kind": "department",
        "parent": "",
        "functions": "",
        "headcount_quota": "5",
        "uscc": "",
        "phone": "",
        "order": "100",
        **changes,
    }
    return {**data, **_inline("posts", [])}


def test_a_body_cannot_be_its_own_subordinates_subordinate(zone, users, org):
    committee, office = org["committee"], org["office"]
    data = {**_body_form(name="管委会", kind="committee", parent=str(office.pk))}
    response = zone_client(users["admin"], zone).post(f"/admin/org/body/{committee.pk}/change/", data)
    _refused(response, "“党政办”是“管委会”的下级机构，不能作为其上级。")
    assert Body.objects.get(pk=committee.pk).parent_id is None


def test_a_body_added_with_its_posts_is_audited(zone, users, org):
    posts = [{"title": "局长", "category": "management", "grade": "", "is_head": "on", "headcount": "1"}]
    data = {**_body_form(parent=str(org["committee"].pk)), **_inline("posts", posts)}
    response = zone_client(users["admin"], zone).post("/admin/org/body/add/", data)
    assert response.status_code == 302, _errors(response)
    body = Body.objects.get(name="经济发展局")
    post = Post.objects.get(body=body)
    assert AuditEvent.objects.filter(action="org.body.create", object_id=str(body.pk)).exists()
    assert AuditEvent.objects.filter(action="org.post.create", object_id=str(post.pk)).exists()


def _person_form(name: str, rows: list[dict[str, str]], initial: int = 0) -> dict[str, str]:
    return {"name": name, "id_number": "", "mobile": "", "user": "", **_inline("appointments", rows, initial)}


def test_appointments_keep_within_the_posts_places(zone, users, org):
    post = Post.objects.create(zone=zone, body=org["office"], title="主任", headcount=1)
    holder = Person.objects.create(zone=zone, name="甲")
    Appointment.objects.create(zone=zone, person=holder, post=post, start=dt.date(2024, 1, 1))
    client = zone_client(users["admin"], zone)
    rows = [{"post": str(post.pk), "start": "2025-06-01", "end": "", "document": ""}]
    _refused(client.post("/admin/org/person/add/", _person_form("乙", rows)), "只有1个岗位数")
    assert not Person.objects.filter(name="乙").exists()
    # After 甲 leaves the post, 乙 may take it.
    rows = [{"post": str(post.pk), "start": "2026-01-01", "end": "", "document": "永工发〔2026〕1号"}]
    Appointment.objects.filter(person=holder).update(end=dt.date(2025, 12, 31))
    assert client.post("/admin/org/person/add/", _person_form("乙", rows)).status_code == 302
    taken = Appointment.objects.get(person__name="乙")
    assert AuditEvent.objects.filter(action="org.appointment.create", object_id=str(taken.pk)).exists()
    # Nor can a post's places drop below the people holding it.
    data = {"body": str(org["office"].pk), "title": "主任", "category": "management", "grade": "", "headcount": "0"}
    _refused(client.post(f"/admin/org/post/{post.pk}/change/", data), "现有1人在任，岗位数不能少于1")
    assert Post.objects.get(pk=post.pk).headcount == 1


def test_a_routing_rule_saved_in_the_form_is_checked_and_audited(zone, users, org):
    client = zone_client(users["admin"], zone)
    data = {"category": "tax", "category_name": "税务", "domain": "social", "body": str(org["office"].pk), "note": ""}
    refused = client.post("/admin/org/routingrule/add/", data)
    # The model's own rule: the form shows it beside the field.
    assert refused.status_code == 200
    assert "应由乡镇政府承办" in _errors(refused)
    assert not RoutingRule.objects.exists()
    data["domain"] = "economic"
    assert client.post("/admin/org/routingrule/add/", data).status_code == 302
    rule = RoutingRule.objects.get()
    assert AuditEvent.objects.filter(action="org.routingrule.create", object_id=str(rule.pk)).exists()
