"""An HR officer enters the last ratings, closes the quarterly appraisal and runs a body's payroll."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.personnel.models import Appraisal, AppraisalCycle, PayrollRun
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed
    from onezone.demo.steps.s35_personnel import _rate

    calendar_seed()
    ctx = load_demo(only=["s10_foundation", "s35_personnel"])
    quarter = ctx.extra["personnel_cycles"]["2026Q4"]
    names = list(
        Appraisal.objects.filter(cycle=quarter).exclude(person__name="钱国栋").values_list("person__name", flat=True)
    )
    _rate(ctx.users["hr_officer"], quarter, only=names)
    return ctx


def test_hr_closes_the_cycle_and_runs_payroll(page, live_server, demo):
    login(page, live_server, "demo-hr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/personnel/appraisalcycle/")
    page.get_by_role("row", name=re.compile("2026年第四季度考核")).get_by_role("link", name="打开").click()
    board = page.locator("#appraisals")
    assert "尚未录入" in board.get_by_role("row", name=re.compile("钱国栋")).inner_text()

    # the last ratings, entered by hand
    board.get_by_role("link", name="钱国栋").click()
    for field in page.locator("#rate input[type=number][name^=score-]").all():
        field.fill("88")
    page.locator("#rate input[name^=input-]").fill("1")
    page.get_by_role("button", name="保存评分").click()
    expect(page.get_by_text("已保存钱国栋的评分")).to_be_visible()
    expect(page.locator("#quota-table")).to_be_visible()

    page.get_by_role("button", name="完成考核并锁定").click()
    expect(page.get_by_text("已完成并锁定。").first).to_be_visible()
    expect(page.locator("#cycle-status")).to_have_text("已完成（锁定）")
    expect(page.locator("#close-cycle")).to_have_count(0)
    quarter = AppraisalCycle.objects.get(name="2026年第四季度考核")
    assert quarter.status == "closed"
    assert not Appraisal.objects.filter(cycle=quarter, grade="").exists()

    # payroll for the economy bureau, November 2026
    page.goto(f"{live_server.url}/admin/personnel/payrollrun/add/")
    page.select_option("select[name=body]", label="经济发展局")
    page.fill("input[name=month]", "2026-11")
    page.fill("input[name=pool]", "12000.01")
    page.select_option("select[name=cycle]", label="2026年第四季度考核")
    page.get_by_role("button", name="核算").click()
    expect(page.get_by_text("绩效工资各部分之和与总额一致")).to_be_visible()
    expect(page.locator("#performance-total")).to_have_text("12000.01")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#run-status")).to_have_text("已审核")
    run = PayrollRun.objects.get(body__short_name="经发局", month__year=2026, month__month=11)
    assert run.status == "approved" and run.cycle == quarter
    assert sum(run.payslips.values_list("performance_pay", flat=True), Decimal(0)) == Decimal("12000.01")
    with page.expect_download() as download:
        page.locator("#export").click()
    assert download.value.suggested_filename.endswith("2026-11.xlsx")


def test_a_clerk_sees_only_their_own_payslip(page, live_server, demo):
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/personnel/my-payslips/")
    table = page.locator("#my-payslips table")
    expect(table.get_by_role("link", name="2026年10月")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    other = PayrollRun.objects.get(body__short_name="党政办").payslips.first()
    response = page.goto(f"{live_server.url}/desk/personnel/payslips/{other.pk}/")
    assert response.status == 403
    expect(page.get_by_text("无权查看他人的工资条")).to_be_visible()
