import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.models import AuditEvent
from onezone.personnel.models import EmploymentContract
from onezone.personnel.services import cycle_open
from tests.conftest import PASSWORD
from tests.personnel.test_appraisal import STRONG

pytestmark = pytest.mark.django_db


def _client(username):
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


def test_contract_endpoints(zone, users, staff):
    api = _client("u-hr_officer")
    base = f"/api/v1/personnel/zones/{zone.pk}/contracts"
    body = {
        "person_id": staff["people"]["乙科员"].pk,
        "post_id": staff["posts"]["clerk"].pk,
        "number": "API-1",
        "start": "2024-01-01",
        "end": "2026-12-31",
    }
    created = api.post(base, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    cid = created.json()["id"]
    assert api.post(f"{base}/{cid}/activate").json()["status"] == "active"
    clash = api.post(base, {**body, "number": "API-2"}, content_type="application/json")
    assert clash.status_code == 409 and clash.json()["code"] == "conflict" and "期间重叠" in clash.json()["message"]
    renewed = api.post(f"{base}/{cid}/renew", {"number": "API-3", "end": "2029-12-31"}, content_type="application/json")
    assert renewed.json()["previous_id"] == cid and renewed.json()["start"] == "2027-01-01"
    assert [c["number"] for c in api.get(base, {"status": "active"}).json()] == ["API-3"]


def test_api_is_for_hr_only(zone, users, staff):
    clients = {username: _client(username) for username in ("u-clerk", "u-admin", "u-leader")}
    before = AuditEvent.objects.count()  # logins are audited too
    for client in clients.values():
        response = client.get(f"/api/v1/personnel/zones/{zone.pk}/contracts")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    refused = clients["u-clerk"].post(
        f"/api/v1/personnel/zones/{zone.pk}/contracts",
        {"person_id": 1, "post_id": 1, "number": "X", "start": "2024-01-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert EmploymentContract.objects.count() == 0 and AuditEvent.objects.count() == before


def test_cycle_rating_close_and_payroll_endpoints(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = cycle_open(
        actor=hr,
        zone_id=zone.pk,
        name="2025年度",
        period="yearly",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
    )
    api = _client("u-hr_officer")
    base = f"/api/v1/personnel/zones/{zone.pk}"
    appraisals = api.get(f"{base}/cycles/{cycle.pk}/appraisals").json()
    assert len(appraisals) == 7
    for row in appraisals:
        from onezone.personnel.models import Appraisal

        appraisal = Appraisal.objects.get(pk=row["id"])
        triple = STRONG[row["person_name"]]
        payload = [
            {"indicator_id": i.pk, "kind": kind, "score": str(score)}
            for i in appraisal.scheme.indicators.all()
            for kind, score in zip(("self", "leader", "peer"), triple, strict=True)
        ]
        assert (
            api.post(f"{base}/appraisals/{row['id']}/ratings", payload, content_type="application/json").status_code
            == 200
        )
    closed = api.post(f"{base}/cycles/{cycle.pk}/close")
    assert closed.json()["status"] == "closed"
    locked = api.post(f"{base}/cycles/{cycle.pk}/close")
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    grades = {a["person_name"]: a["grade"] for a in api.get(f"{base}/cycles/{cycle.pk}/appraisals").json()}
    assert grades["甲主任"] == "excellent" and grades["乙科员"] == "competent"
    run = api.post(
        f"{base}/payroll-runs",
        {"body_id": staff["office"].pk, "month": "2026-10-01", "pool": "5000.00"},
        content_type="application/json",
    )
    assert run.status_code == 201
    slips = api.get(f"{base}/payroll-runs/{run.json()['id']}/payslips").json()
    assert sum(Decimal(s["performance_pay"]) for s in slips) == Decimal("5000.00")
    assert api.post(f"{base}/payroll-runs/{run.json()['id']}/approve").json()["status"] == "approved"
    assert AuditEvent.objects.filter(action="payroll.view").count() == 1
