"""The working-day calendar as lookup tables, for computing millions of deadlines quickly.

Built once from the project's :class:`onezone.core.workdays.Calendar` (so the same holidays and
make-up days apply), it answers "N working days after" and "working days between" with a list
index instead of a bisection. Days are ordinals (``date.toordinal()``).
"""

from __future__ import annotations

import datetime as dt

from onezone.core.workdays import Calendar


class WorkTable:
    """Working days of ``first``..``last`` as tables; every answer must fall inside the range."""

    def __init__(self, calendar: Calendar, first: dt.date, last: dt.date) -> None:
        self.calendar = calendar
        self.origin = first.toordinal()
        self.end = last.toordinal()
        through = []  # working days from ``first`` up to and including each day
        days = []  # the working days, in order
        count = 0
        for ordinal in range(self.origin, self.end + 1):
            if calendar.is_workday(dt.date.fromordinal(ordinal)):
                count += 1
                days.append(ordinal)
            through.append(count)
        self.through = through
        self.days = days
        self.iso = [dt.date.fromordinal(o).isoformat() for o in range(self.origin, self.end + 1)]
        self.official = calendar.official_years
        year = first.year
        while year in self.official:
            year += 1
        # Days up to here lie in years whose arrangement is known, from ``first`` on without a gap:
        # a limit from a day in range is provisional exactly when it ends after this day.
        self.official_until = dt.date(year, 1, 1).toordinal() - 1

    def add(self, day: int, count: int) -> int:
        """The end of ``count`` working days from ``day`` (core.workdays.add_working_days)."""
        if count == 0:
            return self.next(day)
        return self.days[self.through[day - self.origin] + count - 1]

    def next(self, day: int) -> int:
        """``day`` if it is a working day, else the next one (core.workdays.next_workday)."""
        index = day - self.origin
        before = self.through[index - 1] if index else 0
        if self.through[index] > before:
            return day
        return self.days[self.through[index]]

    def between(self, start: int, end: int) -> int:
        """Working days ``d`` with ``start < d <= end`` (core.workdays.working_days_between)."""
        return self.through[end - self.origin] - self.through[start - self.origin]

    def index(self, day: int) -> int:
        """Position in :attr:`days` of the last working day on or before ``day``."""
        return self.through[day - self.origin] - 1

    def text(self, day: int | None) -> str | None:
        return None if day is None else self.iso[day - self.origin]

    def year(self, day: int) -> int:
        return int(self.iso[day - self.origin][:4])
