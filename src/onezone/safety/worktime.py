"""Special work permits (GB 30871-2022 危险化学品企业特殊作业安全规范): kinds, levels and validity.

Pure rules of plain data, without Django. Times are local wall-clock times of the park (the caller
converts aware times to Asia/Shanghai first), so "night" and "a rest day" are read as the park sees them.

What the standard fixes and this module applies:

- eight kinds of special work; hot work in three levels (特级, 一级, 二级);
- the longest validity of a permit: 特级 and 一级 hot work 8 h, 二级 hot work 72 h, confined space 24 h,
  temporary electricity as the work needs but not over 15 days (not over 30 days with approval);
- hot work on rest days (holidays and weekends that are not made working days) and at night is managed
  one level higher (二级 → 一级 → 特级), and so has the validity of the higher level.

For blind plates, work at height, lifting, excavation and road breaking the standard ties a permit to its
one job and sets no longest validity of its own; the park's longest validity for them is a setting
(``other_max``), applied the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

HOT = "hot"
CONFINED = "confined"
BLIND_PLATE = "blind_plate"
HEIGHT = "height"
LIFTING = "lifting"
ELECTRICITY = "electricity"
EXCAVATION = "excavation"
ROAD_BREAKING = "road_breaking"

KIND_LABELS: dict[str, str] = {
    HOT: "动火作业",
    CONFINED: "受限空间作业",
    BLIND_PLATE: "盲板抽堵作业",
    HEIGHT: "高处作业",
    LIFTING: "吊装作业",
    ELECTRICITY: "临时用电作业",
    EXCAVATION: "动土作业",
    ROAD_BREAKING: "断路作业",
}

SPECIAL = "special"
FIRST = "first"
SECOND = "second"
NO_LEVEL = ""

LEVEL_LABELS: dict[str, str] = {SPECIAL: "特级", FIRST: "一级", SECOND: "二级", NO_LEVEL: "不分级"}
# Hot work levels from the lowest up; "raised one level" is the next one in this list.
HOT_LEVELS: tuple[str, ...] = (SECOND, FIRST, SPECIAL)

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# The standard's longest validity of one permit, by kind and level.
VALIDITY: dict[tuple[str, str], dt.timedelta] = {
    (HOT, SPECIAL): 8 * HOUR,
    (HOT, FIRST): 8 * HOUR,
    (HOT, SECOND): 72 * HOUR,
    (CONFINED, NO_LEVEL): 24 * HOUR,
    (ELECTRICITY, NO_LEVEL): 15 * DAY,
}
ELECTRICITY_APPROVED = 30 * DAY
# No permit of any kind may run longer than this; it also bounds the day-by-day checks below.
LONGEST = ELECTRICITY_APPROVED


@dataclass(frozen=True)
class NightWindow:
    """The night of the park: from ``start`` to ``end`` (crossing midnight when ``start > end``)."""

    start: dt.time = dt.time(20, 0)
    end: dt.time = dt.time(6, 0)

    def intervals(self, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """Each night that begins on a day from ``first`` to ``last``, as (from, to)."""
        out = []
        day = first
        while day <= last:
            begin = dt.datetime.combine(day, self.start)
            finish = dt.datetime.combine(day + DAY if self.end <= self.start else day, self.end)
            out.append((begin, finish))
            day += DAY
        return out


@dataclass(frozen=True)
class PermitCheck:
    kind: str
    level: str
    effective_level: str
    duration: dt.timedelta
    limit: dt.timedelta
    night: bool
    rest_day: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def raised(self) -> bool:
        return self.effective_level != self.level

    @property
    def over(self) -> bool:
        return self.duration > self.limit

    @property
    def special_hot(self) -> bool:
        return self.kind == HOT and self.effective_level == SPECIAL


class PermitError(ValueError):
    """A permit that cannot be checked as given; the message is in Chinese."""


def levels_of(kind: str) -> tuple[str, ...]:
    """The levels a permit of ``kind`` may be filed at."""
    if kind not in KIND_LABELS:
        raise PermitError(f"作业类别“{kind}”不在 GB 30871-2022 规定的八类特殊作业之内。")
    return HOT_LEVELS if kind == HOT else (NO_LEVEL,)


def raised_level(level: str) -> str:
    """The hot work level one above ``level`` (特级 stays 特级)."""
    index = HOT_LEVELS.index(level)
    return HOT_LEVELS[min(index + 1, len(HOT_LEVELS) - 1)]


def longest_validity(
    kind: str, level: str, *, approved: bool = False, other_max: dt.timedelta = 7 * DAY
) -> dt.timedelta:
    """The longest validity of a permit of ``kind`` at ``level``.

    ``approved``: temporary electricity approved to run past 15 days (up to 30).
    ``other_max``: the park's longest validity for the kinds the standard gives none.
    """
    if level not in levels_of(kind):
        names = "、".join(LEVEL_LABELS[x] for x in levels_of(kind))
        raise PermitError(f"{KIND_LABELS[kind]}的级别应为：{names}。")
    if kind == ELECTRICITY and approved:
        return ELECTRICITY_APPROVED
    return VALIDITY.get((kind, level), min(other_max, LONGEST))


def overlaps_night(start: dt.datetime, end: dt.datetime, night: NightWindow) -> bool:
    """Whether the work from ``start`` to ``end`` (local times) runs into a night."""
    if end <= start:
        return False
    if end - start > LONGEST:
        return True
    return any(begin < end and start < finish for begin, finish in night.intervals(start.date() - DAY, end.date()))


def touches_rest_day(start: dt.datetime, end: dt.datetime, is_rest_day: Callable[[dt.date], bool]) -> bool:
    """Whether any day from ``start`` to ``end`` (local times; the end's own day if the work runs into it)
    is a rest day."""
    if end <= start:
        return False
    last = (end - dt.timedelta(microseconds=1)).date()
    if last - start.date() > LONGEST:
        last = start.date() + LONGEST
    day = start.date()
    while day <= last:
        if is_rest_day(day):
            return True
        day += DAY
    return False


def check_permit(
    *,
    kind: str,
    level: str,
    start: dt.datetime,
    end: dt.datetime,
    is_rest_day: Callable[[dt.date], bool],
    night: NightWindow | None = None,
    approved: bool = False,
    other_max: dt.timedelta = 7 * DAY,
) -> PermitCheck:
    """Check a permit: its level as managed (raised for rest days and night), and its validity.

    Raises ``PermitError`` for an unknown kind, a level the kind does not have, or an end not after
    the start. The result says whether the permit runs over its longest validity (``over``).
    """
    levels_of(kind)
    if end <= start:
        raise PermitError("作业结束时间应晚于开始时间，请核对作业票上的起止时间。")
    night = night or NightWindow()
    at_night = overlaps_night(start, end, night)
    on_rest_day = touches_rest_day(start, end, is_rest_day)
    effective = level
    reasons: list[str] = []
    if kind == HOT and level in HOT_LEVELS:
        if on_rest_day:
            reasons.append("节假日、公休日作业")
        if at_night:
            reasons.append("夜间作业")
        if reasons:
            effective = raised_level(level)
    limit = longest_validity(kind, effective, approved=approved, other_max=other_max)
    return PermitCheck(
        kind=kind,
        level=level,
        effective_level=effective,
        duration=end - start,
        limit=limit,
        night=at_night,
        rest_day=on_rest_day,
        reasons=tuple(reasons),
    )


def duration_text(span: dt.timedelta) -> str:
    """A duration as a person writes it: 8 小时, 3 天, 1 天 2 小时 30 分钟."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} 天")
    if hours:
        parts.append(f"{hours} 小时")
    if mins or not parts:
        parts.append(f"{mins} 分钟")
    return " ".join(parts)


def refusal(check: PermitCheck) -> str:
    """The Chinese reason a permit over its validity is refused (empty when it is not over)."""
    if not check.over:
        return ""
    what = KIND_LABELS[check.kind]
    if check.kind == HOT:
        what = f"{LEVEL_LABELS[check.effective_level]}{what}"
    why = (
        f"（{'、'.join(check.reasons)}，按规定升级为{LEVEL_LABELS[check.effective_level]}管理）" if check.raised else ""
    )
    advice = "请缩短作业时间，或分段办理作业票后分别报备。"
    if check.kind == ELECTRICITY and check.limit < ELECTRICITY_APPROVED:
        advice = "超过 15 天的临时用电须经审批（最长 30 天），请注明已审批，或缩短用电时间。"
    return (
        f"{what}{why}作业票有效期最长 {duration_text(check.limit)}，"
        f"本次作业 {duration_text(check.duration)}，超过了有效期。{advice}"
    )
