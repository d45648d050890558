"""Written notices as .docx (python-docx), generated from the case and its events.

受理通知书, 补正材料一次性告知书, 不予受理决定书, 延期通知书, 特别程序告知书,
准予/不予行政许可决定书: each carries the case number, the dates and the issuing body, and a
place for the seal (Art. 32: acceptance and refusal are given in writing, sealed and dated).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from onezone.core.errors import NotFound
from onezone.window.clock import PROCEDURE_LABELS
from onezone.window.models import Case, CaseEvent

TITLES = {
    "acceptance": "受理通知书",
    "supplement": "补正材料一次性告知书",
    "refusal": "不予受理决定书",
    "extension": "延期通知书",
    "special": "特别程序告知书",
    "grant": "准予行政许可决定书",
    "denial": "不予行政许可决定书",
}


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


def _issuer(case: Case) -> str:
    return case.terms.get("implementing_body_name") or (case.body.name if case.body_id else "") or "（实施机关）"


def _event(events: Sequence[CaseEvent], kind: str) -> CaseEvent | None:
    return next((e for e in events if e.kind == kind), None)


def documents_for(case: Case, events: Sequence[CaseEvent]) -> list[tuple[str, str]]:
    """The notices this case has (kind, title), in the order they were issued."""
    docs: list[tuple[str, str]] = []
    for e in events:
        kind = {
            "accepted": "acceptance",
            "supplement_requested": "supplement",
            "refused": "refusal",
            "extended": "extension",
            "suspended": "special",
        }.get(e.kind)
        if e.kind == "decided":
            kind = "grant" if (e.data or {}).get("granted") else "denial"
        if kind and (kind, TITLES[kind]) not in docs:
            docs.append((kind, TITLES[kind]))
    return docs


def notice_docx(case: Case, events: Sequence[CaseEvent], kind: str) -> bytes:
    """The notice ``kind`` of ``case`` as .docx bytes. NotFound when the case has no such notice."""
    if (kind, TITLES.get(kind, "")) not in documents_for(case, events):
        raise NotFound("该办件没有这份文书（相应环节尚未发生）。")
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_issuer(case))
    run.font.size = Pt(16)
    run.bold = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLES[kind])
    run.font.size = Pt(18)
    run.bold = True
    number = doc.add_paragraph(f"办件编号：{case.number}    查询码：{case.query_code}")
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{case.applicant_name}：")
    issued_on = BODIES[kind](doc, case, events)
    doc.add_paragraph("")
    doc.add_paragraph("（印章）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(_issuer(case)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(_cn(issued_on)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("")
    doc.add_paragraph("可凭办件编号和查询码在政务服务网站查询办理进度。对本机关的服务有意见的，可以投诉或评价。").runs[
        0
    ].font.size = Pt(10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _acceptance(doc, case: Case, events) -> dt.date | None:
    e = _event(events, "accepted")
    deemed = "（依法自收到申请材料之日起视为受理）" if case.deemed_accepted else ""
    doc.add_paragraph(
        f"    你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，申请材料齐全、符合法定形式，"
        f"本机关决定予以受理，受理日期为{_cn(case.accepted_on)}{deemed}。"
    )
    doc.add_paragraph(
        f"    依照《中华人民共和国行政许可法》第四十二条，本机关将于{_cn(case.legal_deadline)}前作出决定；"
        f"本机关承诺于{_cn(case.committed_deadline)}前办结。"
        + ("上述日期涉及尚未公布节假日安排的年份，为暂定日期。" if case.deadlines_provisional else "")
    )
    return e.on if e else case.accepted_on


def _supplement(doc, case: Case, events) -> dt.date | None:
    notice = case.supplement
    doc.add_paragraph(
        f"    你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，申请材料不齐全或者不符合法定形式。"
        "依照《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部材料如下："
    )
    for i, name in enumerate(notice.materials, start=1):
        doc.add_paragraph(f"    {i}. {name}")
    if notice.note:
        doc.add_paragraph(f"    补正要求：{notice.note}")
    doc.add_paragraph("    请补齐上述全部材料后一并提交。本机关自收到全部补正材料之日起受理。")
    return notice.issued_on


def _refusal(doc, case: Case, events) -> dt.date | None:
    e = _event(events, "refused")
    doc.add_paragraph(
        f"    你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，经审查，本机关决定不予受理。"
        f"理由：{case.refusal_reason}"
    )
    if case.competent_office:
        doc.add_paragraph(f"    该申请事项不属于本机关职权范围，请向{case.competent_office}提出申请。")
    doc.add_paragraph(
        "    如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"
    )
    return e.on if e else None


def _extension(doc, case: Case, events) -> dt.date | None:
    e = _event(events, "extended")
    doc.add_paragraph(
        f"    你（单位）申请的“{case.item_name}”（受理日期{_cn(case.accepted_on)}），因{e.reason}，"
        f"不能在法定期限内作出决定。经本机关负责人批准，依照《中华人民共和国行政许可法》第四十二条，"
        f"办理期限延长至{_cn(case.legal_deadline)}。"
    )
    return e.on


def _special(doc, case: Case, events) -> dt.date | None:
    e = [x for x in events if x.kind == "suspended"][-1]
    data = e.data or {}
    label = PROCEDURE_LABELS.get(data.get("procedure", ""), data.get("procedure", ""))
    doc.add_paragraph(
        f"    你（单位）申请的“{case.item_name}”需要进行{label}，预计需要 {data.get('expected_days')} 个工作日。"
        "依照《中华人民共和国行政许可法》第四十五条，所需时间不计算在办理期限内。"
    )
    if e.reason:
        doc.add_paragraph(f"    说明：{e.reason}")
    return e.on


def _decision(doc, case: Case, events) -> dt.date | None:
    if case.granted:
        doc.add_paragraph(
            f"    你（单位）申请的“{case.item_name}”，经审查，符合法定条件、标准，本机关决定准予行政许可。"
        )
        if case.licence_number:
            doc.add_paragraph(f"    证照编号：{case.licence_number}")
        doc.add_paragraph(f"    {case.decision_text}")
        doc.add_paragraph(f"    本机关将于{_cn(case.delivery_deadline)}前向你（单位）颁发、送达许可证件。")
    else:
        doc.add_paragraph(
            f"    你（单位）申请的“{case.item_name}”，经审查，本机关决定不予行政许可。理由：{case.decision_text}"
        )
        doc.add_paragraph(
            "    如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"
        )
    return case.decided_on


BODIES: dict[str, Callable] = {
    "acceptance": _acceptance,
    "supplement": _supplement,
    "refusal": _refusal,
    "extension": _extension,
    "special": _special,
    "grant": _decision,
    "denial": _decision,
}
