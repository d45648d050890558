"""A chain's output and its leaders' output come from the enterprises' confirmed monthly reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from onezone.investment.selectors import chain_outputs
from onezone.investment.services import node_enterprise_add
from onezone.support.models import MonthlyReport
from onezone.support.services.markets import chain_leader_mark
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _confirmed(enterprise, user, year: int, month: int, output: str, status: str = "confirmed"):
    return MonthlyReport.objects.create(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        year=year,
        month=month,
        output_value=Decimal(output),
        revenue=Decimal("950000"),
        tax=Decimal("30000"),
        employees=100,
        energy_tce=Decimal("120"),
        status=status,
        reported_at=timezone.make_aware(dt.datetime(year, month, 28)),
        reported_by=user,
    )


@pytest.fixture
def reported(chain, firms, desk, users):
    admin = users["admin"]
    node_enterprise_add(actor=admin, node=chain["methanol"], enterprise=firms["methanol"])
    node_enterprise_add(actor=admin, node=chain["syngas"], enterprise=firms["gas"])
    node_enterprise_add(actor=admin, node=chain["coal"], enterprise=firms["gas"])  # twice on the chain: once
    node_enterprise_add(actor=admin, node=chain["coal"], name="外地未建档煤矿")  # no registry record: no reports
    chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    user = users["admin"]
    for month, output in ((1, "1200000.50"), (2, "800000.25")):
        _confirmed(firms["methanol"], user, 2026, month, output)
    _confirmed(firms["gas"], user, 2026, 1, "500000")
    _confirmed(firms["gas"], user, 2026, 2, "9000000", status="held")  # 待确认: not counted
    _confirmed(firms["gas"], user, 2025, 12, "700000")  # another year
    _confirmed(firms["coal"], user, 2026, 1, "300000")  # not on the chain
    return chain


def test_chain_output_is_the_sum_of_its_enterprises_confirmed_reports(reported, firms, django_assert_num_queries):
    zone_id = reported["chain"].zone_id
    with django_assert_num_queries(4):
        rows = chain_outputs(zone_id, 2026)
    assert [(r.chain.name, r.enterprises, r.reporting, r.output, r.leaders, r.leaders_output) for r in rows] == [
        ("煤化工", 2, 2, Decimal("2500000.75"), ["永昌甲醇有限公司"], Decimal("2000000.75"))
    ]
    assert [(r.output, r.reporting) for r in chain_outputs(zone_id, 2025)] == [(Decimal("700000.00"), 1)]
    assert [(r.output, r.reporting) for r in chain_outputs(zone_id, 2024)] == [(Decimal(0), 0)]


def test_the_chains_page_shows_the_output(reported, users):
    client = Client()
    client.force_login(users["admin"])
    page = client.get("/desk/investment/chains/?year=2026").content.decode()
    assert "2026年产值（万元）" in page and 'data-output="2500000.75"' in page and "永昌甲醇有限公司" in page
