"""Written notices (文书) of a case, issued once each in 公文 format as .docx and PDF (core.documents).

受理通知书, 补正材料一次性告知书, 不予受理决定书, 延期通知书, 特别程序告知书,
准予/不予行政许可决定书: each carries its document number, the case number, the dates and the issuing
body, room for the seal (Art. 32: acceptance and refusal are given in writing, sealed and dated), and a
verification code with its QR code. The first request for a notice issues it; every later request
gets the same files back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from onezone.core.areacodes import area_name
from onezone.core.documents.gongwen import Gongwen, Paragraph, Verification, document_date
from onezone.core.documents.models import IssuedDocument
from onezone.core.documents.selectors import DocumentLink, document_files, documents_of
from onezone.core.documents.services import document_issue
from onezone.core.errors import NotFound
from onezone.core.roles import Role
from onezone.window.clock import PROCEDURE_LABELS
from onezone.window.models import Case, CaseEvent

SOURCE = "window.case"
ISSUER_ROLES = frozenset(
    {Role.ADMIN, Role.CLERK, Role.REVIEWER, Role.DEPT_HEAD, Role.LEADER, Role.AGENT, Role.PROVINCE_SUPERVISOR}
)
TITLES = {
    "acceptance": "受理通知书",
    "supplement": "补正材料一次性告知书",
    "refusal": "不予受理决定书",
    "extension": "延期通知书",
    "special": "特别程序告知书",
    "grant": "准予行政许可决定书",
    "denial": "不予行政许可决定书",
}
# 发文字号 代字 of each notice after the zone's own: 永昌许受〔2026〕3号.
SERIES = {
    "acceptance": "许受",
    "supplement": "许补",
    "refusal": "许不受",
    "extension": "许延",
    "special": "许特",
    "grant": "许准",
    "denial": "许不准",
}
APPEAL = "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。"


def _cn(day: dt.date | None) -> str:
    return document_date(day) if day else "____年__月__日"


def _issuer(case: Case) -> str:
    return case.terms.get("implementing_body_name") or (case.body.name if case.body_id else "") or "（实施机关）"


def _event(events: Sequence[CaseEvent], kind: str) -> CaseEvent | None:
    return next((e for e in events if e.kind == kind), None)


def zone_prefix(zone: Any) -> str:
    """The zone's own 代字 in document numbers: ``ONEZONE_DOCUMENT_PREFIXES[zone.code]`` where set, else
    the first two characters of its name after the province's (甘肃永昌工业园区 → 永昌)."""
    configured = (getattr(settings, "ONEZONE_DOCUMENT_PREFIXES", None) or {}).get(zone.code)
    if configured:
        return configured
    name = zone.name
    province = area_name(zone.province_code) or ""
    for head in (province, province.removesuffix("省").removesuffix("市").removesuffix("自治区")):
        if head and name.startswith(head):
            name = name[len(head) :]
            break
    return name[:2]


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


def notice_parts(case: Case, events: Sequence[CaseEvent], kind: str, number: str, verification: Verification | None):
    """The notice's parts for the 公文 layout, and its date (成文日期)."""
    blocks: list[Paragraph] = []
    issued_on = BODIES[kind](blocks, case, events)
    issuer = _issuer(case)
    parts = Gongwen(
        title=TITLES[kind],
        issuer_mark=issuer,
        number=number,
        addressee=case.applicant_name,
        blocks=blocks,
        signature=issuer,
        date=issued_on,
        sealed=True,
        notes=(
            f"办件编号：{case.number}，查询码：{case.query_code}。可凭办件编号和查询码在政务服务网站查询办理进度；"
            "对本机关的服务有意见的，可以投诉或评价。",
        ),
        verification=verification,
    )
    return parts, issued_on


def notice_issue(*, actor: Any, case: Case, events: Sequence[CaseEvent], kind: str, base_url: str) -> IssuedDocument:
    """The notice ``kind`` of ``case``, issued once (numbered, coded, rendered, signed and kept).
    NotFound when the case has no such notice (the step it records has not happened)."""
    if (kind, TITLES.get(kind, "")) not in documents_for(case, events):
        raise NotFound("该办件没有这份文书（相应环节尚未发生）。")
    _, issued_on = notice_parts(case, events, kind, "", None)
    return document_issue(
        actor=actor,
        zone=case.zone,
        roles=ISSUER_ROLES,
        source=SOURCE,
        source_id=case.pk,
        kind=kind,
        series=zone_prefix(case.zone) + SERIES[kind],
        issued_on=issued_on or timezone.localdate(),
        base_url=base_url,
        build=lambda number, verification: notice_parts(case, events, kind, number, verification)[0],
    )


def _public_case(number: str, query_code: str) -> Case:
    case = (
        Case.objects.filter(number=number.strip().upper()[:30], query_code=query_code.strip().upper()[:12])
        .only("pk", "zone_id", "number")
        .first()
    )
    if case is None:
        raise NotFound("办件编号或查询码不正确，请核对受理通知书上的编号和查询码。")
    return case


