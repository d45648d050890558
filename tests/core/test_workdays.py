"""Tests for onezone.core.workdays: hand-counted cases on the real 2025/2026 arrangements, and
properties checked against a naive day-by-day reference.

Expected dates below were counted by hand on a printed calendar of the State Council
arrangements; the counting is written next to each case so it can be re-checked.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.core.workdays import (
    Calendar,
    DayKind,
    Deadline,
    LimitUnit,
    add_calendar_days,
    add_working_days,
    deadline,
    month_days,
    next_workday,
    working_days_between,
)

D = dt.date
ONE_DAY = dt.timedelta(days=1)
FIRST_OFFICIAL_YEAR, LAST_OFFICIAL_YEAR = 2004, 2026


@functools.cache
def official_calendar() -> Calendar:
    """The calendar seeded from chinesecalendar, as the platform seeds its table."""
    holidays = [d for d in cc.holidays if d.weekday() < 5]
    workdays = [d for d in cc.workdays if d.weekday() >= 5]
    return Calendar.build(
        holidays=holidays,
        workdays=workdays,
        official_years=range(FIRST_OFFICIAL_YEAR, LAST_OFFICIAL_YEAR + 1),
    )


# --- naive reference: one day at a time, straight from chinesecalendar -------------------------


def ref_is_workday(day: dt.date) -> bool:
    if FIRST_OFFICIAL_YEAR <= day.year <= LAST_OFFICIAL_YEAR:
        return cc.is_workday(day)
    return day.weekday() < 5


def ref_next_workday(day: dt.date, is_workday=ref_is_workday) -> dt.date:
    while not is_workday(day):
        day += ONE_DAY
    return day


def ref_add_working(start: dt.date, days: int, is_workday=ref_is_workday) -> dt.date:
    if days == 0:
        return ref_next_workday(start, is_workday)
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        counted += is_workday(day)
    return day


def ref_add_calendar(start: dt.date, days: int, is_workday=ref_is_workday) -> dt.date:
    return ref_next_workday(start + dt.timedelta(days=days), is_workday)


def ref_between(start: dt.date, end: dt.date, is_workday=ref_is_workday) -> int:
    low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
    return sign * sum(is_workday(low + dt.timedelta(days=i)) for i in range(1, (high - low).days + 1))


def ref_provisional(start: dt.date, end: dt.date) -> bool:
    return any(not FIRST_OFFICIAL_YEAR <= year <= LAST_OFFICIAL_YEAR for year in range(start.year, end.year + 1))


# --- the data itself ----------------------------------------------------------------------------


def test_chinese_calendar_has_the_2026_arrangement_we_count_on() -> None:
    spring_festival = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    national_day = [D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7)]
    for day in [*spring_festival, *national_day, D(2026, 9, 25)]:  # 9-25 Fri: Mid-Autumn
        assert cc.is_holiday(day), day
    for day in [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)]:
        assert cc.is_workday(day), day
    for day in [D(2026, 1, 4), D(2026, 5, 9)]:
        assert cc.is_workday(day), day
    with pytest.raises(NotImplementedError):
        cc.is_workday(D(2027, 1, 4))


def test_chinese_calendar_has_the_2025_arrangement_we_count_on() -> None:
    for day in [D(2025, 1, 28), D(2025, 2, 4), D(2025, 4, 4), D(2025, 5, 5), D(2025, 10, 8)]:
        assert cc.is_holiday(day), day
    for day in [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]:
        assert cc.is_workday(day), day


def test_official_calendar_holds_only_exceptions_to_monday_to_friday() -> None:
    calendar = official_calendar()
    assert all(d.weekday() < 5 for d in calendar.holidays)
    assert all(d.weekday() >= 5 for d in calendar.workdays)
    assert {d for d in calendar.workdays if d.year == 2026} == {
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_a_year_has_248_working_days(year: int) -> None:
    # 261 weekdays; 2025: −18 weekday holidays +5 make-up days; 2026: −19 +6.
    assert working_days_between(official_calendar(), D(year - 1, 12, 31), D(year, 12, 31)) == 248


# --- hand-counted working-day limits ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # From Fri 9-25 (Mid-Autumn holiday): 9-28,29,30 (3); 10-1..7 off; 10-8,9 (5); Sat 10-10
        # make-up (6); 10-12..16 (11); 10-19..23 (16); 10-26,27,28,29 (20).
        (D(2026, 9, 25), 20, D(2026, 10, 29)),
        # 10-8 (1), 10-9 (2), Sat 10-10 (3), 10-12 (4), 10-13 (5).
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
        # 0 days on a holiday: first working day on or after is Thu 10-8.
        (D(2026, 10, 1), 0, D(2026, 10, 8)),
        # 0 days on a make-up Saturday: that very day.
        (D(2026, 2, 14), 0, D(2026, 2, 14)),
        # 0 days on an ordinary working day.
        (D(2026, 3, 10), 0, D(2026, 3, 10)),
        # Fri 2-13 + 1: the make-up Saturday 2-14.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        # Sat 2-14 + 1: 2-15..2-23 off, Tue 2-24.
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        # Art. 42, 20 days from Tue 2-10: 2-11,12,13 (3); Sat 2-14 (4); 2-24..27 (8); Sat 2-28 (9);
        # 3-2..6 (14); 3-9..13 (19); Mon 3-16 (20).
        (D(2026, 2, 10), 20, D(2026, 3, 16)),
        # Wed 2025-12-31 + 1: 1-1, 1-2 off, Sat 1-3 off, Sun 2026-1-4 make-up.
        (D(2025, 12, 31), 1, D(2026, 1, 4)),
        # Thu 4-30: 5-1 off, 5-2/3 weekend, 5-4/5 off; 5-6 (1), 5-7 (2), 5-8 (3).
        (D(2026, 4, 30), 3, D(2026, 5, 8)),
        # ... and the 4th is the make-up Saturday 5-9.
        (D(2026, 4, 30), 4, D(2026, 5, 9)),
        # Fri 4-3 + 1: 4-4/5 weekend, Mon 4-6 Qingming off, Tue 4-7.
        (D(2026, 4, 3), 1, D(2026, 4, 7)),
        # Thu 6-18 + 1: Fri 6-19 Dragon Boat off, weekend, Mon 6-22.
        (D(2026, 6, 18), 1, D(2026, 6, 22)),
        # 2025 National Day, from Fri 9-26: Sat 9-27 off; Sun 9-28 make-up (1); 9-29, 9-30 (3);
        # 10-1..10-8 off; 10-9 (4), 10-10 (5).
        (D(2025, 9, 26), 5, D(2025, 10, 10)),
        # ... continuing: Sat 10-11 make-up (6); 10-13..17 (11); 10-20..24 (16); 10-27..30 (20).
        (D(2025, 9, 26), 20, D(2025, 10, 30)),
        # 2025 Spring Festival, from Fri 1-24: Sat 1-25 off; Sun 1-26 make-up (1); Mon 1-27 (2);
        # 1-28..2-4 off; Wed 2-5 (3).
        (D(2025, 1, 24), 3, D(2025, 2, 5)),
        # Thu 2025-4-3: Fri 4-4 Qingming off, weekend; 4-7 (1), 4-8 (2).
        (D(2025, 4, 3), 2, D(2025, 4, 8)),
        # Wed 2025-4-30 + 1: 5-1, 5-2 off, weekend, Mon 5-5 off; Tue 5-6.
        (D(2025, 4, 30), 1, D(2025, 5, 6)),
        # 0 days on the make-up Sunday 2025-4-27: that very day.
        (D(2025, 4, 27), 0, D(2025, 4, 27)),
    ],
)
def test_add_working_days_hand_counted(start: dt.date, days: int, expected: dt.date) -> None:
    assert add_working_days(official_calendar(), start, days) == Deadline(expected, False)


def test_working_limit_within_the_last_official_year_is_not_provisional() -> None:
    # Thu 12-24: 12-25 (1), 12-28..31 (5).
    assert add_working_days(official_calendar(), D(2026, 12, 24), 5) == Deadline(D(2026, 12, 31), False)


def test_working_limit_crossing_into_2027_is_provisional_with_plain_weekends() -> None:
    # Thu 12-24: 12-25 (1), 12-28..31 (5); Fri 2027-1-1 counts, no arrangement known (6);
    # 1-4, 5, 6, 7 (10).
    assert add_working_days(official_calendar(), D(2026, 12, 24), 10) == Deadline(D(2027, 1, 7), True)


def test_limit_starting_before_the_known_years_is_provisional() -> None:
    assert add_working_days(official_calendar(), D(2003, 12, 30), 1) == Deadline(D(2003, 12, 31), True)


def test_limit_inside_an_unknown_year_is_provisional() -> None:
    # Mon 2027-3-1: 3-2..5 (4), Mon 3-8 (5).
    assert add_working_days(official_calendar(), D(2027, 3, 1), 5) == Deadline(D(2027, 3, 8), True)


# --- hand-counted calendar-day limits -----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected", "provisional"),
    [
        # 9-25 + 10 = Mon 10-5, a holiday; next working day Thu 10-8.
        (D(2026, 9, 25), 10, D(2026, 10, 8), False),
        # 9-30 + 10 = Sat 10-10, a make-up working day: stays.
        (D(2026, 9, 30), 10, D(2026, 10, 10), False),
        # 9-25 + 15 = Sat 10-10 as well.
        (D(2026, 9, 25), 15, D(2026, 10, 10), False),
        # 0 days on Sat 10-3 (holiday week): Thu 10-8.
        (D(2026, 10, 3), 0, D(2026, 10, 8), False),
        # 3-2 + 5 = Sat 3-7, an ordinary weekend: Mon 3-9.
        (D(2026, 3, 2), 5, D(2026, 3, 9), False),
        # 2-6 + 10 = Mon 2-16, Spring Festival: Tue 2-24.
        (D(2026, 2, 6), 10, D(2026, 2, 24), False),
        # 2025-9-21 + 10 = Wed 10-1: Thu 10-9.
        (D(2025, 9, 21), 10, D(2025, 10, 9), False),
        # 12-25 + 10 = Mon 2027-1-4: stays, but 2027 is unknown.
        (D(2026, 12, 25), 10, D(2027, 1, 4), True),
        # 12-20 + 13 = Sat 2027-1-2: Mon 1-4.
        (D(2026, 12, 20), 13, D(2027, 1, 4), True),
    ],
)
def test_add_calendar_days_hand_counted(start: dt.date, days: int, expected: dt.date, provisional: bool) -> None:
    assert add_calendar_days(official_calendar(), start, days) == Deadline(expected, provisional)


def test_deadline_dispatches_on_the_unit() -> None:
    calendar = official_calendar()
    assert deadline(calendar, D(2026, 9, 25), 10).date == D(2026, 10, 15)
    assert deadline(calendar, D(2026, 9, 25), 10, LimitUnit.WORKING).date == D(2026, 10, 15)
    assert deadline(calendar, D(2026, 9, 25), 10, LimitUnit.CALENDAR).date == D(2026, 10, 8)
    assert deadline(calendar, D(2026, 9, 25), 10, "calendar").date == D(2026, 10, 8)


@pytest.mark.parametrize("unit", list(LimitUnit))
def test_negative_limit_is_refused_in_chinese(unit: LimitUnit) -> None:
    with pytest.raises(ValueError, match="时限天数不能为负数"):
        deadline(official_calendar(), D(2026, 3, 2), -1, unit)


# --- the other functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 9, 30), D(2026, 10, 13), 5),
        (D(2026, 10, 13), D(2026, 9, 30), -5),
        (D(2026, 10, 1), D(2026, 10, 7), 0),
        (D(2026, 9, 25), D(2026, 10, 29), 20),
        (D(2026, 10, 7), D(2026, 10, 8), 1),
        (D(2026, 10, 8), D(2026, 10, 7), -1),
        (D(2026, 10, 8), D(2026, 10, 8), 0),
    ],
)
def test_working_days_between_hand_counted(start: dt.date, end: dt.date, expected: int) -> None:
    assert working_days_between(official_calendar(), start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 15), D(2026, 2, 24)),
        (D(2026, 2, 14), D(2026, 2, 14)),
        (D(2026, 10, 3), D(2026, 10, 8)),
        (D(2026, 10, 11), D(2026, 10, 12)),
        (D(2026, 10, 12), D(2026, 10, 12)),
    ],
)
def test_next_workday(day: dt.date, expected: dt.date) -> None:
    assert next_workday(official_calendar(), day) == expected


def test_month_days_october_2026() -> None:
    days = month_days(official_calendar(), 2026, 10)
    assert [d for d, _ in days] == [D(2026, 10, 1) + dt.timedelta(days=i) for i in range(31)]
    working = [d.day for d, is_working in days if is_working]
    assert working == [8, 9, 10, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30]


def test_month_days_february_2026() -> None:
    working = [d.day for d, w in month_days(official_calendar(), 2026, 2) if w]
    assert working == [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 24, 25, 26, 27, 28]


@pytest.mark.parametrize(("year", "month", "length"), [(2026, 12, 31), (2024, 2, 29), (2027, 2, 28)])
def test_month_days_length(year: int, month: int, length: int) -> None:
    assert len(month_days(official_calendar(), year, month)) == length


def test_build_drops_redundant_days_and_knows_its_years() -> None:
    calendar = Calendar.build(
        holidays=[D(2026, 10, 3), D(2026, 10, 5)],  # Sat 10-3 rests anyway
        workdays=[D(2026, 10, 9), D(2026, 10, 10)],  # Fri 10-9 works anyway
        official_years=[2026],
    )
    assert calendar.holidays == frozenset({D(2026, 10, 5)})
    assert calendar.workdays == frozenset({D(2026, 10, 10)})
    assert calendar == Calendar.build(holidays=[D(2026, 10, 5)], workdays=[D(2026, 10, 10)], official_years=[2026])
    assert calendar.is_official(2026)
    assert not calendar.is_official(2027)
    assert not calendar.is_workday(D(2026, 10, 3))
    assert not calendar.is_workday(D(2026, 10, 5))
    assert calendar.is_workday(D(2026, 10, 9))
    assert calendar.is_workday(D(2026, 10, 10))


def test_day_kind_values_are_stable() -> None:
    # Stored in CalendarDay.kind, so the values must not change.
    assert [k.value for k in DayKind] == ["holiday", "workday"]
    assert [u.value for u in LimitUnit] == ["working", "calendar"]


def test_ten_thousand_working_days_match_the_reference() -> None:
    start = D(2004, 1, 1)
    result = add_working_days(official_calendar(), start, 10_000)
    assert result == Deadline(ref_add_working(start, 10_000), True)


# --- properties on the official calendar --------------------------------------------------------

starts = st.dates(min_value=D(2004, 1, 1), max_value=D(2030, 12, 31))
counts = st.integers(min_value=0, max_value=400)
positive = st.integers(min_value=1, max_value=400)


@settings(max_examples=300)
@given(start=starts, days=counts)
def test_working_days_match_the_naive_reference(start: dt.date, days: int) -> None:
    expected = ref_add_working(start, days)
    assert add_working_days(official_calendar(), start, days) == Deadline(expected, ref_provisional(start, expected))


@settings(max_examples=300)
@given(start=starts, days=counts)
def test_calendar_days_match_the_naive_reference(start: dt.date, days: int) -> None:
    expected = ref_add_calendar(start, days)
    assert add_calendar_days(official_calendar(), start, days) == Deadline(expected, ref_provisional(start, expected))


@given(start=starts, days=counts, unit=st.sampled_from(LimitUnit))
def test_result_is_a_working_day(start: dt.date, days: int, unit: LimitUnit) -> None:
    result = deadline(official_calendar(), start, days, unit).date
    assert official_calendar().is_workday(result)
    assert ref_is_workday(result)


@given(start=starts, a=positive, b=positive)
def test_adding_twice_is_adding_the_sum(start: dt.date, a: int, b: int) -> None:
    calendar = official_calendar()
    first = add_working_days(calendar, start, a).date
    assert add_working_days(calendar, first, b).date == add_working_days(calendar, start, a + b).date


@given(start=starts, a=counts, b=counts)
def test_monotonic_in_days(start: dt.date, a: int, b: int) -> None:
    calendar = official_calendar()
    low, high = sorted((a, b))
    assert add_working_days(calendar, start, low).date <= add_working_days(calendar, start, high).date
    assert add_calendar_days(calendar, start, low).date <= add_calendar_days(calendar, start, high).date
    if 1 <= low < high:
        assert add_working_days(calendar, start, low).date < add_working_days(calendar, start, high).date


@given(start=starts, days=positive)
def test_working_days_between_inverts_add(start: dt.date, days: int) -> None:
    calendar = official_calendar()
    end = add_working_days(calendar, start, days).date
    assert working_days_between(calendar, start, end) == days
    assert working_days_between(calendar, end, start) == -days


@given(start=starts, end=starts)
def test_working_days_between_matches_the_reference(start: dt.date, end: dt.date) -> None:
    # Keep the naive count short; the closed form doesn't care about the span.
    end = start + dt.timedelta(days=(end - start).days % 800 - 400)
    assert working_days_between(official_calendar(), start, end) == ref_between(start, end)


@given(a=starts, b=starts, c=starts)
def test_working_days_between_adds_up(a: dt.date, b: dt.date, c: dt.date) -> None:
    calendar = official_calendar()
    assert working_days_between(calendar, a, b) + working_days_between(calendar, b, c) == working_days_between(
        calendar, a, c
    )


@given(start=starts, days=counts)
def test_calendar_days_never_end_early(start: dt.date, days: int) -> None:
    result = add_calendar_days(official_calendar(), start, days)
    assert result.date >= start + dt.timedelta(days=days)


@given(day=starts)
def test_next_workday_matches_the_reference(day: dt.date) -> None:
    assert next_workday(official_calendar(), day) == ref_next_workday(day)


@given(day=starts)
def test_month_days_agree_with_is_workday(day: dt.date) -> None:
    calendar = official_calendar()
    days = month_days(calendar, day.year, day.month)
    assert all(d.month == day.month and w == ref_is_workday(d) for d, w in days)
    assert (day, ref_is_workday(day)) in days


# --- properties on arbitrary calendars ----------------------------------------------------------
# Dense, unnormalised exception sets inside a short window: long holiday runs, weekend
# "holidays", weekday "workdays", and years that are known or not.

WINDOW_START, WINDOW_END = D(2030, 12, 1), D(2031, 3, 31)
window_days = st.dates(min_value=WINDOW_START, max_value=WINDOW_END)


@st.composite
def raw_calendars(draw: st.DrawFn) -> tuple[Calendar, frozenset[dt.date], frozenset[dt.date]]:
    holidays = draw(st.frozensets(window_days, max_size=100))
    workdays = draw(st.frozensets(window_days, max_size=40)) - holidays
    years = draw(st.frozensets(st.sampled_from([2030, 2031])))
    calendar = Calendar.build(holidays=holidays, workdays=workdays, official_years=years)
    return calendar, holidays, workdays


@settings(max_examples=300)
@given(
    raw=raw_calendars(),
    start=st.dates(min_value=D(2030, 11, 20), max_value=WINDOW_END),
    days=st.integers(min_value=0, max_value=150),
)
def test_arbitrary_calendar_matches_the_reference(
    raw: tuple[Calendar, frozenset[dt.date], frozenset[dt.date]], start: dt.date, days: int
) -> None:
    calendar, holidays, workdays = raw

    def is_workday(day: dt.date) -> bool:
        return day in workdays if day.weekday() >= 5 else day not in holidays

    def provisional(end: dt.date) -> bool:
        return any(y not in calendar.official_years for y in range(start.year, end.year + 1))

    working = ref_add_working(start, days, is_workday)
    assert add_working_days(calendar, start, days) == Deadline(working, provisional(working))
    by_calendar = ref_add_calendar(start, days, is_workday)
    assert add_calendar_days(calendar, start, days) == Deadline(by_calendar, provisional(by_calendar))
    end = start + dt.timedelta(days=days)
    assert working_days_between(calendar, start, end) == ref_between(start, end, is_workday)
    assert working_days_between(calendar, end, start) == ref_between(end, start, is_workday)
