"""SMS quiet hours: a pure rule on local wall-clock times."""

from __future__ import annotations

import datetime as dt


def in_quiet_hours(moment: dt.time, start: dt.time, end: dt.time) -> bool:
    """Whether the wall-clock time ``moment`` lies in the quiet hours from ``start`` to ``end``.

    The hours may pass midnight (22:00–08:00). ``start`` is in, ``end`` is out; equal bounds mean none.
    """
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def quiet_until(now: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """When a message held at the aware time ``now`` may go: the next ``end`` in ``now``'s zone, or
    ``None`` when ``now`` is outside the quiet hours."""
    if not in_quiet_hours(now.timetz().replace(tzinfo=None), start, end):
        return None
    release = now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if release <= now:
        release = (now + dt.timedelta(days=1)).replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return release
