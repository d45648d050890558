"""A zone for the safety base's tests: the emergency bureau and another body with their staff, two
chemical enterprises with a user each, and helpers that build records through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, Person, Post
from onezone.safety.services import base as services
from onezone.safety.services import base_hazards as hazards
from tests.conftest import make_user

TODAY = dt.date(2026, 12, 8)


@pytest.fixture(name="today")
def today_fixture(monkeypatch):
    """Fix the services' and selectors' today at ``TODAY``."""
    monkeypatch.setattr("onezone.safety.services.base_common.today", lambda: TODAY)
    return TODAY


@pytest.fixture(name="world")
def world_fixture(zone, users, root, calendar_seeded, today):
    from onezone.enterprises.services import enterprise_register, member_link
    from onezone.zones.services import park_create
    from tests.enterprises.conftest import uscc

    park = park_create(
        actor=root,
        zone=zone,
        name="河西堡工业园",
        code="hexipu",
        planned_area_km2=Decimal("50"),
        built_area_km2=Decimal("10"),
        industry_codes=["C26"],
    )
    committee = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    emergency = Body.objects.create(
        zone=zone, name="应急管理局", short_name="应急局", kind=Body.Kind.DEPARTMENT, parent=committee
    )
    economy = Body.objects.create(zone=zone, name="经济发展局", short_name="经发局", kind=Body.Kind.DEPARTMENT)
    officer = users["safety_officer"]
    other_officer = make_user("u-safety-2", zone=zone, role=Role.SAFETY_OFFICER)
    head_user = make_user("u-emergency-head", zone=zone, role=Role.DEPT_HEAD)
    for user, body, title, head in (
        (officer, emergency, "安全监管员", False),
        (other_officer, economy, "安全专员", False),
        (head_user, emergency, "局长", True),
    ):
        post = Post.objects.create(zone=zone, body=body, title=title, is_head=head)
        person = Person.objects.create(zone=zone, name=user.username, user=user)
        Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2020, 1, 1))
    admin = users["admin"]
    a = enterprise_register(
        actor=admin, zone_id=zone.pk, uscc=uscc(11), name="永昌甲氯碱化工有限公司", industry_code="C2612", park=park
    )
    b = enterprise_register(
        actor=admin, zone_id=zone.pk, uscc=uscc(12), name="永昌乙氟化工有限公司", industry_code="C2661", park=park
    )
    user_a = make_user("ent-a", zone=zone, role=Role.ENTERPRISE)
    user_b = make_user("ent-b", zone=zone, role=Role.ENTERPRISE)
    member_link(actor=admin, user=user_a, enterprise=a)
    member_link(actor=admin, user=user_b, enterprise=b)
    return {
        "zone": zone,
        "park": park,
        "committee": committee,
        "emergency": emergency,
        "economy": economy,
        "officer": officer,
        "other_officer": other_officer,
        "head": head_user,
        "leader": users["leader"],
        "admin": admin,
        "clerk": users["clerk"],
        "a": a,
        "b": b,
        "user_a": user_a,
        "user_b": user_b,
    }


def chlorine_tanks(world, *, quantity: str = "40", people: int = 120, enterprise=None):
    """液氯储罐区: 氯 q/Q = quantity/5, β 4."""
    return services.installation_save(
        actor=world["officer"],
        enterprise=enterprise or world["a"],
        name="液氯储罐区",
        kind="storage",
        substances=[{"name": "氯", "quantity_t": Decimal(quantity)}],
        people_exposed=people,
    )


def report(world, *, level: str = "general", deadline: dt.date | None = None, enterprise=None, user=None):
    return hazards.hazard_report(
        actor=user or world["user_a"],
        enterprise=enterprise or world["a"],
        title="液氯储罐区可燃气体报警器失效",
        description="2号罐区东侧报警器不响应标定气。",
        level=level,
        found_on=TODAY - dt.timedelta(days=10),
        deadline=deadline or TODAY + dt.timedelta(days=5),
    )


def plan(world, hazard, actor=None):
    return hazards.hazard_plan_save(
        actor=actor or world["user_a"],
        hazard=hazard,
        goal="更换报警系统，消除泄漏不能及时发现的隐患",
        measures="更换全部可燃及有毒气体报警器并接入SIS",
        funds=Decimal("850000"),
        responsible="设备部 王工",
        time_limit=TODAY + dt.timedelta(days=30),
        safety_measures="整改期间增加巡检频次至每2小时一次",
        contingency="按液氯泄漏专项应急预案处置",
    )
