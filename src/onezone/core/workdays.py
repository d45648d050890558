"""Working-day arithmetic for statutory time limits (工作日计算).

Pure functions of plain data: a :class:`Calendar` holds the days that break the Monday–Friday
rule and the years whose arrangement is known; the functions count and add working days on it.
The rules are those of RULES.md, "Working days":

- the day the period starts is not counted (期间开始之日不计算在内);
- N working days (N >= 1) end on the N-th working day after the start date;
- 0 working days (即办件) end on the first working day on or after the start date;
- N calendar days end N days after the start date, moved to the next working day when that day
  is a rest day (民法典 Art. 203);
- a deadline is provisional when any year it touches has no imported arrangement; such years rest
  on Saturdays and Sundays only.

Working days are counted in closed form (weeks × 5 plus the remainder, minus weekday holidays,
plus weekend make-up days, both found by bisection), so a limit costs a handful of bisections
whatever its length.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from onezone.core.errors import InvalidInput

__all__ = [
    "Calendar",
    "DayKind",
    "Deadline",
    "LimitUnit",
    "NegativeTimeLimit",
    "add_calendar_days",
    "add_working_days",
    "deadline",
    "month_days",
    "next_workday",
    "working_days_between",
]

_SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


class DayKind(StrEnum):
    """How a day breaks the Monday–Friday rule."""

    HOLIDAY = "holiday"  # a rest day that falls on Mon–Fri (statutory holiday or bridge day)
    WORKDAY = "workday"  # a make-up working day that falls on Sat/Sun (调休上班)


class LimitUnit(StrEnum):
    """The unit a time limit is stated in."""

    WORKING = "working"
    CALENDAR = "calendar"


class NegativeTimeLimit(InvalidInput, ValueError):
    """A time limit of fewer than zero days was given.

    A ``ValueError`` for plain callers, and a domain error so the API renders it like any other.
    """


def _is_weekend(day: dt.date) -> bool:
    return day.weekday() >= _SATURDAY


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar: exceptions to Monday–Friday plus the years that are known.

    Construction normalises the sets, so that ``holidays`` holds only weekdays and ``workdays``
    only weekend days: a weekend "holiday" or a weekday "workday" changes nothing and is dropped.
    """

    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    official_years: frozenset[int]
    # Sorted ordinals of the two sets, for bisection; derived, so kept out of init/eq/repr.
    _holiday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _workday_ordinals: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        holidays = frozenset(d for d in self.holidays if not _is_weekend(d))
        workdays = frozenset(d for d in self.workdays if _is_weekend(d))
        # The dataclass is frozen; these are set once, during construction.
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "official_years", frozenset(int(y) for y in self.official_years))
        object.__setattr__(self, "_holiday_ordinals", tuple(sorted(d.toordinal() for d in holidays)))
        object.__setattr__(self, "_workday_ordinals", tuple(sorted(d.toordinal() for d in workdays)))

    @classmethod
    def build(
        cls,
        *,
        holidays: Iterable[dt.date] = (),
        workdays: Iterable[dt.date] = (),
        official_years: Iterable[int] = (),
    ) -> Calendar:
        """Return a calendar from any iterables (lists, query results, ``range`` of years)."""
        return cls(
            holidays=frozenset(holidays),
            workdays=frozenset(workdays),
            official_years=frozenset(official_years),
        )

    def is_workday(self, day: dt.date) -> bool:
        """Return whether ``day`` is a working day."""
        if _is_weekend(day):
            return day in self.workdays
        return day not in self.holidays

    def is_official(self, year: int) -> bool:
        """Return whether the holiday arrangement of ``year`` is known."""
        return year in self.official_years

    def _working_days_through(self, ordinal: int) -> int:
        """Return the working days up to and including ``ordinal``, from a fixed origin.

        Only differences of this count mean anything. It rises by exactly one on each working day.
        """
        return (
            _weekdays_through(ordinal)
            - bisect_right(self._holiday_ordinals, ordinal)
            + bisect_right(self._workday_ordinals, ordinal)
        )

    def _nth_working_day_after(self, ordinal: int, n: int) -> int:
        """Return the ordinal of the n-th working day strictly after ``ordinal`` (n >= 1)."""
        target = self._working_days_through(ordinal) + n
        day = ordinal
        # Every jump lands on or before the answer, so the loop stops exactly on it. While the
        # count is short by k, the answer is at least k days on (at most one working day a day),
        # and at least the (k - m)-th weekday on, where m counts the make-up days up to the k-th
        # weekday: only weekdays and make-up days can be working days. Jumping in weekdays steps
        # over weekends in one go, so a limit takes about two jumps; a few more only when it ends
        # just before or inside a run of holidays.
        while (count := self._working_days_through(day)) < target:
            short = target - count
            weekdays = _weekdays_through(day)
            kth_weekday = _first_with_weekdays(weekdays + short)
            make_up = bisect_right(self._workday_ordinals, kth_weekday) - bisect_right(self._workday_ordinals, day)
            day = max(day + short, _first_with_weekdays(weekdays + short - make_up))
        return day


