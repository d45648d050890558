import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from onezone.enterprises.rules import (
    REQUEST_TRANSITIONS,
    RequestAction,
    alert_kind,
    period_bounds,
    refusal_message,
    request_actions,
)

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@given(days, st.sampled_from(["month", "quarter", "half_year", "year"]))
def test_period_contains_the_day_and_tiles_the_year(day, period):
    start, end = period_bounds(day, period)
    assert start <= day <= end
    assert start.day == 1
    assert (end + dt.timedelta(days=1)).day == 1
    assert period_bounds(start, period) == (start, end) == period_bounds(end, period)


def test_alert_kind():
    def left(a, b):
        return (b - a).days

    d = dt.date(2026, 3, 10)
    assert alert_kind(stage="ack", today=dt.date(2026, 3, 5), due=d, working_days_left=left) is None
    assert alert_kind(stage="ack", today=dt.date(2026, 3, 9), due=d, working_days_left=left) == "ack_warning"
    assert alert_kind(stage="ack", today=d, due=d, working_days_left=left) == "ack_warning"
    assert alert_kind(stage="ack", today=dt.date(2026, 3, 11), due=d, working_days_left=left) == "ack_overdue"


def test_refusal_messages():
    assert refusal_message("submitted", "confirm") == "该诉求当前为“已提交”，不能确认办结；当前只能签收。"
    assert refusal_message("closed", "reopen") == "该诉求已关闭，不能再不满意重新办理；如有新问题请提交新的诉求。"
    assert request_actions("resolved") == [RequestAction.CONFIRM, RequestAction.REOPEN]


@given(st.lists(st.sampled_from(list(RequestAction)), max_size=30))
def test_any_path_reaches_closed_only_through_response_and_confirmation(actions):
    status, seen = "submitted", []
    for action in actions:
        nxt = REQUEST_TRANSITIONS.get((status, action))
        if nxt is None:
            continue
        seen.append(action)
        status = nxt
        if status == "closed":
            assert seen[-1] == RequestAction.CONFIRM
            last_reopen = max((i for i, a in enumerate(seen) if a == RequestAction.REOPEN), default=-1)
            assert RequestAction.RESPOND in seen[last_reopen + 1 :]
