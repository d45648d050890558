"""Fixtures of the lists: bodies of a zone and a helper that adds an item through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from onezone.org.models import Body
from onezone.powers.services import item_create


@pytest.fixture
def bodies(zone):
    return {
        "service": Body.objects.create(zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE),
        "economy": Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT),
        "enforcement": Body.objects.create(zone=zone, name="执法大队", kind=Body.Kind.ENFORCEMENT),
    }


def item_data(code: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f"事项{code}",
        "implementation_code": code,
        "basic_code": f"B{code}",
        "category": "licensing",
        "legal_limit": 20,
        "legal_limit_unit": "working",
        "committed_limit": 10,
        "committed_limit_unit": "working",
        "handling_type": "promised",
        "place": "园区政务服务中心1号窗口",
        "hours": "工作日 9:00-17:00",
        "visits": 1,
    }
    data.update(overrides)
    return data


MATERIALS = [
    {"name": "申请书", "necessity": "required", "form": "paper", "copies": 1, "standard": "签字盖章"},
    {"name": "营业执照复印件", "necessity": "required", "form": "both", "copies": 1},
    {"name": "授权委托书", "necessity": "conditional", "form": "paper", "copies": 1},
]


@pytest.fixture
def add_item(zone, users, bodies):
    def add(code: str, *, effective_on: dt.date = dt.date(2024, 1, 1), materials=None, fees=None, **overrides):
        overrides.setdefault("implementing_body_id", bodies["service"].pk)
        return item_create(
            actor=users["admin"],
            zone_id=zone.pk,
            data=item_data(code, **overrides),
            reason="清单编制",
            document="永工管发〔2024〕1号",
            effective_on=effective_on,
            materials=MATERIALS if materials is None else materials,
            fees=fees,
        )

    return add
