"""The daily sweep's schedule: which day is due (pure, exhaustive and by property) and once-a-day enqueueing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.core.jobs import Job, JobState
from onezone.core.jobs.schedule import SHANGHAI, due_day, enqueue_due_sweep, parse_at, sweep_key
from tests.core.test_jobs import run_worker

AT = dt.time(2, 0)


def shanghai(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (shanghai(2026, 12, 8, 1, 59), dt.date(2026, 12, 7)),
        (shanghai(2026, 12, 8, 2, 0), dt.date(2026, 12, 8)),
        (shanghai(2026, 12, 8, 23, 59), dt.date(2026, 12, 8)),
        (shanghai(2026, 1, 1, 0, 0), dt.date(2025, 12, 31)),
        # 18:30 UTC is 02:30 the next day in Shanghai
        (dt.datetime(2026, 12, 7, 18, 30, tzinfo=dt.UTC), dt.date(2026, 12, 8)),
    ],
)
def test_due_day(now, day):
    assert due_day(now, AT) == day


@given(st.datetimes(timezones=st.just(SHANGHAI)), st.times())
def test_the_due_day_is_today_or_yesterday_and_its_time_has_come(now, at):
    day = due_day(now, at)
    local = now.astimezone(SHANGHAI)
    assert day in (local.date(), local.date() - dt.timedelta(days=1))
    assert (day == local.date()) == (local.time() >= at)


@pytest.mark.parametrize(
    ("text", "at"), [("02:00", dt.time(2, 0)), ("2:30", dt.time(2, 30)), ("23:59", dt.time(23, 59))]
)
def test_parse_at(text, at):
    assert parse_at(text) == at


@pytest.mark.parametrize("text", ["", "2", "24:00", "02:60", "0200", "02:0", "aa:bb", "002:00"])
def test_parse_at_refuses(text):
    with pytest.raises(ValueError, match="巡检时间应为“时:分”"):
        parse_at(text)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_is_enqueued_once_a_day_however_often_asked_and_runs_on_the_worker(zone):
    now = shanghai(2026, 12, 8, 3, 0)
    first = enqueue_due_sweep(now=now, at=AT)
    again = enqueue_due_sweep(now=now + dt.timedelta(hours=5), at=AT)
    assert first.pk == again.pk
    assert (first.key, first.title, first.zone_id, first.started_by_id) == (
        sweep_key(dt.date(2026, 12, 8)),
        "夜间巡检（2026-12-08）",
        None,
        None,
    )
    run_worker()
    first.refresh_from_db()
    assert first.state == JobState.SUCCEEDED, first.error
    assert "jobs：中断的后台任务0个" in first.message
    next_day = enqueue_due_sweep(now=now + dt.timedelta(days=1), at=AT)
    assert next_day.pk != first.pk
    assert Job.objects.filter(kind="core.sweep").count() == 2
