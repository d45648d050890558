"""The registry of figures other modules compute for appraisal indicators.

A higher-floor app registers its figure in its ``AppConfig.ready()``::

    register_metric("window.clerk_on_time_rate", label="窗口办件按时办结率（%）", fn=clerk_on_time_rate)

``fn(person, start, end)`` returns a Decimal in the figure's own unit, or None when the person has
no data in the period. An indicator maps the value to a 0–100 score with its formula (variable
``value``; without a formula the value itself is the score). A key nobody registered is refused with a
clear message instead of failing: a scheme may name the figure of a module that is not installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from onezone.core.errors import InvalidInput

MetricFn = Callable[[Any, dt.date, dt.date], Decimal | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    fn: MetricFn


_metrics: dict[str, Metric] = {}


class MetricUnavailable(InvalidInput):
    """The figure an indicator names is not registered on this site."""


def register_metric(key: str, *, label: str, fn: MetricFn) -> None:
    """Add (or replace) the figure ``key``."""
    if not key or not callable(fn):
        raise ValueError("a metric needs a key and a callable")
    _metrics[key] = Metric(key=key, label=label, fn=fn)


def metric_choices() -> list[tuple[str, str]]:
    """(key, label) of every registered figure, by key."""
    return [(m.key, m.label) for m in sorted(_metrics.values(), key=lambda m: m.key)]


def metric_label(key: str) -> str:
    metric = _metrics.get(key)
    return metric.label if metric else key


def is_registered(key: str) -> bool:
    return key in _metrics


def unavailable_message(key: str) -> str:
    return f"指标来源“{key}”尚未启用：提供该数据的模块未安装或未注册此指标，请改用手工评分或其他指标来源。"


def metric_value(key: str, person: Any, start: dt.date, end: dt.date) -> Decimal | None:
    """The figure ``key`` for ``person`` over ``start``–``end`` (both included)."""
    metric = _metrics.get(key)
    if metric is None:
        raise MetricUnavailable(unavailable_message(key), fields={"metric_key": unavailable_message(key)})
    value = metric.fn(person, start, end)
    return None if value is None else Decimal(value)


def meeting_tasks_on_time(person: Any, start: dt.date, end: dt.date) -> Decimal | None:
    """Percentage of the person's meeting follow-up tasks due in the period that were done by the deadline.

    Tasks due in the period (cancelled ones excepted) are counted; a task counts as on time when it
    was closed on or before its deadline. None when no task fell due.
    """
    from onezone.org.models import FollowUpTask

    due = FollowUpTask.objects.filter(owner=person, deadline__gte=start, deadline__lte=end).exclude(
        status=FollowUpTask.Status.CANCELLED
    )
    rows = list(due.values_list("status", "done_on", "deadline"))
    if not rows:
        return None
    on_time = sum(
        1
        for status, done_on, deadline in rows
        if status == FollowUpTask.Status.DONE and done_on is not None and done_on <= deadline
    )
    return (Decimal(on_time) * 100 / len(rows)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def register_own_metrics() -> None:
    register_metric("org.meeting_tasks_on_time", label="会议督办任务按时办结率（%）", fn=meeting_tasks_on_time)
