"""The working-day calendar as stored: seeding, importing a year's arrangement, and loading.

The counting itself is pure (``onezone.core.workdays``); this module only turns the table into a
``Calendar`` and keeps it current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import django.dispatch
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput
from onezone.core.models import CalendarDay, CalendarYear
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.workdays import Calendar, DayKind, Deadline, LimitUnit
from onezone.core.workdays import deadline as pure_deadline

CACHE_KEY = "onezone:calendar:v1"
SEED_YEARS = range(2004, 2027)

# Sent after commit when a year's arrangement changed; receivers recompute provisional deadlines.
calendar_changed = django.dispatch.Signal()  # kwargs: years (list[int])


def load_calendar() -> Calendar:
    """The calendar from the table, cached until the next import."""
    calendar = cache.get(CACHE_KEY)
    if calendar is None:
        holidays, workdays = [], []
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == DayKind.HOLIDAY else workdays).append(day)
        years = CalendarYear.objects.values_list("year", flat=True)
        calendar = Calendar.build(holidays=holidays, workdays=workdays, official_years=years)
        cache.set(CACHE_KEY, calendar, timeout=3600)
    return calendar


def deadline(start: dt.date, days: int, unit: LimitUnit | str = LimitUnit.WORKING) -> Deadline:
    """The end of a limit of ``days`` from ``start`` by the stored calendar."""
    return pure_deadline(load_calendar(), start, days, LimitUnit(unit))


def missing_next_year(today: dt.date | None = None) -> int | None:
    """Next year, if it is 1 November or later and next year's arrangement is not imported."""
    today = today or timezone.localdate()
    if today.month < 11:
        return None
    nxt = today.year + 1
    return None if CalendarYear.objects.filter(year=nxt).exists() else nxt


def calendar_seed() -> int:
    """Load 2004–2026 from ``chinesecalendar`` where the table lacks them. Returns years added."""
    import chinese_calendar

    existing = set(CalendarYear.objects.values_list("year", flat=True))
    added = 0
    with transaction.atomic():
        for year in SEED_YEARS:
            if year in existing:
                continue
            rows = [
                CalendarDay(date=d, kind=DayKind.HOLIDAY, name=_holiday_name(name))
                for d, name in chinese_calendar.holidays.items()
                if d.year == year and d.weekday() < 5
            ] + [
                CalendarDay(date=d, kind=DayKind.WORKDAY, name=f"{_holiday_name(name)}调休上班")
                for d, name in chinese_calendar.workdays.items()
                if d.year == year and d.weekday() >= 5
            ]
            CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
            CalendarYear.objects.create(year=year, source=CalendarYear.Source.SEEDED)
            added += 1
    if added:
        cache.delete(CACHE_KEY)
    return added


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(raw: Any) -> str:
    text = str(getattr(raw, "value", raw) or "")
    return _HOLIDAY_NAMES.get(text, text)


def _parse_date(value: Any, where: str, errors: list[str]) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.append(f"{where}：日期“{value}”格式不对，应写成 YYYY-MM-DD，例如 2027-01-01。")
        return None


