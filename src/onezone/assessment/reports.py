"""Files made from the assessment's figures: .xlsx tables and the zone's yearly report (.docx)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from onezone.assessment.selectors import Dashboard, Ranking, TargetRow, target_rows
from onezone.core.documents.gongwen import Column, Gongwen, Heading, Kind, Paragraph, Table, document_date
from onezone.core.documents.word import to_docx
from onezone.core.money import format_amount, format_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Figures never turn into 2E+06 in a spreadsheet: numbers carry an explicit format with separators.
NUMBER_FORMAT = "#,##0.00"


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
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
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, Decimal):
                    cell.number_format = NUMBER_FORMAT
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
            f"{timezone.localtime(r.actual.computed_at):%Y-%m-%d %H:%M}" if r.actual else "",
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
    safety = []
    if board.safety is not None:
        as_of = board.safety.as_of.isoformat()
        safety = [[i.label, i.value, i.unit, as_of, i.detail] for i in board.safety.items]
        safety += [
            [f"{r.park}安全风险等级（{r.year}年）", r.level_label, "", as_of, r.reviewed_label or "尚未复核"]
            for r in board.safety.risk_levels
        ]
    return table_xlsx(
        [
            ("关键指标", ["指标", "数值", "单位", "截至", "说明"], figures),
            ("安全生产", ["指标", "数值", "单位", "截至", "说明"], safety),
            ("园区对比", ["园区", "到位资金（万元）", "开工率（%）", "累计完成投资（万元）"], parks),
            ("排名历史", ["年度", "排名", "参评开发区数", "综合得分"], history),
            ("滞后目标", TARGET_HEADERS, _target_table(board.targets_at_risk)),
        ]
    )


def yearly_report_parts(board: Dashboard, rows: list[TargetRow]) -> Gongwen:
    """The zone's yearly development report as 公文 parts, from the same figures the dashboard shows."""
    zone = board.zone
    blocks: list = [Heading("一、改革以来的发展")]
    growth = board.growth
    if growth.baseline and growth.latest and growth.baseline != growth.latest:
        blocks.append(
            Paragraph(
                f"与{growth.baseline.year}年相比：规划面积由 {format_number(growth.baseline.planned_area_km2)} "
                f"平方公里扩大到 {format_number(growth.current_planned_area)} 平方公里"
                f"（{format_number(growth.area_multiple)} 倍）；"
                f"工业总产值由 {format_amount(growth.baseline.industrial_output)} 增至 "
                f"{format_amount(growth.latest.industrial_output)}（{growth.latest.year}年，"
                f"{format_number(growth.output_multiple)} 倍）；从业人员增加 {format_number(growth.jobs_added)} 人。"
            )
        )
    else:
        blocks.append(Paragraph("尚未登记改革前后的年度基本情况。"))

    blocks.append(Heading("二、关键指标"))
    blocks.append(
        Table(
            [Column("指标"), Column("数值", Kind.NUMBER), Column("单位"), Column("截至")],
            [[f.label, f.value, f.unit, document_date(f.as_of)] for f in board.figures],
        )
    )
    if board.missing_sources:
        blocks.append(Paragraph(f"以下指标暂无记录来源，需手工填报：{'、'.join(board.missing_sources)}。"))

    blocks.append(Heading("三、年度目标完成情况"))
    blocks.append(
        Table(
            [
                Column("考核对象"),
                Column("指标"),
                Column("目标值", Kind.NUMBER),
                Column("实际值", Kind.NUMBER),
                Column("完成比例（%）", Kind.FIXED2),
                Column("得分", Kind.FIXED2),
                Column("来源"),
            ],
            [
                [
                    r.target.holder_name,
                    f"{r.target.indicator.name}（{r.target.indicator.unit}）"
                    if r.target.indicator.unit
                    else r.target.indicator.name,
                    r.target.value,
                    r.actual.value if r.actual else None,
                    r.ratio_pct,
                    r.score,
                    r.origin_label,
                ]
                for r in rows
            ],
        )
    )
    at_risk = [r for r in rows if r.at_risk]
    blocks.append(
        Paragraph(
            f"共 {len(rows)} 项目标，{len(at_risk)} 项进度滞后"
            + (f"：{'、'.join(r.target.indicator.name for r in at_risk)}。" if at_risk else "。")
        )
    )

    blocks.append(Heading("四、全省考核排名"))
    if board.history:
        blocks.append(
            Table(
                [
                    Column("年度"),
                    Column("排名", Kind.NUMBER),
                    Column("参评开发区数", Kind.NUMBER),
                    Column("综合得分", Kind.FIXED2),
                ],
                [[f"{p.year}年", p.rank, p.zone_count, p.score] for p in board.history],
            )
        )
    else:
        blocks.append(Paragraph("尚无已发布的考核排名。"))

    blocks.append(Heading("五、园区对比"))
    blocks.append(
        Table(
            [
                Column("园区"),
                Column("到位资金", Kind.AMOUNT),
                Column("开工率（%）", Kind.FIXED2),
                Column("累计完成投资", Kind.AMOUNT),
            ],
            [[p["park"].name, p["funds"].value, p["start_rate"].value, p["cumulative"].value] for p in board.parks],
        )
    )
    return Gongwen(
        title=f"{zone.name}{board.year}年度发展情况报告",
        subtitle=f"（数据截至{document_date(board.as_of)}，根据业务记录生成）",
        blocks=blocks,
        date=board.as_of,
        properties={"zone": zone.code},
    )


def yearly_report_docx(board: Dashboard, rows: list[TargetRow]) -> bytes:
    """The zone's yearly development report (.docx, 公文 format)."""
    return to_docx(yearly_report_parts(board, rows))
