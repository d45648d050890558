"""SMS quiet hours: the pure rule, exhaustively at minute resolution and as properties."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.notify.quiet import in_quiet_hours, quiet_until

SH = ZoneInfo("Asia/Shanghai")
T = dt.time
NIGHT = (T(22, 0), T(8, 0))
NOON_BREAK = (T(12, 0), T(14, 0))


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (T(21, 59), False),
        (T(22, 0), True),
        (T(23, 59), True),
        (T(0, 0), True),
        (T(7, 59), True),
        (T(8, 0), False),
        (T(12, 0), False),
    ],
)
def test_night_hours_pass_midnight(moment, quiet):
    assert in_quiet_hours(moment, *NIGHT) is quiet


def test_every_minute_of_the_day():
    minutes = [T(h, m) for h in range(24) for m in range(60)]
    assert sum(in_quiet_hours(t, *NIGHT) for t in minutes) == 10 * 60
    assert sum(in_quiet_hours(t, *NOON_BREAK) for t in minutes) == 2 * 60
    assert not any(in_quiet_hours(t, T(9, 0), T(9, 0)) for t in minutes)


def test_held_until_the_morning():
    evening = dt.datetime(2026, 12, 31, 23, 30, tzinfo=SH)
    assert quiet_until(evening, *NIGHT) == dt.datetime(2027, 1, 1, 8, 0, tzinfo=SH)
    early = dt.datetime(2027, 1, 1, 6, 0, tzinfo=SH)
    assert quiet_until(early, *NIGHT) == dt.datetime(2027, 1, 1, 8, 0, tzinfo=SH)
    assert quiet_until(dt.datetime(2027, 1, 1, 8, 0, tzinfo=SH), *NIGHT) is None


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))
# Asia/Shanghai keeps one offset all year, so attaching the zone to a naive time is exact.
moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1)).map(
    lambda d: d.replace(tzinfo=SH)
)


@given(moments, times, times)
def test_release_is_after_now_outside_the_hours_and_within_a_day(now, start, end):
    release = quiet_until(now, start, end)
    if release is None:
        assert not in_quiet_hours(now.time(), start, end)
        return
    assert in_quiet_hours(now.time(), start, end)
    assert now < release <= now + dt.timedelta(days=1)
    assert release.time() == end
    assert not in_quiet_hours(release.time(), start, end)


@given(times, times, times)
def test_the_hours_and_the_rest_of_the_day_are_complementary(moment, start, end):
    if start != end:
        assert in_quiet_hours(moment, start, end) != in_quiet_hours(moment, end, start)
