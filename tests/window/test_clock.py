"""The statutory clock against hand-counted cases on the real 2025 and 2026 arrangements.

Every expected date was counted by hand on a printed calendar; the count is written beside it.
Rest days used below: 2025 Spring Festival 01-28..02-04 (make-up Sun 01-26, Sat 02-08); 2025
National Day 10-01..10-08 (make-up Sun 09-28, Sat 10-11); 2026 Spring Festival 02-15..02-23
(make-up Sat 02-14, Sat 02-28); 2026 Qingming Mon 04-06; 2026 Mid-autumn Fri 09-25 (make-up Sun
09-20); 2026 National Day 10-01..10-07 (make-up Sat 10-10). 2027 has no official arrangement.
"""

from __future__ import annotations

import datetime as dt
import functools

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.core.workdays import Calendar, add_working_days, working_days_between
from onezone.window.clock import (
    ClockEvent,
    ClockTerms,
    Colour,
    Phase,
    case_clock,
    colour_for,
    run_limit,
    working_days_used,
)

D = dt.date


@functools.cache
def cal() -> Calendar:
    return Calendar.build(
        holidays=[d for d in cc.holidays if d.weekday() < 5],
        workdays=[d for d in cc.workdays if d.weekday() >= 5],
        official_years=range(2004, 2027),
    )


def E(kind: str, on: dt.date, **data) -> ClockEvent:
    return ClockEvent(kind, on, data)


STANDARD = ClockTerms(legal_limit=20, committed_limit=10)


def clock(events, terms=STANDARD, today=None):
    return case_clock(events, terms, cal(), today=today or events[-1].on)


# --- Art. 32: the five-day window and deemed acceptance ----------------------------------------


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        # Mon 2026-09-28: 29(1) 30(2), 10-01..07 rest, 10-08(3) 10-09(4) Sat 10-10 make-up(5)
        (D(2026, 9, 28), D(2026, 10, 10)),
        # Fri 2026-09-18: Sun 09-20 make-up(1) 21(2) 22(3) 23(4) 24(5)
        (D(2026, 9, 18), D(2026, 9, 24)),
        # Mon 2026-09-21: 22(1) 23(2) 24(3), Fri 25 Mid-autumn, 28(4) 29(5)
        (D(2026, 9, 21), D(2026, 9, 29)),
        # Fri 2026-02-13: Sat 02-14 make-up(1), 02-15..23 rest, 24(2) 25(3) 26(4) 27(5)
        (D(2026, 2, 13), D(2026, 2, 27)),
        # Fri 2025-09-26: Sun 09-28 make-up(1) 29(2) 30(3), 10-01..08 rest, 10-09(4) 10-10(5)
        (D(2025, 9, 26), D(2025, 10, 10)),
        # Mon 2025-01-27: 01-28..02-04 rest, 02-05(1) 06(2) 07(3) Sat 02-08 make-up(4) Mon 02-10(5)
        (D(2025, 1, 27), D(2025, 2, 10)),
    ],
)
def test_supplement_deadline_is_five_working_days(received, deadline):
    c = clock([E("received", received)], today=received)
    assert c.supplement_deadline == deadline
    assert c.phase is Phase.ACCEPTANCE
    assert c.due == deadline
    assert not c.deemed_accepted


def test_no_answer_in_five_days_counts_as_accepted_from_receipt():
    # Received Fri 2026-02-13, nothing by 02-27 (see above); on 03-02 the case counts as accepted
    # on 02-13. 20 working days from 02-13: Sat 14(1), 24(2) 25(3) 26(4) 27(5) Sat 28(6),
    # 03-02..06(11), 09..13(16), 16(17) 17(18) 18(19) 19(20).
    c = clock([E("received", D(2026, 2, 13))], today=D(2026, 3, 2))
    assert c.deemed_accepted
    assert c.accepted_on == D(2026, 2, 13)
    assert c.legal_deadline == D(2026, 3, 19)
    # 10 working days: ... 03-02(7) 03(8) 04(9) 05(10)
    assert c.committed_deadline == D(2026, 3, 5)
    assert c.phase is Phase.DECISION
    assert any("视为受理" in note for note in c.notes)


