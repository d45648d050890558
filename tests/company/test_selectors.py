import datetime as dt
from decimal import Decimal

import pytest

from onezone.company import selectors as s
from onezone.company.services import (
    asset_register,
    bills_generate,
    construction_payment_record,
    lease_sign,
    loan_register,
    payment_record,
    progress_record,
    project_create,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def books(zone, park, staff, factory, enterprise):
    lease = lease_sign(
        actor=staff,
        asset=factory,
        number="ZL-1",
        lessee=enterprise,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        rent=D("10000"),
        billing_cycle="quarterly",
        signed_on=dt.date(2025, 12, 20),
    )
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 4, 1))
    payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 1, 10), amount=D("25000"))
    loan = loan_register(
        actor=staff,
        zone_id=zone.pk,
        contract_number="JK-1",
        lender="甘肃银行",
        principal=D("120000"),
        annual_rate=D("12"),
        start=dt.date(2026, 1, 15),
        term_months=12,
        method="equal_principal",
        payment_day=20,
    )
    project = project_create(actor=staff, zone_id=zone.pk, name="二期厂房", park=park, budget=D("1000000"))
    construction_payment_record(actor=staff, project=project, amount=D("20000"), paid_on=dt.date(2026, 1, 5))
    construction_payment_record(actor=staff, project=project, amount=D("50000"), paid_on=dt.date(2026, 2, 3))
    progress_record(actor=staff, project=project, on=dt.date(2026, 2, 1), percent=10)
    progress_record(actor=staff, project=project, on=dt.date(2026, 2, 28), percent=25)
    return {"lease": lease, "loan": loan, "project": project}


def test_monthly_statement_january(zone, books):
    st = s.monthly_statement(zone.pk, 2026, 1)
    assert st.rent_income == D("30000.00")  # the first quarter, billed 1 January
    assert st.rent_received == D("25000.00")
    assert st.depreciation_expense == D("3958.33")
    # July 2025 – January 2026: 7 charges of 3958.33 = 27708.31
    assert st.fixed_assets == D("972291.69")
    assert st.interest_expense == D("0.00")  # the first instalment falls due on 20 February
    assert st.new_debt == D("120000")
    assert st.debt == D("120000")
    assert st.construction_capitalised == D("20000.00")
    assert st.construction_in_progress == D("20000.00")
    assert st.receivables == D("5000.00")
    assert st.result == D("26041.67")
    assert st.total_assets == D("997291.69")


def test_monthly_statement_february(zone, books):
    st = s.monthly_statement(zone.pk, 2026, 2)
    assert st.rent_income == D("0.00")
    assert st.interest_expense == D("1200.00")  # 120000 × 1 %
    assert st.principal_repaid == D("10000.00")
    assert st.debt == D("110000.00")
    assert st.depreciation_expense == D("3958.33")
    assert st.construction_capitalised == D("50000.00")
    assert st.construction_in_progress == D("70000.00")
    assert st.result == D("-5158.33")


def test_projects_show_paid_and_latest_progress(zone, books):
    (project,) = s.projects_of(zone.pk)
    assert project.paid_total == D("70000.00")
    assert project.contracted_total == D("0.00")
    assert (project.progress_percent, project.progress_on) == (25, dt.date(2026, 2, 28))


def test_key_figures_and_repayments_due(zone, books):
    figures = s.key_figures(zone.pk, dt.date(2026, 4, 1))
    assert figures.assets_book_value == D("964375.03")  # 9 charges (July–March): 35624.97
    assert figures.arrears == D("35000.00")
    assert figures.debt == D("100000.00")  # 20 February and 20 March repaid
    assert figures.leases_active == 1
    due = s.repayments_due(zone.pk, dt.date(2026, 3, 1), days=30)
    assert [(d.instalment.due_on, d.instalment.payment) for d in due] == [(dt.date(2026, 3, 20), D("11100.00"))]


def _more_books(zone, park, staff, n, enterprise):
    for i in range(n):
        asset = asset_register(
            actor=staff,
            zone_id=zone.pk,
            code=f"F-{i}",
            name=f"厂房{i}",
            kind="factory",
            park=park,
            cost=D("100000"),
            acquired_on=dt.date(2024, 1, 1),
            useful_life_months=120,
        )
        lease = lease_sign(
            actor=staff,
            asset=asset,
            number=f"L-{i}",
            lessee=enterprise,
            start=dt.date(2025, 1, 1),
            end=dt.date(2026, 12, 31),
            rent=D("1000"),
            billing_cycle="monthly",
        )
        bills_generate(actor=staff, lease=lease, through=dt.date(2025, 6, 1))
        payment_record(actor=staff, lease=lease, paid_on=dt.date(2025, 2, 1), amount=D("1500"))
        loan_register(
            actor=staff,
            zone_id=zone.pk,
            contract_number=f"J-{i}",
            lender="银行",
            principal=D("10000"),
            annual_rate=D("4"),
            start=dt.date(2025, 1, 1),
            term_months=24,
            method="equal_instalments",
            payment_day=1,
        )
        project_create(actor=staff, zone_id=zone.pk, name=f"项目{i}", park=park, budget=D("100"))


@pytest.mark.parametrize("n", [2, 6])
def test_list_selectors_use_a_fixed_number_of_queries(zone, park, staff, n, enterprise, django_assert_num_queries):
    _more_books(zone, park, staff, n, enterprise)
    on = dt.date(2026, 1, 1)
    with django_assert_num_queries(1):
        assert len(s.asset_rows(zone.pk, on)) == n
    with django_assert_num_queries(1):
        assert len(list(s.leases_of(zone.pk))) == n
    with django_assert_num_queries(1):
        bills = list(s.bills_of(zone.pk))
        assert len({b.lease.asset.name for b in bills}) == n
    with django_assert_num_queries(3):
        payments = list(s.payments_of(zone.pk))
        assert [a.bill.number for p in payments for a in p.allocations.all()]
    with django_assert_num_queries(1):
        assert len(s.arrears_ageing(zone.pk, on).rows) == n
    with django_assert_num_queries(1):
        assert len(list(s.loans_of(zone.pk))) == n
    with django_assert_num_queries(1):
        assert len(list(s.projects_of(zone.pk))) == n
    with django_assert_num_queries(1):
        assert len(s.repayments_due(zone.pk, on)) == n
    with django_assert_num_queries(6):
        s.monthly_statement(zone.pk, 2025, 12)
    with django_assert_num_queries(4):
        s.key_figures(zone.pk, on)
