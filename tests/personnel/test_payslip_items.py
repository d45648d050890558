"""An allowance or deduction is added to a payslip on the payroll run's page, through the service."""

from decimal import Decimal

import pytest

from onezone.core.models import AuditEvent
from onezone.personnel.models import PayrollRun, PayslipItem
from tests.personnel.test_backoffice import _client

pytestmark = pytest.mark.django_db


def test_a_payslip_item_is_added_on_the_run_page_while_it_is_a_draft(zone, users, staff, schemes):
    hr = _client("u-hr_officer")
    hr.post("/admin/personnel/payrollrun/add/", {"body": staff["office"].pk, "month": "2026-10", "pool": "1000.00"})
    run = PayrollRun.objects.get()
    slip = run.payslips.order_by("pk").first()
    sheet = f"/admin/personnel/payrollrun/{run.pk}/sheet/"
    assert 'id="payslip-item"' in hr.get(sheet).content.decode()
    refused = hr.post(sheet, {"step": "item", "payslip": slip.pk, "name": "交通补贴", "amount": "12.345"}, follow=True)
    assert "金额应精确到分。" in refused.content.decode()
    refused = hr.post(sheet, {"step": "item", "payslip": slip.pk, "name": "", "amount": "100"}, follow=True)
    assert "请填写项目名称。" in refused.content.decode()
    assert not PayslipItem.objects.exists()
    # Someone without the HR role cannot reach the page at all.
    assert (
        _client("u-clerk").post(sheet, {"step": "item", "payslip": slip.pk, "name": "补贴", "amount": "1"}).status_code
        == 403
    )
    hr.post(sheet, {"step": "item", "payslip": slip.pk, "name": "交通补贴", "amount": "300"})
    hr.post(sheet, {"step": "item", "payslip": slip.pk, "name": "病假扣款", "amount": "-120.50"})
    slip.refresh_from_db()
    assert slip.other_total == Decimal("179.50")
    assert slip.total == slip.base_pay + slip.performance_pay + Decimal("179.50")
    assert AuditEvent.objects.filter(action="payslip.item_add", object_id=str(slip.pk)).count() == 2
    hr.post(sheet, {"step": "approve"})
    page = hr.get(sheet).content.decode()
    assert 'id="payslip-item"' not in page
    refused = hr.post(sheet, {"step": "item", "payslip": slip.pk, "name": "补发", "amount": "1"}, follow=True)
    assert "不能再调整工资项目" in refused.content.decode()
    assert PayslipItem.objects.count() == 2