def test_on_the_last_day_it_is_not_yet_deemed():
    c = clock([E("received", D(2026, 2, 13))], today=D(2026, 2, 27))
    assert not c.deemed_accepted
    assert c.accepted_on is None
    assert c.working_days_left == 0
    assert c.colour is Colour.WARNING


def test_late_acceptance_dates_back_to_receipt():
    # Received Mon 2026-03-02; window 03-03..06, 09 → 03-09. Accepted 03-12: too late, so from 03-02.
    # 20 working days from 03-02: 03..06(4) 09..13(9) 16..20(14) 23..27(19) 30(20).
    c = clock([E("received", D(2026, 3, 2)), E("accepted", D(2026, 3, 12))])
    assert c.supplement_deadline == D(2026, 3, 9)
    assert c.deemed_accepted and c.accepted_on == D(2026, 3, 2)
    assert c.legal_deadline == D(2026, 3, 30)


def test_acceptance_in_time_starts_the_clock_on_its_day():
    # Accepted Wed 2026-09-30. 20 working days: 10-08(1) 09(2) Sat 10(3) 12..16(8) 19..23(13)
    # 26..30(18) 11-02(19) 11-03(20). Committed 10: 10-08..10(3) 12..16(8) 19(9) 20(10).
    c = clock([E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30))])
    assert c.accepted_on == D(2026, 9, 30) and not c.deemed_accepted
    assert c.legal_deadline == D(2026, 11, 3)
    assert c.committed_deadline == D(2026, 10, 20)
    assert not c.provisional


def test_2025_national_day_legal_deadline():
    # Accepted Tue 2025-09-30: 10-09(1) 10(2) Sat 11(3) 13..17(8) 20..24(13) 27..31(18) 11-03(19) 04(20)
    c = clock([E("received", D(2025, 9, 26)), E("accepted", D(2025, 9, 30))])
    assert c.legal_deadline == D(2025, 11, 4)


def test_supplement_path():
    # Received Mon 2026-03-02, one-time notice 03-04 (in time, window ends 03-09), materials complete
    # Mon 03-16: the answer is due 5 working days on: 17 18 19 20 23 → 03-23.
    events = [
        E("received", D(2026, 3, 2)),
        E("supplement_requested", D(2026, 3, 4)),
    ]
    waiting = clock(events, today=D(2026, 3, 20))
    assert waiting.phase is Phase.WAITING_APPLICANT and waiting.due is None and not waiting.deemed_accepted
    events.append(E("supplemented", D(2026, 3, 16)))
    pending = clock(events, today=D(2026, 3, 17))
    assert pending.acceptance_due == D(2026, 3, 23) and pending.phase is Phase.ACCEPTANCE
    # Accepted 03-18: 19 20(2) 23..27(7) 30 31(9) 04-01..03(12), Mon 04-06 Qingming, 07..10(16) 13..16(20)
    accepted = clock([*events, E("accepted", D(2026, 3, 18))])
    assert accepted.legal_deadline == D(2026, 4, 16)
    # Not answered by 03-23: counts as accepted on 03-16: 17..20(4) 23..27(9) 30 31(11) 04-01..03(14)
    # 07..10(18) 13(19) 14(20)
    deemed = clock(events, today=D(2026, 3, 24))
    assert deemed.deemed_accepted and deemed.accepted_on == D(2026, 3, 16)
    assert deemed.legal_deadline == D(2026, 4, 14)


def test_refusal_has_no_decision_deadline():
    c = clock([E("received", D(2026, 3, 2)), E("refused", D(2026, 3, 3))])
    assert c.legal_deadline is None and c.phase is Phase.DONE and c.working_days_left is None


# --- Art. 42: limits, joint handling, extension ------------------------------------------------


def test_extension_adds_ten_working_days():
    # Legal 2026-11-03 (above) + 10: 11-04(1) 05 06(3) 09..13(8) 16(9) 17(10)
    c = clock([E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30)), E("extended", D(2026, 10, 30))])
    assert c.extended and c.extension_days == 10
    assert c.legal_deadline == D(2026, 11, 17)
    assert c.committed_deadline == D(2026, 10, 20)  # the promise is not extended


