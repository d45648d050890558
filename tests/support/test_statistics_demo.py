"""The demo's monthly reports, the enterprises' yearly records and the dashboard agree exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from onezone.assessment.selectors import growth
from onezone.demo.loader import load_demo
from onezone.enterprises.models import EnterpriseYear
from onezone.support.models import (
    JobApplication,
    JobPosting,
    LabourSharing,
    MonthlyReport,
    ReportReminder,
    TalentNeed,
)
from onezone.support.selectors.labour import talent_needs
from onezone.support.selectors.statistics import missing_reporters, year_figures
from onezone.support.services.statistics_rules import last_due_month

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from onezone.core.calendar import calendar_seed

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            calendar_seed()
            ctx = load_demo(only=["s10_foundation", "s30_enterprises", "s66_support_labour", "s80_assessment"])
            yield ctx
            transaction.set_rollback(True)


def _sum(qs, field):
    return qs.aggregate(s=Sum(field))["s"]


def test_2025_reports_records_and_dashboard_agree(demo):
    zone = demo.zone
    reports = MonthlyReport.objects.filter(zone=zone, year=2025)
    assert reports.filter(status="pending").count() == 0
    assert _sum(reports, "output_value") == Decimal("18000000000.00")
    assert _sum(EnterpriseYear.objects.filter(zone=zone, year=2025), "output_value") == Decimal("18000000000.00")
    assert _sum(EnterpriseYear.objects.filter(zone=zone, year=2025), "employees") == 8150
    figures = year_figures(zone.pk, 2025)
    assert (figures.output_value, figures.employees, figures.months) == (Decimal("18000000000.00"), 8150, 12)
    for record in EnterpriseYear.objects.filter(zone=zone, year=2025)[:20]:
        mine = reports.filter(enterprise_id=record.enterprise_id)
        assert _sum(mine, "output_value") == record.output_value
        assert mine.get(month=12).employees == record.employees
    result = growth(zone)
    assert (result.baseline.year, result.latest.year) == (2020, 2025)
    assert result.latest.pk is None and result.latest.source.startswith("企业月度统计")
    assert (result.output_multiple, result.jobs_added) == (Decimal("40.0"), 5000)


def test_earlier_records_add_up_to_the_zone_facts(demo):
    from onezone.demo.steps.s80_assessment import FACTS

    for year in range(2020, 2025):
        records = EnterpriseYear.objects.filter(zone=demo.zone, year=year)
        assert _sum(records, "output_value") == Decimal(FACTS[year][1])
        assert _sum(records, "employees") == FACTS[year][2]


def test_2026_to_date_one_missing_one_held(demo):
    zone = demo.zone
    year, month = last_due_month(timezone.localdate())
    if year != 2026:
        pytest.skip("the demo's 2026 months follow today's date")
    confirmed = MonthlyReport.objects.filter(zone=zone, year=2026, status="confirmed")
    assert _sum(confirmed, "output_value") == Decimal("15120000000") * month / 10
    assert _sum(confirmed, "tax") == Decimal("705000000") * month / 10
    assert _sum(EnterpriseYear.objects.filter(zone=zone, year=2026), "output_value") == _sum(confirmed, "output_value")
    [missing] = missing_reporters(zone.pk, year, month)
    assert missing == demo.extra["support_missing_reporter"]
    [reminder] = ReportReminder.objects.filter(zone=zone)
    assert (reminder.enterprise, reminder.year, reminder.month) == (missing, year, month)
    [held] = MonthlyReport.objects.filter(zone=zone, status="pending")
    assert held.enterprise == demo.extra["enterprise"] and (held.year, held.month) == (year, month)
    assert [f["key"] for f in held.flags] == ["late", "output_value"]


def test_labour_demo_records(demo):
    zone = demo.zone
    assert JobPosting.objects.filter(zone=zone, status="published").count() == 6
    assert JobApplication.objects.filter(zone=zone).count() == 3
    [sharing] = LabourSharing.objects.filter(zone=zone)
    assert sharing.status == "confirmed" and sharing.borrower == demo.extra["enterprise"]
    assert TalentNeed.objects.filter(zone=zone).count() == 8
    _rows, _fields, total = talent_needs(zone.pk, timezone.localdate().year)
    assert (total.needed, total.filled, total.rate) == (50, 31, Decimal("62.0"))
