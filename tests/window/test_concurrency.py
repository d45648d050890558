"""Concurrent window work on PostgreSQL: case numbers never repeat, one of two clashing steps wins."""

import pytest
from django.db import connection

from onezone.core.audit import audit_verify
from onezone.core.errors import StaleObject, TransitionNotAllowed
from onezone.window import services as svc
from onezone.window.models import Case, CaseCounter, CaseEvent, CaseState
from tests.company.test_concurrency import run_together
from tests.window.conftest import ENTERPRISE, TODAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write"),
]
N = 8


def _receive(zone, clerk, items, material_ids, key="promised"):
    return svc.case_receive(
        actor=clerk,
        zone_id=zone.pk,
        item_id=items[key].pk,
        applicant=ENTERPRISE,
        presented=material_ids[key][:2],
        on=TODAY,
    )


def test_case_numbers_are_distinct_and_consecutive_under_concurrent_receiving(zone, staff, items, material_ids):
    assert not CaseCounter.objects.exists()  # the year's counter row is created by the race itself
    clerks = [staff["clerk"], staff["clerk2"]]
    results = run_together(
        [lambda i=i: _receive(zone, clerks[i % 2], items, material_ids) for i in range(N)], timeout=60
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    prefix = svc.zone_prefix(zone.code)
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"{prefix}-{TODAY.year}-{n:06d}" for n in range(1, N + 1)]
    assert sorted(r.number for r in results) == numbers
    assert CaseCounter.objects.get(zone=zone, series="case", year=TODAY.year).last == N
    assert CaseEvent.objects.filter(kind="received").count() == N
    assert audit_verify()[1] is None


def test_deciding_and_suspending_the_same_case_at_once_one_wins(zone, staff, items, material_ids):
    case = _receive(zone, staff["clerk"], items, material_ids, key="joint")
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=TODAY)
    svc.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=TODAY)
    case = svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="同意", on=TODAY)
    assert case.state == CaseState.UNDER_REVIEW
    events_before = case.events.count()
    results = run_together(
        [
            lambda: svc.case_decide(
                actor=staff["reviewer"],
                case_id=case.pk,
                granted=True,
                text="同意",
                on=TODAY,
                expected_version=case.version,
            ),
            lambda: svc.case_suspend(
                actor=staff["reviewer2"],
                case_id=case.pk,
                procedure="expert_review",
                expected_days=5,
                notice="组织专家评审，预计 5 个工作日",
                on=TODAY,
            ),
        ],
        timeout=60,
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if not isinstance(r, Case)]
    assert len(winners) == 1 and len(losers) == 1, results
    won = winners[0].state
    label = CaseState(won).label
    if won == CaseState.DECIDED:  # the suspension found the case decided
        assert isinstance(losers[0], TransitionNotAllowed), losers
        assert f"当前状态为“{label}”" in losers[0].message
    else:  # the decision was made on the page's version, which the suspension changed
        assert won == CaseState.SUSPENDED
        assert isinstance(losers[0], StaleObject), losers
        assert f"已被他人更新（现为“{label}”）" in losers[0].message
    case.refresh_from_db()
    assert case.state == won
    assert case.version == winners[0].version
    assert (case.decided_on is not None) == (won == CaseState.DECIDED)
    assert case.events.count() == events_before + 1
    assert audit_verify()[1] is None