def parse_arrangement(data: Mapping[str, Any]) -> tuple[int, str, dict[dt.date, tuple[str, str]]]:
    """Check a year's arrangement and return (year, document, {date: (kind, name)}).

    Raises ``InvalidInput`` listing every problem; the format is documented in docs/calendar.md.
    """
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise InvalidInput("文件内容应为一个对象，包含 year、holidays、workdays 三项。")
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InvalidInput(f"year 应为2000至2100之间的整数年份，实际为“{year}”。")
    document = str(data.get("document") or "")
    days: dict[dt.date, tuple[str, str]] = {}

    def put(day: dt.date, kind: str, name: str, where: str) -> None:
        if day.year != year:
            errors.append(f"{where}：{day} 不在 {year} 年内。")
        elif day in days and days[day][0] != kind:
            errors.append(f"{where}：{day} 既被列为放假又被列为上班，请核对文件。")
        elif day in days:
            errors.append(f"{where}：{day} 重复列出。")
        else:
            days[day] = (kind, name)

    holidays = data.get("holidays") or []
    workdays = data.get("workdays") or []
    if not isinstance(holidays, list) or not isinstance(workdays, list):
        raise InvalidInput("holidays 和 workdays 都应为列表。")
    for i, entry in enumerate(holidays, start=1):
        where = f"holidays 第{i}项"
        if not isinstance(entry, Mapping) or "start" not in entry:
            errors.append(f"{where}：应包含 name、start，可选 end。")
            continue
        name = str(entry.get("name") or "")
        start = _parse_date(entry["start"], where, errors)
        end = _parse_date(entry.get("end", entry["start"]), where, errors)
        if start is None or end is None:
            continue
        if end < start:
            errors.append(f"{where}：结束日期 {end} 早于开始日期 {start}。")
            continue
        if (end - start).days > 30:
            errors.append(f"{where}：假期从 {start} 到 {end} 超过30天，请核对。")
            continue
        day = start
        while day <= end:
            put(day, DayKind.HOLIDAY, name, where)
            day += dt.timedelta(days=1)
    for i, entry in enumerate(workdays, start=1):
        where = f"workdays 第{i}项"
        if not isinstance(entry, Mapping) or "date" not in entry:
            errors.append(f"{where}：应包含 date，可选 name。")
            continue
        day = _parse_date(entry["date"], where, errors)
        if day is None:
            continue
        if day.weekday() < 5:
            errors.append(f"{where}：{day} 是周一至周五，本来就是工作日，调休上班日应为周六或周日。")
            continue
        put(day, DayKind.WORKDAY, str(entry.get("name") or ""), where)
    if errors:
        raise InvalidInput(f"{year} 年节假日安排有 {len(errors)} 处错误，未导入任何内容：\n" + "\n".join(errors))
    if not any(kind == DayKind.HOLIDAY for kind, _ in days.values()):
        raise InvalidInput(f"{year} 年节假日安排中没有任何放假日期，请核对文件。")
    return year, document, days


ARRANGEMENT_MAX_BYTES = 64 * 1024  # a year's arrangement is a page of text


def arrangement_from_text(raw: bytes, *, name: str) -> Mapping[str, Any]:
    """The arrangement in a YAML or JSON file (by its name's ending), refused in Chinese if it is not one."""
    import json

    import yaml

    if len(raw) > ARRANGEMENT_MAX_BYTES:
        raise InvalidInput(
            f"文件“{name}”有 {len(raw):,} 字节，一年的节假日安排不会超过 {ARRANGEMENT_MAX_BYTES:,} 字节，"
            "请确认选对了文件。"
        )
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"文件“{name}”无法解析，请确认是 UTF-8 编码的 YAML 或 JSON：{exc}") from exc
    if not isinstance(data, Mapping):
        raise InvalidInput(f"文件“{name}”的内容不是一年的节假日安排，格式见 docs/calendar.md。")
    return data


def calendar_import(*, actor: Any, data: Mapping[str, Any]) -> CalendarYear:
    """Replace one year's arrangement with ``data``, all or nothing, and recompute what depends on it."""
    year, document, days = parse_arrangement(data)
    if actor is not None:
        require(actor, zone_id=None, roles=[Role.ADMIN], action="导入节假日安排")
    with transaction.atomic():
        removed = CalendarDay.objects.filter(date__year=year).delete()[0]
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, kind=kind, name=name)
            for day, (kind, name) in sorted(days.items())
            # A weekend day inside a holiday is a rest day anyway; the table keeps exceptions only.
            if (kind == DayKind.HOLIDAY) == (day.weekday() < 5)
        )
        entry, _ = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": CalendarYear.Source.OFFICIAL, "document": document}
        )
        audit_record(
            actor=actor or "system",
            action="calendar.import",
            obj=entry,
            changes={"year": year, "document": document, "days": len(days), "replaced": removed},
        )
        # Dropped now for this process, and again after commit for any process that reloaded meanwhile.
        cache.delete(CACHE_KEY)
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
        transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, years=[year]), robust=True)
    return entry
