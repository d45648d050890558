"""Window cases (办件): a plausible path through the state machine and the clock's answers for it.

A case's events follow ``window.services.TRANSITIONS``; its stored deadlines are what
``window.services.apply_clock`` would store for those events on the reference day. The common
paths (no special procedure, no extension) are computed by :func:`fast_clock`, a transcription of
``window.clock.case_clock`` for them on the :class:`~onezone.synth.calendar.WorkTable`; paths
with a special procedure or an extension go through ``case_clock`` itself. The tests compare
both with ``apply_clock`` on generated cases.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any, NamedTuple

from onezone.core.workdays import LimitUnit
from onezone.synth.calendar import WorkTable
from onezone.window.clock import (
    ACCEPTANCE_DAYS,
    DELIVERY_DAYS,
    ClockEvent,
    ClockTerms,
    EventKind,
    case_clock,
    working_days_used,
)
from onezone.window.models import OPEN_STATES, CaseState

S = CaseState
E = EventKind
OPEN = frozenset(str(s) for s in OPEN_STATES)
WARNING_DAYS = 3


@dataclass(frozen=True)
class ItemLimits:
    """An item's limits as the clock reads them, from its terms snapshot."""

    terms: ClockTerms
    special: tuple[str, ...]

    @property
    def instant(self) -> bool:
        return self.terms.is_instant


class Clock(NamedTuple):
    supplement_deadline: int
    accepted_on: int | None
    deemed: bool
    legal: int | None
    committed: int | None
    delivery: int | None
    due: int | None
    legal_due: int | None
    provisional: bool
    extended: bool
    suspended_days: int
    on_time: bool | None
    within_legal: bool | None
    working_days_used: int | None


Event = tuple[str, int, dict[str, Any] | None]  # kind, day (ordinal), data


def _limit_end(wt: WorkTable, start: int, days: int, unit: str) -> int:
    """window.clock.run_limit without pauses."""
    if unit == LimitUnit.CALENDAR:
        return wt.next(start + days)
    return wt.next(wt.add(start, days))


def decision_limits(wt: WorkTable, terms: ClockTerms, accepted_on: int) -> tuple[int, int]:
    """The legal and committed deadlines from acceptance, without pauses or extension."""
    legal = _limit_end(wt, accepted_on, terms.legal_days, terms.legal_days_unit)
    if terms.is_instant or terms.committed_limit <= 0:
        return legal, legal
    return legal, min(_limit_end(wt, accepted_on, terms.committed_limit, terms.committed_unit), legal)


def fast_clock(wt: WorkTable, events: list[Event], limits: ItemLimits, today: int) -> Clock:
    """``case_clock`` for a case without special procedures or extensions, on ordinals."""
    first: dict[str, Event] = {}
    for event in events:
        first.setdefault(event[0], event)
    received = first[E.RECEIVED][1]
    supplement_deadline = wt.add(received, ACCEPTANCE_DAYS)
    notice = first.get(E.SUPPLEMENT_REQUESTED)
    supplemented = first.get(E.SUPPLEMENTED)
    answer = first.get(E.ACCEPTED) or first.get(E.REFUSED)
    if E.ACCEPTED in first and E.REFUSED in first:
        answer = min(first[E.ACCEPTED], first[E.REFUSED], key=events.index)
    withdrawn = first.get(E.WITHDRAWN)
    decided = first.get(E.DECIDED)
    delivered = first.get(E.DELIVERED)
    closed = first.get(E.CLOSED)

    deemed = False
    accepted_on = None
    acceptance_due: int | None = supplement_deadline
    if notice is not None and notice[1] <= supplement_deadline:
        basis = supplemented[1] if supplemented is not None else None
        acceptance_due = wt.add(basis, ACCEPTANCE_DAYS) if basis is not None else None
    else:
        basis = received
    refused = answer is not None and answer[0] == E.REFUSED
    if answer is not None and answer[0] == E.ACCEPTED and basis is not None:
        if acceptance_due is not None and answer[1] > acceptance_due:
            accepted_on, deemed = basis, True
        else:
            accepted_on = answer[1]
    elif answer is None and basis is not None and acceptance_due is not None:
        stopped_on = withdrawn[1] if withdrawn is not None else today
        if stopped_on > acceptance_due:
            accepted_on, deemed = basis, True

    legal = committed = None
    if accepted_on is not None and not refused:
        legal, committed = decision_limits(wt, limits.terms, accepted_on)

    granted = None
    delivery = None
    if decided is not None:
        granted = bool((decided[2] or {}).get("granted"))
        if granted:
            delivery = wt.add(decided[1], DELIVERY_DAYS)

    if closed is not None or withdrawn is not None or refused or delivered is not None:
        due = legal_due = None
    elif decided is not None:
        due = legal_due = delivery
    elif accepted_on is not None:
        due, legal_due = committed, legal
    elif notice is not None and supplemented is None:
        due = legal_due = None
    else:
        due, legal_due = acceptance_due, None

    latest = max(d for d in (supplement_deadline, acceptance_due, legal, committed, delivery) if d is not None)
    provisional = latest > wt.official_until
    on_time = within_legal = used = None
    if decided is not None and committed is not None:
        on_time = decided[1] <= committed
        within_legal = legal is None or decided[1] <= legal
        used = max(wt.between(accepted_on, decided[1]), 0) if accepted_on is not None else None
    return Clock(
        supplement_deadline,
        accepted_on,
        deemed,
        legal,
        committed,
        delivery,
        due,
        legal_due,
        provisional,
        False,
        0,
        on_time,
        within_legal,
        used,
    )


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def full_clock(wt: WorkTable, events: list[Event], limits: ItemLimits, today: int) -> Clock:
    """The project's own ``case_clock`` for any path, converted to ordinals."""
    clock = case_clock(
        [ClockEvent(kind, dt.date.fromordinal(day), data or {}) for kind, day, data in events],
        limits.terms,
        wt.calendar,
        today=dt.date.fromordinal(today),
        warning_days=WARNING_DAYS,
    )
    on_time = within_legal = used = None
    if clock.decided_on is not None and clock.committed_deadline is not None:
        on_time = clock.decided_on <= clock.committed_deadline
        within_legal = clock.legal_deadline is None or clock.decided_on <= clock.legal_deadline
        used = working_days_used(clock, wt.calendar)
    return Clock(
        clock.supplement_deadline.toordinal(),
        _ordinal(clock.accepted_on),
        clock.deemed_accepted,
        _ordinal(clock.legal_deadline),
        _ordinal(clock.committed_deadline),
        _ordinal(clock.delivery_deadline),
        _ordinal(clock.due),
        _ordinal(clock.legal_due),
        clock.provisional,
        clock.extended,
        clock.suspended_working_days,
        on_time,
        within_legal,
        used,
    )