def public_documents(*, number: str, query_code: str) -> tuple[str, list[DocumentLink]]:
    """The notices issued for the case with this number and query code, in the order issued (the
    applicant's own look-up: both must match). Two queries."""
    case = _public_case(number, query_code)
    links = documents_of(zone_id=case.zone_id, source=SOURCE, source_id=case.pk)
    order = {kind: i for i, kind in enumerate(TITLES)}
    return case.number, sorted(links.values(), key=lambda d: (d.issued_on, order.get(d.kind, 99)))


def public_document(*, number: str, query_code: str, kind: str) -> IssuedDocument:
    """One issued notice of the case with this number and query code; NotFound if it was not issued."""
    case = _public_case(number, query_code)
    document = document_files(zone_id=case.zone_id, source=SOURCE, source_id=case.pk, kind=kind[:20])
    if document is None:
        raise NotFound("该办件尚未出具这份文书，请向办理窗口咨询。")
    return document


def _acceptance(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    e = _event(events, "accepted")
    deemed = "（依法自收到申请材料之日起视为受理）" if case.deemed_accepted else ""
    blocks.append(
        Paragraph(
            f"你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，申请材料齐全、符合法定形式，"
            f"本机关决定予以受理，受理日期为{_cn(case.accepted_on)}{deemed}。"
        )
    )
    blocks.append(
        Paragraph(
            f"依照《中华人民共和国行政许可法》第四十二条，本机关将于{_cn(case.legal_deadline)}前作出决定；"
            f"本机关承诺于{_cn(case.committed_deadline)}前办结。"
            + ("上述日期涉及尚未公布节假日安排的年份，为暂定日期。" if case.deadlines_provisional else "")
        )
    )
    return e.on if e else case.accepted_on


def _supplement(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    notice = case.supplement
    blocks.append(
        Paragraph(
            f"你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，申请材料不齐全或者不符合法定形式。"
            "依照《中华人民共和国行政许可法》第三十二条，现一次性告知需要补正的全部材料如下："
        )
    )
    blocks.extend(Paragraph(f"{i}. {name}") for i, name in enumerate(notice.materials, start=1))
    if notice.note:
        blocks.append(Paragraph(f"补正要求：{notice.note}"))
    blocks.append(Paragraph("请补齐上述全部材料后一并提交。本机关自收到全部补正材料之日起受理。"))
    return notice.issued_on


def _refusal(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    e = _event(events, "refused")
    blocks.append(
        Paragraph(
            f"你（单位）于{_cn(case.received_on)}提出的“{case.item_name}”申请，经审查，本机关决定不予受理。"
            f"理由：{case.refusal_reason}"
        )
    )
    if case.competent_office:
        blocks.append(Paragraph(f"该申请事项不属于本机关职权范围，请向{case.competent_office}提出申请。"))
    blocks.append(Paragraph(APPEAL))
    return e.on if e else None


def _extension(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    e = _event(events, "extended")
    blocks.append(
        Paragraph(
            f"你（单位）申请的“{case.item_name}”（受理日期{_cn(case.accepted_on)}），因{e.reason}，"
            f"不能在法定期限内作出决定。经本机关负责人批准，依照《中华人民共和国行政许可法》第四十二条，"
            f"办理期限延长至{_cn(case.legal_deadline)}。"
        )
    )
    return e.on


def _special(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    e = [x for x in events if x.kind == "suspended"][-1]
    data = e.data or {}
    label = PROCEDURE_LABELS.get(data.get("procedure", ""), data.get("procedure", ""))
    blocks.append(
        Paragraph(
            f"你（单位）申请的“{case.item_name}”需要进行{label}，预计需要 {data.get('expected_days')} 个工作日。"
            "依照《中华人民共和国行政许可法》第四十五条，所需时间不计算在办理期限内。"
        )
    )
    if e.reason:
        blocks.append(Paragraph(f"说明：{e.reason}"))
    return e.on


def _decision(blocks: list[Paragraph], case: Case, events: Sequence[CaseEvent]) -> dt.date | None:
    if case.granted:
        blocks.append(
            Paragraph(f"你（单位）申请的“{case.item_name}”，经审查，符合法定条件、标准，本机关决定准予行政许可。")
        )
        if case.licence_number:
            blocks.append(Paragraph(f"证照编号：{case.licence_number}"))
        blocks.append(Paragraph(case.decision_text))
        blocks.append(Paragraph(f"本机关将于{_cn(case.delivery_deadline)}前向你（单位）颁发、送达许可证件。"))
    else:
        blocks.append(
            Paragraph(f"你（单位）申请的“{case.item_name}”，经审查，本机关决定不予行政许可。理由：{case.decision_text}")
        )
        blocks.append(Paragraph(APPEAL))
    return case.decided_on


BODIES: dict[str, Callable[[list[Paragraph], Case, Sequence[CaseEvent]], dt.date | None]] = {
    "acceptance": _acceptance,
    "supplement": _supplement,
    "refusal": _refusal,
    "extension": _extension,
    "special": _special,
    "grant": _decision,
    "denial": _decision,
}
