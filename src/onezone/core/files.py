"""Stored files are served only through one download view that applies each file's read policy.

``MEDIA_ROOT`` is never served directly. Each app declares, for each of its file fields, who may
read it (:func:`register_file`, called from the app's ``files`` module in ``AppConfig.ready()``):
either anyone (the public lists' blank forms and samples, public by law) or the holders of some
roles in the record's zone (the provincial supervisor holds his role in every zone). A registered
field's ``.url`` is the download view's address, so every template, admin widget and snapshot that
shows a link points here, never to ``MEDIA_URL``. A file field nobody registered fails the system
check ``onezone.E101``, so a new one cannot be forgotten.

The view looks the record up, applies the policy, and streams the file as an attachment under a
safe name, with the content type read from the bytes and ``nosniff``. Every download of a file that
is not public is audited. A field may also name who may read one record's file beyond the roles
(``record_readers``: the enterprise its materials belong to) and the record's field holding the
name to offer (``name_field``: files stored under their content hash). With ``?inline=1`` a PDF or
a picture is shown in the browser (and may be framed by the site's own pages) instead of saved.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from onezone.core.audit import audit_record
from onezone.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from onezone.core.permissions import roles_in
from onezone.core.roles import Role
from onezone.core.uploads import (
    DOCX,
    JPEG,
    OFD,
    PDF,
    PNG,
    UPLOAD_MAX_BYTES,
    XLSX,
    FileType,
    detect,
    safe_filename,
)

CONTENT_TYPES: dict[FileType, str] = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    OFD: "application/ofd",
}
UNKNOWN_CONTENT_TYPE = "application/octet-stream"
AUDIT_ACTION = "file.download"
# What a browser may show in place (``?inline=1``); anything else is always offered as an attachment.
INLINE_TYPES: frozenset[FileType] = frozenset({PDF, PNG, JPEG})
# An inline file may be framed by the site's own pages (the case page's preview), by no other site.
INLINE_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
)
RecordReaders = Callable[[Any, models.Model], bool]


@dataclass(frozen=True)
class FilePolicy:
    """Who may read one file field: anyone, or holders of ``readers`` in the record's zone."""

    model: type[models.Model]
    field: str
    public: bool
    readers: frozenset[str]
    record_readers: RecordReaders | None = None
    name_field: str = ""

    @property
    def label(self) -> str:
        return str(self.model._meta.get_field(self.field).verbose_name)

    def allows(self, user: Any, zone_id: int | None) -> bool:
        return self.public or bool(roles_in(user, zone_id) & self.readers)

    def allows_record(self, user: Any, record: models.Model) -> bool:
        """``allows`` for the record's zone, or the record's own readers (``record_readers``)."""
        if self.allows(user, getattr(record, "zone_id", None)):
            return True
        return (
            self.record_readers is not None
            and getattr(user, "is_authenticated", False)
            and self.record_readers(user, record)
        )

    def readers_text(self) -> str:
        return "、".join(Role(role).label for role in sorted(self.readers))


_policies: dict[tuple[str, str, str], FilePolicy] = {}


class DownloadFieldFile(FieldFile):
    """A stored file whose address is the download view (which checks who asks), not ``MEDIA_URL``."""

    @property
    def url(self) -> str:
        self._require_file()
        return download_url(self.instance, self.field.name)


def register_file(
    model: type[models.Model],
    field: str,
    *,
    public: bool = False,
    readers: Iterable[str] = (),
    record_readers: RecordReaders | None = None,
    name_field: str = "",
) -> None:
    """Declare who may download ``model.field``; a non-public file needs at least one reader role.

    ``record_readers(user, record)`` may grant one record's file to users beyond the roles (it is
    asked only for a signed-in user who holds none of them); ``name_field`` names the record's field
    whose text is the name the file is offered under.
    """
    readers = frozenset(Role(role) for role in readers)
    if public == bool(readers):
        raise ValueError(f"{model._meta.label}.{field}: declare either public=True or the reader roles, not both")
    if name_field:
        model._meta.get_field(name_field)  # raises for a field the model does not have
    model_field = model._meta.get_field(field)
    if not isinstance(model_field, models.FileField):
        raise ValueError(f"{model._meta.label}.{field} is not a file field")
    if model_field.attr_class is FieldFile:
        model_field.attr_class = DownloadFieldFile
    elif not issubclass(model_field.attr_class, DownloadFieldFile):  # e.g. an image field's file
        model_field.attr_class = type(
            f"Download{model_field.attr_class.__name__}", (DownloadFieldFile, model_field.attr_class), {}
        )
    _policies[_key(model, field)] = FilePolicy(
        model=model, field=field, public=public, readers=readers, record_readers=record_readers, name_field=name_field
    )


def _key(model: type[models.Model], field: str) -> tuple[str, str, str]:
    return (model._meta.app_label, model._meta.model_name, field)


def policy_for(model: type[models.Model], field: str) -> FilePolicy | None:
    return _policies.get(_key(model, field))


