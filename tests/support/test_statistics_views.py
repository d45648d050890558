"""The statistics pages (portal and desk, the import), the API, and the dashboard's figures from the reports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from onezone.assessment.selectors import growth
from onezone.assessment.services import zone_fact_record
from onezone.support.models import MonthlyReport
from tests.support.labour_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _months(enterprise, user, year, output, employees, months=range(1, 13), status="confirmed"):
    for month in months:
        MonthlyReport.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            year=year,
            month=month,
            output_value=Decimal(output),
            revenue=Decimal(output),
            tax=Decimal("1000"),
            employees=employees,
            energy_tce=Decimal("10"),
            status=status,
            reported_at=timezone.make_aware(dt.datetime(year, month, 28)),
            reported_by=user,
        )


def _previous_month():
    today = timezone.localdate()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def test_the_enterprise_reports_in_wan_and_sees_a_held_report(firms):
    client = _client(firms["copper_user"])
    year, month = _previous_month()
    _months(firms["copper"], firms["copper_user"], year - 1, "1000000", 100, months=range(7, 13))
    response = client.post(
        "/portal/enterprise/statistics/",
        {
            "action": "report",
            "period": f"{year}-{month:02d}",
            "output_value": "100.5",
            "revenue": "95",
            "tax": "3",
            "employees": "100",
            "energy_tce": "12.5",
        },
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get(year=year, month=month)
    assert (report.output_value, report.tax, report.energy_tce) == (
        Decimal("1005000.00"),
        Decimal("30000.00"),
        Decimal("12.50"),
    )
    page = client.get("/portal/enterprise/statistics/").content.decode()
    assert "100.50万元" in page


def test_the_enterprise_confirms_a_held_report(firms):
    user, copper = firms["copper_user"], firms["copper"]
    _months(copper, user, 2025, "500000", 50, months=[3], status="pending")
    report = MonthlyReport.objects.get()
    report.flags = [{"key": "late", "message": "逾期报送：2025年3月报表应于 2025-04-10 前报送。"}]
    report.save()
    client = _client(user)
    page = client.get("/portal/enterprise/statistics/").content.decode()
    assert "待确认" in page and "逾期报送：2025年3月报表" in page
    client.post("/portal/enterprise/statistics/", {"action": "confirm", "report": report.pk})
    report.refresh_from_db()
    assert report.status == "confirmed"
    _client(firms["food_user"]).post("/portal/enterprise/statistics/", {"action": "confirm", "report": report.pk})


def test_desk_statistics_page_shows_totals_missing_and_held(firms, desk, users):
    _months(firms["copper"], firms["copper_user"], 2025, "2000000", 120)
    page = _client(users["clerk"]).get("/desk/support/statistics/", {"year": 2025}).content.decode()
    assert "2,400.00万元" in page  # 12 × 200万
    assert "永昌牧业食品有限公司" in page  # has not reported the last month due
    assert "/desk/support/statistics/import/" not in page.split('id="year-figures"')[0].split("<form")[-1]
    assert "导入统计局月报" in _client(desk).get("/desk/support/statistics/", {"year": 2025}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_desk_import_page(firms, desk, outsider):
    from openpyxl import Workbook

    from onezone.core.jobs import Job, JobState
    from tests.core.test_jobs import run_worker

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "统一社会信用代码",
            "年度",
            "月份",
            "工业总产值（万元）",
            "营业收入（万元）",
            "实缴税金（万元）",
            "从业人员（人）",
            "综合能耗（吨标准煤）",
        ]
    )
    sheet.append([firms["copper"].uscc, 2025, 6, 100, 90, 3, 50, 20])
    data = io.BytesIO()
    book.save(data)
    upload = io.BytesIO(data.getvalue())
    upload.name = "月报.xlsx"
    refused = _client(outsider).post("/desk/support/statistics/import/", {"file": upload})
    assert "经济发展局" in refused.content.decode() and MonthlyReport.objects.count() == 0
    upload.seek(0)
    started = _client(desk).post("/desk/support/statistics/import/", {"file": upload})
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/desk/jobs/{job.pk}/"
    assert (job.kind, job.title, MonthlyReport.objects.count()) == (
        "support.statistics_import",
        "导入统计局企业月报：月报.xlsx",
        0,
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.message.startswith("导入完成：新增月报 1 份")
    assert MonthlyReport.objects.get().output_value == Decimal("1000000.00")
    assert _client(desk).get("/desk/support/statistics/import-template.xlsx").status_code == 200


def test_api_year_and_report(zone, firms, desk):
    _months(firms["copper"], firms["copper_user"], 2025, "2000000", 120)
    answer = _client(desk).get(f"/api/v1/support/zones/{zone.pk}/statistics/2025").json()
    assert answer["output_value"] == "24000000.00" and answer["employees"] == 120 and len(answer["by_month"]) == 12
    missing = _client(desk).get(f"/api/v1/support/zones/{zone.pk}/statistics/2025/12/missing").json()
    assert [m["name"] for m in missing] == ["永昌牧业食品有限公司"]
    year, month = _previous_month()
    created = _client(firms["food_user"]).post(
        f"/api/v1/support/zones/{zone.pk}/monthly-reports",
        {
            "year": year,
            "month": month,
            "output_value": "10",
            "revenue": "10",
            "tax": "1",
            "employees": 3,
            "energy_tce": "1",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] in {"confirmed", "pending"}
    assert _client(firms["food_user"]).get(f"/api/v1/support/zones/{zone.pk}/statistics/2025").status_code == 403


# --- the dashboard reads the reports ------------------------------------------------------------


def test_growth_comes_from_the_latest_whole_year_of_reports(zone, root, firms, django_assert_num_queries):
    zone.reform_date = dt.date(2021, 6, 1)
    zone.save()
    zone_fact_record(
        actor=root,
        zone_id=zone.pk,
        year=2020,
        planned_area_km2=Decimal("10"),
        industrial_output=Decimal("1000000"),
        employees=50,
    )
    # A typed-in fact for 2025 that the reports contradict: the reports win.
    zone_fact_record(
        actor=root,
        zone_id=zone.pk,
        year=2025,
        planned_area_km2=Decimal("40"),
        industrial_output=Decimal("99999999"),
        employees=999,
    )
    _months(firms["copper"], firms["copper_user"], 2025, "2000000", 120)
    _months(firms["food"], firms["food_user"], 2025, "500000", 30)
    _months(firms["food"], firms["food_user"], 2026, "900000", 35, months=range(1, 3))  # not a whole year
    with django_assert_num_queries(4):  # the facts, the latest whole year, its sums, its year-end employees
        result = growth(zone)
    assert (result.baseline.year, result.latest.year) == (2020, 2025)
    assert result.latest.industrial_output == Decimal("30000000.00")  # 12 × (200万 + 50万)
    assert result.latest.employees == 150
    assert result.output_multiple == Decimal("30.0") and result.jobs_added == 100
    assert result.area_multiple == Decimal("5.0")  # the zone's planned area 50 over 10


def test_without_reports_the_facts_stay(zone, root):
    zone_fact_record(
        actor=root,
        zone_id=zone.pk,
        year=2020,
        planned_area_km2=Decimal("10"),
        industrial_output=Decimal("1000000"),
        employees=50,
    )
    zone_fact_record(
        actor=root,
        zone_id=zone.pk,
        year=2024,
        planned_area_km2=Decimal("20"),
        industrial_output=Decimal("5000000"),
        employees=80,
    )
    result = growth(zone, baseline_year=2020)
    assert (result.latest.year, result.output_multiple, result.jobs_added) == (2024, Decimal("5.0"), 30)
    assert result.latest.pk is not None
