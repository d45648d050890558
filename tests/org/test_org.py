import datetime as dt

import pytest
from django.test import Client

from onezone.core.codes import CodeError, validate_resident_id
from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.core.services import record_save
from onezone.org.models import Appointment, Body, FollowUpTask, MatterDomain, Person, Post, RoutingRule
from onezone.org.selectors import body_heads, cross_appointed
from onezone.org.services import matter_route, meeting_record, task_complete
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(zone):
    committee = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    town = Body.objects.create(zone=zone, name="某镇政府", kind=Body.Kind.TOWN)
    sector = Body.objects.create(zone=zone, name="县市场监管局", kind=Body.Kind.SECTOR)
    head = Post.objects.create(zone=zone, body=committee, title="主任", is_head=True)
    mayor = Post.objects.create(zone=zone, body=town, title="镇长", is_head=True)
    person = Person.objects.create(zone=zone, name="甲")
    Appointment.objects.create(zone=zone, person=person, post=head, start=dt.date(2021, 1, 1))
    Appointment.objects.create(zone=zone, person=person, post=mayor, start=dt.date(2021, 1, 1), is_concurrent=True)
    other = Person.objects.create(zone=zone, name="乙")
    Appointment.objects.create(
        zone=zone, person=other, post=mayor, start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31)
    )
    return {"committee": committee, "town": town, "sector": sector, "person": person, "other": other}


def test_cross_appointed_lists_people_in_two_bodies(zone, org):
    rows = cross_appointed(zone.pk, on=dt.date(2026, 1, 1))
    assert [r.person.name for r in rows] == ["甲"]
    assert {b.name for b in rows[0].bodies} == {"管委会", "某镇政府"}
    # Before 2021 甲 held nothing, and 乙's old post does not count.
    assert cross_appointed(zone.pk, on=dt.date(2020, 6, 1)) == []


def test_body_heads_follow_dates(zone, org):
    assert [p.name for p in body_heads(org["town"], on=dt.date(2020, 6, 1))] == ["乙"]
    assert [p.name for p in body_heads(org["town"], on=dt.date(2022, 6, 1))] == ["甲"]


def test_routing_answers_and_refuses_unknown(zone, org, users):
    rule = record_save(
        actor=users["admin"],
        obj=RoutingRule(
            zone=zone, category="civil", category_name="民政", domain=MatterDomain.SOCIAL, body=org["town"]
        ),
        roles=["admin"],
    )
    assert matter_route(zone_id=zone.pk, category="civil") == rule
    with pytest.raises(NotFound, match="尚未设置“tax”类事项的归口规则"):
        matter_route(zone_id=zone.pk, category="tax")


def test_routing_rule_domain_must_fit_the_body(zone, org, users):
    with pytest.raises(InvalidInput) as err:
        record_save(
            actor=users["admin"],
            obj=RoutingRule(
                zone=zone, category="x", category_name="民政", domain=MatterDomain.SOCIAL, body=org["sector"]
            ),
            roles=["admin"],
        )
    assert "应由乡镇政府承办" in err.value.message
    assert RoutingRule.objects.count() == 0


