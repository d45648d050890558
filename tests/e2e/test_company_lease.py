import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from onezone.company.models import Lease, RentBill, RentPayment
from onezone.company.services import asset_register
from onezone.core.roles import Role
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def books(transactional_db):
    from onezone.core.calendar import calendar_seed
    from onezone.enterprises.services.registry import enterprise_register

    calendar_seed()
    ctx = load_demo(only=["s10_foundation"])
    factory = asset_register(
        actor=ctx.users[Role.COMPANY_STAFF.value],
        zone_id=ctx.zone.pk,
        code="DZ-CF-09",
        name="东寨标准化厂房9号楼",
        kind="factory",
        park=ctx.parks["dongzhai"],
        cost=Decimal("5000000"),
        acquired_on=dt.date(2024, 1, 10),
        useful_life_months=240,
        status="idle",
    )
    lessee = enterprise_register(
        actor=ctx.users[Role.ADMIN.value],
        zone_id=ctx.zone.pk,
        uscc="91620321MA7ABC341D",
        name="永昌可降解材料有限公司",
        industry_code="C2651",
        park=ctx.parks["dongzhai"],
    )
    return {"factory": factory, "lessee": lessee}


def test_company_staff_leases_a_building_and_records_a_payment(page, live_server, books):
    login(page, live_server, "demo-company", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/company/leases/new/")
    page.select_option("select[name=asset]", label="DZ-CF-09 东寨标准化厂房9号楼")
    page.select_option("select[name=lessee]", label="永昌可降解材料有限公司")
    page.fill("input[name=number]", "YCKF-ZL-2026-088")
    page.fill("input[name=start]", "2026-01-01")
    page.fill("input[name=end]", "2028-12-31")
    page.fill("input[name=rent]", "20000")
    page.select_option("select[name=rent_unit]", "month")
    page.fill("input[name=deposit]", "40000")
    page.select_option("select[name=billing_cycle]", "quarterly")
    page.fill("input[name=signed_on]", "2025-12-15")
    page.get_by_role("button", name="保存").click()

    lease = Lease.objects.get(number="YCKF-ZL-2026-088")
    page.wait_for_url(f"{live_server.url}/company/leases/{lease.pk}/")
    expect(page.get_by_text("永昌可降解材料有限公司（91620321MA7ABC341D）")).to_be_visible()

    page.fill("input[name=through]", "2026-04-01")
    page.locator("#generate-bills").click()
    page.wait_for_load_state()
    bills = page.locator("#lease-bills tbody tr")
    expect(bills).to_have_count(2)
    assert "60000.00" in bills.nth(0).inner_text()

    payment = page.locator("#payment-form")
    payment.locator("input[name=paid_on]").fill("2026-01-08")
    payment.locator("input[name=amount]").fill("70000")
    payment.locator("input[name=reference]").fill("HD-0108")
    payment.get_by_role("button", name="登记收款").click()
    page.wait_for_load_state()
    row = page.locator("#lease-payments tbody tr").first
    assert "HD-0108" in row.inner_text()
    assert "ZJ2026-000001：60000.00；ZJ2026-000002：10000.00" in row.inner_text()
    assert [b.paid for b in RentBill.objects.filter(lease=lease).order_by("period_start")] == [
        Decimal("60000.00"),
        Decimal("10000.00"),
    ]

    # Paying more than is billed is refused beside the amount, and nothing is recorded.
    payment = page.locator("#payment-form")
    payment.locator("input[name=paid_on]").fill("2026-04-02")
    payment.locator("input[name=amount]").fill("60000")
    payment.get_by_role("button", name="登记收款").click()
    expect(page.get_by_text("已出账未收的租金50000.00元").first).to_be_visible()
    assert RentPayment.objects.filter(lease=lease).count() == 1
