"""申请材料预审: the enterprise uploads its materials per checklist line before it comes to the window;
the clerk returns them with a note on each line that is wrong, or takes them into the case.

A pre-review is a small state machine (``TRANSITIONS``, one ``_move``): 填写中 → 已提交预审 → 退回修改
→ 已提交预审 … → 已转入办件, and 撤销 by the enterprise before it is taken. The enterprise acts only on
its own pre-reviews (another's answers "not found"); the clerk acts in the pre-review's zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role
from onezone.core.uploads import DOCUMENTS, read_upload, store_by_hash
from onezone.window.materials import CLERKS, case_files_take, upload_max_bytes
from onezone.window.models import Case, CaseCounter
from onezone.window.models_materials import (
    PREREVIEW_FOLDER,
    FileSource,
    PreReview,
    PreReviewFile,
    PreReviewStatus,
)

P = PreReviewStatus
FILES_PER_LINE = 10
FILES_PER_PREREVIEW = 100
LINE_NOTE_MAX_CHARS = 200
NOTE_MAX_CHARS = 500
LIST_MAX = 200


@dataclass(frozen=True)
class Move:
    label: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Move] = {
    "submit": Move("提交预审", frozenset({P.DRAFT, P.RETURNED}), P.SUBMITTED),
    "return": Move("退回修改", frozenset({P.SUBMITTED}), P.RETURNED),
    "take": Move("转入办件", frozenset({P.SUBMITTED}), P.TAKEN),
    "withdraw": Move("撤销预审", frozenset({P.DRAFT, P.SUBMITTED, P.RETURNED}), P.WITHDRAWN),
}
EDITABLE = frozenset({P.DRAFT, P.RETURNED})


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _move(prereview: PreReview, action: str) -> str:
    """Move ``prereview`` along ``action`` (not saved); refuse what the table does not allow."""
    move = TRANSITIONS[action]
    if prereview.status not in move.sources:
        allowed = "、".join(m.label for m in TRANSITIONS.values() if prereview.status in m.sources) or "无（已结束）"
        raise TransitionNotAllowed(
            f"预审 {prereview.number} 当前为“{prereview.get_status_display()}”，不能“{move.label}”。"
            f"可进行的操作：{allowed}。"
        )
    before = prereview.status
    prereview.status = move.target
    return before


def _own_enterprise(actor: Any, zone_id: int) -> Any:
    from onezone.enterprises.selectors import enterprise_of_user

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录企业账号。")
    enterprise = enterprise_of_user(actor, zone_id=zone_id)
    if enterprise is None or Role.ENTERPRISE not in roles_in(actor, zone_id):
        raise PermissionDenied("您的账号没有关联本开发区的企业，不能办理材料预审。请联系园区管理员关联企业账号。")
    return enterprise


def _own_locked(actor: Any, prereview_id: int) -> PreReview:
    """The enterprise's own pre-review, locked; another's answers "not found"."""
    row = PreReview.objects.filter(pk=prereview_id).values("zone_id", "enterprise_id").first()
    enterprise = _own_enterprise(actor, row["zone_id"]) if row else None
    if row is None or enterprise.pk != row["enterprise_id"]:
        raise NotFound("没有找到该预审，或它不属于本企业。")
    return PreReview.objects.select_for_update().get(pk=prereview_id)


def _clerk_locked(actor: Any, prereview_id: int, action: str) -> PreReview:
    zone_id = PreReview.objects.filter(pk=prereview_id).values_list("zone_id", flat=True).first()
    if zone_id is None:
        raise NotFound("没有找到该预审。")
    require(actor, zone_id=zone_id, roles=CLERKS, action=action)
    return PreReview.objects.select_for_update().get(pk=prereview_id)


def _line(prereview: PreReview, material_id: int) -> dict[str, Any]:
    for line in prereview.materials:
        if int(line["material_id"]) == material_id:
            return line
    raise InvalidInput(
        "该事项的材料清单中没有这一项，请刷新页面后重新选择。", fields={"material_id": "材料不在清单中。"}
    )


def _audit(actor: Any, prereview: PreReview, action: str, **changes: Any) -> None:
    audit_record(actor=actor, action=f"prereview.{action}", obj=prereview, changes=changes)


# --- the enterprise ---------------------------------------------------------------------------------


def prereview_start(*, actor: Any, zone_id: int, item_id: int) -> PreReview:
    """Begin a pre-review of an item in force today, with its checklist as it stands."""
    from onezone.powers.selectors import item_terms_in_force
    from onezone.window.services import zone_prefix

    enterprise = _own_enterprise(actor, zone_id)
    terms = item_terms_in_force(zone_id=zone_id, item_id=item_id, on=timezone.localdate())
    if not terms.materials:
        raise InvalidInput(f"“{terms.name}”没有列出申请材料，无需预审，可直接到窗口办理或咨询。")
    now = timezone.now()
    with transaction.atomic():
        counter, _ = CaseCounter.objects.select_for_update().get_or_create(
            zone_id=zone_id, series="prereview", year=now.year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        from onezone.zones.models import Zone

        prefix = zone_prefix(Zone.objects.filter(pk=zone_id).values_list("code", flat=True).get())
        prereview = PreReview.objects.create(
            zone_id=zone_id,
            number=f"{prefix}-YS-{now.year}-{counter.last:06d}",
            enterprise=enterprise,
            item_id=terms.item_id,
            item_code=terms.code,
            item_name=terms.name,
            materials=[
                {
                    "material_id": m.material_id,
                    "name": m.name,
                    "required": m.required,
                    "form": m.form,
                    "copies": m.copies,
                    "standard": m.standard,
                }
                for m in terms.materials
            ],
            created_by=actor,
            created_at=now,
        )
        _audit(actor, prereview, "start", item=terms.name, enterprise=enterprise.name)
    return prereview


def prereview_file_add(*, actor: Any, prereview_id: int, material_id: int, upload: IO[bytes] | None) -> PreReviewFile:
    """Upload one file to a line of the enterprise's own pre-review (while it is being filled or fixed)."""
    if upload is None:
        raise InvalidInput("请选择要上传的文件。", fields={"file": "请选择文件。"})
    with transaction.atomic():
        prereview = _own_locked(actor, prereview_id)
        if prereview.status not in EDITABLE:
            raise Conflict(f"预审 {prereview.number} 为“{prereview.get_status_display()}”，不能再上传文件。")
        line = _line(prereview, material_id)
        held = list(PreReviewFile.objects.filter(prereview=prereview).values_list("material_id", flat=True))
        per_line = _limit("ONEZONE_PREREVIEW_FILES_PER_LINE", FILES_PER_LINE)
        per_prereview = _limit("ONEZONE_PREREVIEW_FILES_MAX", FILES_PER_PREREVIEW)
        if len(held) >= per_prereview:
            raise InvalidInput(f"一次预审最多上传 {per_prereview} 个文件，已达上限。请删除不需要的文件。")
        if held.count(material_id) >= per_line:
            raise InvalidInput(f"每项材料最多上传 {per_line} 个文件，该项已达上限。请合并为一个 PDF 后再上传。")
        data = read_upload(upload, max_bytes=upload_max_bytes())
        stored = store_by_hash(
            data,
            original_name=getattr(upload, "name", "") or "",
            folder=PREREVIEW_FOLDER,
            allowed=DOCUMENTS,
            max_bytes=upload_max_bytes(),
        )
        added = PreReviewFile.objects.create(
            zone_id=prereview.zone_id,
            prereview=prereview,
            material_id=material_id,
            material_name=line["name"],
            file=stored.name,
            original_name=stored.original_name,
            sha256=stored.sha256,
            size=stored.size,
            kind=stored.kind.key,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        _audit(actor, prereview, "file_add", material=line["name"], file=stored.name, sha256=stored.sha256)
    return added


def prereview_file_delete(*, actor: Any, file_id: int) -> None:
    """Delete one file of the enterprise's own pre-review while it is being filled or fixed."""
    prereview_id = PreReviewFile.objects.filter(pk=file_id).values_list("prereview_id", flat=True).first()
    if prereview_id is None:
        raise NotFound("没有找到该文件，请刷新页面。")
    with transaction.atomic():
        prereview = _own_locked(actor, prereview_id)
        if prereview.status not in EDITABLE:
            raise Conflict(f"预审 {prereview.number} 为“{prereview.get_status_display()}”，不能再删除文件。")
        doomed = PreReviewFile.objects.get(pk=file_id)
        _audit(actor, prereview, "file_delete", material=doomed.material_name, file=doomed.file.name)
        doomed.delete()  # the stored file stays: another record may hold the same content


def prereview_submit(*, actor: Any, prereview_id: int) -> PreReview:
    """Send the pre-review to the window; every required line needs at least one file."""
    with transaction.atomic():
        prereview = _own_locked(actor, prereview_id)
        lines_with_files = set(PreReviewFile.objects.filter(prereview=prereview).values_list("material_id", flat=True))
        missing = [m["name"] for m in prereview.materials if m["required"] and m["material_id"] not in lines_with_files]
        if missing and prereview.status in TRANSITIONS["submit"].sources:
            raise InvalidInput(f"必要材料尚未上传：{'、'.join(missing)}。请逐项上传后再提交预审。")
        before = _move(prereview, "submit")
        prereview.submitted_at = timezone.now()
        prereview.save(update_fields=["status", "submitted_at"])
        _audit(actor, prereview, "submit", status=[before, prereview.status])
    return prereview


def prereview_withdraw(*, actor: Any, prereview_id: int) -> PreReview:
    """The enterprise calls its pre-review off before the window takes it."""
    with transaction.atomic():
        prereview = _own_locked(actor, prereview_id)
        before = _move(prereview, "withdraw")
        prereview.save(update_fields=["status"])
        _audit(actor, prereview, "withdraw", status=[before, prereview.status])
    return prereview


# --- the window ----------------------------------------------------------------------------------------


def _checked_notes(prereview: PreReview, notes: Mapping[int, str]) -> dict[str, str]:
    known = {int(m["material_id"]): m["name"] for m in prereview.materials}
    checked: dict[str, str] = {}
    fields: dict[str, str] = {}
    for material_id, text in notes.items():
        text = (text or "").strip()
        if not text:
            continue
        if material_id not in known:
            raise InvalidInput("意见所指的材料不在清单中，请刷新页面后重新填写。")
        if len(text) > LINE_NOTE_MAX_CHARS:
            fields[f"note-{material_id}"] = (
                f"“{known[material_id]}”的意见最多 {LINE_NOTE_MAX_CHARS} 个字，收到 {len(text)} 个。"
            )
        checked[str(material_id)] = text
    if fields:
        raise InvalidInput("；".join(fields.values()) + "请精简后再提交。", fields=fields)
    return checked


def prereview_return(*, actor: Any, prereview_id: int, line_notes: Mapping[int, str], note: str = "") -> PreReview:
    """Send the pre-review back to the enterprise with what is wrong, line by line."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"预审意见最多 {NOTE_MAX_CHARS} 个字，收到 {len(note)} 个，请精简后再提交。",
            fields={"note": f"最多 {NOTE_MAX_CHARS} 个字。"},
        )
    with transaction.atomic():
        prereview = _clerk_locked(actor, prereview_id, "预审退回")
        checked = _checked_notes(prereview, line_notes)
        if not checked and not note:
            raise InvalidInput("请至少对一项材料写明问题（或填写预审意见），再退回企业修改。")
        before = _move(prereview, "return")
        prereview.line_notes, prereview.note = checked, note
        prereview.reviewed_by, prereview.reviewed_at = actor, timezone.now()
        prereview.save(update_fields=["status", "line_notes", "note", "reviewed_by", "reviewed_at"])
        _audit(actor, prereview, "return", status=[before, prereview.status], lines=len(checked), note=note)
    return prereview


def prereview_take(*, actor: Any, prereview_id: int, case_id: int) -> PreReview:
    """Take the pre-review's files into the enterprise's open case of the same item."""
    from onezone.window.materials import locked_open_case

    with transaction.atomic():
        prereview = _clerk_locked(actor, prereview_id, "预审材料转入办件")
        case = locked_open_case(actor, case_id, "预审材料转入办件")
        if case.zone_id != prereview.zone_id:
            raise NotFound("办件不存在，请核对办件编号。")
        enterprise = prereview.enterprise
        if case.item_id != prereview.item_id or case.applicant_uscc != enterprise.uscc:
            raise InvalidInput(
                f"办件 {case.number} 不是“{enterprise.name}”办理“{prereview.item_name}”的办件，不能转入。"
                "请选择该企业同一事项的在办办件。"
            )
        before = _move(prereview, "take")
        lines = {int(m["material_id"]): m for m in case.materials}
        by_name = {m["name"]: m for m in case.materials}
        files = list(PreReviewFile.objects.filter(prereview=prereview).order_by("material_id", "uploaded_at", "id"))
        mapped: dict[int, dict[str, Any]] = {}
        unmatched = []
        for f in files:
            line = lines.get(f.material_id) or by_name.get(f.material_name)
            if line is None:
                unmatched.append(f.material_name)
            else:
                mapped[f.material_id] = line
        if unmatched:
            raise Conflict(
                f"办件的材料清单中没有：{'、'.join(sorted(set(unmatched)))}（事项清单已调整）。请在办件页逐项上传这些材料。"
            )
        case_files_take(actor=actor, case=case, files=files, lines=mapped, source=FileSource.PREREVIEW)
        prereview.case = case
        prereview.reviewed_by, prereview.reviewed_at = actor, timezone.now()
        prereview.save(update_fields=["status", "case", "reviewed_by", "reviewed_at"])
        _audit(actor, prereview, "take", status=[before, prereview.status], case=case.number, files=len(files))
    return prereview


# --- reads ---------------------------------------------------------------------------------------------


@dataclass
class PreReviewLine:
    material_id: int
    name: str
    required: bool
    standard: str
    note: str
    files: list[PreReviewFile]


def prereview_lines(prereview: PreReview, files: list[PreReviewFile]) -> list[PreReviewLine]:
    """The checklist with each line's files and the clerk's note on it (no query)."""
    lines = [
        PreReviewLine(
            material_id=int(m["material_id"]),
            name=m["name"],
            required=bool(m["required"]),
            standard=m.get("standard", ""),
            note=prereview.line_notes.get(str(m["material_id"]), ""),
            files=[],
        )
        for m in prereview.materials
    ]
    by_id = {line.material_id: line for line in lines}
    for f in files:
        if f.material_id in by_id:
            by_id[f.material_id].files.append(f)
    return lines


def prereviews_of_enterprise(*, zone_id: int, enterprise_id: int) -> list[PreReview]:
    """The enterprise's pre-reviews, newest first (its portal list)."""
    qs = PreReview.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id).select_related("case")
    return list(qs.order_by("-created_at", "-id")[:LIST_MAX])


