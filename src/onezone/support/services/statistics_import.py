"""The statistics bureau's monthly table (.xlsx) imported all-or-nothing.

Every row is checked first and every problem reported with its row number in Chinese; only a file
without a single error is written. The bureau's figures are the official ones: an imported row
replaces the enterprise's own report of that month and counts as confirmed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.uploads import check_xlsx
from onezone.support.models.statistics import MonthlyReport, ReportSource, ReportStatus
from onezone.support.services.labour_authority import require_desk
from onezone.support.services.statistics import check_month, clean_figures

MAX_ROWS = 20_000
ERRORS_SHOWN = 200
WAN = Decimal(10_000)

# key, header, required; money in 万元 as the bureau's tables give it
COLUMNS: list[tuple[str, str, bool]] = [
    ("uscc", "统一社会信用代码", True),
    ("name", "企业名称", False),
    ("year", "年度", True),
    ("month", "月份", True),
    ("output_value", "工业总产值（万元）", True),
    ("revenue", "营业收入（万元）", True),
    ("tax", "实缴税金（万元）", True),
    ("employees", "从业人员（人）", True),
    ("energy_tce", "综合能耗（吨标准煤）", True),
]
_HEADERS = {header: key for key, header, _required in COLUMNS}
_IN_WAN = {"output_value", "revenue", "tax"}


@dataclass
class StatisticsImportResult:
    created: int = 0
    replaced: int = 0
    months: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"导入完成：新增月报 {self.created} 份，替换企业自报 {self.replaced} 份（{'、'.join(self.months)}）。"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(content: bytes) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a malformed workbook
        raise InvalidInput("无法读取该 Excel 文件，请确认文件未加密、未损坏，另存为 .xlsx 后再上传。") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        positions = {_HEADERS[_text(c)]: i for i, c in enumerate(header) if _text(c) in _HEADERS}
        missing = [h for key, h, required in COLUMNS if required and key not in positions]
        if missing:
            raise InvalidInput(
                f"第1行表头缺少：{'、'.join(missing)}。请使用导入模板：第1行为表头，从第2行起每行一家企业一个月。"
            )
        data = []
        for number, row in enumerate(rows, start=2):
            if not any(_text(v) for v in row):
                continue
            if len(data) >= MAX_ROWS:
                raise InvalidInput(f"一次最多导入 {MAX_ROWS:,} 行，请分批导入。")
            data.append((number, row))
    finally:
        workbook.close()
    if not data:
        raise InvalidInput("文件中没有数据：第1行为表头，请从第2行起每行填写一家企业一个月的数据。")
    return positions, data


def _yuan(value: Any) -> Any:
    text = _text(value).replace(",", "")
    try:
        return str(Decimal(text) * WAN)
    except (InvalidOperation, ValueError):
        return text


def statistics_import(*, actor: Any, zone_id: int, content: bytes) -> StatisticsImportResult:
    """Import the bureau's table; nothing is written if any row is wrong."""
    from onezone.enterprises.models import Enterprise

    require_desk(actor, zone_id=zone_id, action="导入统计局月报")
    check_xlsx(content)
    positions, data = _rows(content)
    usccs = {_text(row[positions["uscc"]]).upper() for _n, row in data if positions["uscc"] < len(row)}
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(zone_id=zone_id, uscc__in=usccs)}
    today = timezone.localdate()
    errors: list[str] = []
    prepared: list[tuple[Any, int, int, dict[str, Any]]] = []
    seen: dict[tuple[str, int, int], int] = {}
    for number, row in data:

        def cell(key: str, row=row) -> Any:
            index = positions.get(key)
            return row[index] if index is not None and index < len(row) else None

        uscc = _text(cell("uscc")).upper()
        enterprise = enterprises.get(uscc)
        if enterprise is None:
            errors.append(f"第{number}行：统一社会信用代码“{uscc[:20]}”不是本开发区已登记的企业，请先在企业库登记。")
            continue
        name = _text(cell("name"))
        if name and name != enterprise.name:
            errors.append(f"第{number}行：企业名称“{name[:40]}”与企业库中该信用代码的企业“{enterprise.name}”不一致。")
            continue
        try:
            year, month = check_month(_text(cell("year")), _text(cell("month")), today=today)
            raw = {key: cell(key) for key in ("output_value", "revenue", "tax", "employees", "energy_tce")}
            figures = clean_figures({k: (_yuan(v) if k in _IN_WAN and _text(v) else v) for k, v in raw.items()})
        except DomainError as exc:
            errors.append(f"第{number}行：{exc.message}")
            continue
        first = seen.setdefault((uscc, year, month), number)
        if first != number:
            errors.append(f"第{number}行：与第{first}行重复（同一企业同一月份），请只保留一行。")
            continue
        prepared.append((enterprise, year, month, figures))
    if errors:
        shown = errors[:ERRORS_SHOWN]
        more = f"\n（另有 {len(errors) - ERRORS_SHOWN} 处错误未列出）" if len(errors) > ERRORS_SHOWN else ""
        raise InvalidInput(
            f"导入文件共 {len(data)} 行数据，发现 {len(errors)} 处错误，未导入任何数据。请改正后重新上传：\n"
            + "\n".join(shown)
            + more,
            fields={"file": "\n".join(shown)},
        )
    result = StatisticsImportResult()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (r.enterprise_id, r.year, r.month): r
            for r in MonthlyReport.objects.select_for_update().filter(
                zone_id=zone_id,
                enterprise_id__in={e.pk for e, _y, _m, _f in prepared},
                year__in={y for _e, y, _m, _f in prepared},
            )
        }
        months: set[tuple[int, int]] = set()
        fresh, changed = [], []
        for enterprise, year, month, figures in prepared:
            months.add((year, month))
            values = {
                **figures,
                "status": ReportStatus.CONFIRMED,
                "flags": [],
                "source": ReportSource.IMPORT,
                "reported_at": now,
                "reported_by": actor,
                "confirmed_at": now,
            }
            report = existing.get((enterprise.pk, year, month))
            if report is None:
                fresh.append(MonthlyReport(zone_id=zone_id, enterprise=enterprise, year=year, month=month, **values))
            else:
                for key, value in values.items():
                    setattr(report, key, value)
                report.updated_at = now
                changed.append(report)
        MonthlyReport.objects.bulk_create(fresh, batch_size=1000)
        if changed:
            MonthlyReport.objects.bulk_update(
                changed,
                [
                    *figures.keys(),
                    "status",
                    "flags",
                    "source",
                    "reported_at",
                    "reported_by",
                    "confirmed_at",
                    "updated_at",
                ],
                batch_size=1000,
            )
        result.created, result.replaced = len(fresh), len(changed)
        result.months = [f"{y}年{m}月" for y, m in sorted(months)]
        audit_record(
            actor=actor,
            action="support.report.import",
            zone_id=zone_id,
            object_type="support.monthlyreport",
            object_repr=f"导入统计局月报 {len(fresh) + len(changed)} 份",
            changes={"created": len(fresh), "replaced": len(changed), "months": result.months},
        )
    return result


def statistics_import_template() -> bytes:
    """An empty import table with its header row and one example row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "企业月度统计"
    sheet.append([header for _key, header, _required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["91620321MA00000000", "示例企业有限公司", 2026, 1, 1250.5, 1180.2, 45.3, 320, 860.25])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