def _weekdays_through(ordinal: int) -> int:
    """Return the Mondays–Fridays up to and including ``ordinal``, from a fixed origin."""
    # Ordinal 1 (0001-01-01) is a Monday, so ordinals 1..5 of every week are weekdays; floor
    # division keeps the formula right for ordinals below 1 too.
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _first_with_weekdays(count: int) -> int:
    """Return the smallest ordinal ``o`` with ``_weekdays_through(o) >= count`` (a weekday)."""
    weeks, rest = divmod(count, 5)
    return 7 * weeks - 2 if rest == 0 else 7 * weeks + rest


@dataclass(frozen=True)
class Deadline:
    """A computed deadline. ``provisional`` means it rests on a year with no known arrangement."""

    date: dt.date
    provisional: bool  # True when any year from start.year through date.year is not official


def _check_days(days: int) -> None:
    if days < 0:
        raise NegativeTimeLimit(f"时限天数不能为负数（收到 {days}），请填写 0 或正整数。")


def _deadline(calendar: Calendar, start: dt.date, end: dt.date) -> Deadline:
    provisional = any(not calendar.is_official(year) for year in range(start.year, end.year + 1))
    return Deadline(date=end, provisional=provisional)


def next_workday(calendar: Calendar, day: dt.date) -> dt.date:
    """Return ``day`` if it is a working day, else the first working day after it."""
    if calendar.is_workday(day):
        return day
    return dt.date.fromordinal(calendar._nth_working_day_after(day.toordinal(), 1))


def add_working_days(calendar: Calendar, start: dt.date, days: int) -> Deadline:
    """Return the end of a limit of ``days`` working days that starts on ``start``.

    The start day is not counted: ``days`` >= 1 ends on the ``days``-th working day after
    ``start``; 0 ends on the first working day on or after ``start``. The date is always a working
    day. Raises :class:`NegativeTimeLimit` (a ``ValueError``) when ``days`` < 0.
    """
    _check_days(days)
    if days == 0:
        end = next_workday(calendar, start)
    else:
        end = dt.date.fromordinal(calendar._nth_working_day_after(start.toordinal(), days))
    return _deadline(calendar, start, end)


def add_calendar_days(calendar: Calendar, start: dt.date, days: int) -> Deadline:
    """Return the end of a limit of ``days`` calendar days that starts on ``start``.

    The limit ends ``days`` days after ``start``, or on the next working day when that day is a
    rest day (民法典 Art. 203); so the date is always a working day on or after ``start + days``.
    Raises :class:`NegativeTimeLimit` (a ``ValueError``) when ``days`` < 0.
    """
    _check_days(days)
    end = next_workday(calendar, start + dt.timedelta(days=days))
    return _deadline(calendar, start, end)


def deadline(
    calendar: Calendar,
    start: dt.date,
    days: int,
    unit: LimitUnit = LimitUnit.WORKING,
) -> Deadline:
    """Return the end of a limit of ``days`` in ``unit`` that starts on ``start``."""
    if LimitUnit(unit) is LimitUnit.CALENDAR:
        return add_calendar_days(calendar, start, days)
    return add_working_days(calendar, start, days)


def working_days_between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    """Return the number of working days ``d`` with ``start < d <= end``.

    When ``end`` is before ``start`` the result is minus the count for ``end < d <= start``.
    For ``days`` >= 1, ``working_days_between(c, s, add_working_days(c, s, days).date) == days``.
    """
    return calendar._working_days_through(end.toordinal()) - calendar._working_days_through(start.toordinal())


def month_days(calendar: Calendar, year: int, month: int) -> list[tuple[dt.date, bool]]:
    """Return every day of the month, in order, with whether it is a working day."""
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return [
        (day, calendar.is_workday(day))
        for day in (first + dt.timedelta(days=i) for i in range((following - first).days))
    ]
