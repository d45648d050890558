"""The statutory clock of a licensing case (行政许可法 Arts. 32, 34, 42, 44, 45, 82).

A pure function of plain data: the case's events (kind, date, data), the item's limits as they
stood on the day the case was received, the working-day calendar and today's date. No Django.

The rules, as the platform reads them (docs/window.md repeats them for officials):

- Art. 32: the office accepts, refuses or sends the one-time notice on the spot or within
  **5 working days** of receipt (``supplement_deadline``). If it does none of these by then, the
  application counts as accepted **from the receipt date** (``deemed_accepted``). After the
  applicant supplements, the complete materials are handled the same way: accepted or refused
  within 5 working days of their arrival, else counted as accepted from that arrival date.
- Art. 42: the decision is due within the item's legal limit from acceptance (20 working days by
  default; 45 for joint or unified handling, Art. 26). One extension of 10 working days (15 for
  joint handling) moves the legal deadline. The committed (promised) deadline is the zone's own
  shorter limit and is not extended; it is never later than the legal one.
- Art. 34: an instant item (即办件) is decided on the spot: its deadlines are the acceptance day
  (or the next working day when that is a rest day).
- Art. 45: days of a special procedure (hearing, tendering, auction, inspection, testing,
  quarantine, appraisal, expert review) are not counted. A procedure started on S and ended on R
  excludes the days S < d <= R; one still running is taken to end on its expected end.
- Art. 44: after a decision to grant, the licence is delivered within **10 working days**.
- Art. 82: limits are working days unless the item states calendar days (then 民法典 Art. 203:
  a limit ending on a rest day ends on the next working day).
- A deadline is provisional when it reaches into a year with no official holiday arrangement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from onezone.core.licensing import SPECIAL_PROCEDURES
from onezone.core.workdays import Calendar, LimitUnit, add_working_days, next_workday, working_days_between

ACCEPTANCE_DAYS = 5  # Art. 32
DEFAULT_LEGAL_DAYS = 20  # Art. 42
JOINT_LEGAL_DAYS = 45  # Art. 42 para. 2 (Art. 26 joint handling)
EXTENSION_DAYS = 10  # Art. 42
JOINT_EXTENSION_DAYS = 15  # Art. 42 para. 2
DELIVERY_DAYS = 10  # Art. 44
DEFAULT_WARNING_DAYS = 3


class EventKind(StrEnum):
    """What happened to a case. The lifecycle kinds; the clock reads the dated ones below."""

    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    REVIEW_STARTED = "review_started"
    REVIEW_CONFIRMED = "review_confirmed"  # Art. 34: the second reviewer's own check (no clock effect)
    SUSPENDED = "suspended"
    RESUMED = "resumed"
    EXTENDED = "extended"
    DECIDED = "decided"
    DELIVERED = "delivered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Phase(StrEnum):
    """Which deadline the case is running against now."""

    ACCEPTANCE = "acceptance"  # the office owes an answer on the materials (Art. 32)
    WAITING_APPLICANT = "waiting_applicant"  # the one-time notice is out; no office clock runs
    DECISION = "decision"  # Art. 42
    DELIVERY = "delivery"  # Art. 44
    DONE = "done"


class Colour(StrEnum):
    NORMAL = "normal"
    WARNING = "warning"  # the committed deadline is within the warning threshold
    OVERDUE = "overdue"  # the committed deadline has passed
    VIOLATION = "violation"  # the legal deadline has passed


COLOUR_LABELS = {
    Colour.NORMAL: "正常",
    Colour.WARNING: "临近时限",
    Colour.OVERDUE: "超过承诺时限",
    Colour.VIOLATION: "超过法定时限",
}


@dataclass(frozen=True)
class ClockEvent:
    """One dated event of a case, as the clock needs it."""

    kind: str
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ClockTerms:
    """The item's limits as they stood when the case was received."""

    legal_limit: int = DEFAULT_LEGAL_DAYS
    legal_unit: str = LimitUnit.WORKING
    committed_limit: int = 0
    committed_unit: str = LimitUnit.WORKING
    is_instant: bool = False
    joint: bool = False

    @classmethod
    def from_snapshot(cls, terms: Mapping[str, Any] | Any) -> ClockTerms:
        """The limits out of an ``ItemTerms`` or its JSON snapshot (a mapping)."""
        get = terms.get if isinstance(terms, Mapping) else lambda name, default=None: getattr(terms, name, default)
        return cls(
            legal_limit=int(get("legal_limit", 0) or 0),
            legal_unit=str(get("legal_unit", LimitUnit.WORKING) or LimitUnit.WORKING),
            committed_limit=int(get("committed_limit", 0) or 0),
            committed_unit=str(get("committed_unit", LimitUnit.WORKING) or LimitUnit.WORKING),
            is_instant=bool(get("is_instant", False)),
            joint=bool(get("joint", False)),
        )

    @property
    def legal_days(self) -> int:
        """The legal limit: the item's own, else 20 working days (45 when handled jointly)."""
        if self.is_instant:
            return 0
        if self.legal_limit > 0:
            return self.legal_limit
        return JOINT_LEGAL_DAYS if self.joint else DEFAULT_LEGAL_DAYS

    @property
    def legal_days_unit(self) -> LimitUnit:
        if self.is_instant or self.legal_limit <= 0:
            return LimitUnit.WORKING
        return LimitUnit(self.legal_unit)

    @property
    def extension_days(self) -> int:
        return JOINT_EXTENSION_DAYS if self.joint else EXTENSION_DAYS


