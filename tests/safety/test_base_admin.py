"""The safety base's admin: its forms save through the services (grading stored, audit written, limits kept)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.errors import InvalidInput
from onezone.core.middleware import SESSION_ZONE_KEY
from onezone.core.models import AuditEvent
from onezone.safety.admin.base import parse_substances
from onezone.safety.models import Installation
from tests.safety._base import today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _client(user, zone) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    return client


def _form(world, substances: str) -> dict[str, str]:
    return {
        "enterprise": str(world["a"].pk),
        "name": "液氨储罐",
        "kind": "storage",
        "people_exposed": "60",
        "x_m": "",
        "y_m": "",
        "record_number": "",
        "substances_text": substances,
    }


def test_the_installation_form_grades_through_the_service(world):
    response = _client(world["officer"], world["zone"]).post("/admin/safety/installation/add/", _form(world, "液氨 60"))
    assert response.status_code == 302
    inst = Installation.objects.get()
    assert (inst.s_value, inst.r_value, inst.level) == (Decimal("6"), Decimal("18"), 3)
    assert AuditEvent.objects.filter(action="safety.installation.save", object_id=str(inst.pk)).exists()


def test_the_installation_form_refuses_what_the_service_refuses(world):
    response = _client(world["officer"], world["zone"]).post(
        "/admin/safety/installation/add/", _form(world, "神秘物质 3")
    )
    assert response.status_code == 403
    assert not Installation.objects.exists()


def test_staff_without_a_safety_role_cannot_open_the_lists(world):
    assert _client(world["clerk"], world["zone"]).get("/admin/safety/installation/").status_code == 403


def test_substance_lines():
    assert parse_substances("氯 40\n某混合气，3，W2\n\n") == [
        {"name": "氯", "quantity_t": Decimal("40"), "category": ""},
        {"name": "某混合气", "quantity_t": Decimal("3"), "category": "W2"},
    ]
    with pytest.raises(InvalidInput) as exc:
        parse_substances("氯 四十")
    assert exc.value.message == "第1行的数量“四十”不是数字。"
