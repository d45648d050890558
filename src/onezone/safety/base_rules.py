"""Pure rules of the safety base: the hidden hazard's state machine, responsibility check due dates.

No Django here: plain dates and strings, so they are tested exhaustively.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The hazard's states (the values of models.HazardStatus).
REPORTED, ASSIGNED, RECTIFYING, RECTIFIED, ACCEPTED = "reported", "assigned", "rectifying", "rectified", "accepted"

# Who may take an action: "body" (staff on the hazard's body, its head, a leader) or "either" (that
# staff, or a user of the hazard's own enterprise).
BODY, EITHER = "body", "either"


@dataclass(frozen=True)
class Step:
    source: str
    action: str
    target: str
    who: str
    label: str


# The table of allowed transitions of a hidden hazard.
TRANSITIONS: tuple[Step, ...] = (
    Step(REPORTED, "assign", ASSIGNED, BODY, "交办整改"),
    Step(ASSIGNED, "start", RECTIFYING, EITHER, "开始整改"),
    Step(RECTIFYING, "complete", RECTIFIED, EITHER, "整改完成申请验收"),
    Step(RECTIFIED, "accept", ACCEPTED, BODY, "验收销号"),
    Step(RECTIFIED, "reject", RECTIFYING, BODY, "验收不通过退回整改"),
)
_BY_KEY = {(s.source, s.action): s for s in TRANSITIONS}
ACTIONS = {s.action: s.label for s in TRANSITIONS}


def step_for(status: str, action: str) -> Step | None:
    """The transition ``action`` makes from ``status``, or None when the table does not allow it."""
    return _BY_KEY.get((status, action))


def actions_from(status: str) -> list[Step]:
    """The transitions allowed from ``status``, in the table's order."""
    return [s for s in TRANSITIONS if s.source == status]


# How often each responsible person checks the major hazard, in days (settings override these).
CHECK_DAYS = {"main": 90, "technical": 30, "operations": 7}
# A check "before a holiday" counts within this many days before the holiday's first day.
HOLIDAY_CHECK_DAYS = 7


def holiday_starts(holidays: Iterable[dt.date]) -> list[dt.date]:
    """The first day of each run of holidays (a run continues across the weekend between its days)."""
    days = sorted(set(holidays))
    starts: list[dt.date] = []
    previous: dt.date | None = None
    for day in days:
        if previous is None or (day - previous).days > 3:
            starts.append(day)
        previous = day
    return starts


@dataclass(frozen=True)
class CheckStatus:
    due: dt.date  # the periodic check is due by this date
    overdue: bool
    holiday: dt.date | None  # the holiday whose pre-holiday check is due or was missed
    holiday_overdue: bool


def check_status(
    *,
    duty: str,
    since: dt.date,
    periodic: Iterable[dt.date],
    holiday_checks: Iterable[dt.date],
    holidays: Iterable[dt.date],
    today: dt.date,
    days: Mapping[str, int] | None = None,
    holiday_days: int = HOLIDAY_CHECK_DAYS,
) -> CheckStatus:
    """Where a responsible person stands with their checks on ``today``.

    The periodic check is due ``days[duty]`` days after the last one (after ``since``, when the person
    took the duty, while there is none); overdue once that date has passed. Before each holiday a check is due within
    ``holiday_days`` days before its first day: the next such holiday is reported while its window is
    open, and a holiday that began without a check in its window (within the last ``holiday_days``
    days) is overdue.
    """
    period = (days or CHECK_DAYS)[duty]
    due = max(periodic, default=since) + dt.timedelta(days=period)
    done = sorted(holiday_checks)
    starts = holiday_starts(holidays)
    holiday: dt.date | None = None
    holiday_overdue = False
    window = dt.timedelta(days=holiday_days)
    for start in starts:
        checked = any(start - window <= d < start for d in done)
        if start <= today < start + window and start - window >= since and not checked:
            holiday, holiday_overdue = start, True
            break
        if today < start <= today + window and not checked:
            holiday = start
            break
    return CheckStatus(due=due, overdue=due < today, holiday=holiday, holiday_overdue=holiday_overdue)
