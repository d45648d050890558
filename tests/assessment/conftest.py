"""A small province: three zones, a two-group scheme and their values."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from onezone.assessment.models import Scheme, SchemeNode, ZoneValue
from tests.enterprises.conftest import bodies, firms, parks, routing, setup, staff  # noqa: F401  # the registry's fixtures


@pytest.fixture
def third_zone(db, root):
    from onezone.zones.services import zone_create

    return zone_create(
        actor=root,
        name="第三工业园区",
        code="thirdzone",
        level="provincial",
        area_code="620102",
        province_code="620000",
        approved_area_km2=D("8"),
        planned_area_km2=D("30"),
    )


@pytest.fixture
def scheme(db):
    scheme = Scheme.objects.create(name="测试评价体系", province_code="620000", missing_rule="zero")
    root = SchemeNode.objects.create(scheme=scheme, key="root", name="综合", weight=D(100), order=0)
    a = SchemeNode.objects.create(scheme=scheme, parent=root, key="A", name="甲", weight=D(60), order=1)
    SchemeNode.objects.create(scheme=scheme, parent=a, key="a1", name="产值", weight=D(50), method="minmax", order=2)
    SchemeNode.objects.create(
        scheme=scheme, parent=a, key="a2", name="能耗", weight=D(50), method="ratio", direction="lower", order=3
    )
    b = SchemeNode.objects.create(scheme=scheme, parent=root, key="B", name="乙", weight=D(40), order=4)
    SchemeNode.objects.create(scheme=scheme, parent=b, key="b1", name="就业", weight=D(100), method="zscore", order=5)
    return scheme


VALUES = {"a1": (10, 20, 30), "a2": (2, 4, 8), "b1": (1, 2, 3)}


@pytest.fixture
def province_values(zone, other_zone, third_zone):
    """zone = X (41.84, 3rd), other_zone = Y (50.00, 2nd), third_zone = Z (65.66, 1st) in 2025."""
    from django.utils import timezone

    now = timezone.now()
    for key, numbers in VALUES.items():
        for z, number in zip((zone, other_zone, third_zone), numbers, strict=True):
            ZoneValue.objects.create(
                zone=z, year=2025, key=key, value=D(number), origin="reported", source="测试", recorded_at=now
            )
    return {"X": zone, "Y": other_zone, "Z": third_zone}
