"""``onezone calendar import FILE | show YYYY-MM | deadline START N [--calendar-days] [--json] | seed``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onezone.core.calendar import arrangement_from_text, calendar_import, calendar_seed, load_calendar
from onezone.core.errors import DomainError
from onezone.core.workdays import LimitUnit, deadline, month_days

WEEKDAYS = "一二三四五六日"


class Command(BaseCommand):
    help = "工作日历：导入年度节假日安排、查看月历、计算办理时限。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入一年的放假调休安排（YAML 或 JSON 文件）")
        imp.add_argument("file")
        show = sub.add_parser("show", help="打印一个月的日历，例如 2026-10")
        show.add_argument("month")
        dl = sub.add_parser("deadline", help="计算从 START 起 N 日的期限")
        dl.add_argument("start")
        dl.add_argument("days", type=int)
        dl.add_argument("--calendar-days", action="store_true", help="按自然日计算（默认按工作日）")
        dl.add_argument("--json", action="store_true", help="以 JSON 输出")
        sub.add_parser("seed", help="从 chinesecalendar 补齐 2004–2026 年的数据")
        sub.add_parser("status", help="列出各年份数据来源，提示缺失的年份")

    def handle(self, *args, **opts):
        return getattr(self, "_" + opts["action"])(opts)

    def _import(self, opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}，请检查路径。")
        try:
            data = arrangement_from_text(path.read_bytes(), name=path.name)
            entry = calendar_import(actor=None, data=data)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已导入 {entry.year} 年节假日安排（{entry.document or '未注明文号'}）。"))

    def _show(self, opts):
        try:
            year, month = (int(p) for p in opts["month"].split("-"))
            dt.date(year, month, 1)
        except ValueError as exc:
            raise CommandError("月份格式应为 YYYY-MM，例如 2026-10。") from exc
        calendar = load_calendar()
        days = month_days(calendar, year, month)
        mark = "" if calendar.is_official(year) else "（该年安排未导入，按周六日休息临时计算）"
        self.stdout.write(f"{year}年{month}月{mark}")
        self.stdout.write("  ".join(f"{w:>2}" for w in WEEKDAYS))
        line = ["    "] * days[0][0].weekday()
        for day, working in days:
            line.append(f"{day.day:>2}{'  ' if working else '休'}")
            if day.weekday() == 6:
                self.stdout.write(" ".join(line).rstrip())
                line = []
        if line:
            self.stdout.write(" ".join(line).rstrip())
        self.stdout.write("“休”为休息日；未标注的为工作日。")

    def _deadline(self, opts):
        try:
            start = dt.date.fromisoformat(opts["start"])
        except ValueError as exc:
            raise CommandError("START 应为日期，格式 YYYY-MM-DD，例如 2026-09-30。") from exc
        unit = LimitUnit.CALENDAR if opts["calendar_days"] else LimitUnit.WORKING
        try:
            result = deadline(load_calendar(), start, opts["days"], unit)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            payload = {
                "start": start.isoformat(),
                "days": opts["days"],
                "unit": str(unit),
                "deadline": result.date.isoformat(),
                "provisional": result.provisional,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        unit_text = "个自然日" if unit == LimitUnit.CALENDAR else "个工作日"
        note = "（临时：涉及尚未导入节假日安排的年份）" if result.provisional else ""
        self.stdout.write(f"自 {start} 起 {opts['days']}{unit_text}，期限届满日为 {result.date}{note}")

    def _seed(self, opts):
        added = calendar_seed()
        self.stdout.write(f"补齐了 {added} 个年份。")

    def _status(self, opts):
        from onezone.core.calendar import missing_next_year
        from onezone.core.models import CalendarYear

        for entry in CalendarYear.objects.order_by("year"):
            self.stdout.write(f"{entry.year}  {entry.get_source_display()}  {entry.document}")
        missing = missing_next_year()
        if missing:
            self.stdout.write(self.style.WARNING(f"{missing} 年的节假日安排尚未导入。"))