# --- paths ------------------------------------------------------------------------------------------

# Target states by the case's age in working days before the reference day.
_RECENT = (
    (S.RECEIVED, 30),
    (S.SUPPLEMENT_REQUESTED, 8),
    (S.SUPPLEMENTED, 4),
    (S.ACCEPTED, 15),
    (S.UNDER_REVIEW, 20),
    (S.REFUSED, 3),
    (S.WITHDRAWN, 2),
    (S.DECIDED, 8),
    (S.DELIVERED, 5),
    (S.CLOSED, 5),
)
_MIDDLE = (
    (S.SUPPLEMENT_REQUESTED, 5),
    (S.SUPPLEMENTED, 2),
    (S.ACCEPTED, 3),
    (S.UNDER_REVIEW, 22),
    (S.SUSPENDED, 5),
    (S.DECIDED, 8),
    (S.DELIVERED, 10),
    (S.CLOSED, 38),
    (S.REFUSED, 4),
    (S.WITHDRAWN, 3),
)
_OLD = (
    (S.CLOSED, 86),
    (S.REFUSED, 2),
    (S.WITHDRAWN, 4),
    (S.DELIVERED, 4),
    (S.DECIDED, 1),
    (S.SUPPLEMENT_REQUESTED, 3),
)


def _table(pairs: tuple[tuple[str, int], ...]) -> list[str]:
    return [str(state) for state, weight in pairs for _ in range(weight)]


RECENT_STATES = _table(_RECENT)
MIDDLE_STATES = _table(_MIDDLE)
OLD_STATES = _table(_OLD)


def target_state(rng: random.Random, age: int) -> str:
    """A state for a case received ``age`` working days before the reference day."""
    if age <= 4:
        return rng.choice(RECENT_STATES)
    if age <= 40:
        return rng.choice(MIDDLE_STATES)
    return rng.choice(OLD_STATES)


@dataclass
class Path:
    """The events of one case (days as indexes into the working days) and whether it needs the
    full clock."""

    events: list[Event]
    state: str
    full: bool = False


