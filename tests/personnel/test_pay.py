import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.personnel.models import PayrollRun, Payslip
from onezone.personnel.selectors import payslips_of
from onezone.personnel.services import (
    cycle_close,
    cycle_open,
    payroll_run_approve,
    payroll_run_create,
    payroll_run_export,
    payroll_run_open,
    payroll_run_pay,
    payslip_item_add,
    payslip_open,
)
from tests.conftest import PASSWORD
from tests.personnel.conftest import rate_all
from tests.personnel.test_appraisal import STRONG

pytestmark = pytest.mark.django_db
D = Decimal
OCT = dt.date(2026, 10, 1)


@pytest.fixture
def graded(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = cycle_open(
        actor=hr,
        zone_id=zone.pk,
        name="2025年度考核",
        period="yearly",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    rate_all(hr, cycle, STRONG)
    return cycle_close(actor=hr, cycle=cycle)


def test_payroll_run_splits_the_pool_exactly_by_grade(zone, users, staff, graded):
    hr = users["hr_officer"]
    run = payroll_run_create(actor=hr, body=staff["office"], month=dt.date(2026, 10, 15), pool=D("10000.00"))
    assert run.month == OCT and run.cycle == graded and run.status == "draft"
    slips = {
        s.person.name: (s.appraisal_grade, s.coefficient, s.base_pay, s.performance_pay, s.total)
        for s in payslips_of(run)
    }
    # coefficients 1.2 (甲) + 1.0 (乙, 丙) + 0.6 (丁) + 0 (戊) = 3.8; exact shares in fen 315789.47,
    # 263157.89 (twice), 157894.74: the three fen left go to the largest remainders (乙, 丙, 丁)
    assert slips == {
        "甲主任": ("excellent", D("1.20"), D("5200.00"), D("3157.89"), D("8357.89")),
        "乙科员": ("competent", D("1.00"), D("4300.00"), D("2631.58"), D("6931.58")),
        "丙科员": ("competent", D("1.00"), D("4300.00"), D("2631.58"), D("6931.58")),
        "丁科员": ("basic", D("0.60"), D("4300.00"), D("1578.95"), D("5878.95")),
        "戊师傅": ("unsatisfactory", D("0.00"), D("3600.00"), D("0.00"), D("3600.00")),
    }
    assert sum(s[3] for s in slips.values()) == D("10000.00")


def test_one_run_per_body_and_month(zone, users, staff, graded):
    hr = users["hr_officer"]
    payroll_run_create(actor=hr, body=staff["office"], month=OCT, pool=D("100.00"))
    with pytest.raises(Conflict, match="2026年10月的工资已在核算"):
        payroll_run_create(actor=hr, body=staff["office"], month=dt.date(2026, 10, 31), pool=D("100.00"))
    assert PayrollRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_for_the_same_month_make_one(zone, users, staff):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs a server database")
    from onezone.personnel.models import PostGradePay  # noqa: F401

    hr = users["hr_officer"]
    results = []

    def attempt():
        try:
            payroll_run_create(actor=hr, body=staff["office"], month=OCT, pool=D("100.00"))
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "conflict", "ok"]
    assert PayrollRun.objects.count() == 1


def test_missing_pay_scale_is_refused(zone, users, staff):
    from onezone.personnel.models import PostGradePay

    PostGradePay.objects.filter(grade="技术工").delete()
    with pytest.raises(InvalidInput, match="工勤技能岗位·技术工"):
        payroll_run_create(actor=users["hr_officer"], body=staff["office"], month=OCT, pool=D("100.00"))
    assert PayrollRun.objects.count() == 0


def test_without_a_completed_cycle_everyone_is_unrated(zone, users, staff):
    run = payroll_run_create(actor=users["hr_officer"], body=staff["centre"], month=OCT, pool=D("0.03"))
    assert run.cycle is None
    assert sorted(run.payslips.values_list("performance_pay", flat=True)) == [D("0.01"), D("0.02")]


def test_items_workflow_and_lock(zone, users, staff, graded):
    hr = users["hr_officer"]
    run = payroll_run_create(actor=hr, body=staff["office"], month=OCT, pool=D("10000.00"))
    slip = run.payslips.get(person__name="乙科员")
    payslip_item_add(actor=hr, payslip=slip, name="交通补贴", amount=D("300.00"))
    payslip_item_add(actor=hr, payslip=slip, name="个人所得税", amount=D("-120.50"))
    slip.refresh_from_db()
    assert (slip.other_total, slip.total) == (D("179.50"), D("4300.00") + D("2631.58") + D("179.50"))
    with pytest.raises(TransitionNotAllowed, match="不能改为“已发放”"):
        payroll_run_pay(actor=hr, run=run)
    payroll_run_approve(actor=hr, run=run)
    with pytest.raises(TransitionNotAllowed, match="不能再调整工资项目"):
        payslip_item_add(actor=hr, payslip=slip, name="奖金", amount=D("1.00"))
    paid = payroll_run_pay(actor=hr, run=run)
    assert paid.status == "paid" and paid.paid_at is not None


def test_export_xlsx_adds_up_and_is_audited(zone, users, staff, graded):
    hr = users["hr_officer"]
    run = payroll_run_create(actor=hr, body=staff["office"], month=OCT, pool=D("10000.00"))
    content = payroll_run_export(actor=hr, run=run)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[2]] == [
        "姓名",
        "岗位",
        "岗位等级",
        "考核等次",
        "绩效系数",
        "基本工资",
        "绩效工资",
        "其他项目",
        "应发合计",
    ]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "合计" and D(str(last[6])) == D("10000.00")
    assert AuditEvent.objects.filter(action="payroll.export", object_id=str(run.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        payroll_run_export(actor=users["admin"], run=run)


def test_pay_is_visible_only_to_hr_and_the_person_and_every_view_is_audited(zone, users, staff, graded):
    hr = users["hr_officer"]
    run = payroll_run_create(actor=hr, body=staff["centre"], month=OCT, pool=D("2000.00"))
    own = run.payslips.get(person__name="己受理")  # linked to the clerk's account
    other = run.payslips.get(person__name="庚审查")

    # not yet approved: the person does not see it
    with pytest.raises(Exception, match="尚在核算"):
        payslip_open(actor=users["clerk"], payslip_id=own.pk)
    payroll_run_approve(actor=hr, run=run)

    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="无权查看他人的工资条"):
        payslip_open(actor=users["clerk"], payslip_id=other.pk)
    with pytest.raises(PermissionDenied):
        payslip_open(actor=users["leader"], payslip_id=other.pk)
    with pytest.raises(PermissionDenied):
        payroll_run_open(actor=users["clerk"], run=run)
    assert AuditEvent.objects.count() == before  # a refused look leaves nothing behind

    assert payslip_open(actor=users["clerk"], payslip_id=own.pk).pk == own.pk
    assert payslip_open(actor=hr, payslip_id=other.pk).pk == other.pk
    views = AuditEvent.objects.filter(action="payslip.view").order_by("id")
    assert [(e.actor_name, e.object_id, e.changes["own"]) for e in views] == [
        ("u-clerk", str(own.pk), True),
        ("u-hr_officer", str(other.pk), False),
    ]


def test_my_payslips_page_and_refusal_over_http(zone, users, staff, graded):
    hr = users["hr_officer"]
    run = payroll_run_create(actor=hr, body=staff["centre"], month=OCT, pool=D("2000.00"))
    payroll_run_approve(actor=hr, run=run)
    own = run.payslips.get(person__name="己受理")
    other = run.payslips.get(person__name="庚审查")
    client = Client()
    client.login(username="u-clerk", password=PASSWORD)
    page = client.get("/desk/personnel/my-payslips/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2026年10月" in html and str(own.total) in html and str(other.total) not in html
    assert AuditEvent.objects.filter(action="payslip.view_own", actor_name="u-clerk").count() == 1
    refused = client.get(f"/desk/personnel/payslips/{other.pk}/")
    assert refused.status_code == 403
    assert str(other.performance_pay) not in refused.content.decode()
    assert "无权查看他人的工资条" in refused.content.decode()
    mine = client.get(f"/desk/personnel/payslips/{own.pk}/")
    assert mine.status_code == 200 and str(own.base_pay) in mine.content.decode()
    assert AuditEvent.objects.filter(action="payslip.view", object_id=str(own.pk)).count() == 1
    assert not AuditEvent.objects.filter(action="payslip.view", object_id=str(other.pk)).exists()


def test_payslip_list_query_count_is_fixed(zone, users, staff, graded, django_assert_num_queries):
    run = payroll_run_create(actor=users["hr_officer"], body=staff["office"], month=OCT, pool=D("100.00"))
    with django_assert_num_queries(2):
        rows = [(s.person.name, s.post.title, s.run.body.name, list(s.items.all())) for s in payslips_of(run)]
    assert len(rows) == Payslip.objects.filter(run=run).count() == 5