def test_joint_handling_is_45_plus_15():
    # Accepted 2026-09-30, 45 working days: 10-08..10(3) 12..16(8) 19..23(13) 26..30(18) 11-02..06(23)
    # 09..13(28) 16..20(33) 23..27(38) 30(39) 12-01..04(43) 07(44) 08(45).
    # Extension 15: 12-09..11(3) 14..18(8) 21..25(13) 28(14) 29(15).
    terms = ClockTerms(joint=True, legal_limit=0, committed_limit=30)
    base = [E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30))]
    assert clock(base, terms).legal_deadline == D(2026, 12, 8)
    extended = clock([*base, E("extended", D(2026, 12, 1))], terms)
    assert extended.legal_deadline == D(2026, 12, 29)
    assert extended.extension_days == 15


def test_items_own_limit_and_calendar_days():
    # 30 calendar days from Tue 2026-09-01 is Thu 10-01, a holiday; 10-02..07 rest too → Thu 10-08.
    terms = ClockTerms(legal_limit=30, legal_unit="calendar", committed_limit=15, committed_unit="calendar")
    c = clock([E("received", D(2026, 9, 1)), E("accepted", D(2026, 9, 1))], terms)
    assert c.legal_deadline == D(2026, 10, 8)
    # 15 calendar days from 09-01 is Wed 09-16, a working day.
    assert c.committed_deadline == D(2026, 9, 16)


def test_committed_limit_never_later_than_legal_and_defaults_to_it():
    long_promise = ClockTerms(legal_limit=5, committed_limit=10)
    c = clock([E("received", D(2026, 3, 2)), E("accepted", D(2026, 3, 2))], long_promise)
    assert c.committed_deadline == c.legal_deadline == D(2026, 3, 9)
    no_promise = ClockTerms(legal_limit=20, committed_limit=0)
    assert clock([E("received", D(2026, 3, 2)), E("accepted", D(2026, 3, 2))], no_promise).committed_deadline == D(
        2026, 3, 30
    )


# --- Art. 34: instant items ----------------------------------------------------------------------


def test_instant_item_is_decided_on_the_spot():
    terms = ClockTerms(is_instant=True, legal_limit=20, committed_limit=0)
    # Sat 2026-10-10 is a make-up working day: the same day.
    c = clock([E("received", D(2026, 10, 10)), E("accepted", D(2026, 10, 10))], terms)
    assert c.legal_deadline == c.committed_deadline == D(2026, 10, 10)
    # Received online on Sun 10-04 inside the holiday: the first working day on or after is Thu 10-08.
    c = clock([E("received", D(2026, 10, 4)), E("accepted", D(2026, 10, 4))], terms)
    assert c.legal_deadline == D(2026, 10, 8)


# --- Art. 45: special procedures ------------------------------------------------------------------


def test_suspension_is_not_counted():
    # Accepted Mon 2026-03-02: legal 03-30, committed 03-16 (counted above). Expert review from Tue
    # 03-10 to Fri 03-20: days 11 12 13 16 17 18 19 20 are not counted (8).
    # Legal 28 working days: 03-30(20) 31(21) 04-01..03(24), 04-06 Qingming, 07(25) 08 09 10(28).
    # Committed 18: 03-16(10) 17..20(14) 23(15) 24 25 26(18).
    events = [
        E("received", D(2026, 3, 2)),
        E("accepted", D(2026, 3, 2)),
        E("review_started", D(2026, 3, 3)),
        E("suspended", D(2026, 3, 10), procedure="expert_review", expected_days=5),
        E("resumed", D(2026, 3, 20)),
    ]
    c = clock(events)
    assert c.legal_deadline == D(2026, 4, 10)
    assert c.committed_deadline == D(2026, 3, 26)
    assert c.suspended_working_days == 8
    assert any("专家评审" in n for n in c.notes)


