"""The rows an import inserts in bulk hold what the model would have saved row by row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onezone.powers.models import Adjustment, Fee, ItemMaterial, PowerItem
from onezone.powers.services import powers_import

pytestmark = pytest.mark.django_db


def test_materials_fees_and_adjustments_carry_values_defaults_and_times(zone, users, add_item):
    add_item("Y001", fees=[])
    start = timezone.now()
    rows = [
        {
            "item": {
                "implementation_code": "Y001",
                "name": "取水许可（调整）",
                "legal_limit": 20,
                "committed_limit": 10,
            },
            "materials": [{"name": "申请书", "necessity": "required", "form": "paper", "copies": 2}],
            "fees": [],
        },
        {
            "item": {
                "implementation_code": "Y002",
                "name": "排污许可",
                "category": "licensing",
                "legal_limit": 20,
                "committed_limit": 10,
                "has_fee": True,
            },
            "materials": [
                {"name": "申请表", "necessity": "required", "form": "electronic", "copies": 1},
                {"name": "承诺书"},
            ],
            "fees": [{"name": "工本费", "standard": "10元/件", "basis": "", "reduction": ""}],
        },
    ]
    result = powers_import(
        actor=users["admin"], zone_id=zone.pk, rows=rows, reason="年度调整", effective_on=dt.date(2025, 3, 1)
    )
    assert (result.added, result.modified) == (1, 1)
    new = PowerItem.objects.get(implementation_code="Y002")
    materials = list(new.materials.order_by("order"))
    assert [(m.name, m.form, m.copies, m.order, m.source, m.zone_id) for m in materials] == [
        ("申请表", "electronic", 1, 1, "申请人自备", zone.pk),
        ("承诺书", "paper", 1, 2, "申请人自备", zone.pk),
    ]
    assert materials[1].necessity == "required" and not materials[1].blank_form
    assert all(m.created_at >= start and m.updated_at >= start for m in materials)
    fee = Fee.objects.get(item=new)
    assert (fee.name, fee.standard, fee.zone_id) == ("工本费", "10元/件", zone.pk)
    added = Adjustment.objects.get(item=new)
    assert (added.kind, added.reason, added.effective_on, added.actor_id) == (
        "add",
        "年度调整",
        dt.date(2025, 3, 1),
        users["admin"].pk,
    )
    assert added.changes == {"name": [None, "排污许可"]} and added.version_id is None
    modified = Adjustment.objects.filter(item__implementation_code="Y001", kind="modify").get()
    assert modified.changes["name"][1] == "取水许可（调整）"
    assert [m.name for m in ItemMaterial.objects.filter(item__implementation_code="Y001")] == ["申请书"]