@dataclass(frozen=True)
class Pause:
    """A special procedure (Art. 45): days ``start < d <= end`` are not counted."""

    procedure: str
    start: dt.date
    end: dt.date
    ended: bool  # False: still running, ``end`` is its expected end


@dataclass(frozen=True)
class CaseClock:
    """Every deadline of a case and why it is what it is."""

    received_on: dt.date
    supplement_deadline: dt.date  # the one-time notice / acceptance is due by this day (Art. 32)
    acceptance_due: dt.date | None  # the answer on the (complete) materials is due by this day
    accepted_on: dt.date | None  # the day the decision clock starts from
    deemed_accepted: bool  # Art. 32: counted as accepted because the office did not answer in time
    legal_deadline: dt.date | None
    committed_deadline: dt.date | None
    delivery_deadline: dt.date | None
    decided_on: dt.date | None
    granted: bool | None
    extended: bool
    extension_days: int
    suspended_working_days: int
    pauses: tuple[Pause, ...]
    provisional: bool
    phase: Phase
    due: dt.date | None  # the deadline the case runs against now (warnings follow it)
    legal_due: dt.date | None  # passing this one is a violation
    as_of: dt.date  # today, or the start of a running special procedure (the clock is stopped)
    working_days_left: int | None
    colour: Colour
    notes: tuple[str, ...]

    @property
    def suspended(self) -> bool:
        return any(not p.ended for p in self.pauses)


