"""The working-day calendar as lookup tables, for computing millions of deadlines quickly.

Built once from the project's :class:`onezone.core.workdays.Calendar` (so the same holidays and
make-up days apply). :class:`TableCalendar` *is* such a calendar: the window's clock runs on it
unchanged, and only the two counting primitives answer from a list instead of a bisection (outside
the table's range they fall back to the calendar's own arithmetic). :class:`WorkTable` keeps the
working days as a list for drawing case dates. Days are ordinals (``date.toordinal()``).
"""

from __future__ import annotations

import datetime as dt

from onezone.core.workdays import Calendar


class TableCalendar(Calendar):
    """A :class:`Calendar` whose counts inside ``first``..``last`` come from precomputed tables.

    The answers are those of the plain calendar (the tables are built from it, and the tests
    compare both on every day of the range); only their cost differs.
    """

    @classmethod
    def of(cls, calendar: Calendar, first: dt.date, last: dt.date) -> TableCalendar:
        table = cls(holidays=calendar.holidays, workdays=calendar.workdays, official_years=calendar.official_years)
        origin, end = first.toordinal(), last.toordinal()
        base = Calendar._working_days_through(table, origin - 1)
        through, days, count = [], [], 0
        for ordinal in range(origin, end + 1):
            if calendar.is_workday(dt.date.fromordinal(ordinal)):
                count += 1
                days.append(ordinal)
            through.append(count)
        # Frozen dataclass: the tables are set once, here, as Calendar sets its own derived fields.
        for name, value in (("_origin", origin), ("_base", base), ("_through", through), ("_days", days)):
            object.__setattr__(table, name, value)
        return table

    def is_workday(self, day: dt.date) -> bool:
        index = day.toordinal() - self._origin
        if 0 <= index < len(self._through):
            return self._through[index] > (self._through[index - 1] if index else 0)
        return super().is_workday(day)

    def _working_days_through(self, ordinal: int) -> int:
        index = ordinal - self._origin
        if 0 <= index < len(self._through):
            return self._base + self._through[index]
        return super()._working_days_through(ordinal)

    def _nth_working_day_after(self, ordinal: int, n: int) -> int:
        index = ordinal - self._origin
        if 0 <= index < len(self._through):
            position = self._through[index] + n - 1
            if position < len(self._days):
                return self._days[position]
        return super()._nth_working_day_after(ordinal, n)


class WorkTable:
    """Working days of ``first``..``last`` as tables; every answer must fall inside the range."""

    def __init__(self, calendar: Calendar, first: dt.date, last: dt.date) -> None:
        self.calendar = TableCalendar.of(calendar, first, last)
        self.origin = first.toordinal()
        self.end = last.toordinal()
        self.through = self.calendar._through  # working days from ``first`` up to and including each day
        self.days = self.calendar._days  # the working days, in order
        self.iso = [dt.date.fromordinal(o).isoformat() for o in range(self.origin, self.end + 1)]

    def index(self, day: int) -> int:
        """Position in :attr:`days` of the last working day on or before ``day``."""
        return self.through[day - self.origin] - 1

    def text(self, day: int | None) -> str | None:
        return None if day is None else self.iso[day - self.origin]

    def year(self, day: int) -> int:
        return int(self.iso[day - self.origin][:4])
