"""Financing: institutions and products, needs and their matched products, meetings, loans, the figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.support.models import FinanceProduct, FinancingNeed, Institution, LoanGranted
from onezone.support.selectors import finance as s
from onezone.support.services.finance import (
    financing_need_set_status,
    financing_need_submit,
    institution_register,
    loan_record,
    meeting_create,
    product_save,
)
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
D = dt.date
W = Decimal(10_000)


@pytest.fixture
def bank(firms, desk):
    return institution_register(
        actor=desk["officer"], zone_id=firms["gas"].zone_id, name="甘肃银行永昌支行", kind="bank"
    )


def add_product(actor, institution, name, **kw):
    base = {
        "loan_kind": "working",
        "amount_min": 10 * W,
        "amount_max": 500 * W,
        "term_min": 6,
        "term_max": 36,
        "rate_min": Decimal("3.45"),
        "rate_max": Decimal("5.20"),
    }
    return product_save(actor=actor, institution=institution, name=name, **(base | kw))


@pytest.fixture
def products(bank, desk):
    officer = desk["officer"]
    return {
        "working": add_product(officer, bank, "园区贷", collaterals=["property", "equipment"]),
        "credit": add_product(
            officer,
            bank,
            "科技信用贷",
            loan_kind="credit",
            amount_max=200 * W,
            collaterals=["none"],
            target_sizes=["below"],
            rate_min=Decimal("3.80"),
        ),
        "chem": add_product(
            officer,
            bank,
            "化工技改贷",
            loan_kind="fixed",
            amount_max=3000 * W,
            term_max=60,
            target_industries=["c26"],
            collaterals=["property"],
        ),
    }


def test_a_need_shows_the_products_that_fit_with_reasons(firms, products):
    need = financing_need_submit(
        actor=firms["user_methanol"],
        enterprise=firms["methanol"],
        amount=300 * W,
        term_months=24,
        purpose="甲醇装置技改",
        collateral="property",
    )
    [row] = s.needs_of_enterprise(firms["methanol"])
    assert row.need == need
    assert [(p.product.name, p.score) for p in row.products] == [("化工技改贷", 30), ("园区贷", 20)]
    assert row.products[0].reasons == (
        "金额在产品额度内：10.00万元至3,000.00万元",
        "期限在产品期限内：6至60个月",
        "行业符合产品支持方向：C26",
        "接受企业提供的担保方式",
    )


def test_a_small_credit_need_fits_the_credit_product_only(firms, products, users):
    financing_need_submit(
        actor=users["investment_officer"],
        enterprise=firms["coal"],
        amount=50 * W,
        term_months=12,
        purpose="流动资金",
        collateral="none",
    )
    [row] = s.needs_of_enterprise(firms["coal"])
    assert [p.product.name for p in row.products] == ["科技信用贷"]


def test_a_need_is_the_enterprises_own(firms, products):
    with pytest.raises(PermissionDenied):
        financing_need_submit(
            actor=firms["user_gas"],
            enterprise=firms["methanol"],
            amount=W,
            term_months=12,
            purpose="x",
            collateral="none",
        )
    assert not FinancingNeed.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("1.001")}, "amount"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 601}, "term_months"),
        ({"purpose": "用" * 201}, "purpose"),
        ({"collateral": "gold"}, "collateral"),
    ],
)
def test_bad_needs_are_refused_beside_the_field(firms, changes, field):
    data = {"amount": W, "term_months": 12, "purpose": "流动资金", "collateral": "none"} | changes
    with pytest.raises(InvalidInput) as exc:
        financing_need_submit(actor=firms["user_gas"], enterprise=firms["gas"], **data)
    assert field in exc.value.fields
    assert not FinancingNeed.objects.exists()


def test_product_ranges_are_checked(bank, desk):
    with pytest.raises(InvalidInput) as exc:
        add_product(desk["officer"], bank, "倒挂", amount_min=600 * W)
    assert exc.value.fields == {"amount_max": "金额的下限不能大于上限。"}
    with pytest.raises(InvalidInput):
        add_product(desk["officer"], bank, "坏行业", target_industries=["26C"])
    with pytest.raises(InvalidInput):
        add_product(desk["officer"], bank, "坏担保", collaterals=["gold"])
    add_product(desk["officer"], bank, "园区贷")
    with pytest.raises(Conflict):
        add_product(desk["officer"], bank, "园区贷")
    assert FinanceProduct.objects.count() == 1


def test_institutions_are_kept_by_the_desk_only(firms, users):
    with pytest.raises(PermissionDenied):
        institution_register(actor=users["clerk"], zone_id=firms["gas"].zone_id, name="某银行", kind="bank")
    with pytest.raises(PermissionDenied):
        institution_register(actor=firms["user_gas"], zone_id=firms["gas"].zone_id, name="某银行", kind="bank")
    assert not Institution.objects.exists()


def test_a_loan_through_a_meeting_funds_the_need_and_counts_in_the_figure(firms, products, bank, desk, bodies, users):
    zone_id = firms["gas"].zone_id
    need = financing_need_submit(
        actor=firms["user_methanol"],
        enterprise=firms["methanol"],
        amount=300 * W,
        term_months=24,
        purpose="技改",
        collateral="property",
    )
    meeting = meeting_create(
        actor=desk["officer"],
        zone_id=zone_id,
        title="银企对接会",
        held_on=D(2026, 4, 10),
        organiser=bodies["investment"],
        institutions=[bank],
        enterprises=[firms["methanol"], firms["gas"]],
    )
    with pytest.raises(PermissionDenied):
        loan_record(
            actor=desk["head"],
            institution=bank,
            enterprise=firms["methanol"],
            amount=300 * W,
            granted_on=D(2026, 4, 20),
            meeting=meeting,
        )
    assert not LoanGranted.objects.exists()
    loan_record(
        actor=desk["officer"],
        institution=bank,
        enterprise=firms["methanol"],
        amount=300 * W,
        granted_on=D(2026, 4, 20),
        meeting=meeting,
        need=need,
        product=products["chem"],
    )
    loan_record(
        actor=desk["head"],
        institution=bank,
        enterprise=firms["gas"],
        amount=Decimal("1500000.50"),
        granted_on=D(2025, 12, 30),
    )
    need.refresh_from_db()
    assert need.status == FinancingNeed.Status.FUNDED
    assert AuditEvent.objects.filter(action="support.financing_need.status", object_id=str(need.pk)).count() == 1
    assert s.financing_helped(zone_id=zone_id) == s.FinancingFigure(Decimal("4500000.50"), 2, 2)
    assert s.financing_helped(zone_id=zone_id, year=2026) == s.FinancingFigure(Decimal("3000000.00"), 1, 1)
    assert s.financing_helped(zone_id=zone_id, year=2024) == s.FinancingFigure(Decimal(0), 0, 0)
    with pytest.raises(TransitionNotAllowed):
        financing_need_set_status(actor=firms["user_methanol"], need=need, status=FinancingNeed.Status.OPEN)


def test_a_loan_is_refused_before_the_meeting_or_for_someone_elses_need(firms, bank, desk, bodies):
    zone_id = firms["gas"].zone_id
    need = financing_need_submit(
        actor=firms["user_methanol"],
        enterprise=firms["methanol"],
        amount=W,
        term_months=12,
        purpose="流动资金",
        collateral="none",
    )
    meeting = meeting_create(
        actor=desk["officer"],
        zone_id=zone_id,
        title="银企对接会",
        held_on=D(2026, 4, 10),
        organiser=bodies["investment"],
    )
    with pytest.raises(InvalidInput) as exc:
        loan_record(
            actor=desk["officer"],
            institution=bank,
            enterprise=firms["methanol"],
            amount=W,
            granted_on=D(2026, 4, 9),
            meeting=meeting,
        )
    assert "granted_on" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        loan_record(
            actor=desk["officer"],
            institution=bank,
            enterprise=firms["gas"],
            amount=W,
            granted_on=D(2026, 4, 11),
            need=need,
        )
    assert "need" in exc.value.fields
    assert not LoanGranted.objects.exists()


@pytest.mark.parametrize("n", [1, 4])
def test_finance_reads_cost_fixed_queries(firms, products, bank, desk, bodies, n, django_assert_num_queries):
    zone_id = firms["gas"].zone_id
    meeting = meeting_create(
        actor=desk["officer"],
        zone_id=zone_id,
        title="银企对接会",
        held_on=D(2026, 4, 10),
        organiser=bodies["investment"],
        institutions=[bank],
        enterprises=[firms["gas"]],
    )
    for i in range(n):
        financing_need_submit(
            actor=firms["user_gas"],
            enterprise=firms["gas"],
            amount=(20 + i) * W,
            term_months=12,
            purpose=f"流动资金{i}",
            collateral="property",
        )
        loan_record(
            actor=desk["officer"],
            institution=bank,
            enterprise=firms["gas"],
            amount=W,
            granted_on=D(2026, 4, 11),
            meeting=meeting,
        )
    with django_assert_num_queries(2):
        assert len(s.needs_of_enterprise(firms["gas"])) == n
    with django_assert_num_queries(3):
        _page, rows = s.needs_list(zone_id=zone_id)
        assert all(r.products for r in rows) and len(rows) == n
    with django_assert_num_queries(2):
        assert [len(i.products.all()) for i in s.institutions_with_products(zone_id)] == [3]
    with django_assert_num_queries(4):
        [m] = s.meetings_list(zone_id)
        assert len(m.loans.all()) == n and [i.name for i in m.institutions.all()] == ["甘肃银行永昌支行"]
    with django_assert_num_queries(1):
        assert s.financing_helped(zone_id=zone_id).count == n


def test_a_rate_with_more_places_than_kept_is_refused_not_rounded(bank, desk):
    with pytest.raises(InvalidInput) as exc:
        add_product(desk["officer"], bank, "细利率", rate_min=Decimal("3.4501"))
    assert exc.value.fields == {"rate_min": "最低年利率须为0至100之间、最多三位小数的年利率（%）。"}
    assert not FinanceProduct.objects.exists()
