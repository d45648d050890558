"""The API of special work, closed management, emergency and the risk level: enterprises see only their own."""

from __future__ import annotations

from django.test import Client

from onezone.core.models import AuditEvent
from onezone.safety.models import Incident, SpecialWork
from tests.safety._ops import local, ops_fixture  # noqa: F401

WORK = {
    "kind": "hot",
    "level": "second",
    "permit_number": "DH-API-1",
    "place": "罐区",
    "content": "动火焊接",
    "starts_at": "2026-12-07T08:00:00+08:00",
    "ends_at": "2026-12-07T12:00:00+08:00",
    "guardians": "李监护",
    "approver": "赵厂长",
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_enterprise_files_and_lists_only_its_own(ops):
    zone = ops["zone"].pk
    a, b = _client(ops["user_a"]), _client(ops["user_b"])
    created = a.post(f"/api/v1/safety/zones/{zone}/special-work", WORK, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["enterprise_id"], body["managed_level"], body["status"]) == (ops["a"].pk, "second", "filed")
    assert [w["id"] for w in a.get(f"/api/v1/safety/zones/{zone}/special-work").json()] == [body["id"]]
    assert b.get(f"/api/v1/safety/zones/{zone}/special-work").json() == []
    assert b.get(f"/api/v1/safety/zones/{zone}/special-work/{body['id']}").status_code == 404
    # B cannot file for A, nor close A's filing.
    refused = b.post(
        f"/api/v1/safety/zones/{zone}/special-work",
        {**WORK, "enterprise_id": ops["a"].pk},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert (
        b.post(
            f"/api/v1/safety/zones/{zone}/special-work/{body['id']}/close", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert SpecialWork.objects.get().status == "filed"
    assert SpecialWork.objects.count() == 1


def test_over_validity_answers_400_in_the_error_shape(ops):
    zone = ops["zone"].pk
    response = _client(ops["user_a"]).post(
        f"/api/v1/safety/zones/{zone}/special-work",
        {**WORK, "kind": "confined", "level": "", "ends_at": "2026-12-08T09:00:00+08:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["message"].startswith("受限空间作业作业票有效期最长 1 天")
    assert "ends_at" in response.json()["fields"]
    assert SpecialWork.objects.count() == 0


def test_staff_spot_check_and_enterprise_cannot(ops):
    zone = ops["zone"].pk
    work = (
        _client(ops["user_a"])
        .post(f"/api/v1/safety/zones/{zone}/special-work", WORK, content_type="application/json")
        .json()
    )
    path = f"/api/v1/safety/zones/{zone}/special-work/{work['id']}/spot-checks"
    enterprise = _client(ops["user_a"])
    before = AuditEvent.objects.count()
    assert enterprise.post(path, {"result": "pass"}, content_type="application/json").status_code == 403
    assert AuditEvent.objects.count() == before
    checked = _client(ops["officer"]).post(
        path, {"result": "fail", "findings": "未设监护人"}, content_type="application/json"
    )
    assert checked.status_code == 201
    assert (checked.json()["result"], checked.json()["body_name"]) == ("fail", "应急管理局")
    detail = _client(ops["officer"]).get(f"/api/v1/safety/zones/{zone}/special-work/{work['id']}").json()
    assert [c["findings"] for c in detail["checks"]] == ["未设监护人"]


def test_plans_drills_incidents_and_figures(ops, users):
    zone = ops["zone"].pk
    a = _client(ops["user_a"])
    plan = a.post(
        f"/api/v1/safety/zones/{zone}/plans",
        {"title": "液氯泄漏现场处置方案", "kind": "on_site", "version": "V1", "issued_on": "2025-01-10"},
        content_type="application/json",
    )
    assert plan.status_code == 201
    assert plan.json()["enterprise_id"] == ops["a"].pk
    drill = a.post(
        f"/api/v1/safety/zones/{zone}/plans/{plan.json()['id']}/drills",
        {"held_on": "2025-06-01", "form": "live", "participants": 20, "summary": "演练顺利"},
        content_type="application/json",
    )
    assert drill.status_code == 201
    assert (
        _client(ops["user_b"])
        .post(
            f"/api/v1/safety/zones/{zone}/plans/{plan.json()['id']}/drills",
            {"held_on": "2025-06-01", "form": "live", "participants": 20, "summary": "x"},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    plans = a.get(f"/api/v1/safety/zones/{zone}/plans").json()
    assert [(p["plan"]["title"], p["last_drill"], p["drill_due"]) for p in plans] == [
        ("液氯泄漏现场处置方案", "2025-06-01", "2025-12-01")
    ]
    incident = a.post(
        f"/api/v1/safety/zones/{zone}/incidents",
        {
            "title": "管线泄漏",
            "place": "泵房",
            "occurred_at": "2026-12-01T09:00:00+08:00",
            "reported_at": "2026-12-01T09:40:00+08:00",
            "cause": "垫片老化",
        },
        content_type="application/json",
    )
    assert incident.status_code == 201
    rows = _client(ops["officer"]).get(f"/api/v1/safety/zones/{zone}/incidents").json()
    assert [(r["incident"]["title"], r["delay_minutes"], r["late"]) for r in rows] == [("管线泄漏", 40, False)]
    assert _client(ops["user_b"]).get(f"/api/v1/safety/zones/{zone}/incidents").json() == []
    figures = _client(ops["officer"]).get(f"/api/v1/safety/zones/{zone}/operations-figures")
    assert figures.status_code == 200
    assert figures.json()["drills_overdue"] == 1
    assert a.get(f"/api/v1/safety/zones/{zone}/operations-figures").status_code == 403
    assert Incident.objects.count() == 1


def test_risk_assessment_over_the_api(ops):
    zone = ops["zone"].pk
    items = [
        {"code": "1", "name": "规划布局", "full": "40", "score": "30"},
        {"code": "2", "name": "应急能力", "full": "60", "score": "30"},
    ]
    created = _client(ops["officer"]).post(
        f"/api/v1/safety/zones/{zone}/risk-assessments",
        {"park_id": ops["hexipu"].pk, "year": 2025, "items": items},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (created.json()["total"], created.json()["level"]) == ("60.00", "B")
    assert (
        _client(ops["user_a"])
        .post(
            f"/api/v1/safety/zones/{zone}/risk-assessments",
            {"park_id": ops["hexipu"].pk, "year": 2024, "items": items},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    listed = _client(ops["officer"]).get(f"/api/v1/safety/zones/{zone}/risk-assessments").json()
    assert [(r["year"], r["level"], r["reviewed_level"]) for r in listed] == [(2025, "B", "")]
    assert local(2026, 1, 1)