def prereview_of_enterprise(
    *, zone_id: int, enterprise_id: int, prereview_id: int
) -> tuple[PreReview, list[PreReviewLine]]:
    """One of the enterprise's own pre-reviews with its lines; another's answers "not found"."""
    prereview = (
        PreReview.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id, pk=prereview_id)
        .select_related("case")
        .first()
    )
    if prereview is None:
        raise NotFound("没有找到该预审，或它不属于本企业。")
    return prereview, prereview_lines(prereview, _files(zone_id, prereview.pk))


def _files(zone_id: int, prereview_id: int) -> list[PreReviewFile]:
    return list(
        PreReviewFile.objects.filter(zone_id=zone_id, prereview_id=prereview_id).order_by(
            "material_id", "uploaded_at", "id"
        )
    )


def prereviews_for_desk(*, zone_id: int, status: str = P.SUBMITTED) -> QuerySet[PreReview]:
    """Pre-reviews of the zone in one status, oldest submission first, with their enterprise."""
    qs = PreReview.objects.filter(zone_id=zone_id, status=status).select_related("enterprise", "case", "reviewed_by")
    return qs.order_by("submitted_at", "id")


@dataclass(frozen=True)
class DeskPreReview:
    prereview: PreReview
    lines: list[PreReviewLine]
    open_cases: list[Case]  # the enterprise's open cases of the item, to take the files into


def prereview_for_desk(*, zone_id: int, prereview_id: int) -> DeskPreReview:
    """One pre-review of the zone for the clerk: its lines and the cases it may be taken into."""
    from onezone.window.models import OPEN

    prereview = (
        PreReview.objects.filter(zone_id=zone_id, pk=prereview_id)
        .select_related("enterprise", "case", "reviewed_by", "created_by")
        .first()
    )
    if prereview is None:
        raise NotFound("没有找到该预审。")
    cases = (
        Case.objects.filter(OPEN, zone_id=zone_id, item_id=prereview.item_id, applicant_uscc=prereview.enterprise.uscc)
        .only("id", "number", "state", "received_on")
        .order_by("-received_on", "-id")[:20]
    )
    return DeskPreReview(
        prereview=prereview, lines=prereview_lines(prereview, _files(zone_id, prereview.pk)), open_cases=list(cases)
    )
