"""Fixtures of the company's tests: a park, a factory, a committee decision, built through services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.company.services import asset_register


@pytest.fixture
def park(zone, root):
    from onezone.zones.services import park_create

    return park_create(
        actor=root,
        zone=zone,
        name="东园",
        code="east",
        planned_area_km2=Decimal("10"),
        built_area_km2=Decimal("2"),
        industry_codes=[],
    )


@pytest.fixture
def staff(users):
    return users["company_staff"]


@pytest.fixture
def factory(zone, park, staff):
    return asset_register(
        actor=staff,
        zone_id=zone.pk,
        code="CF-001",
        name="1号标准化厂房",
        kind="factory",
        park=park,
        cost=Decimal("1000000"),
        acquired_on=dt.date(2025, 6, 15),
        useful_life_months=240,
        residual_rate=Decimal("0.05"),
        area_m2=Decimal("3000"),
    )


def make_meeting(zone, leader, *, held_on=dt.date(2026, 1, 5), approved=True, topic="研究运营公司融资事项"):
    from onezone.org.services import meeting_record

    meeting = meeting_record(
        actor=leader,
        zone_id=zone.pk,
        title="主任办公会议",
        kind="directors",
        held_on=held_on,
        agenda=[{"topic": topic, "approved": approved, "decision": "同意。"}],
    )
    return meeting.agenda_items.get()


@pytest.fixture
def decision(zone, users):
    return make_meeting(zone, users["leader"])


USCC = "91512081MA62K0260E"


@pytest.fixture
def enterprise(zone, park, users):
    from onezone.enterprises.services.registry import enterprise_register

    return enterprise_register(
        actor=users["admin"],
        zone_id=zone.pk,
        uscc=USCC,
        name="永昌新材料有限公司",
        industry_code="C2614",
        park=park,
    )
