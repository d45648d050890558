"""Fixtures of supply and demand and financing: a chain with three links, enterprises with portal
accounts in the zone and in another zone of the province, desk staff on the investment body.

Imported by the test modules that use them (``from tests.support.markets_fixtures import *``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, Person, Post
from tests.conftest import make_user
from tests.enterprises.conftest import uscc

__all__ = ["bodies", "chain", "desk", "firms", "market_zone", "other_firm"]


@pytest.fixture
def market_zone(zone, calendar_seeded):
    return zone


@pytest.fixture
def chain(market_zone, users):
    """煤化工: 原料煤 → 煤制合成气 → 甲醇 (each link takes its input from its parent)."""
    from onezone.investment.services import chain_create, chain_node_add

    admin = users["admin"]
    coal_chain = chain_create(actor=admin, zone_id=market_zone.pk, name="煤化工")
    coal = chain_node_add(actor=admin, chain=coal_chain, name="原料煤", stage="upstream", industry_code="B06")
    syngas = chain_node_add(
        actor=admin, chain=coal_chain, name="煤制合成气", stage="midstream", industry_code="C2522", parent=coal
    )
    methanol = chain_node_add(
        actor=admin, chain=coal_chain, name="甲醇", stage="midstream", industry_code="C2614", parent=syngas
    )
    return {"chain": coal_chain, "coal": coal, "syngas": syngas, "methanol": methanol}


@pytest.fixture
def bodies(market_zone):
    return {
        "investment": Body.objects.create(zone=market_zone, name="招商服务局", kind=Body.Kind.DEPARTMENT),
        "economy": Body.objects.create(zone=market_zone, name="经济发展局", kind=Body.Kind.DEPARTMENT),
    }


@pytest.fixture
def desk(market_zone, users, bodies):
    """users["investment_officer"] works in 招商服务局; users["dept_head"] heads 经济发展局."""
    officer = Person.objects.create(zone=market_zone, name="刘专员", user=users["investment_officer"])
    head = Person.objects.create(zone=market_zone, name="李局长", user=users["dept_head"])
    for person, body, title, is_head in [(officer, "investment", "招商专员", False), (head, "economy", "局长", True)]:
        post = Post.objects.create(zone=market_zone, body=bodies[body], title=title, is_head=is_head)
        Appointment.objects.create(zone=market_zone, person=person, post=post, start=dt.date(2020, 1, 1))
    return {"officer": users["investment_officer"], "head": users["dept_head"]}


@pytest.fixture
def firms(market_zone, users):
    """Three enterprises of the zone; the first two with a portal account each."""
    from onezone.enterprises.services import enterprise_register, member_link
    from onezone.zones.services import park_create

    admin = users["admin"]
    park = park_create(
        actor=admin,
        zone=market_zone,
        name="河西堡工业园",
        code="hexipu",
        planned_area_km2=Decimal("50"),
        built_area_km2=Decimal("10"),
        industry_codes=["C26", "C25", "B06"],
    )
    made = {}
    for key, serial, name, industry, size in [
        ("methanol", 11, "永昌甲醇有限公司", "C2614", "above"),
        ("gas", 12, "河西堡煤气化有限公司", "C2522", "above"),
        ("coal", 13, "永昌能源煤业有限公司", "B0610", "below"),
    ]:
        made[key] = enterprise_register(
            actor=admin,
            zone_id=market_zone.pk,
            uscc=uscc(serial),
            name=name,
            industry_code=industry,
            park=park,
            size=size,
        )
    for key in ("methanol", "gas"):
        user = make_user(f"ent-{key}", zone=market_zone, role=Role.ENTERPRISE)
        member_link(actor=admin, user=user, enterprise=made[key])
        made[f"user_{key}"] = user
    return made


@pytest.fixture
def other_firm(other_zone, root):
    """An enterprise of another zone of the same province, with a portal account."""
    from onezone.enterprises.services import enterprise_register, member_link
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=other_zone,
        name="金川园区",
        code="jinchuan",
        planned_area_km2=Decimal("20"),
        built_area_km2=Decimal("5"),
        industry_codes=["C25"],
    )
    firm = enterprise_register(
        actor=root,
        zone_id=other_zone.pk,
        uscc=uscc(21, "620302"),
        name="金川合成气有限公司",
        industry_code="C2522",
        park=park,
    )
    user = make_user("ent-other", zone=other_zone, role=Role.ENTERPRISE)
    member_link(actor=root, user=user, enterprise=firm)
    return {"firm": firm, "user": user}
