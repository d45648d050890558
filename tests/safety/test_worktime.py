"""Special work permits by GB 30871-2022: levels raised for night and rest days, longest validity."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.safety import worktime as wt

MONDAY = dt.date(2026, 12, 7)
SATURDAY = dt.date(2026, 12, 12)


def weekend(day: dt.date) -> bool:
    return day.weekday() >= 5


def never(day: dt.date) -> bool:
    return False


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def check(kind, level, start, end, **kw):
    return wt.check_permit(kind=kind, level=level, start=start, end=end, is_rest_day=kw.pop("rest", weekend), **kw)


@pytest.mark.parametrize(
    ("kind", "level", "hours"),
    [
        (wt.HOT, wt.SPECIAL, 8),
        (wt.HOT, wt.FIRST, 8),
        (wt.HOT, wt.SECOND, 72),
        (wt.CONFINED, wt.NO_LEVEL, 24),
        (wt.ELECTRICITY, wt.NO_LEVEL, 15 * 24),
        (wt.HEIGHT, wt.NO_LEVEL, 7 * 24),
        (wt.LIFTING, wt.NO_LEVEL, 7 * 24),
        (wt.BLIND_PLATE, wt.NO_LEVEL, 7 * 24),
        (wt.EXCAVATION, wt.NO_LEVEL, 7 * 24),
        (wt.ROAD_BREAKING, wt.NO_LEVEL, 7 * 24),
    ],
)
def test_longest_validity_of_every_kind_and_level(kind, level, hours):
    assert wt.longest_validity(kind, level) == dt.timedelta(hours=hours)


def test_temporary_electricity_with_approval_runs_30_days_and_other_kinds_follow_the_setting():
    assert wt.longest_validity(wt.ELECTRICITY, wt.NO_LEVEL, approved=True) == dt.timedelta(days=30)
    assert wt.longest_validity(wt.HEIGHT, wt.NO_LEVEL, other_max=dt.timedelta(days=3)) == dt.timedelta(days=3)
    # The setting cannot exceed the longest permit of all.
    assert wt.longest_validity(wt.HEIGHT, wt.NO_LEVEL, other_max=dt.timedelta(days=90)) == dt.timedelta(days=30)
    # Approval means nothing for hot work.
    assert wt.longest_validity(wt.HOT, wt.SECOND, approved=True) == dt.timedelta(hours=72)


def test_unknown_kind_and_wrong_level_are_refused_in_chinese():
    with pytest.raises(wt.PermitError, match="八类特殊作业"):
        wt.levels_of("welding")
    with pytest.raises(wt.PermitError, match="动火作业的级别应为：二级、一级、特级"):
        wt.longest_validity(wt.HOT, wt.NO_LEVEL)
    with pytest.raises(wt.PermitError, match="受限空间作业的级别应为：不分级"):
        wt.longest_validity(wt.CONFINED, wt.FIRST)
    with pytest.raises(wt.PermitError, match="结束时间应晚于开始时间"):
        check(wt.HOT, wt.SECOND, at(MONDAY, 9), at(MONDAY, 9))


def test_raised_level_goes_one_up_and_special_stays():
    assert [wt.raised_level(x) for x in wt.HOT_LEVELS] == [wt.FIRST, wt.SPECIAL, wt.SPECIAL]


def test_day_work_on_a_working_day_keeps_its_level_and_validity():
    result = check(wt.HOT, wt.SECOND, at(MONDAY, 8), at(MONDAY, 18))
    assert (result.effective_level, result.raised, result.night, result.rest_day, result.over) == (
        wt.SECOND,
        False,
        False,
        False,
        False,
    )
    assert result.limit == dt.timedelta(hours=72)
    assert result.reasons == ()


def test_night_hot_work_is_raised_and_a_second_level_job_then_has_8_hours():
    result = check(wt.HOT, wt.SECOND, at(MONDAY, 19), at(MONDAY, 23))
    assert result.effective_level == wt.FIRST
    assert result.night is True
    assert result.reasons == ("夜间作业",)
    assert result.limit == dt.timedelta(hours=8)
    assert not result.over
    long = check(wt.HOT, wt.SECOND, at(MONDAY, 14), at(MONDAY + dt.timedelta(days=1), 2))
    assert long.over
    assert long.duration == dt.timedelta(hours=12)
    assert wt.refusal(long) == (
        "一级动火作业（夜间作业，按规定升级为一级管理）作业票有效期最长 8 小时，本次作业 12 小时，超过了有效期。"
        "请缩短作业时间，或分段办理作业票后分别报备。"
    )


def test_rest_day_and_night_together_name_both_reasons_and_first_level_becomes_special():
    result = check(wt.HOT, wt.FIRST, at(SATURDAY, 18), at(SATURDAY, 21))
    assert result.effective_level == wt.SPECIAL
    assert result.reasons == ("节假日、公休日作业", "夜间作业")
    assert result.special_hot


def test_night_boundaries_exactly():
    # Ends exactly when the night begins, or starts exactly when it ends: not night work.
    assert not check(wt.HOT, wt.SECOND, at(MONDAY, 12), at(MONDAY, 20)).night
    assert not check(wt.HOT, wt.SECOND, at(MONDAY, 6), at(MONDAY, 12)).night
    assert check(wt.HOT, wt.SECOND, at(MONDAY, 12), at(MONDAY, 20, 1)).night
    assert check(wt.HOT, wt.SECOND, at(MONDAY, 5, 59), at(MONDAY, 12)).night
    # A window that does not cross midnight.
    window = wt.NightWindow(start=dt.time(0, 0), end=dt.time(5, 0))
    assert not check(wt.HOT, wt.SECOND, at(MONDAY, 20), at(MONDAY, 23, 59), night=window).night
    assert check(wt.HOT, wt.SECOND, at(MONDAY, 20), at(MONDAY + dt.timedelta(days=1), 0, 1), night=window).night


def test_work_ending_at_midnight_does_not_touch_the_next_day():
    friday = dt.date(2026, 12, 11)
    result = check(
        wt.CONFINED, wt.NO_LEVEL, at(friday, 8), at(SATURDAY, 0), night=wt.NightWindow(dt.time(23), dt.time(23, 30))
    )
    assert result.rest_day is False
    assert check(wt.CONFINED, wt.NO_LEVEL, at(friday, 8), at(SATURDAY, 0, 1)).rest_day is True


def test_only_hot_work_is_raised():
    result = check(wt.CONFINED, wt.NO_LEVEL, at(SATURDAY, 19), at(SATURDAY, 23))
    assert (result.night, result.rest_day, result.raised, result.reasons) == (True, True, False, ())
    assert result.limit == dt.timedelta(hours=24)


def test_electricity_over_15_days_asks_for_approval():
    result = check(wt.ELECTRICITY, wt.NO_LEVEL, at(MONDAY, 8), at(MONDAY + dt.timedelta(days=20), 8), rest=never)
    assert result.over
    assert "超过 15 天的临时用电须经审批" in wt.refusal(result)
    approved = check(
        wt.ELECTRICITY, wt.NO_LEVEL, at(MONDAY, 8), at(MONDAY + dt.timedelta(days=20), 8), rest=never, approved=True
    )
    assert not approved.over
    assert wt.refusal(approved) == ""


def test_duration_text():
    assert wt.duration_text(dt.timedelta(hours=8)) == "8 小时"
    assert wt.duration_text(dt.timedelta(days=1, hours=2, minutes=30)) == "1 天 2 小时 30 分钟"
    assert wt.duration_text(dt.timedelta(0)) == "0 分钟"
    assert wt.duration_text(dt.timedelta(days=15)) == "15 天"


def test_a_very_long_span_is_bounded_and_still_answers():
    start = at(MONDAY, 8)
    result = check(wt.HEIGHT, wt.NO_LEVEL, start, start + dt.timedelta(days=100_000), rest=never)
    assert result.over and result.night


@pytest.mark.parametrize("level", wt.HOT_LEVELS)
@pytest.mark.parametrize("minutes_over", [-1, 0, 1])
def test_hot_work_validity_boundary_by_the_minute(level, minutes_over):
    limit = wt.longest_validity(wt.HOT, level)
    start = at(MONDAY, 6)
    # Day work fully inside one working day only for the 8-hour levels; the 72-hour level crosses nights.
    result = check(wt.HOT, level, start, start + limit + dt.timedelta(minutes=minutes_over), rest=never)
    assert result.over is (result.duration > result.limit)
    if level != wt.SECOND:
        assert result.over is (minutes_over > 0)


times = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31))
spans = st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(days=40))


@given(start=times, span=spans, level=st.sampled_from(wt.HOT_LEVELS))
def test_property_the_managed_level_is_never_lower_and_over_means_longer_than_the_limit(start, span, level):
    result = check(wt.HOT, level, start, start + span)
    assert wt.HOT_LEVELS.index(result.effective_level) >= wt.HOT_LEVELS.index(level)
    assert result.raised == bool(result.reasons) or level == wt.SPECIAL
    assert result.over == (span > result.limit)
    assert result.limit == wt.longest_validity(wt.HOT, result.effective_level)


@given(start=times, span=spans)
def test_property_night_agrees_with_a_minute_by_minute_walk(start, span):
    span = min(span, dt.timedelta(hours=30))
    window = wt.NightWindow()
    result = wt.overlaps_night(start, start + span, window)

    # Walk the work at each night's edges and the work's own ends.
    def is_night(moment: dt.datetime) -> bool:
        return moment.time() >= window.start or moment.time() < window.end

    probes = [start, start + span - dt.timedelta(microseconds=1)]
    day = start.date()
    while day <= (start + span).date():
        for edge in (
            dt.datetime.combine(day, window.start),
            dt.datetime.combine(day, window.end) - dt.timedelta(microseconds=1),
        ):
            if start <= edge < start + span:
                probes.append(edge)
        day += dt.timedelta(days=1)
    assert result == any(is_night(p) for p in probes)


@given(start=times, span=spans)
def test_property_rest_day_matches_the_days_covered(start, span):
    end = start + span
    covered = {
        start.date() + dt.timedelta(days=i)
        for i in range(((end - dt.timedelta(microseconds=1)).date() - start.date()).days + 1)
    }
    assert wt.touches_rest_day(start, end, weekend) == any(weekend(d) for d in covered)