def test_only_admin_edits_routing_and_nothing_changes(zone, org, users):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        record_save(
            actor=users["clerk"],
            obj=RoutingRule(
                zone=zone, category="civil", category_name="民政", domain=MatterDomain.SOCIAL, body=org["town"]
            ),
            roles=["admin"],
        )
    assert RoutingRule.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_routing_api(zone, org, users):
    RoutingRule.objects.create(zone=zone, category="civil", category_name="民政", domain="social", body=org["town"])
    client = Client()
    client.login(username="u-clerk", password=PASSWORD)
    response = client.get(f"/api/v1/org/zones/{zone.pk}/route", {"category": "civil"})
    assert response.status_code == 200
    assert response.json()["body_name"] == "某镇政府"
    assert response.json()["domain_label"] == "社会事务（归乡镇）"
    missing = client.get(f"/api/v1/org/zones/{zone.pk}/route", {"category": "nope"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_api_refuses_other_zone(zone, other_zone, users):
    client = Client()
    client.login(username="u-clerk", password=PASSWORD)
    response = client.get(f"/api/v1/org/zones/{other_zone.pk}/bodies")
    assert response.status_code == 403
    assert response.json()["message"] == "您无权查看其他开发区的数据。"


def test_meeting_with_tasks_and_completion(zone, org, users):
    meeting = meeting_record(
        actor=users["leader"],
        zone_id=zone.pk,
        title="第1次主任办公会",
        kind="directors",
        held_on=dt.date(2026, 11, 2),
        agenda=[
            {
                "topic": "厂房建设",
                "decision": "同意",
                "approved": True,
                "tasks": [
                    {"description": "编制方案", "owner_body": org["committee"], "deadline": dt.date(2026, 11, 30)}
                ],
            }
        ],
    )
    task = FollowUpTask.objects.get(agenda_item__meeting=meeting)
    done = task_complete(actor=users["leader"], task=task, result="已完成", done_on=dt.date(2026, 11, 20))
    assert done.status == "done" and done.done_on == dt.date(2026, 11, 20)
    with pytest.raises(TransitionNotAllowed, match="已是“已办结”状态"):
        task_complete(actor=users["leader"], task=task, result="再次")


def test_meeting_task_deadline_before_meeting_is_refused_whole(zone, org, users):
    with pytest.raises(InvalidInput, match="完成时限早于会议日期"):
        meeting_record(
            actor=users["leader"],
            zone_id=zone.pk,
            title="会",
            kind="directors",
            held_on=dt.date(2026, 11, 2),
            agenda=[
                {
                    "topic": "议题",
                    "tasks": [
                        {"description": "任务", "owner_body": org["committee"], "deadline": dt.date(2026, 10, 1)}
                    ],
                }
            ],
        )
    from onezone.org.models import Meeting

    assert Meeting.objects.count() == 0


def test_clerk_cannot_record_meetings(zone, users):
    with pytest.raises(PermissionDenied):
        meeting_record(actor=users["clerk"], zone_id=zone.pk, title="会", kind="directors", held_on=dt.date(2026, 1, 1))


def test_person_list_masks_and_full_view_is_logged(zone, users):
    person = Person.objects.create(zone=zone, name="丙", id_number="11010519491231002X", mobile="13812345678")
    client = Client()
    client.login(username="u-admin", password=PASSWORD)
    listing = client.get("/admin/org/person/").content.decode()
    assert "110105********002X" in listing and "138****5678" in listing
    assert "11010519491231002X" not in listing
    views = AuditEvent.objects.filter(action="person.view_personal_data", object_id=str(person.pk))
    # The person's own page masks them too, and opening it is not a full view.
    page = client.get(f"/admin/org/person/{person.pk}/change/").content.decode()
    assert "110105********002X" in page and "138****5678" in page
    assert "11010519491231002X" not in page and "13812345678" not in page
    assert views.count() == 0
    # The full view is its own action: a POST, answered with the whole numbers, and logged.
    url = f"/admin/org/person/{person.pk}/personal-data/"
    assert client.get(url).status_code == 405
    full = client.post(url).content.decode()
    assert "11010519491231002X" in full and "13812345678" in full
    assert views.count() == 1


@pytest.mark.parametrize("role", ["clerk", "leader", "dept_head", "province_supervisor"])
def test_staff_who_read_persons_see_them_masked_and_cannot_see_them_whole(zone, users, role):
    person = Person.objects.create(zone=zone, name="丙", id_number="11010519491231002X", mobile="13812345678")
    client = Client()
    client.login(username=f"u-{role}", password=PASSWORD)
    page = client.get(f"/admin/org/person/{person.pk}/change/").content.decode()
    assert "11010519491231002X" not in page and "13812345678" not in page
    full = client.post(f"/admin/org/person/{person.pk}/personal-data/")
    assert full.status_code == 403 and "11010519491231002X" not in full.content.decode()
    assert not AuditEvent.objects.filter(action="person.view_personal_data").exists()


def test_hr_sees_a_person_whole_and_the_view_is_logged(zone, users):
    person = Person.objects.create(zone=zone, name="丙", id_number="11010519491231002X", mobile="13812345678")
    client = Client()
    client.login(username="u-hr_officer", password=PASSWORD)
    full = client.post(f"/admin/org/person/{person.pk}/personal-data/").content.decode()
    assert "11010519491231002X" in full
    event = AuditEvent.objects.get(action="person.view_personal_data")
    assert (event.actor_id, event.object_id) == (users["hr_officer"].pk, str(person.pk))


def test_editing_a_person_keeps_the_numbers_unless_new_ones_are_typed(zone, users):
    person = Person.objects.create(zone=zone, name="丙", id_number="11010519491231002X", mobile="13812345678")
    client = Client()
    client.login(username="u-admin", password=PASSWORD)
    url = f"/admin/org/person/{person.pk}/change/"
    form = {
        "name": "丙二",
        "user": "",
        "new_id_number": "",
        "new_mobile": "",
        "appointments-TOTAL_FORMS": "0",
        "appointments-INITIAL_FORMS": "0",
    }
    assert client.post(url, form).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.id_number, person.mobile) == ("丙二", "11010519491231002X", "13812345678")
    with pytest.raises(CodeError) as wrong:
        validate_resident_id("110105194912310021")
    refused = client.post(url, {**form, "new_id_number": "110105194912310021"})
    assert refused.status_code == 200 and wrong.value.message in refused.content.decode()
    person.refresh_from_db()
    assert person.id_number == "11010519491231002X"
    assert client.post(url, {**form, "new_mobile": "13900001111"}).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.mobile) == ("11010519491231002X", "13900001111")


def test_cross_appointment_page(zone, org, users):
    client = Client()
    client.login(username="u-leader", password=PASSWORD)
    page = client.get("/admin/org/person/cross/").content.decode()
    assert "管委会·主任" in page and "某镇政府·镇长（兼）" in page


def test_routing_api_put_is_admin_only_and_validated(zone, org, users):
    import json

    admin = Client()
    admin.login(username="u-admin", password=PASSWORD)
    body = {"category_name": "民政", "domain": "social", "body_id": org["town"].pk}
    response = admin.put(
        f"/api/v1/org/zones/{zone.pk}/routing/civil", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert RoutingRule.objects.get(zone=zone, category="civil").body == org["town"]
    wrong = dict(body, body_id=org["sector"].pk)
    response = admin.put(
        f"/api/v1/org/zones/{zone.pk}/routing/civil", json.dumps(wrong), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["body"].startswith("“社会事务（归乡镇）”应由乡镇政府承办")
    assert RoutingRule.objects.get(zone=zone, category="civil").body == org["town"]
    clerk = Client()
    clerk.login(username="u-clerk", password=PASSWORD)
    response = clerk.put(
        f"/api/v1/org/zones/{zone.pk}/routing/civil", json.dumps(wrong), content_type="application/json"
    )
    assert response.status_code == 403
    assert RoutingRule.objects.get(zone=zone, category="civil").body == org["town"]
    listing = clerk.get(f"/api/v1/org/zones/{zone.pk}/routing").json()
    assert [r["category"] for r in listing] == ["civil"]
