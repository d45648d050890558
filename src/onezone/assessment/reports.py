"""Files made from the assessment's figures: .xlsx tables and the zone's yearly report (.docx)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from onezone.assessment.selectors import Dashboard, Ranking, TargetRow, target_rows
from onezone.core.money import format_amount

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return "" if value is None else value


def table_xlsx(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per ``(title, headers, rows)``."""
    book = Workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _target_table(rows: list[TargetRow]) -> list[list[Any]]:
    return [
        [
            r.target.holder_name,
            r.target.indicator.name,
            r.target.indicator.unit,
            r.target.value,
            r.actual.value if r.actual else None,
            r.ratio_pct,
            r.score,
            r.target.weight,
            r.origin_label,
            r.actual.computed_at.strftime("%Y-%m-%d %H:%M") if r.actual else "",
            "滞后" if r.at_risk else "",
        ]
        for r in rows
    ]


TARGET_HEADERS = [
    "考核对象",
    "指标",
    "单位",
    "目标值",
    "实际值",
    "完成比例（%）",
    "得分",
    "权重",
    "实际值来源",
    "计算/填报时间",
    "进度",
]


def targets_xlsx(zone: Any, year: int) -> bytes:
    return table_xlsx([(f"{year}年目标", TARGET_HEADERS, _target_table(target_rows(zone.pk, year)))])


def ranking_xlsx(table: Ranking) -> bytes:
    leaves = table.leaves
    headers = ["排名", "开发区", "综合得分", "数据完整", *[f"{leaf.name}（{leaf.unit}）" for leaf in leaves]]
    rows = [
        [
            row.rank,
            row.zone_name,
            row.score,
            "是" if row.complete else "数据不全",
            *[(Decimal(row.values[leaf.key]) if row.values and leaf.key in row.values else None) for leaf in leaves],
        ]
        for row in table.rows
    ]
    return table_xlsx([(f"{table.evaluation.year}年排名", headers, rows)])


def dashboard_xlsx(board: Dashboard) -> bytes:
    figures = [[f.label, f.value, f.unit, f.as_of.isoformat(), f.note] for f in board.figures]
    parks = [[p["park"].name, p["funds"].value, p["start_rate"].value, p["cumulative"].value] for p in board.parks]
    history = [[p.year, p.rank, p.zone_count, p.score] for p in board.history]
    return table_xlsx(
        [
            ("关键指标", ["指标", "数值", "单位", "截至", "说明"], figures),
            ("园区对比", ["园区", "到位资金（万元）", "开工率（%）", "累计完成投资（万元）"], parks),
            ("排名历史", ["年度", "排名", "参评开发区数", "综合得分"], history),
            ("滞后目标", TARGET_HEADERS, _target_table(board.targets_at_risk)),
        ]
    )


def _table(document: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "—" if value is None or value == "" else str(value)


def yearly_report_docx(board: Dashboard, rows: list[TargetRow]) -> bytes:
    """The zone's yearly development report, from the same figures the dashboard shows."""
    zone = board.zone
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    document.add_heading(f"{zone.name}{board.year}年度发展情况报告", level=0)
    document.add_paragraph(f"数据截至 {board.as_of.isoformat()}，由 OneZone 根据业务记录生成。")

    document.add_heading("一、改革以来的发展", level=1)
    growth = board.growth
    if growth.baseline and growth.latest and growth.baseline != growth.latest:
        document.add_paragraph(
            f"与{growth.baseline.year}年相比：规划面积由 {growth.baseline.planned_area_km2} 平方公里扩大到 "
            f"{growth.current_planned_area} 平方公里（{growth.area_multiple} 倍）；工业总产值由 "
            f"{format_amount(growth.baseline.industrial_output)} 增至 {format_amount(growth.latest.industrial_output)}"
            f"（{growth.latest.year}年，{growth.output_multiple} 倍）；从业人员增加 {growth.jobs_added:,} 人。"
        )
    else:
        document.add_paragraph("尚未登记改革前后的年度基本情况。")

    document.add_heading("二、关键指标", level=1)
    _table(
        document,
        ["指标", "数值", "单位", "截至"],
        [[f.label, f.shown, f.unit, f.as_of.isoformat()] for f in board.figures],
    )
    if board.missing_sources:
        document.add_paragraph(f"以下指标暂无记录来源，需手工填报：{'、'.join(board.missing_sources)}。")

    document.add_heading("三、年度目标完成情况", level=1)
    _table(
        document,
        ["考核对象", "指标", "目标值", "实际值", "完成比例（%）", "得分", "来源"],
        [
            [
                r.target.holder_name,
                r.target.indicator.name,
                r.target.value.normalize(),
                r.actual.value.normalize() if r.actual else None,
                r.ratio_pct,
                r.score,
                r.origin_label,
            ]
            for r in rows
        ],
    )
    at_risk = [r for r in rows if r.at_risk]
    document.add_paragraph(
        f"共 {len(rows)} 项目标，{len(at_risk)} 项进度滞后"
        + (f"：{'、'.join(r.target.indicator.name for r in at_risk)}。" if at_risk else "。")
    )

    document.add_heading("四、全省考核排名", level=1)
    if board.history:
        _table(
            document,
            ["年度", "排名", "参评开发区数", "综合得分"],
            [[p.year, p.rank, p.zone_count, p.score] for p in board.history],
        )
    else:
        document.add_paragraph("尚无已发布的考核排名。")

    document.add_heading("五、园区对比", level=1)
    _table(
        document,
        ["园区", "到位资金（万元）", "开工率（%）", "累计完成投资（万元）"],
        [
            [
                p["park"].name,
                p["funds"].value.quantize(Decimal("0.01")) if p["funds"].value is not None else "无数据",
                p["start_rate"].value if p["start_rate"].value is not None else "无数据",
                p["cumulative"].value.quantize(Decimal("0.01")) if p["cumulative"].value is not None else "无数据",
            ]
            for p in board.parks
        ],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
