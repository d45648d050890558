"""A zone with two parks, the bodies and routing rules requests go to, categories, tags and enterprises."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.codes import uscc_check_char
from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, MatterDomain, Person, Post, RoutingRule
from tests.conftest import make_user


def uscc(serial: int, area: str = "620321") -> str:
    """A valid USCC for a company registered in ``area`` (serial 0–999999)."""
    first17 = f"91{area}MA{serial:06d}0"[:17]
    return first17 + uscc_check_char(first17)


@pytest.fixture
def parks(zone, root):
    from onezone.zones.services import park_create

    return {
        "hexipu": park_create(
            actor=root,
            zone=zone,
            name="河西堡工业园",
            code="hexipu",
            planned_area_km2=Decimal("50"),
            built_area_km2=Decimal("10"),
            industry_codes=["C32", "C26"],
        ),
        "dongzhai": park_create(
            actor=root,
            zone=zone,
            name="东寨工业园",
            code="dongzhai",
            planned_area_km2=Decimal("20"),
            built_area_km2=Decimal("5"),
            industry_codes=["C13", "C29"],
        ),
    }


@pytest.fixture
def bodies(zone):
    investment = Body.objects.create(zone=zone, name="招商服务局", short_name="招商局", kind=Body.Kind.DEPARTMENT)
    economy = Body.objects.create(zone=zone, name="经济发展局", short_name="经发局", kind=Body.Kind.DEPARTMENT)
    service = Body.objects.create(zone=zone, name="政务服务中心", short_name="政务中心", kind=Body.Kind.SERVICE_CENTRE)
    enforcement = Body.objects.create(zone=zone, name="执法大队", kind=Body.Kind.ENFORCEMENT)
    environment = Body.objects.create(zone=zone, name="生态环境分局", short_name="环境分局", kind=Body.Kind.SECTOR)
    return {
        "investment": investment,
        "economy": economy,
        "service": service,
        "enforcement": enforcement,
        "environment": environment,
    }


@pytest.fixture
def routing(zone, bodies):
    for category, domain, body in [
        ("enterprise_service", MatterDomain.ECONOMIC, "investment"),
        ("economic_operation", MatterDomain.ECONOMIC, "economy"),
        ("project_approval", MatterDomain.ECONOMIC, "service"),
        ("work_safety", MatterDomain.SUPERVISION, "enforcement"),
    ]:
        RoutingRule.objects.create(
            zone=zone, category=category, category_name=category, domain=domain, body=bodies[body]
        )


@pytest.fixture
def staff(zone, users, bodies):
    """users["clerk"] works in 招商服务局 and also in 经济发展局; 钱局长 heads 招商服务局."""
    head_post = Post.objects.create(zone=zone, body=bodies["investment"], title="局长", is_head=True)
    clerk_post = Post.objects.create(zone=zone, body=bodies["investment"], title="企业服务专员")
    head = Person.objects.create(zone=zone, name="钱局长")
    Appointment.objects.create(zone=zone, person=head, post=head_post, start=dt.date(2020, 1, 1))
    clerk = Person.objects.create(zone=zone, name="张专员", user=users["clerk"])
    Appointment.objects.create(zone=zone, person=clerk, post=clerk_post, start=dt.date(2020, 1, 1))
    # Also serves 经济发展局 (兼任), which handles funding and factor requests.
    economy_post = Post.objects.create(zone=zone, body=bodies["economy"], title="要素保障专员")
    Appointment.objects.create(
        zone=zone, person=clerk, post=economy_post, start=dt.date(2020, 1, 1), is_concurrent=True
    )
    return {"head": head, "clerk": clerk}


@pytest.fixture
def setup(zone, users, parks, routing, calendar_seeded):
    from onezone.enterprises.services import request_categories_seed, tags_seed

    request_categories_seed(actor=users["admin"], zone_id=zone.pk)
    tags_seed(actor=users["admin"], zone_id=zone.pk)
    return zone


@pytest.fixture
def firms(setup, users, parks, staff):
    """Three enterprises: a fitting one, a misfit, a low-risk one; and one enterprise user each for two of them.

    users["clerk"] works in the bodies that handle their requests (``staff``): authority is by body.
    """
    from onezone.enterprises.services import enterprise_register, member_link

    admin = users["admin"]
    a = enterprise_register(
        actor=admin,
        zone_id=setup.pk,
        uscc=uscc(1),
        name="金昌甲新材料有限公司",
        industry_code="C3211",
        park=parks["hexipu"],
        size="above",
        tags=["专精特新"],
        registered_capital=Decimal("50000000"),
    )
    b = enterprise_register(
        actor=admin,
        zone_id=setup.pk,
        uscc=uscc(2),
        name="永昌乙食品有限公司",
        industry_code="C1351",
        park=parks["hexipu"],
    )
    c = enterprise_register(
        actor=admin,
        zone_id=setup.pk,
        uscc=uscc(3),
        name="东寨丙塑业有限公司",
        industry_code="C2921",
        park=parks["dongzhai"],
        risk_level="low",
        tags=["高新技术企业", "专精特新"],
    )
    user_a = make_user("ent-a", zone=setup, role=Role.ENTERPRISE)
    user_b = make_user("ent-b", zone=setup, role=Role.ENTERPRISE)
    member_link(actor=admin, user=user_a, enterprise=a)
    member_link(actor=admin, user=user_b, enterprise=b)
    return {"a": a, "b": b, "c": c, "user_a": user_a, "user_b": user_b}
