"""Window cases (办件): a plausible path through the state machine and the clock's answers for it.

A case's events follow ``window.services.TRANSITIONS``; its stored deadlines are what
``window.services.apply_clock`` would store for those events on the reference day: every path
goes through the window's own ``window.clock.case_clock`` (there is no second copy of the rules
here), run on a :class:`~onezone.synth.calendar.TableCalendar`. :class:`PathPool` keeps what it
costs in bounds: for each receipt day, item limits and target state it draws at most a few paths
(with their clock) and lets further cases of that kind take one of them at random, which leaves
each case's path distributed as before. The tests compare the stored deadlines with
``apply_clock`` on generated cases.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from onezone.synth.calendar import WorkTable
from onezone.window.clock import (
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


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def window_clock(wt: WorkTable, events: list[Event], limits: ItemLimits, today: int) -> Clock:
    """The project's own ``case_clock`` for any path, on the table calendar, converted to ordinals."""
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
    """The events of one case (days as ordinals) and the state they lead to."""

    events: list[Event]
    state: str


Timer = Callable[[list[Event], ItemLimits], Clock]


def case_path(
    rng: random.Random, wt: WorkTable, clock: Timer, limits: ItemLimits, i0: int, target: str, i_ref: int
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
            return Path(events, S.SUSPENDED)
        last = review
        if limits.special and rng.random() < 0.05:
            start = min(review + rng.randint(0, 3), i_ref)
            data = {"procedure": procedure, "expected_days": 10, "expected_unit": "working"}
            events.append((E.SUSPENDED, days[start], data))
            last = min(start + rng.randint(3, 15), i_ref)
            events.append((E.RESUMED, days[last], None))
        if limits.terms.legal_days >= 15 and rng.random() < 0.015:
            last = min(last + rng.randint(1, 3), i_ref)
            events.append((E.EXTENDED, days[last], None))
        # The decision limits as the window's clock gives them for the events so far.
        so_far = clock(events, limits)
        committed, legal = wt.index(so_far.committed), wt.index(so_far.legal)
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
        return Path(events, S.DECIDED)
    delivered = min(decided + rng.randint(0, 4), i_ref)
    events.append((E.DELIVERED, days[delivered], None))
    if target == S.DELIVERED:
        return Path(events, S.DELIVERED)
    events.append((E.CLOSED, at(delivered + rng.randint(0, 3)), None))
    return Path(events, S.CLOSED)


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


class PathPool:
    """Paths with the window clock's answers, at most ``variants`` per receipt day and item limits;
    beyond that a case takes one of them at random.

    Each pooled path is an independent draw (its target state from the case's age, then
    :func:`case_path`), and a case picks one uniformly, so a case's path has the distribution it
    would have had if drawn afresh; only cases received on the same day for items with the same
    limits share paths. The clock then runs once or twice per pooled path instead of per case.
    There are at most as many pools as working days times distinct limits (about 1,450 × 14), and
    :meth:`variants_for` sizes them so that about one case in ``SHARE`` draws a path of its own
    (at least one path per pool, at most eight): at the province's size (two million cases) every
    pool holds eight paths, at a twentieth of it one.
    """

    SHARE = 8

    def __init__(self, wt: WorkTable, today: int, i_ref: int, variants: int = 4) -> None:
        self.wt = wt
        self.today = today
        self.i_ref = i_ref
        self.variants = variants
        self.pools: dict[tuple, list[tuple[Path, Clock]]] = {}
        self.drawn = self.reused = 0

    @classmethod
    def variants_for(cls, cases: int, days: int, limits: int) -> int:
        return max(1, min(8, cases // max(1, days * limits * cls.SHARE)))

    def clock(self, events: list[Event], limits: ItemLimits) -> Clock:
        return window_clock(self.wt, events, limits, self.today)

    def draw(self, rng: random.Random, limits: ItemLimits, i0: int) -> tuple[Path, Clock]:
        pool = self.pools.setdefault((i0, limits), [])
        if len(pool) >= self.variants:
            self.reused += 1
            return pool[rng.randrange(self.variants)]
        self.drawn += 1
        target = target_state(rng, self.i_ref - i0)
        path = case_path(rng, self.wt, self.clock, limits, i0, target, self.i_ref)
        entry = (path, self.clock(path.events, limits))
        pool.append(entry)
        return entry
