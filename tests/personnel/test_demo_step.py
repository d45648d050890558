import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onezone.demo.loader import load_demo
from onezone.personnel import grading
from onezone.personnel.models import Appraisal, EmploymentContract, PayrollRun
from onezone.personnel.selectors import contracts_expiring, cycle_board

pytestmark = pytest.mark.django_db


def test_personnel_demo_loads_with_computed_grades_and_pay():
    ctx = load_demo(only=["s10_foundation", "s35_personnel"])
    zone = ctx.zone
    cycles = ctx.extra["personnel_cycles"]
    assert cycles["2025"].status == "closed" and cycles["2024"].status == "closed"
    assert cycles["2026Q4"].status == "open"
    # every staff member has exactly one active contract
    people = set(ctx.people.values())
    active = EmploymentContract.objects.filter(zone=zone, status="active")
    assert {c.person for c in active} == people and active.count() == len(people)
    assert [c.person.name for c in contracts_expiring(zone.pk, today=timezone.localdate())] == [
        "高鹏",
        "陈志强",
        "许浩然",
    ]
    # the quota holds in every body
    for quota in cycle_board(cycles["2025"]).quotas:
        assert quota.excellent <= quota.seats == grading.quota(quota.appraised, Decimal(20))
    assert Appraisal.objects.filter(cycle=cycles["2025"], quota_demoted=True).exists()
    # two 不称职 years flag the driver's contract
    flagged = EmploymentContract.objects.get(zone=zone, review_flag=True)
    assert flagged.person.name == "田守仁" and flagged.review_reason == "2024、2025年度考核连续两年不称职"
    for run in PayrollRun.objects.filter(zone=zone):
        assert run.month == dt.date(2026, 10, 1)
        assert sum(run.payslips.values_list("performance_pay", flat=True), Decimal(0)) == run.pool
    assert {r.status for r in PayrollRun.objects.filter(zone=zone)} == {"paid", "approved"}
