"""The daily schedule of ``onezone worker --schedule``: which day's sweep is due, and the loop.

Each day's sweep is a job with the key ``sweep:<date>``; however many workers run the schedule,
the database's unique key lets one of them enqueue it and the others find it there. A day missed
(no worker running at the time) is caught up when a scheduler next looks.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import zoneinfo

from django.db import close_old_connections

logger = logging.getLogger("onezone.jobs")
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CHECK_SECONDS = 30.0


def parse_at(text: str) -> dt.time:
    """``HH:MM`` (24-hour) as a time; anything else is a configuration error in Chinese."""
    try:
        hours, minutes = text.strip().split(":")
        if len(hours) > 2 or len(minutes) != 2:
            raise ValueError(text)
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"巡检时间应为“时:分”（24小时制，如 02:00），收到“{text}”。") from None


def due_day(now: dt.datetime, at: dt.time) -> dt.date:
    """The latest day whose sweep time has come, in Asia/Shanghai: today once ``at`` has passed, else yesterday."""
    local = now.astimezone(SHANGHAI)
    return local.date() if local.time() >= at else local.date() - dt.timedelta(days=1)


def sweep_key(day: dt.date) -> str:
    return f"sweep:{day.isoformat()}"


def enqueue_due_sweep(*, now: dt.datetime, at: dt.time):
    """Start the due day's sweep unless some scheduler already has; returns its job."""
    from onezone.core.jobs.services import job_start
    from onezone.core.jobs.tasks import sweep

    day = due_day(now, at)
    return job_start(actor=None, zone_id=None, task=sweep, title=f"夜间巡检（{day:%Y-%m-%d}）", key=sweep_key(day))


class Scheduler(threading.Thread):
    """Beside the worker: every half minute, make sure the due day's sweep has been enqueued."""

    def __init__(self, *, at: dt.time, interval: float = CHECK_SECONDS) -> None:
        super().__init__(name="onezone-schedule", daemon=True)
        self.at = at
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        from django.utils import timezone

        while not self.stopped.is_set():
            close_old_connections()
            try:
                enqueue_due_sweep(now=timezone.now(), at=self.at)
            except Exception:  # a database that is down for a moment: try again at the next check
                logger.exception("could not enqueue the nightly sweep")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
