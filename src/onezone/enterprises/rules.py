"""Pure rules of the enterprise module: the request pipeline, deadline alerts, inspection periods.

No Django here: plain dates and strings, so the rules are tested exhaustively.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum


class RequestAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    RESPOND = "respond"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    REOPEN = "reopen"


ACTION_LABELS = {
    RequestAction.ACKNOWLEDGE: "签收",
    RequestAction.RESPOND: "答复",
    RequestAction.RESOLVE: "办结",
    RequestAction.CONFIRM: "确认办结",
    RequestAction.REOPEN: "不满意重新办理",
}

STATUS_LABELS = {
    "submitted": "已提交",
    "acknowledged": "已签收",
    "responded": "已答复",
    "resolved": "已办结待确认",
    "closed": "已关闭",
}

# (status, action) → next status. Closing is only ever the enterprise's confirmation of a
# resolved request, and a request is resolved only after it was responded to.
REQUEST_TRANSITIONS: dict[tuple[str, RequestAction], str] = {
    ("submitted", RequestAction.ACKNOWLEDGE): "acknowledged",
    ("acknowledged", RequestAction.RESPOND): "responded",
    ("responded", RequestAction.RESOLVE): "resolved",
    ("resolved", RequestAction.CONFIRM): "closed",
    ("resolved", RequestAction.REOPEN): "acknowledged",
}

# Actions the enterprise takes itself; the others are the staff's.
ENTERPRISE_ACTIONS = frozenset({RequestAction.CONFIRM, RequestAction.REOPEN})


def request_next_status(status: str, action: RequestAction | str) -> str | None:
    """The status after ``action`` from ``status``, or None when the pipeline does not allow it."""
    return REQUEST_TRANSITIONS.get((status, RequestAction(action)))


def request_actions(status: str) -> list[RequestAction]:
    """The actions allowed from ``status``, in pipeline order."""
    return [action for (source, action) in REQUEST_TRANSITIONS if source == status]


def refusal_message(status: str, action: RequestAction | str) -> str:
    """Why ``action`` is not allowed from ``status``, in Chinese, with what to do instead."""
    action = RequestAction(action)
    label = ACTION_LABELS[action]
    current = STATUS_LABELS.get(status, status)
    if status == "closed":
        return f"该诉求已关闭，不能再{label}；如有新问题请提交新的诉求。"
    allowed = request_actions(status)
    if allowed:
        names = "、".join(ACTION_LABELS[a] for a in allowed)
        return f"该诉求当前为“{current}”，不能{label}；当前只能{names}。"
    return f"该诉求当前为“{current}”，不能{label}。"


# Which deadlines still run in each status.
PENDING_STAGES: dict[str, tuple[str, ...]] = {
    "submitted": ("ack", "respond", "resolve"),
    "acknowledged": ("respond", "resolve"),
    "responded": ("resolve",),
    "resolved": (),
    "closed": (),
}

# A warning goes out when at most this many working days are left before a deadline.
WARNING_WORKING_DAYS = 1


def alert_kind(
    *, stage: str, today: dt.date, due: dt.date, working_days_left: Callable[[dt.date, dt.date], int]
) -> str | None:
    """``"<stage>_overdue"`` after the deadline, ``"<stage>_warning"`` when it is near, else None.

    ``working_days_left(today, due)`` counts the working days d with today < d <= due.
    """
    if today > due:
        return f"{stage}_overdue"
    if working_days_left(today, due) <= WARNING_WORKING_DAYS:
        return f"{stage}_warning"
    return None


# --- inspection periods ------------------------------------------------------------------------

_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
PERIOD_NAMES = {"month": "月", "quarter": "季度", "half_year": "半年", "year": "年"}


def period_bounds(day: dt.date, period: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the period (month, quarter, half-year or year) containing ``day``."""
    months = _PERIOD_MONTHS[period]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    following = first_month + months
    end = (dt.date(day.year + 1, 1, 1) if following > 12 else dt.date(day.year, following, 1)) - dt.timedelta(days=1)
    return start, end


def period_label(day: dt.date, period: str) -> str:
    """``2026年第4季度``, ``2026年11月``, ``2026年下半年``, ``2026年``."""
    if period == "month":
        return f"{day.year}年{day.month}月"
    if period == "quarter":
        return f"{day.year}年第{(day.month - 1) // 3 + 1}季度"
    if period == "half_year":
        return f"{day.year}年{'上' if day.month <= 6 else '下'}半年"
    return f"{day.year}年"


def within_window(days: list[dt.date], window_days: int) -> bool:
    """Whether all ``days`` lie within ``window_days`` of each other."""
    return bool(days) and (max(days) - min(days)).days <= window_days
