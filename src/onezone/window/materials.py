"""The files of a case's materials: attach one to its checklist line (upload or scan folder), remove one;
and the reads the case page needs.

Every attach stores the file under its content hash (``core.uploads.store_by_hash``: type by content,
size limit) and writes a ``CaseFile`` and an audit entry in one transaction with the case locked, so
the per-case caps hold with two clerks at once. A file from the scan folder leaves the folder only
after that transaction commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.uploads import DOCUMENTS, UPLOAD_MAX_BYTES, StoredFile, read_upload, store_by_hash
from onezone.window import scans
from onezone.window.models import Case
from onezone.window.models_materials import MATERIALS_FOLDER, CaseFile, FileSource

CLERKS = frozenset({Role.ADMIN, Role.CLERK})
FILES_PER_LINE = 20
FILES_PER_CASE = 200
REASON_MAX_CHARS = 200
FILE_TYPES = {kind.key: kind for kind in DOCUMENTS}


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def upload_max_bytes() -> int:
    return _limit("ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)


def _line(case: Case, material_id: int) -> dict[str, Any]:
    for line in case.materials:
        if int(line["material_id"]) == material_id:
            return line
    raise InvalidInput(
        f"办件 {case.number} 的材料清单中没有这一项，请刷新页面后重新选择。", fields={"material_id": "材料不在清单中。"}
    )


def locked_open_case(actor: Any, case_id: int, action: str) -> Case:
    zone_id = Case.objects.filter(pk=case_id).values_list("zone_id", flat=True).first()
    if zone_id is None:
        raise NotFound("办件不存在，请核对办件编号。")
    require(actor, zone_id=zone_id, roles=CLERKS, action=action)
    case = Case.objects.select_for_update().get(pk=case_id)
    if not case.is_open:
        raise Conflict(f"办件 {case.number} 已{case.get_state_display()}，材料已归档，不能再挂接或移除文件。")
    return case


def _check_room(case: Case, adding: Mapping[int, int]) -> None:
    """Refuse files beyond the caps: ``adding`` is how many files each line is to get."""
    per_line = _limit("ONEZONE_MATERIAL_FILES_PER_LINE", FILES_PER_LINE)
    per_case = _limit("ONEZONE_MATERIAL_FILES_PER_CASE", FILES_PER_CASE)
    held = dict(
        CaseFile.objects.filter(case=case, removed_at__isnull=True)
        .order_by()
        .values("material_id")
        .annotate(n=Count("id"))
        .values_list("material_id", "n")
    )
    if sum(held.values()) + sum(adding.values()) > per_case:
        raise InvalidInput(f"一个办件最多挂接 {per_case} 个文件，已达上限。请移除不需要的文件后再挂接。")
    for material_id, count in adding.items():
        if held.get(material_id, 0) + count > per_line:
            raise InvalidInput(f"每项材料最多挂接 {per_line} 个文件，该项已达上限。请合并为一个 PDF 后再挂接。")


def _record(
    *, actor: Any, case: Case, line: dict[str, Any], stored: StoredFile, source: str, now: Any = None
) -> CaseFile:
    attached = CaseFile.objects.create(
        zone_id=case.zone_id,
        case=case,
        material_id=int(line["material_id"]),
        material_name=line["name"],
        file=stored.name,
        original_name=stored.original_name,
        sha256=stored.sha256,
        size=stored.size,
        kind=stored.kind.key,
        source=source,
        uploaded_by=actor,
        uploaded_at=now or timezone.now(),
    )
    audit_record(
        actor=actor,
        action="case.file_attach",
        obj=case,
        changes={
            "material": line["name"],
            "file": stored.name,
            "name": stored.original_name,
            "sha256": stored.sha256,
            "size": stored.size,
            "source": source,
        },
    )
    return attached


def _stored(data: bytes, original_name: str) -> StoredFile:
    return store_by_hash(
        data, original_name=original_name, folder=MATERIALS_FOLDER, allowed=DOCUMENTS, max_bytes=upload_max_bytes()
    )


def case_file_attach(*, actor: Any, case_id: int, material_id: int, upload: IO[bytes] | None) -> CaseFile:
    """Attach an uploaded file (scan, photo or electronic file) to a line of the case's checklist."""
    if upload is None:
        raise InvalidInput("请选择要上传的文件。", fields={"file": "请选择文件。"})
    with transaction.atomic():
        case = locked_open_case(actor, case_id, "挂接办件材料")
        line = _line(case, material_id)
        _check_room(case, {material_id: 1})
        data = read_upload(upload, max_bytes=upload_max_bytes())
        stored = _stored(data, getattr(upload, "name", "") or "")
        return _record(actor=actor, case=case, line=line, stored=stored, source=FileSource.UPLOAD)