def colour_for(
    calendar: Calendar,
    *,
    today: dt.date,
    due: dt.date | None,
    legal_due: dt.date | None,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> tuple[Colour, int | None]:
    """The colour and the working days left, counted from ``today`` to ``due``.

    Violation when ``legal_due`` has passed, overdue when ``due`` has passed, warning when at most
    ``warning_days`` working days are left (the deadline day itself included), else normal.
    """
    if due is None:
        return Colour.NORMAL, None
    left = working_days_between(calendar, today, due)
    if legal_due is not None and today > legal_due:
        return Colour.VIOLATION, left
    if today > due:
        return Colour.OVERDUE, left
    if left <= warning_days:
        return Colour.WARNING, left
    return Colour.NORMAL, left


def _count(calendar: Calendar, unit: LimitUnit, start: dt.date, end: dt.date) -> int:
    """Days ``start < d <= end`` in ``unit``."""
    if end <= start:
        return 0
    if unit is LimitUnit.CALENDAR:
        return (end - start).days
    return working_days_between(calendar, start, end)


def _raw_end(calendar: Calendar, start: dt.date, days: int, unit: LimitUnit) -> dt.date:
    """The end of ``days`` from ``start`` before any Art. 203 move (calendar days end where they end)."""
    if unit is LimitUnit.CALENDAR:
        return start + dt.timedelta(days=days)
    return add_working_days(calendar, start, days).date


def run_limit(
    calendar: Calendar,
    start: dt.date,
    days: int,
    unit: LimitUnit,
    pauses: Sequence[Pause] = (),
) -> tuple[dt.date, int]:
    """The end of a limit of ``days`` from ``start`` with the days of ``pauses`` not counted.

    Returns the end (a working day) and the number of days (in ``unit``) the pauses added. A
    pause that starts after the limit has ended adds nothing; one that starts on its last day
    carries the rest of that day over its length.
    """
    unit = LimitUnit(unit)
    extra = 0
    for pause in sorted(pauses, key=lambda p: p.start):
        end = _raw_end(calendar, start, days + extra, unit)
        if pause.start > end or pause.end <= start:
            continue
        extra += _count(calendar, unit, max(pause.start, start), pause.end)
    end = _raw_end(calendar, start, days + extra, unit)
    return next_workday(calendar, end), extra


def _pauses(events: Sequence[ClockEvent], today: dt.date, calendar: Calendar) -> list[Pause]:
    pauses: list[Pause] = []
    open_start: ClockEvent | None = None
    for event in events:
        if event.kind == EventKind.SUSPENDED:
            open_start = event
        elif event.kind == EventKind.RESUMED and open_start is not None:
            pauses.append(Pause(str(open_start.data.get("procedure", "")), open_start.on, event.on, True))
            open_start = None
    if open_start is not None:
        expected = int(open_start.data.get("expected_days", 0) or 0)
        unit = LimitUnit(open_start.data.get("expected_unit", LimitUnit.WORKING) or LimitUnit.WORKING)
        end = _raw_end(calendar, open_start.on, expected, unit) if expected else open_start.on
        pauses.append(Pause(str(open_start.data.get("procedure", "")), open_start.on, max(end, today), False))
    return pauses


def _first(events: Iterable[ClockEvent], *kinds: str) -> ClockEvent | None:
    return next((e for e in events if e.kind in kinds), None)


def _official(calendar: Calendar, start: dt.date, end: dt.date | None) -> bool:
    if end is None:
        return True
    return all(calendar.is_official(y) for y in range(min(start, end).year, max(start, end).year + 1))


def case_clock(
    events: Sequence[ClockEvent],
    terms: ClockTerms,
    calendar: Calendar,
    *,
    today: dt.date,
    warning_days: int = DEFAULT_WARNING_DAYS,
) -> CaseClock:
    """Compute every deadline of a case from its events (in the order they happened)."""
    events = list(events)
    received = _first(events, EventKind.RECEIVED)
    if received is None:
        raise ValueError("a case's events start with its receipt")
    notes: list[str] = []
    received_on = received.on
    supplement_deadline = add_working_days(calendar, received_on, ACCEPTANCE_DAYS).date
    notes.append(
        f"收件日 {received_on}；应当场或在 5 个工作日内（{supplement_deadline} 前）"
        "受理、不予受理或一次性告知补正（第32条）。"
    )

    notice = _first(events, EventKind.SUPPLEMENT_REQUESTED)
    supplemented = _first(events, EventKind.SUPPLEMENTED)
    answer = _first(events, EventKind.ACCEPTED, EventKind.REFUSED)
    withdrawn = _first(events, EventKind.WITHDRAWN)
    decided = _first(events, EventKind.DECIDED)
    delivered = _first(events, EventKind.DELIVERED)
    closed = _first(events, EventKind.CLOSED)

    # When the materials the office must answer on arrived, and the day the answer is due.
    deemed = False
    accepted_on: dt.date | None = None
    acceptance_due: dt.date | None = supplement_deadline
    if notice is not None and notice.on <= supplement_deadline:
        basis = supplemented.on if supplemented is not None else None
        acceptance_due = add_working_days(calendar, basis, ACCEPTANCE_DAYS).date if basis else None
        if basis is not None:
            notes.append(f"{notice.on} 一次性告知补正，{basis} 收齐补正材料；应在 {acceptance_due} 前受理或不予受理。")
    else:
        basis = received_on
    refused = answer is not None and answer.kind == EventKind.REFUSED
    if answer is not None and answer.kind == EventKind.ACCEPTED and basis is not None:
        if acceptance_due is not None and answer.on > acceptance_due:
            accepted_on, deemed = basis, True
        else:
            accepted_on = answer.on
    elif answer is None and basis is not None and acceptance_due is not None:
        stopped_on = withdrawn.on if withdrawn is not None else today
        if stopped_on > acceptance_due:
            accepted_on, deemed = basis, True
    if deemed:
        notes.append(f"未在 {acceptance_due} 前作出受理决定或一次性告知，依法自 {basis} 起视为受理（第32条）。")
    elif accepted_on is not None:
        notes.append(f"{accepted_on} 受理。")
    if refused:
        notes.append(f"{answer.on} 决定不予受理。")

    pauses = _pauses(events, today, calendar)
    legal_deadline = committed_deadline = None
    extended = _first(events, EventKind.EXTENDED) is not None
    extension_days = 0
    suspended_days = 0
    if accepted_on is not None and not refused:
        unit = terms.legal_days_unit
        legal_days = terms.legal_days
        base_legal, _added = run_limit(calendar, accepted_on, legal_days, unit, pauses)
        unit_name = "工作日" if unit is LimitUnit.WORKING else "自然日"
        if terms.is_instant:
            notes.append(f"即办件：当场办结，办结时限为 {base_legal}（第34条）。")
        else:
            notes.append(f"法定时限 {legal_days} 个{unit_name}（第42条{'，联合办理' if terms.joint else ''}）。")
        for pause in pauses:
            state = f"至 {pause.end}" if pause.ended else f"预计至 {pause.end}（进行中）"
            label = PROCEDURE_LABELS.get(pause.procedure, pause.procedure)
            notes.append(f"特别程序（{label}）{pause.start} 起{state}，期间不计入时限（第45条）。")
        legal_deadline = base_legal
        if extended:
            extension_days = terms.extension_days
            remaining = [p for p in pauses if p.start > base_legal]
            legal_deadline, _ = run_limit(calendar, base_legal, extension_days, LimitUnit.WORKING, remaining)
            notes.append(
                f"经批准延长 {extension_days} 个工作日，法定时限由 {base_legal} 延至 {legal_deadline}（第42条）。"
            )
        else:
            notes.append(f"法定办结时限 {legal_deadline}。")
        if terms.is_instant:
            committed_deadline = base_legal
        elif terms.committed_limit > 0:
            committed_unit = LimitUnit(terms.committed_unit)
            committed_deadline, _ = run_limit(calendar, accepted_on, terms.committed_limit, committed_unit, pauses)
            committed_deadline = min(committed_deadline, base_legal)
            cu = "工作日" if committed_unit is LimitUnit.WORKING else "自然日"
            notes.append(f"承诺时限 {terms.committed_limit} 个{cu}，承诺办结时限 {committed_deadline}。")
        else:
            committed_deadline = base_legal
            notes.append("本事项未另作承诺，承诺时限与法定时限相同。")
        suspended_days = sum(
            _count(calendar, LimitUnit.WORKING, max(p.start, accepted_on), p.end)
            for p in pauses
            if p.start <= legal_deadline
        )

    granted: bool | None = None
    delivery_deadline = None
    if decided is not None:
        granted = bool(decided.data.get("granted"))
        if granted:
            delivery_deadline = add_working_days(calendar, decided.on, DELIVERY_DAYS).date
            notes.append(f"{decided.on} 作出准予许可决定，应在 {delivery_deadline} 前颁发、送达（第44条）。")
        else:
            notes.append(f"{decided.on} 作出不予许可决定。")

    # Which deadline runs now.
    legal_due: dt.date | None
    if closed is not None or withdrawn is not None or refused or delivered is not None:
        phase, due, legal_due = Phase.DONE, None, None
    elif decided is not None:
        phase = Phase.DELIVERY if granted else Phase.DONE
        due = legal_due = delivery_deadline
    elif accepted_on is not None:
        phase, due, legal_due = Phase.DECISION, committed_deadline, legal_deadline
    elif notice is not None and supplemented is None:
        phase, due, legal_due = Phase.WAITING_APPLICANT, None, None
    else:
        phase, due, legal_due = Phase.ACCEPTANCE, acceptance_due, None

    running = next((p for p in pauses if not p.ended), None)
    if running is not None and phase is Phase.DECISION and due is not None:
        # The clock is stopped: the days left are those left when the procedure began.
        as_of = min(today, running.start)
        left = working_days_between(calendar, as_of, due) - _count(calendar, LimitUnit.WORKING, as_of, running.end)
        colour = Colour.WARNING if left <= warning_days else Colour.NORMAL
    else:
        as_of = today
        colour, left = colour_for(calendar, today=as_of, due=due, legal_due=legal_due, warning_days=warning_days)
    if phase is Phase.DONE:
        colour = _final_colour(decided, committed_deadline, legal_deadline)

    dates = [supplement_deadline, acceptance_due, legal_deadline, committed_deadline, delivery_deadline]
    provisional = not all(_official(calendar, received_on, d) for d in dates)
    if provisional:
        notes.append("时限涉及尚未公布节假日安排的年份，暂按周六、周日休息计算，公布后自动重算。")
    return CaseClock(
        received_on=received_on,
        supplement_deadline=supplement_deadline,
        acceptance_due=acceptance_due,
        accepted_on=accepted_on,
        deemed_accepted=deemed,
        legal_deadline=legal_deadline,
        committed_deadline=committed_deadline,
        delivery_deadline=delivery_deadline,
        decided_on=decided.on if decided is not None else None,
        granted=granted,
        extended=extended,
        extension_days=extension_days,
        suspended_working_days=suspended_days,
        pauses=tuple(pauses),
        provisional=provisional,
        phase=phase,
        due=due,
        legal_due=legal_due,
        as_of=as_of,
        working_days_left=left,
        colour=colour,
        notes=tuple(notes),
    )


def _final_colour(decided: ClockEvent | None, committed: dt.date | None, legal: dt.date | None) -> Colour:
    if decided is None or committed is None:
        return Colour.NORMAL
    if legal is not None and decided.on > legal:
        return Colour.VIOLATION
    if decided.on > committed:
        return Colour.OVERDUE
    return Colour.NORMAL


def working_days_used(clock: CaseClock, calendar: Calendar) -> int | None:
    """Working days from acceptance to decision, special procedures left out."""
    if clock.accepted_on is None or clock.decided_on is None:
        return None
    total = working_days_between(calendar, clock.accepted_on, clock.decided_on)
    paused = sum(
        _count(calendar, LimitUnit.WORKING, max(p.start, clock.accepted_on), min(p.end, clock.decided_on))
        for p in clock.pauses
    )
    return max(total - paused, 0)


PROCEDURE_LABELS = SPECIAL_PROCEDURES