def test_running_suspension_uses_expected_end_and_stops_the_clock():
    # Suspended 03-10 for 5 working days: expected end 11 12 13 16 17 → 03-17 (5 not counted).
    # Legal 25: 03-30(20) 31 04-01 02 03(24) 07(25). Committed 15: 03-16(10) 17..20(14) 23(15).
    events = [
        E("received", D(2026, 3, 2)),
        E("accepted", D(2026, 3, 2)),
        E("suspended", D(2026, 3, 10), procedure="testing", expected_days=5),
    ]
    c = clock(events, today=D(2026, 3, 12))
    assert c.suspended
    assert c.legal_deadline == D(2026, 4, 7)
    assert c.committed_deadline == D(2026, 3, 23)
    # Frozen at the start: from 03-10 to the unsuspended committed 03-16 there were 11 12 13 16 = 4.
    assert c.working_days_left == 4
    assert c.as_of == D(2026, 3, 10)
    assert c.colour is Colour.NORMAL


def test_suspension_after_committed_only_moves_legal():
    # Committed 03-16 passed; expert review 03-25..27 (26, 27 not counted): legal 22 working
    # days: 03-30(20) 31(21) 04-01(22).
    events = [
        E("received", D(2026, 3, 2)),
        E("accepted", D(2026, 3, 2)),
        E("suspended", D(2026, 3, 25), procedure="hearing"),
        E("resumed", D(2026, 3, 27)),
    ]
    c = clock(events)
    assert c.committed_deadline == D(2026, 3, 16)
    assert c.legal_deadline == D(2026, 4, 1)


def test_suspension_after_the_legal_deadline_adds_nothing():
    events = [
        E("received", D(2026, 3, 2)),
        E("accepted", D(2026, 3, 2)),
        E("suspended", D(2026, 3, 31), procedure="hearing"),
        E("resumed", D(2026, 4, 10)),
    ]
    assert clock(events).legal_deadline == D(2026, 3, 30)


# --- Art. 44: delivery ------------------------------------------------------------------------------


def test_delivery_within_ten_working_days_after_grant():
    # Granted Wed 2026-09-30: 10-08(1) 09(2) Sat 10(3) 12..16(8) 19(9) 20(10)
    events = [
        E("received", D(2026, 9, 28)),
        E("accepted", D(2026, 9, 28)),
        E("decided", D(2026, 9, 30), granted=True),
    ]
    c = clock(events)
    assert c.delivery_deadline == D(2026, 10, 20)
    assert c.phase is Phase.DELIVERY and c.due == D(2026, 10, 20)
    refused = clock([*events[:2], E("decided", D(2026, 9, 30), granted=False)])
    assert refused.delivery_deadline is None and refused.phase is Phase.DONE


# --- provisional --------------------------------------------------------------------------------------


def test_deadline_into_2027_is_provisional():
    # Accepted Tue 2026-12-15: 16 17 18(3) 21..25(8) 28..31(12), 2027 unknown: Fri 01-01(13)
    # 04..08(18) 11(19) 12(20).
    c = clock([E("received", D(2026, 12, 15)), E("accepted", D(2026, 12, 15))])
    assert c.legal_deadline == D(2027, 1, 12)
    assert c.provisional
    # From 12-01: 02..04(3) 07..11(8) 14..18(13) 21..25(18) 28(19) 29(20): inside 2026, official.
    c = clock([E("received", D(2026, 12, 1)), E("accepted", D(2026, 12, 1))])
    assert c.legal_deadline == D(2026, 12, 29)
    assert c.committed_deadline == D(2026, 12, 15)
    assert not c.provisional


# --- colours and days left -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "colour", "left"),
    [
        (D(2026, 10, 3), Colour.NORMAL, 10),  # 10-08 09 10 12..16 19 20
        (D(2026, 10, 14), Colour.NORMAL, 4),  # 15 16 19 20
        (D(2026, 10, 15), Colour.WARNING, 3),  # 16 19 20
        (D(2026, 10, 20), Colour.WARNING, 0),
        (D(2026, 10, 21), Colour.OVERDUE, -1),
        (D(2026, 11, 4), Colour.VIOLATION, -11),  # 21..23(3) 26..30(8) 11-02 03 04(11)
    ],
)
def test_colour_follows_committed_and_legal(today, colour, left):
    c = clock([E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30))], today=today)
    assert (c.colour, c.working_days_left) == (colour, left)


