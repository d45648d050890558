"""Fixtures of the special work, closed management and emergency tests: two parks, enterprises with their
users, the emergency bureau with its safety officer, gates and a parking area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, Person, Post
from tests.conftest import make_user
from tests.enterprises.conftest import uscc

TZ = timezone.get_default_timezone()


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture(name="ops")
def ops_fixture(zone, users, calendar_seeded):
    """Two parks, two enterprises (each with its own user), the emergency bureau, gates and a parking area."""
    from onezone.core.services import record_save
    from onezone.enterprises.services import enterprise_register, member_link
    from onezone.safety.models import Gate, ParkingArea
    from onezone.zones.services import park_create

    admin = users["admin"]
    hexipu = park_create(
        actor=admin,
        zone=zone,
        name="河西堡工业园",
        code="hexipu",
        planned_area_km2=Decimal("50"),
        built_area_km2=Decimal("10"),
        industry_codes=["C26"],
    )
    dongzhai = park_create(
        actor=admin,
        zone=zone,
        name="东寨工业园",
        code="dongzhai",
        planned_area_km2=Decimal("20"),
        built_area_km2=Decimal("5"),
        industry_codes=["C13"],
    )
    a = enterprise_register(
        actor=admin, zone_id=zone.pk, uscc=uscc(11), name="金昌甲化工有限公司", industry_code="C2612", park=hexipu
    )
    b = enterprise_register(
        actor=admin, zone_id=zone.pk, uscc=uscc(12), name="永昌乙化学有限公司", industry_code="C2614", park=hexipu
    )
    user_a = make_user("ent-a", zone=zone, role=Role.ENTERPRISE)
    user_b = make_user("ent-b", zone=zone, role=Role.ENTERPRISE)
    member_link(actor=admin, user=user_a, enterprise=a)
    member_link(actor=admin, user=user_b, enterprise=b)
    bureau = Body.objects.create(zone=zone, name="应急管理局", short_name="应急局", kind=Body.Kind.DEPARTMENT)
    post = Post.objects.create(zone=zone, body=bureau, title="安全监管员")
    officer = Person.objects.create(zone=zone, name="马监管", user=users["safety_officer"])
    Appointment.objects.create(zone=zone, person=officer, post=post, start=dt.date(2020, 1, 1))
    gate = record_save(
        actor=admin,
        obj=Gate(zone=zone, park=hexipu, code="G1", name="危化品专用卡口", kind=Gate.Kind.HAZMAT),
        roles=[Role.ADMIN],
    )
    gate2 = record_save(
        actor=admin,
        obj=Gate(zone=zone, park=hexipu, code="G2", name="北门", kind=Gate.Kind.ORDINARY),
        roles=[Role.ADMIN],
    )
    area = record_save(
        actor=admin,
        obj=ParkingArea(zone=zone, park=hexipu, code="P1", name="危化品停车场", capacity=2),
        roles=[Role.ADMIN],
    )
    return {
        "zone": zone,
        "hexipu": hexipu,
        "dongzhai": dongzhai,
        "a": a,
        "b": b,
        "user_a": user_a,
        "user_b": user_b,
        "bureau": bureau,
        "gate": gate,
        "gate2": gate2,
        "area": area,
        "officer": users["safety_officer"],
        "admin": admin,
    }
