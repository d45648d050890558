import datetime as dt
from decimal import Decimal

import pytest

from onezone.company.models import Asset, BillCounter, Lease, PaymentAllocation, RentBill
from onezone.company.selectors import arrears_ageing
from onezone.company.services import (
    asset_dispose,
    asset_set_status,
    bills_generate,
    bills_generate_all,
    lease_sign,
    lease_terminate,
    payment_record,
)
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.enterprises.models import Enterprise
from tests.company.conftest import USCC

pytestmark = pytest.mark.django_db
D = Decimal


def sign(staff, asset, **kw):
    args = {
        "number": "ZL-2026-001",
        "lessee": Enterprise.objects.get(uscc=USCC, zone_id=asset.zone_id),
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "rent": D("10000"),
        "rent_unit": "month",
        "deposit": D("20000"),
        "billing_cycle": "quarterly",
        "signed_on": dt.date(2025, 12, 20),
        **kw,
    }
    return lease_sign(actor=staff, asset=asset, **args)


def test_signing_a_lease_marks_the_asset_leased(staff, factory, enterprise):
    lease = sign(staff, factory)
    factory.refresh_from_db()
    assert factory.status == Asset.Status.LEASED
    assert lease.lessee_uscc == USCC
    assert AuditEvent.objects.filter(action="company.lease.sign", object_id=str(lease.pk)).count() == 1


def test_overlapping_lease_is_refused_naming_the_other(staff, factory, enterprise):
    sign(staff, factory)
    before = Lease.objects.count()
    with pytest.raises(Conflict) as err:
        sign(
            staff,
            factory,
            number="ZL-2026-002",
            start=dt.date(2026, 12, 31),
            end=dt.date(2027, 6, 30),
        )
    assert err.value.message == (
        "资产“CF-001 1号标准化厂房”在2026-01-01至2026-12-31已出租给永昌新材料有限公司（合同ZL-2026-001），"
        "与本合同租期2026-12-31至2027-06-30重叠，不能重复出租。"
    )
    assert Lease.objects.count() == before
    # The day after the lease ends is free.
    sign(staff, factory, number="ZL-2027-001", start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31))


def test_a_terminated_lease_frees_the_asset_after_its_termination(staff, factory, enterprise):
    lease = sign(staff, factory, billing_cycle="monthly")
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 3, 1))
    with pytest.raises(Conflict, match="已出账至2026-03-31"):
        lease_terminate(actor=staff, lease=lease, terminated_on=dt.date(2026, 3, 15))
    lease_terminate(actor=staff, lease=lease, terminated_on=dt.date(2026, 3, 31))
    factory.refresh_from_db()
    assert factory.status == Asset.Status.IDLE
    with pytest.raises(Conflict, match="2026-01-01至2026-03-31"):
        sign(staff, factory, number="ZL-2026-009", start=dt.date(2026, 3, 31), end=dt.date(2026, 6, 30))
    sign(staff, factory, number="ZL-2026-010", start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30))
    # Bills stop at the termination date.
    assert bills_generate(actor=staff, lease=lease, through=dt.date(2026, 12, 31)) == []


def test_only_buildings_and_land_are_leased(zone, park, staff, enterprise):
    from onezone.company.services import asset_register

    crane = asset_register(
        actor=staff,
        zone_id=zone.pk,
        code="EQ-1",
        name="行车",
        kind="equipment",
        park=park,
        cost=D("50000"),
        acquired_on=dt.date(2025, 1, 1),
        useful_life_months=60,
    )
    with pytest.raises(InvalidInput, match="只有标准化厂房和土地可以出租"):
        sign(staff, crane)


def test_the_lessee_must_be_an_enterprise_of_the_zone(other_zone, root, staff, factory, enterprise):
    from onezone.enterprises.services.registry import enterprise_register
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=other_zone,
        name="外园",
        code="out",
        planned_area_km2=D("1"),
        built_area_km2=D("0"),
        industry_codes=[],
    )
    outsider = enterprise_register(
        actor=root, zone_id=other_zone.pk, uscc="91620321MA7XYN121C", name="外区企业", industry_code="C2614", park=park
    )
    with pytest.raises(InvalidInput) as err:
        sign(staff, factory, lessee=outsider)
    assert err.value.message == "承租企业必须是本开发区登记的企业。"
    assert Lease.objects.count() == 0


