"""The synthetic generator's table calendar answers as the project's calendar does, day for day."""

from __future__ import annotations

import datetime as dt

from onezone.core.workdays import Calendar, add_working_days, next_workday, working_days_between
from onezone.synth.calendar import TableCalendar
from onezone.synth.cases import PathPool
from onezone.window.clock import ClockEvent, ClockTerms, case_clock

PLAIN = Calendar.build(
    holidays=[dt.date(2025, 1, 28) + dt.timedelta(days=n) for n in range(8)] + [dt.date(2025, 10, 1)],
    workdays=[dt.date(2025, 1, 26), dt.date(2025, 2, 8)],
    official_years=[2025],
)
FIRST, LAST = dt.date(2024, 12, 1), dt.date(2025, 12, 31)
TABLE = TableCalendar.of(PLAIN, FIRST, LAST)


def test_every_day_counts_and_adds_as_the_plain_calendar():
    day = FIRST - dt.timedelta(days=20)  # outside the table too: the plain arithmetic answers
    while day <= LAST + dt.timedelta(days=20):
        assert TABLE.is_workday(day) == PLAIN.is_workday(day), day
        assert next_workday(TABLE, day) == next_workday(PLAIN, day), day
        for n in (0, 1, 5, 20, 45):
            assert add_working_days(TABLE, day, n) == add_working_days(PLAIN, day, n), (day, n)
        assert working_days_between(TABLE, FIRST, day) == working_days_between(PLAIN, FIRST, day), day
        day += dt.timedelta(days=1)


def test_the_window_clock_gives_the_same_deadlines_on_it():
    events = [ClockEvent("received", dt.date(2025, 1, 24)), ClockEvent("accepted", dt.date(2025, 2, 7))]
    terms = ClockTerms(legal_limit=20, committed_limit=10)
    today = dt.date(2025, 3, 1)
    assert case_clock(events, terms, TABLE, today=today) == case_clock(events, terms, PLAIN, today=today)


def test_pools_grow_with_the_cases_and_stay_within_bounds():
    assert PathPool.variants_for(100_000, 1450, 14) == 1
    assert PathPool.variants_for(2_000_000, 1450, 14) == 8
    assert PathPool.variants_for(500_000, 1450, 14) == 3
    assert PathPool.variants_for(0, 0, 0) == 1
