"""The safety base's desk pages: who opens them, what they show, the hazard page's actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onezone.core.middleware import SESSION_ZONE_KEY
from onezone.safety.models import Hazard, HazardPlan
from tests.safety._base import TODAY, chlorine_tanks, report, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _client(user, zone) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    return client


def test_installations_page_shows_the_grading(world):
    tanks = chlorine_tanks(world, quantity="40", people=120)
    client = _client(world["officer"], world["zone"])
    listing = client.get("/desk/safety/installations/")
    assert listing.status_code == 200
    assert "液氯储罐区" in listing.content.decode() and "二级" in listing.content.decode()
    detail = client.get(f"/desk/safety/installations/{tanks.pk}/").content.decode()
    assert "R = α·Σβ·q/Q = 2 × 32 = 64" in detail
    assert "50 ≤ R &lt; 100，定为二级重大危险源" in detail


def test_pages_refuse_staff_without_a_safety_role(world):
    client = _client(world["clerk"], world["zone"])
    assert client.get("/desk/safety/hazards/").status_code == 403


def test_hazard_page_takes_a_step_and_shows_its_history(world):
    hazard = report(world)
    client = _client(world["officer"], world["zone"])
    page = client.get(f"/desk/safety/hazards/{hazard.pk}/").content.decode()
    assert 'value="assign"' in page
    response = client.post(
        f"/desk/safety/hazards/{hazard.pk}/",
        {
            "action": "assign",
            "note": "请整改",
            "deadline": str(TODAY + dt.timedelta(days=9)),
            "body": world["emergency"].pk,
        },
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.status, hazard.deadline) == ("assigned", TODAY + dt.timedelta(days=9))
    assert "已上报 → 已交办" in client.get(f"/desk/safety/hazards/{hazard.pk}/").content.decode()


def test_hazard_page_shows_a_refusal_and_changes_nothing(world):
    hazard = report(world)
    client = _client(world["other_officer"], world["zone"])
    response = client.post(f"/desk/safety/hazards/{hazard.pk}/", {"action": "assign"})
    assert response.status_code == 400
    assert "该隐患由“应急管理局”监管" in response.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == "reported"


def test_the_plan_form_of_a_major_hazard(world):
    hazard = report(world, level="major")
    client = _client(world["officer"], world["zone"])
    response = client.post(
        f"/desk/safety/hazards/{hazard.pk}/",
        {
            "action": "plan",
            "goal": "消除隐患",
            "measures": "更换报警器",
            "funds": "850000",
            "responsible": "设备部",
            "time_limit": str(TODAY + dt.timedelta(days=30)),
            "safety_measures": "加密巡检",
            "contingency": "泄漏专项预案",
        },
    )
    assert response.status_code == 302
    assert HazardPlan.objects.get(hazard=hazard).funds == 850000
    assert "85.00万元" in client.get(f"/desk/safety/hazards/{hazard.pk}/").content.decode()


def test_hazard_list_filters(world):
    report(world, deadline=TODAY - dt.timedelta(days=1))
    report(world, level="major")
    client = _client(world["officer"], world["zone"])
    overdue = client.get("/desk/safety/hazards/?overdue=1").content.decode()
    assert "共 1 项" in overdue and "逾期1天" in overdue
    assert "共 1 项" in client.get("/desk/safety/hazards/?level=major").content.decode()
    assert "共 2 项" in client.get("/desk/safety/hazards/?status=bogus").content.decode()


def test_risk_points_page(world):
    from onezone.safety.services.base import risk_point_save

    risk_point_save(
        actor=world["officer"], enterprise=world["a"], name="液氯泄漏", level="major", controls="联锁", owner="甲"
    )
    page = _client(world["officer"], world["zone"]).get("/desk/safety/risk-points/?level=major").content.decode()
    assert "液氯泄漏" in page and "红" in page
