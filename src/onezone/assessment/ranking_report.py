"""The ranking report (综合评价结果通报): an evaluation's ranking as a 公文 in GB/T 9704 format.

The same ranking the page and the .xlsx show, as the reader may see it: every zone's rank and score,
the group points only where the reader may see the zone's values.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from onezone.assessment.selectors import Ranking
from onezone.core.documents.gongwen import Column, Gongwen, Heading, Kind, Paragraph, Table
from onezone.core.documents.word import to_docx
from onezone.core.money import format_number


def _score(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value, 2)


def _points(row, key: str) -> Decimal | None:
    value = (row.points or {}).get(key)
    return None if value is None else Decimal(value)


def ranking_report_parts(table: Ranking) -> Gongwen:
    evaluation = table.evaluation
    scheme = evaluation.scheme
    rows = table.rows
    ranked = [row for row in rows if row.rank is not None]
    blocks: list = [Heading("一、评价概况")]
    blocks.append(
        Paragraph(
            f"按照《{scheme.name}》，对{evaluation.year}年度 {evaluation.zone_count} 个开发区进行了综合评价，"
            f"{len(ranked)} 个开发区取得名次。缺失值规则：{table.missing_rule_label}"
            + (f"；本次有 {table.incomplete} 个开发区数据不全。" if table.incomplete else "。")
            + "名次按两位小数的综合得分排列，得分相同者名次相同，下一名次顺延。"
        )
    )
    groups = table.groups
    for row in rows:
        if row.own:
            points = "、".join(
                f"{group.name} {_score(_points(row, group.key))} 分" for group in groups if row.points is not None
            )
            blocks.append(
                Paragraph(
                    f"{row.zone_name}综合得分 {_score(row.score)} 分，"
                    + (f"位列第 {row.rank} 名。" if row.rank is not None else "本次未取得名次。")
                    + (f"分项得分：{points}。" if points else "")
                    + ("" if row.complete or not row.missing else f"数据不全：缺{'、'.join(row.missing)}。")
                )
            )
    if groups:
        weights = "、".join(f"{group.name}（{format_number(group.weight)}%）" for group in groups)
        blocks.append(Paragraph(f"评价指标分为：{weights}。"))

    blocks.append(Heading("二、评价结果"))
    # A zone's reader sees other zones' ranks and scores only, so the table has no group columns for it.
    shown = groups if table.sees_all else []
    blocks.append(
        Table(
            [
                Column("名次", Kind.NUMBER),
                Column("开发区"),
                Column("综合得分", Kind.FIXED2),
                *[Column(group.name, Kind.FIXED2) for group in shown],
            ],
            [[row.rank, row.zone_name, row.score, *[_points(row, group.key) for group in shown]] for row in rows],
        )
    )
    if not table.sees_all:
        blocks.append(Paragraph("其他开发区的分项得分不对开发区用户公开，表中只列其名次和综合得分。"))
    stamp = evaluation.published_at or evaluation.computed_at
    day = timezone.localdate(stamp) if stamp else None
    return Gongwen(
        title=f"{evaluation.year}年度{scheme.name}结果通报",
        subtitle=f"（{'已发布' if evaluation.published_at else '草稿，未发布'}，根据各开发区指标数据计算）",
        blocks=blocks,
        date=day,
        properties={"scheme": str(scheme.pk), "year": str(evaluation.year)},
    )


def ranking_report_docx(table: Ranking) -> bytes:
    return to_docx(ranking_report_parts(table))
