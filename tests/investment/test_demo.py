from decimal import Decimal

import pytest

from onezone.demo.loader import load_demo
from onezone.investment.models import FundsEntry, Milestone, Project, RewardAward
from onezone.investment.selectors import agent_projects, chain_summaries, investment_figures

pytestmark = pytest.mark.django_db

STEPS = ["s10_foundation", "s60_investment"]


@pytest.fixture
def demo(calendar_seeded):
    return load_demo(only=STEPS)


def test_demo_2024_figures_are_the_reported_ones(demo):
    f = investment_figures(zone_id=demo.zone.pk, year=2024)
    assert f.funds_in_place == Decimal("5100000000.00")
    assert (f.key_started, f.key_planned, f.start_rate) == (37, 50, Decimal("0.7400"))
    assert f.cumulative_completed == Decimal("8373000000.00")


def test_demo_has_other_years_and_the_special_cases(demo):
    zone_id = demo.zone.pk
    for year in range(2021, 2027):
        f = investment_figures(zone_id=zone_id, year=year)
        assert f.key_planned > 0, year
    assert investment_figures(zone_id=zone_id, year=2025).funds_in_place > 0
    dropped = Project.objects.get(zone_id=zone_id, stage="dropped", dropped_reason__startswith="投资方资金链断裂")
    assert FundsEntry.objects.filter(project=dropped).exists()
    assert FundsEntry.objects.filter(zone_id=zone_id, corrects__isnull=False).count() == 1
    assert {a.status for a in RewardAward.objects.filter(zone_id=zone_id)} >= {"claimed", "approved", "paid"}
    assert len(chain_summaries(zone_id)) == 9
    rows = agent_projects(zone_id, demo.users["agent"])
    assert rows and any(r.overdue for r in rows)
    assert Milestone.objects.filter(zone_id=zone_id, status="done").exists()