def registered_policies() -> list[FilePolicy]:
    return list(_policies.values())


def download_url(record: models.Model, field: str) -> str:
    """The address of ``record``'s file in ``field``; the field must be registered."""
    if policy_for(type(record), field) is None:
        raise ValueError(f"{record._meta.label}.{field} has no download policy: register it with register_file()")
    return file_url(type(record), record.pk, field)


def file_url(model: type[models.Model], pk: int, field: str) -> str:
    """The download address of a file by its record's id (for pages built from snapshots)."""
    app_label, model_name, field = _key(model, field)
    return reverse("file-download", args=[app_label, model_name, pk, field])


def can_download(user: Any, model: type[models.Model], field: str, *, zone_id: int | None) -> bool:
    """Whether ``user`` may download the ``model.field`` files of a zone's records (to show or hide links)."""
    policy = policy_for(model, field)
    return policy is not None and policy.allows(user, zone_id)


@checks.register("onezone")
def check_file_policies(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every file field of every model declares who may download it."""
    return [
        checks.Error(
            f"{model._meta.label}.{field.name} has no download policy.",
            hint="Call onezone.core.files.register_file() for it in the app's files module (see core/files.py).",
            obj=field,
            id="onezone.E101",
        )
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and policy_for(model, field.name) is None
    ]


# --- The view -------------------------------------------------------------------------------------------


@require_safe
def file_download(request: HttpRequest, app_label: str, model_name: str, pk: int, field: str) -> HttpResponse:
    """Stream one stored file to a reader its policy allows."""
    policy = _policies.get((app_label, model_name, field))
    if policy is None:
        return _refusal(request, NotFound("没有找到该文件：链接地址有误。请回到原页面重新点击下载。"))
    record = policy.model._default_manager.filter(pk=pk).first()
    if record is None and not policy.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if record is None:
        return _refusal(request, NotFound(f"没有找到该{policy.label}：所属记录不存在或已被删除。"))
    if not policy.allows_record(request.user, record):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _refusal(
            request,
            PermissionDenied(
                f"您无权下载该{policy.label}：仅限所属开发区的{policy.readers_text()}查看。如需查看，请联系系统管理员授权。"
            ),
        )
    stored: FieldFile = getattr(record, field)
    if not stored:
        return _refusal(request, NotFound(f"该记录尚未上传{policy.label}。"))
    try:
        handle = stored.storage.open(stored.name, "rb")
    except OSError:  # gone from the storage (or unreadable there)
        return _refusal(request, NotFound(f"{policy.label}的文件已不在存储中，请联系系统管理员从备份中恢复。"))
    try:
        kind = _detected(handle)
        inline = request.GET.get("inline") == "1" and kind in INLINE_TYPES
        if not policy.public:
            changes = {"field": field, "file": stored.name, **({"inline": True} if inline else {})}
            audit_record(actor=request.user, action=AUDIT_ACTION, obj=record, changes=changes)
    except BaseException:
        handle.close()
        raise
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(kind, UNKNOWN_CONTENT_TYPE))
    offered = str(getattr(record, policy.name_field, "") or "") if policy.name_field else ""
    name = _download_name(offered or stored.name, kind)
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if policy.public else "private, no-store"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = INLINE_CONTENT_SECURITY_POLICY
    return response


def _refusal(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return TemplateResponse(
        request,
        "onezone/refused.html",
        {"title": "无法下载", "message": exc.message},
        status=exc.http_status,
    )


def _detected(handle: IO[bytes]) -> FileType | None:
    """The stored file's type read from its content: PDF and pictures by signature, zip-based
    documents (xlsx, docx, OFD) by their parts, within the upload size limit."""
    head = handle.read(8)
    handle.seek(0)
    data = head
    if head.startswith(b"PK\x03\x04"):
        limit = int(getattr(settings, "ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))
        data = handle.read(limit + 1)
        handle.seek(0)
        if len(data) > limit:
            return None
    try:
        kind = detect(data)
    except InvalidInput:  # a damaged or suspicious archive: offered as plain bytes
        return None
    return kind if kind in CONTENT_TYPES else None


_PLAIN_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def _download_name(stored_name: str, kind: FileType | None) -> str:
    """The stored file's own (safe) name, with the extension of its detected type."""
    base = posixpath.basename(stored_name)
    if kind is not None:
        return safe_filename(base, kind.extension)
    match = _PLAIN_EXTENSION.search(base)
    return safe_filename(base, match.group(0).lower() if match else "")


def content_disposition(name: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with the name for every browser: an ASCII fallback and the UTF-8
    name (RFC 5987/6266)."""
    disposition = "inline" if inline else "attachment"
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    ascii_stem = " ".join(re.sub(r"[^A-Za-z0-9_\- ]", "", stem).split()) or "download"
    fallback = ascii_stem + (f".{extension}" if extension.isascii() and extension else "")
    if name == fallback:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
