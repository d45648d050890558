"""Monthly reports: submitting, holding and confirming, the import all-or-nothing, the chase, the totals."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.support.models import MonthlyReport, ReportReminder
from onezone.support.selectors.statistics import (
    group_rows,
    latest_complete_year,
    missing_reporters,
    month_rows,
    year_figures,
)
from onezone.support.services.statistics import report_confirm, report_submit, reports_chase
from onezone.support.services.statistics_import import statistics_import, statistics_import_template
from tests.support.labour_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 8)


@pytest.fixture(autouse=True)
def _today():
    """Reports are judged against today: the tests run on 8 December 2026."""
    moment = timezone.make_aware(dt.datetime(2026, 12, 8, 10, 0))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _report(user, enterprise, year, month, output="1000000", employees=100, **extra):
    values = {"output_value": output, "revenue": "950000", "tax": "30000", "employees": employees, "energy_tce": "120"}
    values.update(extra)
    return report_submit(actor=user, enterprise=enterprise, year=year, month=month, **values)


def _backfill(enterprise, user, months, output=Decimal("1000000"), employees=100):
    """Confirmed reports reported on time (as the import or a past submission would leave them)."""
    for year, month in months:
        MonthlyReport.objects.create(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            year=year,
            month=month,
            output_value=output,
            revenue=Decimal("950000"),
            tax=Decimal("30000"),
            employees=employees,
            energy_tce=Decimal("120"),
            status="confirmed",
            reported_at=timezone.make_aware(dt.datetime(year, month, 28)),
            reported_by=user,
        )


def test_an_on_time_report_counts_at_once(firms):
    report = _report(firms["copper_user"], firms["copper"], 2026, 11)
    assert (report.status, report.flags, report.output_value) == ("confirmed", [], Decimal("1000000.00"))
    assert AuditEvent.objects.filter(action="support.report.submit", object_id=str(report.pk)).count() == 1


def test_a_late_report_is_held_until_the_enterprise_confirms(firms):
    report = _report(firms["copper_user"], firms["copper"], 2026, 10)
    assert report.status == "pending"
    assert report.flags == [{"key": "late", "message": "逾期报送：2026年10月报表应于 2026-11-10 前报送。"}]
    assert year_figures(firms["copper"].zone_id, 2026).output_value == Decimal(0)
    report = report_confirm(actor=firms["copper_user"], report=report)
    assert report.status == "confirmed"
    assert year_figures(firms["copper"].zone_id, 2026).output_value == Decimal("1000000.00")
    with pytest.raises(TransitionNotAllowed):
        report_confirm(actor=firms["copper_user"], report=report)


def test_ten_times_the_usual_is_held_and_a_correction_releases_it(firms):
    copper, user = firms["copper"], firms["copper_user"]
    _backfill(copper, user, [(2026, m) for m in range(5, 11)])
    report = _report(user, copper, 2026, 11, output="10000000")
    assert report.status == "pending"
    assert [f["key"] for f in report.flags] == ["output_value"]
    assert "是近期通常值 100.00万元的 10.0 倍" in report.flags[0]["message"]
    corrected = _report(user, copper, 2026, 11, output="1000000")
    assert (corrected.pk, corrected.status, corrected.flags) == (report.pk, "confirmed", [])
    assert AuditEvent.objects.filter(action="support.report.correct").count() == 1


def test_another_enterprise_cannot_report_or_confirm_and_nothing_changes(firms, stranger, desk):
    with pytest.raises(NotFound):
        _report(firms["food_user"], firms["copper"], 2026, 11)
    with pytest.raises(PermissionDenied):
        _report(desk, firms["copper"], 2026, 11)
    held = _report(firms["copper_user"], firms["copper"], 2026, 10)
    with pytest.raises(NotFound):
        report_confirm(actor=firms["food_user"], report=held)
    with pytest.raises(PermissionDenied):
        report_confirm(actor=stranger["user"], report=held)
    held.refresh_from_db()
    assert held.status == "pending"
    assert MonthlyReport.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "month", "extra", "message"),
    [
        (2026, 12, {}, "尚未结束"),
        (2026, 13, {}, "月份不正确"),
        (2026, 11, {"employees": "12.5"}, "从业人员应为"),
        (2026, 11, {"tax": "-1"}, "不能为负数"),
        (2026, 11, {"revenue": ""}, "请填写：营业收入"),
        (2026, 11, {"output": "abc"}, "工业总产值应为数字"),
    ],
)
def test_report_inputs(firms, year, month, extra, message):
    with pytest.raises(InvalidInput, match=message):
        _report(firms["copper_user"], firms["copper"], year, month, **extra)
    assert MonthlyReport.objects.count() == 0


# --- totals ---------------------------------------------------------------------------------------


def test_year_figures_months_parks_and_industries(firms):
    copper, food = firms["copper"], firms["food"]
    _backfill(copper, firms["copper_user"], [(2025, m) for m in range(1, 13)], output=Decimal("2000000"), employees=120)
    _backfill(food, firms["food_user"], [(2025, m) for m in range(1, 12)], output=Decimal("500000"), employees=40)
    figures = year_figures(copper.zone_id, 2025)
    assert figures.output_value == Decimal("29500000.00")  # 12 × 200万 + 11 × 50万
    assert figures.tax == Decimal("690000.00")
    assert figures.employees == 160  # each enterprise's latest month of the year
    assert (figures.months, figures.reporters) == (12, 2)
    rows = month_rows(copper.zone_id, 2025)
    assert [(r["month"], r["output_value"], r["reporters"]) for r in rows][-2:] == [
        (11, Decimal("2500000.00"), 2),
        (12, Decimal("2000000.00"), 1),
    ]
    assert [(r["name"], r["output_value"]) for r in group_rows(copper.zone_id, 2025, by="park")] == [
        ("河西堡工业园", Decimal("24000000.00")),
        ("东寨工业园", Decimal("5500000.00")),
    ]
    assert [r["output_value"] for r in group_rows(copper.zone_id, 2025, by="industry")] == [
        Decimal("24000000.00"),
        Decimal("5500000.00"),
    ]
    assert latest_complete_year(copper.zone_id, before=2026) == 2025
    assert latest_complete_year(copper.zone_id, before=2025) is None


def test_year_figures_query_count(firms, django_assert_num_queries):
    _backfill(firms["copper"], firms["copper_user"], [(2025, m) for m in range(1, 13)])
    with django_assert_num_queries(2):
        year_figures(firms["copper"].zone_id, 2025)
    with django_assert_num_queries(2):
        month_rows(firms["copper"].zone_id, 2025)


# --- the chase ------------------------------------------------------------------------------------


def test_the_chase_reminds_each_missing_enterprise_once_per_month(firms, stranger):
    from onezone.notify.models import Notification

    _backfill(firms["copper"], firms["copper_user"], [(2026, 10)])
    assert [e.name for e in missing_reporters(firms["copper"].zone_id, 2026, 10)] == ["永昌牧业食品有限公司"]
    summary = reports_chase(today=TODAY)
    assert summary == "企业月报催报：2026年10月缺报提醒 2 家"  # the food enterprise and the other zone's
    assert reports_chase(today=TODAY) == "企业月报催报：2026年10月缺报提醒 0 家"
    assert ReportReminder.objects.count() == 2
    told = Notification.objects.filter(event="support.report_missing")
    assert sorted(n.recipient.username for n in told) == ["lab-food", "lab-stranger"]
    assert told.get(recipient=firms["food_user"]).subject == "请报送2026年10月企业月度统计报表"


# --- the import ----------------------------------------------------------------------------------


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "统一社会信用代码",
            "企业名称",
            "年度",
            "月份",
            "工业总产值（万元）",
            "营业收入（万元）",
            "实缴税金（万元）",
            "从业人员（人）",
            "综合能耗（吨标准煤）",
        ]
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_writes_every_row_in_yuan_and_replaces_own_reports(firms, desk):
    copper, food = firms["copper"], firms["food"]
    own = _report(firms["copper_user"], copper, 2026, 11)
    content = _workbook(
        [
            [copper.uscc, copper.name, 2026, 11, 250.5, 240, 8.25, 130, 400.5],
            [food.uscc, "", 2026, 11, "60", "58", "1.5", 45, 30],
        ]
    )
    result = statistics_import(actor=desk, zone_id=copper.zone_id, content=content)
    assert (result.created, result.replaced, result.months) == (1, 1, ["2026年11月"])
    own.refresh_from_db()
    assert (own.output_value, own.tax, own.employees, own.source, own.status) == (
        Decimal("2505000.00"),
        Decimal("82500.00"),
        130,
        "import",
        "confirmed",
    )
    assert MonthlyReport.objects.get(enterprise=food).output_value == Decimal("600000.00")
    assert AuditEvent.objects.get(action="support.report.import").changes == {
        "created": 1,
        "replaced": 1,
        "months": ["2026年11月"],
    }


def test_the_import_is_all_or_nothing_with_a_row_by_row_report(firms, desk, stranger):
    copper = firms["copper"]
    content = _workbook(
        [
            [copper.uscc, copper.name, 2026, 11, 250, 240, 8, 130, 400],
            [stranger["enterprise"].uscc, "", 2026, 11, 1, 1, 1, 1, 1],
            [copper.uscc, "别的名字有限公司", 2026, 10, 1, 1, 1, 1, 1],
            [copper.uscc, "", 2026, 11, 1, 1, 1, 1, 1],
            [firms["food"].uscc, "", 2026, 11, "多", 1, 1, 1, 1],
        ]
    )
    with pytest.raises(InvalidInput) as caught:
        statistics_import(actor=desk, zone_id=copper.zone_id, content=content)
    lines = caught.value.message.splitlines()
    assert lines[0] == "导入文件共 5 行数据：4 行有误，1 行无误，发现 4 处错误，未导入任何数据。请改正后重新上传："
    assert lines[1].startswith("第3行“统一社会信用代码”：“")
    assert lines[2].startswith("第4行“企业名称”：“别的名字有限公司”与企业库")
    assert lines[3] == "第5行：与第2行重复（同一企业同一月份），请只保留一行。"
    assert lines[4] == "第6行：工业总产值应为数字，收到“多”。"
    assert MonthlyReport.objects.count() == 0
    assert not AuditEvent.objects.filter(action="support.report.import").exists()


def test_the_import_needs_the_desk_and_a_real_workbook(firms, outsider, desk):
    content = _workbook([[firms["copper"].uscc, "", 2026, 11, 1, 1, 1, 1, 1]])
    with pytest.raises(PermissionDenied):
        statistics_import(actor=outsider, zone_id=firms["copper"].zone_id, content=content)
    with pytest.raises(InvalidInput, match="不是 Excel"):
        statistics_import(actor=desk, zone_id=firms["copper"].zone_id, content=b"uscc,year\n1,2")
    with pytest.raises(InvalidInput, match="表头缺少"):
        statistics_import(actor=desk, zone_id=firms["copper"].zone_id, content=statistics_template_without_header())
    assert MonthlyReport.objects.count() == 0


def statistics_template_without_header() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["统一社会信用代码", "年度"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_template_has_the_import_header():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(statistics_import_template())).active
    assert [c.value for c in sheet[1]][:4] == ["统一社会信用代码", "企业名称", "年度", "月份"]
