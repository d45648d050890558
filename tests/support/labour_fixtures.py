"""Fixtures of jobs, shared labour, talent needs and the monthly statistics: a zone with two parks,
the economic-development body with a desk officer on it, a department head of another body, two
enterprises with portal accounts and an enterprise of another zone.

Imported by the test modules that use them (``from tests.support.labour_fixtures import *``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.roles import Role
from onezone.org.models import Appointment, Body, Person, Post
from tests.conftest import make_user
from tests.enterprises.conftest import parks, uscc

__all__ = ["desk", "firms", "lab_bodies", "outsider", "parks", "stranger"]


@pytest.fixture
def lab_bodies(zone):
    return {
        "economy": Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT),
        "ecology": Body.objects.create(zone=zone, name="生态环境局", kind=Body.Kind.DEPARTMENT),
    }


def _posted(zone, body, username: str, role: Role):
    user = make_user(username, zone=zone, role=role)
    post = Post.objects.create(zone=zone, body=body, title="科员")
    person = Person.objects.create(zone=zone, name=username, user=user)
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2020, 1, 1))
    return user


@pytest.fixture
def desk(zone, lab_bodies):
    """A department head on the economic-development body: acts at the desk."""
    return _posted(zone, lab_bodies["economy"], "lab-desk", Role.DEPT_HEAD)


@pytest.fixture
def outsider(zone, lab_bodies):
    """A department head on another body: reads the desk, acts nowhere on it."""
    return _posted(zone, lab_bodies["ecology"], "lab-outsider", Role.DEPT_HEAD)


@pytest.fixture
def firms(zone, parks, root):
    """Two enterprises of the zone (copper in 河西堡, food in 东寨), each with a portal user."""
    from onezone.enterprises.services import enterprise_register, member_link

    out = {}
    for key, serial, name, code, park in (
        ("copper", 701, "金昌铜业有限公司", "C3211", "hexipu"),
        ("food", 702, "永昌牧业食品有限公司", "C1351", "dongzhai"),
    ):
        enterprise = enterprise_register(
            actor=root,
            zone_id=zone.pk,
            uscc=uscc(serial),
            name=name,
            industry_code=code,
            park=parks[park],
            established=dt.date(2015, 1, 1),
        )
        user = make_user(f"lab-{key}", zone=zone, role=Role.ENTERPRISE)
        member_link(actor=root, user=user, enterprise=enterprise)
        out[key] = enterprise
        out[f"{key}_user"] = user
    return out


@pytest.fixture
def stranger(other_zone, root):
    """An enterprise of another zone with its portal user."""
    from onezone.enterprises.services import enterprise_register, member_link
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=other_zone,
        name="另一园区",
        code="other",
        planned_area_km2=Decimal("5"),
        built_area_km2=Decimal("1"),
        industry_codes=["C32"],
    )
    enterprise = enterprise_register(
        actor=root,
        zone_id=other_zone.pk,
        uscc=uscc(703, "620302"),
        name="外区企业有限公司",
        industry_code="C3211",
        park=park,
    )
    user = make_user("lab-stranger", zone=other_zone, role=Role.ENTERPRISE)
    member_link(actor=root, user=user, enterprise=enterprise)
    return {"enterprise": enterprise, "user": user}