def test_warning_threshold_is_a_parameter():
    assert colour_for(cal(), today=D(2026, 10, 14), due=D(2026, 10, 20), legal_due=None, warning_days=4) == (
        Colour.WARNING,
        4,
    )


def test_finished_cases_keep_their_record_colour():
    base = [E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30))]
    on_time = clock([*base, E("decided", D(2026, 10, 16), granted=False)], today=D(2027, 1, 1))
    assert on_time.colour is Colour.NORMAL
    late = clock([*base, E("decided", D(2026, 10, 21), granted=False)])
    assert late.colour is Colour.OVERDUE
    unlawful = clock([*base, E("decided", D(2026, 11, 4), granted=False)])
    assert unlawful.colour is Colour.VIOLATION


def test_working_days_used_leaves_out_suspensions():
    # Accepted 09-30, decided 10-16: 10-08 09 10 12..16 = 8
    base = [E("received", D(2026, 9, 28)), E("accepted", D(2026, 9, 30))]
    assert working_days_used(clock([*base, E("decided", D(2026, 10, 16), granted=True)]), cal()) == 8
    paused = [*base, E("suspended", D(2026, 10, 12)), E("resumed", D(2026, 10, 14)), E("decided", D(2026, 10, 16))]
    assert working_days_used(clock(paused), cal()) == 6  # 13 and 14 not counted


def test_events_must_start_with_receipt():
    with pytest.raises(ValueError):
        case_clock([], STANDARD, cal(), today=D(2026, 1, 5))


# --- properties -------------------------------------------------------------------------------------------

days = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    received=days, limit=st.integers(0, 60), committed=st.integers(0, 60), unit=st.sampled_from(["working", "calendar"])
)
def test_every_deadline_is_a_working_day(received, limit, committed, unit):
    terms = ClockTerms(legal_limit=limit, legal_unit=unit, committed_limit=committed, committed_unit=unit)
    c = clock([E("received", received), E("accepted", received)], terms)
    for day in (c.supplement_deadline, c.legal_deadline, c.committed_deadline):
        assert cal().is_workday(day)
    assert c.committed_deadline <= c.legal_deadline


@settings(max_examples=300, deadline=None)
@given(
    accepted=days,
    limit=st.integers(1, 45),
    unit=st.sampled_from(["working", "calendar"]),
    offset=st.integers(0, 70),
    length=st.integers(0, 40),
)
def test_a_suspension_never_shortens(accepted, limit, unit, offset, length):
    terms = ClockTerms(legal_limit=limit, legal_unit=unit, committed_limit=limit, committed_unit=unit)
    base = [E("received", accepted), E("accepted", accepted)]
    start = accepted + dt.timedelta(days=offset)
    end = start + dt.timedelta(days=length)
    plain = clock(base, terms, today=accepted)
    paused = clock([*base, E("suspended", start), E("resumed", end)], terms, today=accepted)
    assert paused.legal_deadline >= plain.legal_deadline
    assert paused.committed_deadline >= plain.committed_deadline
    assert cal().is_workday(paused.legal_deadline)


@settings(max_examples=300, deadline=None)
@given(accepted=days, limit=st.integers(1, 45))
def test_extension_adds_exactly_ten_working_days(accepted, limit):
    terms = ClockTerms(legal_limit=limit)
    base = [E("received", accepted), E("accepted", accepted)]
    plain = clock(base, terms)
    extended = clock([*base, E("extended", accepted)], terms)
    assert working_days_between(cal(), plain.legal_deadline, extended.legal_deadline) == 10
    assert cal().is_workday(extended.legal_deadline)


@settings(max_examples=200, deadline=None)
@given(start=days, limit=st.integers(1, 60))
def test_run_limit_without_pauses_is_add_working_days(start, limit):
    assert run_limit(cal(), start, limit, "working")[0] == add_working_days(cal(), start, limit).date
