"""The statistics bureau's monthly table (.xlsx) imported all-or-nothing.

The columns are declared for the import framework (``onezone.core.imports``): every row is checked
first and every problem reported in its row report; only a file without a single error is written.
The bureau's figures are the official ones: an imported row replaces the enterprise's own report of
that month and counts as confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import DomainError
from onezone.core.imports import Column, Sheet, cell_text, read_rows, text, write_xlsx
from onezone.support.models.statistics import MonthlyReport, ReportSource, ReportStatus
from onezone.support.services.labour_authority import require_desk
from onezone.support.services.statistics import check_month, clean_figures

MAX_ROWS = 20_000
WAN = Decimal(10_000)
SHEET_TITLE = "企业月度统计"
_IN_WAN = {"output_value", "revenue", "tax"}
_FIGURES = ("output_value", "revenue", "tax", "employees", "energy_tce")


def _as_typed(raw: Any) -> Any:
    """A figure's cell as it is: ``clean_figures`` checks it and says what is wrong in its own words."""
    return raw


# money in 万元 as the bureau's tables give it
COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", text(upper=True), required=True),
    Column("企业名称", "name", text(), default=""),
    Column("年度", "year", text(), required=True),
    Column("月份", "month", text(), required=True),
    Column("工业总产值（万元）", "output_value", _as_typed, required=True),
    Column("营业收入（万元）", "revenue", _as_typed, required=True),
    Column("实缴税金（万元）", "tax", _as_typed, required=True),
    Column("从业人员（人）", "employees", _as_typed, required=True),
    Column("综合能耗（吨标准煤）", "energy_tce", _as_typed, required=True),
)
SHEET = Sheet(COLUMNS, each="每行一家企业一个月", max_rows=MAX_ROWS)


@dataclass
class StatisticsImportResult:
    created: int = 0
    replaced: int = 0
    months: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"导入完成：新增月报 {self.created} 份，替换企业自报 {self.replaced} 份（{'、'.join(self.months)}）。"


def _yuan(value: Any) -> Any:
    text = cell_text(value).replace(",", "")
    try:
        return str(Decimal(text) * WAN)
    except (InvalidOperation, ValueError):
        return text


def statistics_import(*, actor: Any, zone_id: int, content: bytes) -> StatisticsImportResult:
    """Import the bureau's table; nothing is written if any row is wrong."""
    from onezone.enterprises.models import Enterprise

    require_desk(actor, zone_id=zone_id, action="导入统计局月报")
    rows, report = read_rows(content, SHEET)
    usccs = {row["uscc"] for row in rows if row.ok}
    enterprises = {e.uscc: e for e in Enterprise.objects.filter(zone_id=zone_id, uscc__in=usccs)}
    today = timezone.localdate()
    prepared: list[tuple[Any, int, int, dict[str, Any]]] = []
    seen: dict[tuple[str, int, int], int] = {}
    for row in rows:
        if not row.ok:
            continue
        enterprise = enterprises.get(row["uscc"])
        if enterprise is None:
            report.refuse(
                row.number,
                f"“{row['uscc'][:20]}”不是本开发区已登记的企业，请先在企业库登记。",
                column="统一社会信用代码",
            )
            continue
        if row["name"] and row["name"] != enterprise.name:
            report.refuse(
                row.number,
                f"“{row['name'][:40]}”与企业库中该信用代码的企业“{enterprise.name}”不一致。",
                column="企业名称",
            )
            continue
        try:
            year, month = check_month(row["year"], row["month"], today=today)
            raw = {key: row[key] for key in _FIGURES}
            figures = clean_figures({k: (_yuan(v) if k in _IN_WAN and cell_text(v) else v) for k, v in raw.items()})
        except DomainError as exc:
            report.refuse(row.number, exc.message)
            continue
        first = seen.setdefault((enterprise.uscc, year, month), row.number)
        if first != row.number:
            report.refuse(row.number, f"与第{first}行重复（同一企业同一月份），请只保留一行。")
            continue
        prepared.append((enterprise, year, month, figures))
    report.raise_if_refused()
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
    example = dict(
        zip(
            [c.key for c in COLUMNS],
            ["91620321MA00000000", "示例企业有限公司", 2026, 1, 1250.5, 1180.2, 45.3, 320, 860.25],
            strict=True,
        )
    )
    return write_xlsx([(SHEET_TITLE, COLUMNS, [example])])
