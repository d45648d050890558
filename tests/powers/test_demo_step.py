"""The demo step loads the Yongchang lists with the figures the issue names."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.demo.loader import load_demo
from onezone.powers.models import Delegation, DelegationBatch, ItemMaterial, ListVersion, PowerItem
from onezone.powers.selectors import item_terms_in_force, versions_diff

pytestmark = pytest.mark.django_db


def test_demo_lists_load(calendar_seeded):
    ctx = load_demo(only=["s10_foundation", "s20_powers"])
    zone_id = ctx.zone.pk
    assert Delegation.objects.filter(zone_id=zone_id).count() == 221
    assert list(DelegationBatch.objects.order_by("number").values_list("issued_on__year", flat=True)) == [
        2021,
        2022,
        2023,
    ]
    assert Delegation.objects.filter(status="withdrawn").count() == 2
    v1, v2 = ListVersion.objects.filter(zone_id=zone_id).order_by("number")
    assert (v1.effective_on, v2.effective_on) == (dt.date(2025, 1, 1), dt.date(2026, 3, 1))
    assert versions_diff(v1, v2).summary == "+3 −3, 4 modified"
    assert v2.summary == "新增3项、取消3项、调整4项"
    items = ctx.extra["powers"]
    full = [c for c, i in items.items() if ItemMaterial.objects.filter(item=i).count() >= 3]
    assert len(full) >= 15
    assert PowerItem.objects.filter(zone_id=zone_id, handling_type="instant", materials__isnull=False).exists()
    water = item_terms_in_force(zone_id=zone_id, item_id=items["YC-XK-004"].pk, on=dt.date(2026, 5, 1))
    assert (water.legal_limit, water.legal_unit, water.special_procedures) == (45, "calendar", ("expert_review",))
    joint = item_terms_in_force(zone_id=zone_id, item_id=items["YC-XK-009"].pk, on=dt.date(2026, 5, 1))
    assert joint.joint and joint.legal_limit == 45
    permit = items["YC-XK-002"].pk
    assert item_terms_in_force(zone_id=zone_id, item_id=permit, on=dt.date(2025, 6, 1)).committed_limit == 3
    assert item_terms_in_force(zone_id=zone_id, item_id=permit, on=dt.date(2026, 3, 1)).committed_limit == 2
