"""政企分开、财务分设: who writes the company's books and the committee's, and the decision threshold."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.company.models import (
    Asset,
    CompanySettings,
    ConstructionContract,
    ConstructionPayment,
    Lease,
    Loan,
    ProgressReport,
    RentBill,
    RentPayment,
)
from onezone.company.services import (
    asset_dispose,
    asset_register,
    asset_set_status,
    bills_generate,
    company_settings_save,
    construction_payment_record,
    contract_sign,
    lease_sign,
    loan_register,
    payment_record,
    progress_record,
    project_create,
)
from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.core.services import record_save
from onezone.org.models import AgendaItem, Body, Meeting
from onezone.org.services import meeting_record
from tests.company.conftest import make_meeting
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
D = Decimal
COMPANY_TABLES = (Asset, Lease, RentBill, RentPayment, Loan, ConstructionContract, ConstructionPayment, ProgressReport)


def counts(*models):
    return {m.__name__: m.objects.count() for m in models} | {"audit": AuditEvent.objects.count()}


def loan_args(zone, **kw):
    return {
        "zone_id": zone.pk,
        "contract_number": "JK-2026-01",
        "lender": "甘肃银行永昌支行",
        "principal": D("6000000"),
        "annual_rate": D("3.85"),
        "start": dt.date(2026, 2, 1),
        "term_months": 60,
        "method": "equal_instalments",
        "payment_day": 21,
        **kw,
    }


# --- the threshold rule --------------------------------------------------------------------


def test_a_loan_above_the_threshold_needs_a_decision(zone, staff, decision):
    with pytest.raises(InvalidInput) as err:
        loan_register(actor=staff, **loan_args(zone))
    assert err.value.message == (
        "新增借款金额600.00万元超过须经管委会决策的限额500.00万元，"
        "请先提请管委会会议审议，并在“决策议题”中引用审议通过的议题。"
    )
    assert Loan.objects.count() == 0
    loan = loan_register(actor=staff, **loan_args(zone), decision=decision)
    assert loan.decision == decision
    # At or below the threshold no decision is needed.
    loan_register(actor=staff, **loan_args(zone, contract_number="JK-2026-02", principal=D("5000000")))


def test_the_decision_must_be_approved_in_this_zone_and_taken_first(zone, other_zone, users, staff, root):
    rejected = make_meeting(zone, users["leader"], approved=False, topic="研究借款")
    with pytest.raises(InvalidInput, match="议题“研究借款”未经会议审议通过"):
        loan_register(actor=staff, **loan_args(zone), decision=rejected)
    later = make_meeting(zone, users["leader"], held_on=dt.date(2026, 3, 1), topic="补议借款")
    with pytest.raises(InvalidInput) as err:
        loan_register(actor=staff, **loan_args(zone), decision=later)
    assert err.value.message == (
        "议题“补议借款”于2026年03月01日审议，晚于新增借款的生效日期2026年02月01日；须先经管委会决策，再实施。"
    )
    elsewhere = make_meeting(other_zone, root, topic="外区议题")
    with pytest.raises(InvalidInput, match="不属于本开发区"):
        loan_register(actor=staff, **loan_args(zone), decision=elsewhere)
    assert Loan.objects.count() == 0


def test_the_threshold_is_a_setting_of_the_zone(zone, users, staff):
    with pytest.raises(PermissionDenied):
        company_settings_save(actor=staff, zone_id=zone.pk, decision_threshold=D("100000000"))
    with pytest.raises(PermissionDenied):
        company_settings_save(actor=users["leader"], zone_id=zone.pk, decision_threshold=D("100000000"))
    assert CompanySettings.objects.count() == 0
    company_settings_save(actor=users["admin"], zone_id=zone.pk, decision_threshold=D("10000000"))
    loan_register(actor=staff, **loan_args(zone))  # 6,000,000 is now below the threshold
    with pytest.raises(InvalidInput, match=r"限额1,000\.00万元"):
        loan_register(actor=staff, **loan_args(zone, contract_number="JK-2", principal=D("10000000.01")))


def test_contracts_and_disposals_above_the_threshold_need_a_decision(zone, park, staff, factory, decision):
    project = project_create(
        actor=staff, zone_id=zone.pk, name="二期厂房", park=park, budget=D("8000000"), start=dt.date(2026, 2, 1)
    )
    with pytest.raises(InvalidInput, match=r"施工合同金额700\.00万元超过"):
        contract_sign(
            actor=staff,
            project=project,
            number="SG-1",
            contractor="某建设公司",
            amount=D("7000000"),
            signed_on=dt.date(2026, 2, 1),
        )
    contract_sign(
        actor=staff,
        project=project,
        number="SG-1",
        contractor="某建设公司",
        amount=D("7000000"),
        signed_on=dt.date(2026, 2, 1),
        decision=decision,
    )
    big = asset_register(
        actor=staff,
        zone_id=zone.pk,
        code="LD-1",
        name="工业用地",
        kind="land",
        park=factory.park,
        cost=D("20000000"),
        acquired_on=dt.date(2020, 1, 10),
        useful_life_months=600,
        residual_rate=D("0"),
    )
    with pytest.raises(InvalidInput, match="资产处置金额"):
        asset_dispose(actor=staff, asset=big, disposed_on=dt.date(2026, 3, 1), proceeds=D("1"))
    big.refresh_from_db()
    assert big.status == Asset.Status.IN_USE
    disposed = asset_dispose(
        actor=staff, asset=big, disposed_on=dt.date(2026, 3, 1), proceeds=D("1"), decision=decision
    )
    assert disposed.disposal_decision == decision


def test_payments_beyond_the_budget_need_a_decision(zone, park, staff, decision):
    project = project_create(actor=staff, zone_id=zone.pk, name="道路", park=park, budget=D("1000000"))
    contract = contract_sign(
        actor=staff,
        project=project,
        number="SG-2",
        contractor="某路桥公司",
        amount=D("1200000"),
        signed_on=dt.date(2026, 1, 10),
    )
    construction_payment_record(
        actor=staff, project=project, contract=contract, amount=D("900000"), paid_on=dt.date(2026, 2, 1)
    )
    with pytest.raises(InvalidInput) as err:
        construction_payment_record(
            actor=staff, project=project, contract=contract, amount=D("200000"), paid_on=dt.date(2026, 3, 1)
        )
    assert err.value.message == (
        "项目“道路”预算100.00万元，已付90.00万元，本次支付20.00万元后将超出预算10.00万元；"
        "超预算支付须经管委会会议审议通过，请引用审议通过的议题。"
    )
    assert ConstructionPayment.objects.count() == 1
    construction_payment_record(
        actor=staff,
        project=project,
        contract=contract,
        amount=D("200000"),
        paid_on=dt.date(2026, 3, 1),
        over_budget_decision=decision,
    )
    with pytest.raises(InvalidInput, match="将超过合同金额"):
        construction_payment_record(
            actor=staff,
            project=project,
            contract=contract,
            amount=D("100000.01"),
            paid_on=dt.date(2026, 3, 2),
            over_budget_decision=decision,
        )


# --- the committee reads the company's books but cannot change them ------------------------


@pytest.mark.parametrize("role", ["leader", "dept_head", "admin", "clerk", "province_supervisor"])
def test_no_one_but_company_staff_writes_the_company_books(
    zone, park, users, staff, factory, decision, role, enterprise
):
    lease = lease_sign(
        actor=staff,
        asset=factory,
        number="ZL-1",
        lessee=enterprise,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        rent=D("1000"),
        signed_on=dt.date(2026, 1, 1),
    )
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 1, 1))
    project = project_create(actor=staff, zone_id=zone.pk, name="P", park=park, budget=D("100"))
    actor = users[role]
    before = counts(*COMPANY_TABLES)
    attempts = [
        lambda: asset_register(
            actor=actor,
            zone_id=zone.pk,
            code="X",
            name="X",
            kind="factory",
            park=park,
            cost=D("1"),
            acquired_on=dt.date(2026, 1, 1),
            useful_life_months=12,
        ),
        lambda: asset_set_status(actor=actor, asset=factory, status="idle"),
        lambda: asset_dispose(actor=actor, asset=factory, disposed_on=dt.date(2026, 6, 1), proceeds=D("1")),
        lambda: lease_sign(
            actor=actor,
            asset=factory,
            number="ZL-2",
            lessee=enterprise,
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 12, 31),
            rent=D("1"),
        ),
        lambda: bills_generate(actor=actor, lease=lease, through=dt.date(2026, 12, 31)),
        lambda: payment_record(actor=actor, lease=lease, paid_on=dt.date(2026, 1, 2), amount=D("1")),
        lambda: loan_register(actor=actor, **loan_args(zone), decision=decision),
        lambda: project_create(actor=actor, zone_id=zone.pk, name="Q", park=park, budget=D("1")),
        lambda: contract_sign(
            actor=actor, project=project, number="C", contractor="X", amount=D("1"), signed_on=dt.date(2026, 1, 1)
        ),
        lambda: construction_payment_record(actor=actor, project=project, amount=D("1"), paid_on=dt.date(2026, 1, 1)),
        lambda: progress_record(actor=actor, project=project, on=dt.date(2026, 1, 1), percent=5),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="运营公司人员"):
            attempt()
    assert counts(*COMPANY_TABLES) == before
    factory.refresh_from_db()
    assert factory.status == Asset.Status.LEASED


def test_company_staff_cannot_change_committee_data(zone, users, staff, decision):
    body = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    before = counts(Meeting, AgendaItem, Body)
    with pytest.raises(PermissionDenied, match="登记会议"):
        meeting_record(
            actor=staff,
            zone_id=zone.pk,
            title="伪造会议",
            kind="directors",
            held_on=dt.date(2026, 1, 1),
            agenda=[{"topic": "自批借款", "approved": True}],
        )
    body.name = "被改名"
    from onezone.org.admin import ORG_WRITERS

    with pytest.raises(PermissionDenied):
        record_save(actor=staff, obj=body, roles=ORG_WRITERS)
    decision.approved = False
    with pytest.raises(PermissionDenied):
        record_save(actor=staff, obj=decision, roles=("admin", "leader", "dept_head"))
    assert counts(Meeting, AgendaItem, Body) == before
    assert Body.objects.get(pk=body.pk).name == "管委会"
    assert AgendaItem.objects.get(pk=decision.pk).approved is True


def test_back_office_refuses_each_side_the_others_books(zone, users, staff, factory):
    body = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    company = Client()
    assert company.login(username=staff.username, password=PASSWORD)
    response = company.post(f"/admin/org/body/{body.pk}/change/", {"name": "被改名", "kind": "committee"})
    assert response.status_code == 403
    leader = Client()
    assert leader.login(username=users["leader"].username, password=PASSWORD)
    # The leader reads the company's assets …
    assert leader.get("/admin/company/asset/").status_code == 200
    assert leader.get(f"/admin/company/asset/{factory.pk}/change/").status_code == 200
    # … but cannot change them, here or through the API.
    response = leader.post(f"/admin/company/asset/{factory.pk}/change/", {"name": "改名", "cost": "1"})
    assert response.status_code == 403
    response = leader.post(
        "/api/v1/company/assets",
        {
            "code": "X",
            "name": "X",
            "kind": "factory",
            "park_id": factory.park_id,
            "cost": "1",
            "acquired_on": "2026-01-01",
            "useful_life_months": 12,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Body.objects.get(pk=body.pk).name == "管委会"
    factory.refresh_from_db()
    assert factory.name == "1号标准化厂房" and factory.cost == D("1000000")