def test_bills_are_generated_once_with_numbers_never_repeated(zone, staff, factory, enterprise):
    lease = sign(staff, factory)
    first = bills_generate(actor=staff, lease=lease, through=dt.date(2026, 5, 1))
    assert [(b.number, b.period_start, b.period_end, b.amount) for b in first] == [
        ("ZJ2026-000001", dt.date(2026, 1, 1), dt.date(2026, 3, 31), D("30000.00")),
        ("ZJ2026-000002", dt.date(2026, 4, 1), dt.date(2026, 6, 30), D("30000.00")),
    ]
    assert bills_generate(actor=staff, lease=lease, through=dt.date(2026, 5, 1)) == []
    more = bills_generate_all(actor=staff, zone_id=zone.pk, through=dt.date(2027, 1, 1))
    assert [b.number for b in more] == ["ZJ2026-000003", "ZJ2026-000004"]
    assert RentBill.objects.count() == 4
    assert BillCounter.objects.get(zone=zone, year=2026).last == 4


def test_payments_are_applied_oldest_bill_first_and_may_be_partial(staff, factory, enterprise):
    lease = sign(staff, factory)
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 7, 1))
    payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 2, 1), amount=D("20000"))
    p2 = payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 5, 1), amount=D("25000.50"))
    assert [
        (a.bill.number, a.amount) for a in PaymentAllocation.objects.filter(payment=p2).order_by("bill__period_start")
    ] == [
        ("ZJ2026-000001", D("10000.00")),
        ("ZJ2026-000002", D("15000.50")),
    ]
    assert [(b.number, b.paid) for b in RentBill.objects.order_by("period_start")] == [
        ("ZJ2026-000001", D("30000.00")),
        ("ZJ2026-000002", D("15000.50")),
        ("ZJ2026-000003", D("0.00")),
    ]
    with pytest.raises(InvalidInput) as err:
        payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 7, 2), amount=D("44999.51"))
    assert err.value.message == (
        "收款金额44999.51元超过合同ZL-2026-001已出账未收的租金44999.50元；请核对金额，或先生成下一期账单。"
    )
    with pytest.raises(InvalidInput, match="大于零"):
        payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 7, 2), amount=D("0"))


def test_arrears_ageing_on_a_date(staff, factory, enterprise):
    lease = sign(staff, factory, start=dt.date(2025, 7, 1), end=dt.date(2027, 6, 30))
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 11, 25))
    # Bills due 2025-07-01, 10-01, 2026-01-01, 04-01, 07-01, 10-01, each 30000.
    payment_record(actor=staff, lease=lease, paid_on=dt.date(2025, 8, 1), amount=D("40000"))
    report = arrears_ageing(factory.zone_id, dt.date(2026, 11, 25))
    (row,) = report.rows
    assert row.buckets == {
        "d0_30": D("0.00"),  # 10-01 bill is 55 days overdue
        "d31_90": D("30000.00"),
        "d91_180": D("30000.00"),  # 07-01: 147 days
        "d181_365": D("60000.00"),  # 04-01: 238 days; 01-01: 328 days
        "d365_plus": D("20000.00"),  # 2025-10-01: 420 days, 10000 of it paid
    }
    assert report.total == D("140000.00")
    assert row.oldest_due == dt.date(2025, 10, 1)
    # A payment after the report date does not change an earlier report.
    payment_record(actor=staff, lease=lease, paid_on=dt.date(2026, 11, 26), amount=D("20000"))
    assert arrears_ageing(factory.zone_id, dt.date(2026, 11, 25)).total == D("140000.00")
    assert arrears_ageing(factory.zone_id, dt.date(2026, 11, 26)).totals["d365_plus"] == D("0.00")
    # On the due date a bill is 0 days overdue.
    assert arrears_ageing(factory.zone_id, dt.date(2025, 7, 1)).totals["d0_30"] == D("30000.00")


def test_asset_status_transitions(staff, factory, enterprise):
    asset_set_status(actor=staff, asset=factory, status="idle")
    with pytest.raises(InvalidInput):
        asset_set_status(actor=staff, asset=factory, status="leased")
    asset_dispose(actor=staff, asset=factory, disposed_on=dt.date(2026, 3, 10), proceeds=D("900000"))
    with pytest.raises(TransitionNotAllowed, match="当前为“已处置”，不能变为“自用”"):
        asset_set_status(actor=staff, asset=factory, status="in_use")
    with pytest.raises(TransitionNotAllowed, match="不能出租"):
        sign(staff, factory, start=dt.date(2026, 4, 1))


def test_a_leased_asset_cannot_be_disposed_of(staff, factory, enterprise):
    sign(staff, factory)
    with pytest.raises(Conflict, match="仍出租给永昌新材料有限公司"):
        asset_dispose(actor=staff, asset=factory, disposed_on=dt.date(2026, 6, 1), proceeds=D("1"))
    factory.refresh_from_db()
    assert factory.status == Asset.Status.LEASED