def case_file_attach_scan(*, actor: Any, case_id: int, material_id: int, name: str) -> CaseFile:
    """Attach a file from the clerk's document-camera folder; it leaves the folder once stored."""
    with transaction.atomic():
        case = locked_open_case(actor, case_id, "挂接办件材料")
        line = _line(case, material_id)
        _check_room(case, {material_id: 1})
        data = scans.scan_read(actor, name)
        attached = _record(actor=actor, case=case, line=line, stored=_stored(data, name), source=FileSource.SCAN)
        transaction.on_commit(lambda: scans.scan_remove(actor, name))
    return attached


def case_file_remove(*, actor: Any, case_file_id: int, reason: str) -> CaseFile:
    """Take a wrongly attached file off the case (the file and the record stay, marked removed)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写移除原因（例如：挂错材料项、扫描不清晰）。", fields={"reason": "请填写移除原因。"})
    if len(reason) > REASON_MAX_CHARS:
        raise InvalidInput(
            f"移除原因最多 {REASON_MAX_CHARS} 个字，收到 {len(reason)} 个，请精简后再提交。",
            fields={"reason": f"最多 {REASON_MAX_CHARS} 个字。"},
        )
    row = CaseFile.objects.filter(pk=case_file_id).values("case_id").first()
    if row is None:
        raise NotFound("没有找到该材料文件，请刷新页面。")
    with transaction.atomic():
        case = locked_open_case(actor, row["case_id"], "移除办件材料")
        attached = CaseFile.objects.select_for_update().get(pk=case_file_id)
        if attached.removed_at is not None:
            raise Conflict(
                f"“{attached.original_name}”已于 {timezone.localtime(attached.removed_at):%Y-%m-%d %H:%M} 移除。"
            )
        attached.removed_at = timezone.now()
        attached.removed_by = actor
        attached.removed_reason = reason
        attached.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        audit_record(
            actor=actor,
            action="case.file_remove",
            obj=case,
            changes={"material": attached.material_name, "file": attached.file.name, "reason": reason},
        )
    return attached


def case_files_take(
    *, actor: Any, case: Case, files: Iterable[Any], lines: dict[int, dict[str, Any]], source: str
) -> list[CaseFile]:
    """Attach already-stored files (a pre-review's) to a locked open case; the caller holds the lock
    and the transaction, and maps each file to the case's line in ``lines`` (by the file's material)."""
    files = list(files)
    _check_room(case, Counter(int(lines[f.material_id]["material_id"]) for f in files))
    now = timezone.now()
    return [
        _record(
            actor=actor,
            case=case,
            line=lines[f.material_id],
            stored=StoredFile(
                name=f.file.name, sha256=f.sha256, size=f.size, kind=FILE_TYPES[f.kind], original_name=f.original_name
            ),
            source=source,
            now=now,
        )
        for f in files
    ]


# --- reads ----------------------------------------------------------------------------------------


@dataclass
class MaterialLine:
    """One line of a case's checklist with its files."""

    material_id: int
    name: str
    required: bool
    presented: bool
    files: list[CaseFile] = field(default_factory=list)


def case_material_lines(*, zone_id: int, case: Case) -> list[MaterialLine]:
    """The case's checklist, each line with the files attached to it (one query)."""
    lines = {
        int(m["material_id"]): MaterialLine(
            material_id=int(m["material_id"]),
            name=m["name"],
            required=bool(m.get("required")),
            presented=bool(m.get("presented")),
        )
        for m in case.materials
    }
    attached = CaseFile.objects.filter(zone_id=zone_id, case_id=case.pk, removed_at__isnull=True).select_related(
        "uploaded_by"
    )
    for f in attached.order_by("material_id", "uploaded_at", "id"):
        line = lines.get(f.material_id)
        if line is None:  # a line the case's checklist no longer has (kept, shown apart)
            line = lines.setdefault(
                f.material_id,
                MaterialLine(material_id=f.material_id, name=f.material_name, required=False, presented=False),
            )
        line.files.append(f)
    return list(lines.values())