def case_path(
    rng: random.Random, wt: WorkTable, limits: ItemLimits, i0: int, target: str, i_ref: int, today: int
) -> Path:
    """Events from receipt (working day index ``i0``) towards ``target``, none after ``i_ref``."""
    days = wt.days

    def at(index: int) -> int:
        return days[min(index, i_ref)]

    events: list[Event] = [(E.RECEIVED, days[i0], None)]
    if target == S.RECEIVED:
        return Path(events, S.RECEIVED)
    if target == S.WITHDRAWN and rng.random() < 0.6:
        events.append((E.WITHDRAWN, at(i0 + rng.randint(0, 3)), None))
        return Path(events, S.WITHDRAWN)
    instant = limits.instant
    basis = i0
    if target in (S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED) or (not instant and rng.random() < 0.12):
        notice = min(i0 + rng.randint(0, 3), i_ref)
        events.append((E.SUPPLEMENT_REQUESTED, days[notice], {"missing": []}))
        if target == S.SUPPLEMENT_REQUESTED:
            return Path(events, S.SUPPLEMENT_REQUESTED)
        if target == S.SUPPLEMENTED:
            basis = max(notice, i_ref - rng.randint(0, 3))
            events.append((E.SUPPLEMENTED, days[basis], None))
            return Path(events, S.SUPPLEMENTED)
        basis = min(notice + rng.randint(1, 8), i_ref)
        events.append((E.SUPPLEMENTED, days[basis], None))
    if target == S.REFUSED or (target == S.CLOSED and not instant and rng.random() < 0.04):
        refused = min(basis + rng.randint(0, 4), i_ref)
        events.append((E.REFUSED, days[refused], None))
        if target == S.CLOSED:
            events.append((E.CLOSED, at(refused + rng.randint(0, 3)), None))
            return Path(events, S.CLOSED)
        return Path(events, S.REFUSED)
    if instant:
        accepted = basis
    elif rng.random() < 0.01:
        accepted = basis + rng.randint(6, 8)  # answered late: counted as accepted on receipt
    else:
        accepted = basis + rng.choice((0, 0, 1, 1, 2, 3))
    accepted = min(accepted, i_ref)
    events.append((E.ACCEPTED, days[accepted], None))
    if target == S.ACCEPTED:
        return Path(events, S.ACCEPTED)
    full = False
    if instant:
        if target == S.WITHDRAWN:
            events.append((E.WITHDRAWN, days[accepted], None))
            return Path(events, S.WITHDRAWN)
        if target not in (S.DECIDED, S.DELIVERED):
            target = S.CLOSED
        decided = accepted
    else:
        review = min(accepted + rng.randint(0, 1), i_ref)
        events.append((E.REVIEW_STARTED, days[review], None))
        if target == S.UNDER_REVIEW:
            return Path(events, S.UNDER_REVIEW)
        if target == S.WITHDRAWN:
            events.append((E.WITHDRAWN, at(review + rng.randint(0, 5)), None))
            return Path(events, S.WITHDRAWN)
        procedure = limits.special[0] if limits.special else "expert_review"
        if target == S.SUSPENDED:
            data = {"procedure": procedure, "expected_days": rng.randint(10, 20), "expected_unit": "working"}
            events.append((E.SUSPENDED, at(review + rng.randint(0, 3)), data))
            return Path(events, S.SUSPENDED, full=True)
        last = review
        if limits.special and rng.random() < 0.05:
            start = min(review + rng.randint(0, 3), i_ref)
            data = {"procedure": procedure, "expected_days": 10, "expected_unit": "working"}
            events.append((E.SUSPENDED, days[start], data))
            last = min(start + rng.randint(3, 15), i_ref)
            events.append((E.RESUMED, days[last], None))
            full = True
        if limits.terms.legal_days >= 15 and rng.random() < 0.015:
            last = min(last + rng.randint(1, 3), i_ref)
            events.append((E.EXTENDED, days[last], None))
            full = True
        if full:
            clock = full_clock(wt, events, limits, today)
            legal_day, committed_day = clock.legal, clock.committed
        else:
            # accepted more than 5 working days after the materials were complete: counted from then
            accepted_on = days[basis] if accepted > basis + ACCEPTANCE_DAYS else days[accepted]
            legal_day, committed_day = decision_limits(wt, limits.terms, accepted_on)
        committed, legal = wt.index(committed_day), wt.index(legal_day)
        roll = rng.random()
        if roll < 0.93:
            decided = rng.randint(last, max(last, committed))
        elif roll < 0.99:
            decided = rng.randint(max(last, committed + 1), max(last, committed + 1, legal))
        else:
            decided = max(last, legal) + rng.randint(1, 5)
        decided = min(max(decided, last), i_ref)
    granted = rng.random() < 0.95
    events.append((E.DECIDED, days[decided], {"granted": granted}))
    if target == S.DECIDED:
        return Path(events, S.DECIDED, full)
    delivered = min(decided + rng.randint(0, 4), i_ref)
    events.append((E.DELIVERED, days[delivered], None))
    if target == S.DELIVERED:
        return Path(events, S.DELIVERED, full)
    events.append((E.CLOSED, at(delivered + rng.randint(0, 3)), None))
    return Path(events, S.CLOSED, full)


# The state each event leads to (None: unchanged), for the event rows.
EVENT_STATE = {
    E.RECEIVED: S.RECEIVED,
    E.SUPPLEMENT_REQUESTED: S.SUPPLEMENT_REQUESTED,
    E.SUPPLEMENTED: S.SUPPLEMENTED,
    E.ACCEPTED: S.ACCEPTED,
    E.REFUSED: S.REFUSED,
    E.REVIEW_STARTED: S.UNDER_REVIEW,
    E.SUSPENDED: S.SUSPENDED,
    E.RESUMED: S.UNDER_REVIEW,
    E.EXTENDED: None,
    E.DECIDED: S.DECIDED,
    E.DELIVERED: S.DELIVERED,
    E.CLOSED: S.CLOSED,
    E.WITHDRAWN: S.WITHDRAWN,
}
