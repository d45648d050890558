import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onezone.company import selectors as s
from onezone.company.models import ConstructionProject, Lease, Loan
from onezone.demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_company_demo_loads_through_the_services(calendar_seeded):
    ctx = load_demo(only=["s10_foundation", "s30_enterprises", "s40_company"])
    zone_id = ctx.zone.pk
    assert Lease.objects.filter(zone_id=zone_id).count() == 5
    assert {lease.asset.park.name for lease in Lease.objects.select_related("asset__park")} == {
        "东寨工业园",
        "河西堡工业园",
    }
    assert set(Loan.objects.values_list("method", flat=True)) == {"equal_instalments", "equal_principal"}
    project = ConstructionProject.objects.get(name="东寨工业园标准化厂房二期")
    assert project.decision.topic == "研究东寨工业园标准化厂房二期建设方案"
    today = timezone.localdate()
    figures = s.key_figures(zone_id, today)
    assert figures.arrears > 0 and figures.debt > 0 and figures.assets_book_value > 0
    report = s.arrears_ageing(zone_id, today)
    assert len(report.rows) >= 2
    # The loans' outstanding principal is what their schedules say.
    assert s.debt_outstanding(zone_id, dt.date(2025, 3, 18)) == Decimal("30000000")


def test_company_demo_skips_leases_without_enterprises(calendar_seeded):
    ctx = load_demo(only=["s10_foundation", "s40_company"])
    assert Lease.objects.count() == 0
    assert any("跳过厂房租赁" in line for line in ctx.log)
