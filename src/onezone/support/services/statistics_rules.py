"""Pure rules of the monthly enterprise statistics: when a month's report is due, whether it came
late, and whether a figure is implausible against the enterprise's usual months. No Django here.

A figure is implausible when the enterprise has at least ``MIN_HISTORY`` earlier reports of it with a
positive median (its usual month) and the new figure is ``FACTOR`` times that median or more, or at
most one ``FACTOR``-th of it (a figure typed in yuan instead of 万元, or the other way round, is off by
exactly such factors). The median, not the mean, so that one odd month does not move the usual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

DUE_DAY = 10  # a month's report is due by the 10th of the following month
FACTOR = Decimal(10)
MIN_HISTORY = 3
HISTORY_MONTHS = 6  # the usual month is the median of at most this many latest reports

FIGURES: dict[str, str] = {
    "output_value": "工业总产值",
    "revenue": "营业收入",
    "tax": "实缴税金",
    "employees": "从业人员",
    "energy_tce": "综合能耗",
}


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def due_date(year: int, month: int, due_day: int = DUE_DAY) -> dt.date:
    """The last day on which the report of ``year``-``month`` is on time."""
    y, m = next_month(year, month)
    return dt.date(y, m, due_day)


def last_due_month(today: dt.date, due_day: int = DUE_DAY) -> tuple[int, int]:
    """The latest month whose report was due before ``today`` (a missing one is overdue)."""
    year, month = previous_month(today.year, today.month)
    if today <= due_date(year, month, due_day):
        year, month = previous_month(year, month)
    return year, month


def is_late(year: int, month: int, reported_on: dt.date, due_day: int = DUE_DAY) -> bool:
    return reported_on > due_date(year, month, due_day)


def usual(history: Sequence[Decimal | int]) -> Decimal | None:
    """The enterprise's usual figure: the median of its latest reports, or None with too few."""
    values = [Decimal(v) for v in history[-HISTORY_MONTHS:]]
    if len(values) < MIN_HISTORY:
        return None
    return Decimal(median(values))


def implausible(value: Decimal | int, history: Sequence[Decimal | int], factor: Decimal = FACTOR) -> Decimal | None:
    """The ratio of ``value`` to the usual figure when it is ``factor`` times off, else None."""
    base = usual(history)
    if base is None or base <= 0:
        return None
    ratio = Decimal(value) / base
    if ratio >= factor or ratio <= 1 / factor:
        return ratio
    return None


@dataclass(frozen=True)
class Flag:
    key: str  # "late" or the figure's field name
    message: str


def _shown(key: str, value: Decimal) -> str:
    if key == "employees":
        return f"{value:,.0f}人"
    if key == "energy_tce":
        return f"{value:,.2f}吨标准煤"
    return f"{(value / 10_000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}万元"


def report_flags(
    *,
    year: int,
    month: int,
    figures: Mapping[str, Decimal | int],
    history: Mapping[str, Sequence[Decimal | int]],
    reported_on: dt.date,
    due_day: int = DUE_DAY,
) -> list[Flag]:
    """Why a report must be confirmed by the reporter: late, or a figure ten times off its usual."""
    flags = []
    if is_late(year, month, reported_on, due_day):
        flags.append(
            Flag("late", f"逾期报送：{year}年{month}月报表应于 {due_date(year, month, due_day):%Y-%m-%d} 前报送。")
        )
    for key, label in FIGURES.items():
        if key not in figures:
            continue
        past = history.get(key, ())
        ratio = implausible(figures[key], past)
        if ratio is None:
            continue
        base = usual(past)
        times = ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if ratio >= 1 else None
        how = (
            f"是近期通常值 {_shown(key, base)}的 {times} 倍"
            if times
            else f"不到近期通常值 {_shown(key, base)}的十分之一"
        )
        flags.append(Flag(key, f"{label} {_shown(key, Decimal(figures[key]))}，{how}，请核实单位和数值。"))
    return flags
