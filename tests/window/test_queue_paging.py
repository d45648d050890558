"""The queue's keyset paging over ties on the deadline, and the colours it computes once per deadline."""

import datetime as dt

import pytest

from onezone.core.calendar import load_calendar
from onezone.window import selectors
from onezone.window import services as svc
from onezone.window.clock import colour_for
from onezone.window.models import Case, CaseState
from tests.window.conftest import ENTERPRISE, TODAY

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tied_cases(zone, staff, items, material_ids):
    """Seven open cases whose deadlines fall on three days, several of them on the same day."""
    cases = [
        svc.case_receive(
            actor=staff["clerk"],
            zone_id=zone.pk,
            item_id=items["promised"].pk,
            applicant=ENTERPRISE,
            presented=material_ids["promised"][:2],
            on=D(2026, 10, 9),
        )
        for _ in range(7)
    ]
    days = [
        D(2026, 10, 14),
        D(2026, 10, 8),
        D(2026, 10, 14),
        D(2026, 10, 30),
        D(2026, 10, 8),
        D(2026, 10, 14),
        D(2026, 10, 30),
    ]
    for case, day in zip(cases, days, strict=True):
        Case.objects.filter(pk=case.pk).update(
            due_on=day, queue_on=day, legal_due_on=day + dt.timedelta(days=20), state=CaseState.UNDER_REVIEW
        )
    return sorted(((day, case.pk) for case, day in zip(cases, days, strict=True)))


@pytest.mark.parametrize("size", [1, 2, 3, 50])
def test_keyset_pages_cover_every_case_once_in_order(zone, tied_cases, size):
    seen, cursor = [], None
    while True:
        page = selectors.queue_page(zone_id=zone.pk, scope="zone", size=size, cursor=cursor)
        seen += [(r.due_on, r.id) for r in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == tied_cases


def test_rows_carry_the_clock_colour_and_the_translated_state(zone, tied_cases):
    rows = selectors.queue_page(zone_id=zone.pk, scope="zone").rows
    calendar = load_calendar()
    for row in rows:
        colour, left = colour_for(calendar, today=TODAY, due=row.due_on, legal_due=row.legal_due_on)
        assert (row.colour, row.working_days_left) == (str(colour), left)
        assert row.state_label == "审查中"
    assert [r.colour for r in rows] == ["overdue", "overdue", "warning", "warning", "warning", "normal", "normal"]


@pytest.mark.parametrize(
    ("scope", "index"),
    [("zone", "window_case_open_queue"), ("body", "window_case_open_body"), ("mine", "window_case_open_")],
)
def test_queue_reads_open_cases_through_a_partial_index_in_order(zone, staff, tied_cases, scope, index):
    """``is_open=True`` compiles to a bare ``"is_open"``: only an index with that condition serves it on SQLite."""
    from django.db import connection

    qs = selectors.queue_queryset(zone_id=zone.pk, scope=scope, user=staff["clerk"], after=(D(2026, 10, 8), 0))
    sql, params = qs.values(*selectors.QUEUE_FIELDS)[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # seven rows: a sequential scan would win
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert index in plan, plan
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan or scope == "mine", plan  # in index order, no sort
