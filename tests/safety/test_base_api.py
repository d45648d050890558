"""The safety base's API: the GB 18218 grading as specified, reporting by machine, scoping, the error shape."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onezone.safety.models import Hazard, Installation
from tests.safety._base import TODAY, chlorine_tanks, report, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_hazard_grade_answers_exactly_as_specified(world):
    response = _client(world["officer"]).post(
        f"{BASE}/hazard-grade",
        {"substances": [{"name": "氯", "quantity_t": 10}], "people_exposed": 0},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("s", "r", "major", "level")} == {"s": 2.0, "r": 4.0, "major": True, "level": 4}
    assert body["steps"][-1] == "R < 10，定为四级重大危险源"


def test_hazard_grade_not_major_has_no_level(world):
    response = _client(world["officer"]).post(
        f"{BASE}/hazard-grade", {"substances": [{"name": "氨", "quantity_t": 5}]}, content_type="application/json"
    )
    assert {k: response.json()[k] for k in ("s", "r", "major", "level")} == {
        "s": 0.5,
        "r": 0.5,
        "major": False,
        "level": None,
    }


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"substances": [{"name": "神秘物质", "quantity_t": 1}]},
            "name",
            "“神秘物质”不在GB 18218-2018表1中，请写明其危险性类别（表2的类别代码，如易燃气体填W2）。",
        ),
        (
            {"substances": [{"name": "氯", "quantity_t": -1}]},
            "quantity_t",
            "数量不能为负数，收到 -1 吨；请填写最大存在量（吨）。",
        ),
        (
            {"substances": [{"name": "氯", "quantity_t": 1}], "people_exposed": -3},
            "people_exposed",
            "500米范围内人数不能为负数，收到 -3。",
        ),
    ],
)
def test_hazard_grade_refusals_have_the_error_shape(world, payload, field, message):
    response = _client(world["officer"]).post(f"{BASE}/hazard-grade", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": message, "fields": {field: message}}


def test_hazard_grade_needs_a_login(world):
    response = Client().post(f"{BASE}/hazard-grade", {"substances": []}, content_type="application/json")
    assert response.status_code == 401


def test_an_enterprise_reports_its_installation_and_sees_only_its_own(world):
    chlorine_tanks(world, enterprise=world["b"])
    client = _client(world["user_a"])
    zone = world["zone"].pk
    response = client.post(
        f"{BASE}/zones/{zone}/installations",
        {
            "enterprise_id": world["a"].pk,
            "name": "液氨储罐",
            "kind": "storage",
            "substances": [{"name": "液氨", "quantity_t": 60}],
            "people_exposed": 60,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["s"], response.json()["r"], response.json()["level"]) == (6.0, 18.0, 3)
    listed = client.get(f"{BASE}/zones/{zone}/installations").json()
    assert [(r["name"], r["enterprise_id"]) for r in listed] == [("液氨储罐", world["a"].pk)]
    other = client.post(
        f"{BASE}/zones/{zone}/installations",
        {
            "enterprise_id": world["b"].pk,
            "name": "X",
            "kind": "storage",
            "substances": [{"name": "氯", "quantity_t": 1}],
        },
        content_type="application/json",
    )
    assert other.status_code == 404
    assert Installation.objects.filter(enterprise=world["b"]).count() == 1


def test_hazard_reported_and_rectified_by_machine_accepted_by_the_body(world):
    zone = world["zone"].pk
    ent = _client(world["user_a"])
    created = ent.post(
        f"{BASE}/zones/{zone}/hazards",
        {
            "enterprise_id": world["a"].pk,
            "title": "氯气缓冲罐安全阀未校验",
            "description": "安全阀校验超期两个月。",
            "level": "general",
            "found_on": str(TODAY - dt.timedelta(days=2)),
            "deadline": str(TODAY + dt.timedelta(days=10)),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    hazard_id = created.json()["id"]
    assert created.json()["body_name"] == "应急局"
    officer = _client(world["officer"])
    assert (
        officer.post(
            f"{BASE}/zones/{zone}/hazards/{hazard_id}/transition", {"action": "assign"}, content_type="application/json"
        ).json()["status"]
        == "assigned"
    )
    ent.post(
        f"{BASE}/zones/{zone}/hazards/{hazard_id}/transition", {"action": "start"}, content_type="application/json"
    )
    ent.post(
        f"{BASE}/zones/{zone}/hazards/{hazard_id}/transition",
        {"action": "complete", "note": "已送检并取得校验报告。"},
        content_type="application/json",
    )
    refused = ent.post(
        f"{BASE}/zones/{zone}/hazards/{hazard_id}/transition", {"action": "accept"}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_not_allowed"
    accepted = officer.post(
        f"{BASE}/zones/{zone}/hazards/{hazard_id}/transition", {"action": "accept"}, content_type="application/json"
    )
    assert accepted.json()["status"] == "accepted"


def test_hazards_list_is_scoped_to_the_enterprise(world):
    report(world)
    report(world, enterprise=world["b"], user=world["user_b"])
    zone = world["zone"].pk
    mine = _client(world["user_a"]).get(f"{BASE}/zones/{zone}/hazards").json()
    assert (mine["total"], [h["enterprise_id"] for h in mine["items"]]) == (1, [world["a"].pk])
    everyone = _client(world["officer"]).get(f"{BASE}/zones/{zone}/hazards").json()
    assert everyone["total"] == 2
    other_id = Hazard.objects.get(enterprise=world["b"]).pk
    assert _client(world["user_a"]).get(f"{BASE}/zones/{zone}/hazards/{other_id}").status_code == 404


def test_staff_of_another_body_is_refused_by_the_api_and_nothing_changes(world):
    hazard = report(world)
    response = _client(world["other_officer"]).post(
        f"{BASE}/zones/{world['zone'].pk}/hazards/{hazard.pk}/transition",
        {"action": "assign"},
        content_type="application/json",
    )
    assert response.status_code == 403
    hazard.refresh_from_db()
    assert hazard.status == "reported"


def test_figures(world):
    chlorine_tanks(world, quantity="40", people=120)
    report(world, level="major")
    body = _client(world["officer"]).get(f"{BASE}/zones/{world['zone'].pk}/base-figures").json()
    assert body["major_installations"] == {"1": 0, "2": 1, "3": 0, "4": 0}
    assert (body["open_hazards"], body["overdue"]) == ({"general": 0, "major": 1}, 0)
    assert _client(world["clerk"]).get(f"{BASE}/zones/{world['zone'].pk}/base-figures").status_code == 403


def test_staff_without_a_safety_role_are_refused_the_lists(world):
    response = _client(world["clerk"]).get(f"{BASE}/zones/{world['zone'].pk}/hazards")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
