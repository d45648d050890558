import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.models import AuditEvent
from onezone.personnel.models import Appraisal, AppraisalCycle, EmploymentContract, PayrollRun, Rating
from onezone.personnel.services import cycle_open
from tests.conftest import PASSWORD
from tests.personnel.conftest import rate_all
from tests.personnel.test_appraisal import STRONG

pytestmark = pytest.mark.django_db


def _client(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/personnel/employmentcontract/",
        "/admin/personnel/employmentcontract/add/",
        "/admin/personnel/postgradepay/",
        "/admin/personnel/appraisalscheme/",
        "/admin/personnel/appraisalscheme/add/",
        "/admin/personnel/appraisalcycle/",
        "/admin/personnel/appraisalcycle/add/",
        "/admin/personnel/appeal/",
        "/admin/personnel/appeal/add/",
        "/admin/personnel/payrollrun/",
        "/admin/personnel/payrollrun/add/",
        "/admin/personnel/personnelpolicy/",
    ],
)
def test_hr_pages_open_and_others_are_refused(zone, users, staff, schemes, url):
    assert _client("u-hr_officer").get(url).status_code == 200
    assert _client("u-clerk").get(url).status_code == 403


def test_contract_pages_draft_sign_and_renew(zone, users, staff):
    hr = _client("u-hr_officer")
    person = staff["people"]["乙科员"]
    bad = hr.post(
        "/admin/personnel/employmentcontract/add/",
        {
            "person": person.pk,
            "post": staff["posts"]["clerk"].pk,
            "number": "C-1",
            "term_type": "fixed",
            "start": "2024-01-01",
            "probation_months": 0,
        },
    )
    assert bad.status_code == 400 and "固定期限合同必须填写终止日期" in bad.content.decode()
    ok = hr.post(
        "/admin/personnel/employmentcontract/add/",
        {
            "person": person.pk,
            "post": staff["posts"]["clerk"].pk,
            "number": "C-1",
            "term_type": "fixed",
            "start": "2024-01-01",
            "end": "2026-12-31",
            "probation_months": 2,
        },
    )
    assert ok.status_code == 302
    contract = EmploymentContract.objects.get(number="C-1")
    hr.post("/admin/personnel/employmentcontract/", {"action": "activate_selected", "_selected_action": [contract.pk]})
    contract.refresh_from_db()
    assert contract.status == "active"
    renewed = hr.post(
        f"/admin/personnel/employmentcontract/{contract.pk}/renew/",
        {"number": "C-2", "term_type": "fixed", "end": "2029-12-31"},
    )
    assert renewed.status_code == 302
    assert EmploymentContract.objects.get(number="C-2").previous == contract


def test_rating_page_board_and_close(zone, users, staff, schemes):
    hr_user = users["hr_officer"]
    cycle = cycle_open(
        actor=hr_user,
        zone_id=zone.pk,
        name="2025年度考核",
        period="yearly",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    rate_all(hr_user, cycle, {k: v for k, v in STRONG.items() if k != "丙科员"})
    hr = _client("u-hr_officer")
    appraisal = Appraisal.objects.get(cycle=cycle, person__name="丙科员")
    page = hr.get(f"/admin/personnel/appraisalcycle/rate/{appraisal.pk}/")
    assert page.status_code == 200
    fields = {}
    for indicator in appraisal.scheme.indicators.all():
        for kind in ("self", "leader", "peer"):
            fields[f"score-{indicator.pk}-{kind}"] = "80"
    bad = hr.post(f"/admin/personnel/appraisalcycle/rate/{appraisal.pk}/", {**fields, next(iter(fields)): "120"})
    assert bad.status_code == 400 and "0 至 100" in bad.content.decode()
    assert not Rating.objects.filter(appraisal=appraisal).exists()
    assert hr.post(f"/admin/personnel/appraisalcycle/rate/{appraisal.pk}/", fields).status_code == 302
    board = hr.get(f"/admin/personnel/appraisalcycle/{cycle.pk}/board/").content.decode()
    assert "因优秀名额限制定为称职" in board and "完成考核并锁定" in board
    hr.post(f"/admin/personnel/appraisalcycle/{cycle.pk}/close/")
    cycle.refresh_from_db()
    assert cycle.status == AppraisalCycle.Status.CLOSED
    locked = hr.get(f"/admin/personnel/appraisalcycle/{cycle.pk}/board/").content.decode()
    assert "已完成并锁定" in locked
    refused = hr.post(f"/admin/personnel/appraisalcycle/rate/{appraisal.pk}/", fields)
    assert refused.status_code == 400 and "已完成并锁定" in refused.content.decode()
    assert _client("u-clerk").post(f"/admin/personnel/appraisalcycle/{cycle.pk}/close/").status_code == 403


def test_payroll_pages_create_view_approve_export(zone, users, staff, schemes):
    hr = _client("u-hr_officer")
    response = hr.post(
        "/admin/personnel/payrollrun/add/", {"body": staff["office"].pk, "month": "2026-10", "pool": "1000.00"}
    )
    assert response.status_code == 302
    run = PayrollRun.objects.get()
    assert run.month == dt.date(2026, 10, 1)
    again = hr.post("/admin/personnel/payrollrun/add/", {"body": staff["office"].pk, "month": "2026-10", "pool": "1"})
    assert again.status_code == 400 and "已在核算" in again.content.decode()
    sheet = hr.get(f"/admin/personnel/payrollrun/{run.pk}/sheet/")
    assert sheet.status_code == 200 and "绩效工资各部分之和与总额一致" in sheet.content.decode()
    assert AuditEvent.objects.filter(action="payroll.view", object_id=str(run.pk)).count() == 1
    hr.post(f"/admin/personnel/payrollrun/{run.pk}/sheet/", {"step": "approve"})
    run.refresh_from_db()
    assert run.status == "approved"
    export = hr.get(f"/admin/personnel/payrollrun/{run.pk}/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    clerk = _client("u-clerk")
    assert clerk.get(f"/admin/personnel/payrollrun/{run.pk}/sheet/").status_code == 403
    assert clerk.get(f"/admin/personnel/payrollrun/{run.pk}/export/").status_code == 403
    assert sum(run.payslips.values_list("performance_pay", flat=True), Decimal(0)) == Decimal("1000.00")


def test_landing_panel_lists_expiring_contracts_for_hr(zone, users, staff):
    from django.utils import timezone

    from onezone.personnel.services import contract_activate, contract_create

    today = timezone.localdate()
    contract = contract_create(
        actor=users["hr_officer"],
        person=staff["people"]["乙科员"],
        post=staff["posts"]["clerk"],
        number="E-1",
        start=today - dt.timedelta(days=700),
        end=today + dt.timedelta(days=20),
    )
    contract_activate(actor=users["hr_officer"], contract=contract)
    html = _client("u-hr_officer").get("/admin/").content.decode()
    assert "即将到期（60 天内）和待审查的聘用合同" in html and "20 天后到期" in html
    assert "即将到期" not in _client("u-clerk").get("/admin/").content.decode()
