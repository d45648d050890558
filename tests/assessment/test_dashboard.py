"""The leader dashboard reads every park's investment figures in one go."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onezone.assessment import selectors
from onezone.investment import services
from onezone.investment.selectors import investment_figures
from onezone.zones.services import park_create
from tests.investment.conftest import signed_project, walk

pytestmark = pytest.mark.django_db
D = dt.date


def _park_with_a_project(zone, root, officer, n: int):
    park = park_create(
        actor=root,
        zone=zone,
        name=f"园区{n}",
        code=f"park{n}",
        planned_area_km2=Decimal("10"),
        built_area_km2=Decimal("5"),
        industry_codes=["C26"],
    )
    project = signed_project(
        zone, {"chem": park}, officer, name=f"项目{n}", is_key=True, planned_start_year=2024, park=park
    )
    services.funds_receipt_record(
        actor=officer, project=project, amount=str(1_000_000 * (n + 1)), received_on=D(2024, 3, 1), source="local"
    )
    services.progress_record(actor=officer, project=project, month=D(2024, 5, 1), amount=str(200_000 * (n + 1)))
    if n % 2:
        walk(project, officer, [("registered", D(2024, 4, 1)), ("construction_started", D(2024, 6, 1))])
    return park


def _queries(zone, user) -> int:
    user.__dict__.pop("_onezone_role_cache", None)
    with CaptureQueriesContext(connection) as captured:
        selectors.dashboard(zone, user, year=2024, today=D(2024, 12, 1))
    return len(captured.captured_queries)


def test_dashboard_queries_do_not_grow_with_parks(zone, root, users):
    officer, leader = users["investment_officer"], users["leader"]
    _park_with_a_project(zone, root, officer, 0)
    _queries(zone, leader)  # the working-day calendar is read once per process
    one_park = _queries(zone, leader)
    for n in range(1, 5):
        _park_with_a_project(zone, root, officer, n)
    assert _queries(zone, leader) == one_park


def test_dashboard_park_figures_are_each_parks_figures(zone, root, users):
    officer, leader = users["investment_officer"], users["leader"]
    parks = [_park_with_a_project(zone, root, officer, n) for n in range(3)]
    dashboard = selectors.dashboard(zone, leader, year=2024, today=D(2024, 12, 1))
    assert [row["park"].pk for row in dashboard.parks] == [p.pk for p in parks]
    for row in dashboard.parks:
        expected = investment_figures(zone_id=zone.pk, year=2024, park_id=row["park"].pk)
        assert row["funds"].value == expected.funds_in_place / 10_000
        assert row["cumulative"].value == expected.cumulative_completed / 10_000
        assert row["start_rate"].value == expected.start_rate * 100
    assert [row["funds"].value for row in dashboard.parks] == [Decimal(100), Decimal(200), Decimal(300)]
    assert [row["start_rate"].value for row in dashboard.parks] == [Decimal(0), Decimal(100), Decimal(0)]
