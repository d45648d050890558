"""The company's services that had no page: terminate a lease, bill every lease, change an asset's status."""

import datetime as dt
from decimal import Decimal

import pytest

from onezone.company.models import Asset, Lease, RentBill
from onezone.company.services import asset_register, bills_generate, lease_sign
from onezone.core.models import AuditEvent
from tests.company.test_pages import client_for

pytestmark = pytest.mark.django_db


def _lease(staff, asset, enterprise, number: str, start: dt.date) -> Lease:
    return lease_sign(
        actor=staff,
        asset=asset,
        number=number,
        lessee=enterprise,
        start=start,
        end=dt.date(2026, 12, 31),
        rent=Decimal("1000"),
    )


def test_a_lease_is_terminated_on_its_page(staff, factory, enterprise, users):
    lease = _lease(staff, factory, enterprise, "ZL-1", dt.date(2026, 1, 1))
    bills_generate(actor=staff, lease=lease, through=dt.date(2026, 3, 1))
    url = f"/company/leases/{lease.pk}/"
    web = client_for(staff)
    assert "提前终止合同" in web.get(url).content.decode()
    response = web.post(url, {"do": "terminate", "terminated_on": "2026-02-15"})
    assert response.status_code == 200
    assert "已出账至2026-03-31，终止日期不能早于已出账期间的结束日" in response.content.decode()
    assert Lease.objects.get(pk=lease.pk).status == Lease.Status.ACTIVE
    # The committee reads the page but cannot terminate.
    reader = client_for(users["leader"])
    assert "提前终止合同" not in reader.get(url).content.decode()
    assert reader.post(url, {"do": "terminate", "terminated_on": "2026-06-30"}).status_code == 403
    response = web.post(url, {"do": "terminate", "terminated_on": "2026-06-30"})
    assert response.status_code == 302
    lease.refresh_from_db()
    assert (lease.status, lease.terminated_on) == (Lease.Status.TERMINATED, dt.date(2026, 6, 30))
    assert Asset.objects.get(pk=factory.pk).status == Asset.Status.IDLE
    assert AuditEvent.objects.filter(action="company.lease.terminate", object_id=str(lease.pk)).exists()


def test_every_lease_is_billed_from_the_arrears_page(zone, park, staff, factory, enterprise, users):
    land = asset_register(
        actor=staff,
        zone_id=zone.pk,
        code="TD-001",
        name="东园地块",
        kind="land",
        park=park,
        cost=Decimal("500000"),
        acquired_on=dt.date(2025, 1, 1),
        useful_life_months=600,
        residual_rate=Decimal("0"),
    )
    first = _lease(staff, factory, enterprise, "ZL-1", dt.date(2026, 1, 1))
    second = _lease(staff, land, enterprise, "ZL-2", dt.date(2026, 2, 1))
    assert client_for(users["leader"]).post("/company/arrears/", {"through": "2026-03-01"}).status_code == 403
    assert RentBill.objects.count() == 0
    response = client_for(staff).post("/company/arrears/", {"through": "2026-03-01"}, follow=True)
    assert "为2份合同新生成账单" in response.content.decode()
    assert RentBill.objects.filter(lease=first).count() == 1
    assert RentBill.objects.filter(lease=second).count() == 1


def test_an_assets_status_is_changed_by_an_admin_action(staff, factory, users):
    data = {"action": "mark_idle", "_selected_action": [str(factory.pk)]}
    client_for(users["leader"]).post("/admin/company/asset/", data)
    assert Asset.objects.get(pk=factory.pk).status == Asset.Status.IN_USE
    client_for(staff).post("/admin/company/asset/", data)
    assert Asset.objects.get(pk=factory.pk).status == Asset.Status.IDLE
    event = AuditEvent.objects.get(action="company.asset.status", object_id=str(factory.pk))
    assert event.changes["status"] == ["in_use", "idle"]
    client_for(staff).post("/admin/company/asset/", {**data, "action": "mark_in_use"})
    assert Asset.objects.get(pk=factory.pk).status == Asset.Status.IN_USE
