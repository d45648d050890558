import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.company.models import Lease, RentBill, RentPayment
from onezone.company.services import bills_generate, lease_sign, loan_register, project_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_staff_signs_a_lease_bills_it_and_records_a_payment(staff, factory, enterprise):
    web = client_for(staff)
    assert web.get("/company/leases/new/").status_code == 200
    form = {
        "asset": factory.pk,
        "number": "ZL-9",
        "lessee": enterprise.pk,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "rent": "10000",
        "rent_unit": "month",
        "deposit": "20000",
        "billing_cycle": "quarterly",
        "signed_on": "2025-12-20",
    }
    response = web.post("/company/leases/new/", form)
    lease = Lease.objects.get(number="ZL-9")
    assert response.status_code == 302 and response["Location"] == f"/company/leases/{lease.pk}/"
    # The same asset again for an overlapping period: refused beside the form, nothing saved.
    response = web.post("/company/leases/new/", {**form, "number": "ZL-10", "start": "2026-06-01"})
    assert response.status_code == 200
    assert "已出租给永昌新材料有限公司（合同ZL-9）" in response.content.decode()
    assert Lease.objects.count() == 1
    web.post(f"/company/leases/{lease.pk}/", {"do": "generate", "through": "2026-04-01"})
    assert RentBill.objects.filter(lease=lease).count() == 2
    response = web.post(f"/company/leases/{lease.pk}/", {"do": "pay", "paid_on": "2026-01-05", "amount": "35000"})
    assert response.status_code == 302
    page = web.get(f"/company/leases/{lease.pk}/").content.decode()
    assert "ZJ2026-000001：30000.00；ZJ2026-000002：5000.00" in page
    response = web.post(f"/company/leases/{lease.pk}/", {"do": "pay", "paid_on": "2026-01-06", "amount": "99999"})
    assert "超过合同ZL-9已出账未收的租金25000.00元" in response.content.decode()
    assert RentPayment.objects.count() == 1


def test_the_committee_reads_every_page_but_posts_nothing(zone, park, users, staff, factory, decision, enterprise):
    lease = lease_sign(
        actor=staff,
        asset=factory,
        number="ZL-1",
        lessee=enterprise,
        start=dt.date(2025, 7, 1),
        end=dt.date(2026, 12, 31),
        rent=D("1000"),
    )
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 1, 1))
    loan = loan_register(
        actor=staff,
        zone_id=zone.pk,
        contract_number="JK-1",
        lender="银行",
        principal=D("100000"),
        annual_rate=D("4"),
        start=dt.date(2026, 1, 1),
        term_months=12,
        method="equal_instalments",
        payment_day=1,
    )
    project = project_create(actor=staff, zone_id=zone.pk, name="二期", park=park, budget=D("100"))
    pages = [
        f"/company/leases/{lease.pk}/",
        "/company/arrears/?on=2026-01-01",
        f"/company/loans/{loan.pk}/",
        f"/company/projects/{project.pk}/",
        "/company/statements/?year=2026&month=1",
        "/admin/company/asset/",
        "/admin/company/lease/",
        "/admin/company/rentbill/",
        "/admin/company/loan/",
        "/admin/company/constructionproject/",
        "/admin/",
    ]
    leader = client_for(users["leader"])
    for url in pages:
        assert leader.get(url, follow=True).status_code == 200, url
    landing = leader.get("/admin/").content.decode()
    assert "开发运营公司" in landing and "借款与债券余额" in landing
    for url, data in [
        (f"/company/leases/{lease.pk}/", {"do": "pay", "paid_on": "2026-01-05", "amount": "1"}),
        (f"/company/projects/{project.pk}/", {"do": "progress", "on": "2026-01-05", "percent": "5"}),
        ("/company/leases/new/", {}),
        ("/company/loans/new/", {}),
    ]:
        assert leader.post(url, data).status_code == 403, url
    assert RentPayment.objects.count() == 0
    clerk = client_for(users["clerk"])
    assert clerk.get(f"/company/loans/{loan.pk}/").status_code == 403
    schedule = leader.get(f"/company/loans/{loan.pk}/").content.decode()
    assert "8,514.99" in schedule  # 100000 at 4 % over 12 months: 8514.990… a month


def test_staff_landing_lists_repayments_due(zone, staff):
    from django.utils import timezone

    today = timezone.localdate()
    loan_register(
        actor=staff,
        zone_id=zone.pk,
        contract_number="JK-9",
        lender="甘肃银行",
        principal=D("100000"),
        annual_rate=D("4"),
        start=today - dt.timedelta(days=40),
        term_months=12,
        method="equal_principal",
        payment_day=today.day if today.day <= 28 else 28,
    )
    page = client_for(staff).get("/admin/").content.decode()
    assert "30天内到期的借款还款" in page and "甘肃银行 JK-9" in page


def test_api_lists_and_schedules(zone, users, staff, factory, decision, enterprise):
    api = client_for(staff)
    response = api.post(
        "/api/v1/company/loans",
        {
            "contract_number": "JK-2",
            "lender": "国开行",
            "principal": "10000",
            "annual_rate": "12",
            "start": "2026-01-31",
            "term_months": 3,
            "method": "equal_instalments",
            "payment_day": 20,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(r["principal"], r["interest"]) for r in body["schedule"]] == [
        ("3300.22", "100.00"),
        ("3333.22", "67.00"),
        ("3366.56", "33.67"),
    ]
    response = api.post(
        "/api/v1/company/loans",
        {
            "contract_number": "JK-3",
            "lender": "国开行",
            "principal": "9000000",
            "annual_rate": "3",
            "start": "2026-02-01",
            "term_months": 36,
            "method": "equal_principal",
            "payment_day": 20,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "decision" in response.json()["fields"]
    response = api.post(
        "/api/v1/company/leases",
        {
            "asset_id": factory.pk,
            "number": "ZL-API",
            "lessee_id": enterprise.pk,
            "start": "2026-01-01",
            "end": "2026-06-30",
            "rent": "1000",
            "billing_cycle": "monthly",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    lease_id = response.json()["id"]
    bills = api.post(
        f"/api/v1/company/leases/{lease_id}/bills", {"through": "2026-02-01"}, content_type="application/json"
    )
    assert [b["number"] for b in bills.json()] == ["ZJ2026-000001", "ZJ2026-000002"]
    paid = api.post(
        f"/api/v1/company/leases/{lease_id}/payments",
        {"paid_on": "2026-02-02", "amount": "1500"},
        content_type="application/json",
    )
    assert paid.status_code == 201
    assert paid.json()["allocations"] == [
        {"bill_number": "ZJ2026-000001", "amount": "1000.00"},
        {"bill_number": "ZJ2026-000002", "amount": "500.00"},
    ]
    reader = client_for(users["leader"])
    assets = reader.get("/api/v1/company/assets").json()
    assert [(a["code"], a["status"]) for a in assets] == [("CF-001", "leased")]
    arrears = reader.get("/api/v1/company/arrears?on=2026-03-01").json()
    # Two monthly bills of 1000 were issued; 1500 of them is paid.
    assert arrears["total"] == "500.00"
    assert arrears["totals"]["d0_30"] == "500.00"
    assert reader.get("/api/v1/company/bills").status_code == 200
    assert reader.get("/api/v1/company/payments").status_code == 200
    assert reader.get("/api/v1/company/loans").json()[0]["contract_number"] == "JK-2"
    assert client_for(users["clerk"]).get("/api/v1/company/assets").status_code == 403
