import datetime as dt

import pytest
from django.test import Client

from onezone.investment.models import FundsEntry, Project
from tests.conftest import PASSWORD, make_user
from tests.investment.conftest import signed_project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def api(users):
    client = Client()
    client.login(username="u-investment_officer", password=PASSWORD)
    return client


def test_lead_to_funds_over_the_api(zone, parks, api, policy):
    base = f"/api/v1/investment/zones/{zone.pk}"
    created = api.post(
        f"{base}/leads",
        {
            "name": "API项目",
            "investor_name": "某公司",
            "industry_code": "C2614",
            "park_id": parks["chem"].pk,
            "is_key": True,
            "planned_start_year": 2024,
            "on": "2024-01-02",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pid = created.json()["id"]
    assert created.json()["stage"] == "lead"
    assert [p["id"] for p in api.get(f"{base}/leads").json()] == [pid]
    for stage in ["negotiating", "signed", "registered"]:
        r = api.post(
            f"{base}/projects/{pid}/stage-changes",
            {"to_stage": stage, "on": "2024-01-10"},
            content_type="application/json",
        )
        assert r.status_code == 201, r.content
    bad = api.post(f"{base}/projects/{pid}/stage-changes", {"to_stage": "completed"}, content_type="application/json")
    assert bad.status_code == 409 and bad.json()["code"] == "transition_not_allowed"
    funds = api.post(
        f"{base}/projects/{pid}/funds",
        {"amount": "2500000", "received_on": "2024-02-01", "source": "domestic"},
        content_type="application/json",
    )
    assert funds.status_code == 201
    fix = api.post(
        f"{base}/funds/{funds.json()['id']}/corrections",
        {"correct_amount": "2000000", "reason": "重复"},
        content_type="application/json",
    )
    assert fix.status_code == 201 and fix.json()["amount"] == "-500000.00"
    progress = api.post(
        f"{base}/projects/{pid}/progress", {"month": "2024-02-01", "amount": "100000"}, content_type="application/json"
    )
    assert progress.status_code == 201
    figures = api.get(f"{base}/figures", {"year": 2024}).json()
    assert figures["funds_in_place"] == "2000000.00" or figures["funds_in_place"] == "2000000"
    assert figures["key_planned"] == 1 and figures["key_started"] == 0
    assert len(api.get(f"{base}/stage-changes".replace("stage-changes", f"projects/{pid}/stage-changes")).json()) == 4
    assert api.get(f"{base}/chains").status_code == 200
    assert api.get(f"{base}/awards").json() == []


def test_api_refuses_other_zone_and_clerks_write_nothing(zone, other_zone, parks, officer, users):
    project = signed_project(zone, parks, officer)
    clerk = Client()
    clerk.login(username="u-clerk", password=PASSWORD)
    r = clerk.post(
        f"/api/v1/investment/zones/{zone.pk}/projects/{project.pk}/funds",
        {"amount": "1", "received_on": "2024-02-01", "source": "local"},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    assert FundsEntry.objects.count() == 0
    make_user("outsider", zone=other_zone, role="investment_officer")
    outsider = Client()
    outsider.login(username="outsider", password=PASSWORD)
    r = outsider.get(f"/api/v1/investment/zones/{zone.pk}/projects")
    assert r.status_code == 403
    assert Project.objects.count() == 1


def test_chain_map_over_the_api(zone, chain, api):
    r = api.get(f"/api/v1/investment/zones/{zone.pk}/chains/{chain['chain'].pk}")
    assert r.status_code == 200
    assert [(n["name"], n["is_gap"], n["role"]) for n in r.json()["nodes"]][:2] == [
        ("萤石", True, "build"),
        ("氢氟酸", True, "build"),
    ]
