"""Shared fixtures: a zone with bodies and one user per role, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from onezone.core.models import RoleGrant
from onezone.core.roles import Role

PASSWORD = "test-Passw0rd-oz"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test databases are made without the holiday calendar that ``migrate`` seeds on a new site: each
    test chooses its calendar (``calendar_seeded``, or none: plain weekends). tests/core/test_calendar_seed.py
    checks the seeding itself."""
    from django.conf import settings

    settings.ONEZONE_SEED_CALENDAR_ON_MIGRATE = False


@pytest.fixture(autouse=True)
def _fast_hasher_and_fresh_cache(settings):
    """Tests hash with MD5 (Argon2 is slow by design) and start with an empty cache."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()


def make_user(username: str, *, zone=None, role: Role | None = None, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, is_staff=role != Role.ENTERPRISE, is_superuser=superuser
    )
    if role is not None:
        RoleGrant.objects.create(user=user, zone=None if role == Role.PROVINCE_SUPERVISOR else zone, role=role)
    return user


def zone_client(user: User, zone) -> Client:
    """A browser logged in as ``user`` with ``zone`` chosen as the current zone."""
    from onezone.core.middleware import SESSION_ZONE_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    return client


@pytest.fixture
def root(db) -> User:
    return make_user("root", superuser=True)


@pytest.fixture
def zone(db, root):
    from onezone.zones.models import Town
    from onezone.zones.services import industries_load_catalogue, zone_create

    industries_load_catalogue()
    town = Town.objects.create(name="测试镇", area_code="620321")
    return zone_create(
        actor=root,
        name="测试工业园区",
        code="testzone",
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("10"),
        planned_area_km2=Decimal("50"),
        merged_town=town,
        established=dt.date(2010, 1, 1),
    )


@pytest.fixture
def other_zone(db, root):
    from onezone.zones.services import zone_create

    return zone_create(
        actor=root,
        name="另一工业园区",
        code="otherzone",
        level="provincial",
        area_code="620302",
        province_code="620000",
        approved_area_km2=Decimal("5"),
        planned_area_km2=Decimal("20"),
    )


@pytest.fixture
def users(db, zone) -> dict[str, User]:
    """One user per role in ``zone`` (the provincial supervisor for every zone)."""
    return {role.value: make_user(f"u-{role.value}", zone=zone, role=role) for role in Role}


@pytest.fixture
def calendar_seeded(db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
