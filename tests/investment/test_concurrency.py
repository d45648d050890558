"""Concurrent ledger corrections on PostgreSQL: a funds entry is corrected once, the totals stay whole."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from onezone.core.audit import audit_verify
from onezone.core.errors import Conflict
from onezone.core.models import AuditEvent
from onezone.investment import selectors, services
from onezone.investment.models import FundsEntry
from tests.company.test_concurrency import run_together
from tests.investment.conftest import signed_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write"),
]


def test_two_users_correcting_the_same_funds_entry_at_once_store_one_correction(zone, parks, users):
    officer, admin = users["investment_officer"], users["admin"]
    project = signed_project(zone, parks, officer, on=dt.date(2024, 1, 10))
    entry = services.funds_receipt_record(
        actor=officer, project=project, amount="1000000", received_on=dt.date(2024, 3, 1), source="domestic"
    )
    audits = AuditEvent.objects.count()
    targets = {officer.pk: Decimal("800000"), admin.pk: Decimal("0")}
    results = run_together(
        [
            lambda user=user: services.funds_entry_correct(
                actor=user, entry=entry, correct_amount=targets[user.pk], reason="核对银行回单"
            )
            for user in (officer, admin)
        ],
        timeout=60,
    )
    winners = [r for r in results if isinstance(r, FundsEntry)]
    losers = [r for r in results if not isinstance(r, FundsEntry)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict), losers
    assert "已被更正过" in losers[0].message or "刚被他人更正" in losers[0].message
    correction = FundsEntry.objects.get(corrects=entry)
    assert correction.pk == winners[0].pk
    expected = targets[correction.recorded_by_id]
    assert correction.amount == expected - Decimal("1000000")
    assert FundsEntry.objects.count() == 2
    assert sum(FundsEntry.objects.values_list("amount", flat=True)) == expected
    assert selectors.projects_list(zone.pk).get(pk=project.pk).funds_total == expected
    assert AuditEvent.objects.count() == audits + 1
    assert audit_verify()[1] is None
