"""The one guard every uploaded file passes: size, type by content, safe name, no zip bombs.

A file's name and the content type the browser sends are the client's word and are never trusted:
the type is read from the bytes (PDF, PNG and JPEG by their signatures; .xlsx, .docx and OFD are
zip archives told apart by their parts). Zip archives are checked from their central directory
before anything unpacks them: too many members, too much unpacked data, an implausible compression
ratio, encrypted or nested archives are refused. Python's ``zipfile`` (which openpyxl uses) never
unpacks more than a member's declared size, so checking the declared sizes bounds the real work.

Every refusal is an :class:`~onezone.core.errors.InvalidInput` with a Chinese message that says
what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage

from onezone.core.errors import InvalidInput

MB = 1024 * 1024
# Defaults; a site overrides them in its settings.
UPLOAD_MAX_BYTES = 20 * MB
IMPORT_MAX_BYTES = 50 * MB
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_UNPACKED_BYTES = 500 * MB
# Office XML compresses about 5-30 times; zeros about 1000 times. The ratio is judged only for
# members big enough to matter.
ZIP_MAX_RATIO = 200
ZIP_RATIO_FROM_BYTES = 1 * MB
NAME_MAX_CHARS = 60


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    extension: str


PDF = FileType("pdf", "PDF", ".pdf")
PNG = FileType("png", "PNG 图片", ".png")
JPEG = FileType("jpeg", "JPEG 图片", ".jpg")
XLSX = FileType("xlsx", "Excel 工作簿（.xlsx）", ".xlsx")
DOCX = FileType("docx", "Word 文档（.docx）", ".docx")
OFD = FileType("ofd", "OFD 版式文件", ".ofd")
ZIP = FileType("zip", "普通压缩包", ".zip")
"""Recognised so the refusal can say what the file is; never allowed."""

# What may be uploaded where.
DOCUMENTS: frozenset[FileType] = frozenset({PDF, OFD, PNG, JPEG, DOCX, XLSX})
"""Evidence, scans and sample forms: documents and pictures."""
SPREADSHEETS: frozenset[FileType] = frozenset({XLSX})
"""Imports."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, .doc, or an encrypted .xlsx/.docx
_ZIP = b"PK\x03\x04"
_XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_XLSM_MAIN = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".jar", ".cab")
_CONTENT_TYPES_MAX_BYTES = 1 * MB


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _megabytes(size: int) -> str:
    return f"{size / MB:g}MB"


# --- Names ----------------------------------------------------------------------------------------

_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\uff0f\uff3c]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


def safe_filename(name: str, extension: str) -> str:
    """A name safe to store and to offer for download, ending in ``extension`` (e.g. ``".pdf"``).

    Directories, control and format characters (bidirectional overrides included) and characters
    that file systems reserve are removed; Chinese and other letters stay. The original extension
    is dropped (the caller gives the one matching the detected type); dots left in the stem become
    underscores, so ``a.php.pdf`` cannot hide a second extension. Never empty; applying it twice
    changes nothing.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\\uff0f\uff3c]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith(("C", "Z")) or ch == " ")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE_CHARS.sub("_", stem).replace(".", "_")
    stem = unicodedata.normalize("NFC", stem[:NAME_MAX_CHARS]).strip(" _-") or "file"
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    return stem + extension


# --- Content --------------------------------------------------------------------------------------


def check_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip archive after checking its central directory against the limits; the caller closes it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise InvalidInput("文件已损坏（压缩结构不完整），无法打开。请用原软件重新保存或导出后再上传。") from exc
    try:
        _check_members(members)
    except InvalidInput:
        archive.close()
        raise
    return archive


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    max_members = _limit("ONEZONE_ZIP_MAX_MEMBERS", ZIP_MAX_MEMBERS)
    max_unpacked = _limit("ONEZONE_ZIP_MAX_UNPACKED_BYTES", ZIP_MAX_UNPACKED_BYTES)
    if len(members) > max_members:
        raise InvalidInput(f"文件内包含 {len(members)} 个部件，超过 {max_members} 个的上限，疑似异常文件，已拒收。")
    for member in members:
        if member.flag_bits & 0x1:
            raise InvalidInput("文件已加密，无法检查其内容。请取消密码保护后重新保存再上传。")
        if member.filename.lower().endswith(_ARCHIVE_SUFFIXES):
            raise InvalidInput(f"文件内嵌有压缩包（{member.filename[:60]}），已拒收。请上传不含压缩包的文件。")
        if member.file_size > ZIP_RATIO_FROM_BYTES and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise InvalidInput("文件的压缩比异常（疑似“压缩炸弹”），已拒收。请上传正常保存的文件。")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise InvalidInput(
            f"文件解压后约 {_megabytes(unpacked)}，超过 {_megabytes(max_unpacked)} 的上限，已拒收。请拆分后分批上传。"
        )


def _zip_type(data: bytes) -> FileType | None:
    with check_zip(data) as archive:
        names = set(archive.namelist())
        if "OFD.xml" in names:
            return OFD
        if "[Content_Types].xml" not in names:
            return ZIP
        if archive.getinfo("[Content_Types].xml").file_size > _CONTENT_TYPES_MAX_BYTES:
            raise InvalidInput("文件的内容清单异常庞大，疑似异常文件，已拒收。")
        try:
            types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:  # a damaged member or a wrong checksum
            raise InvalidInput("文件已损坏（内容清单无法读取）。请用原软件重新保存后再上传。") from exc
    if _XLSM_MAIN in types:
        raise InvalidInput("不接受含宏的 Excel 文件（.xlsm）。请在 Excel 或 WPS 中“另存为 .xlsx”后再上传。")
    if _XLSX_MAIN in types:
        if "xl/workbook.xml" not in names:
            raise InvalidInput("Excel 工作簿缺少工作簿主体（xl/workbook.xml），文件已损坏。请重新导出 .xlsx 后再上传。")
        return XLSX
    if _DOCX_MAIN in types:
        return DOCX
    return ZIP


def detect(data: bytes) -> FileType | None:
    """The file's type read from its content, or ``None`` for anything not recognised.

    A zip archive is checked against the zip limits first, so a zip bomb is refused here.
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_ZIP):
        return _zip_type(data)
    return None


def _labels(allowed: Collection[FileType]) -> str:
    return "、".join(sorted(kind.label for kind in allowed))


def check_content(data: bytes, *, allowed: Collection[FileType], max_bytes: int | None = None) -> FileType:
    """The detected type of ``data`` if it is one of ``allowed`` and within the size limit; else refused."""
    max_bytes = max_bytes or _limit("ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)
    if len(data) > max_bytes:
        raise InvalidInput(f"文件超过 {_megabytes(max_bytes)} 的上限，请压缩或拆分后再上传。")
    if not data:
        raise InvalidInput("上传的文件是空的，请重新选择文件。")
    if data.startswith(_OLE):
        raise InvalidInput(
            "上传的是旧版 Office 文件（.xls、.doc）或设有密码的文件，无法检查其内容。"
            f"请取消密码，在 Excel、Word 或 WPS 中“另存为”新格式后再上传。可接受：{_labels(allowed)}。"
        )
    kind = detect(data)
    if kind not in allowed:
        found = f"实际内容为{kind.label}" if kind else "无法识别文件内容"
        reason = f"{found}；按文件内容判断，与文件名无关"
        if len(allowed) == 1:
            (only,) = allowed
            hint = "请在 Excel 或 WPS 中“另存为 .xlsx”后再上传。" if only is XLSX else f"请上传{only.label}。"
            raise InvalidInput(f"上传的文件不是 {only.label}（{reason}）。{hint}")
        raise InvalidInput(f"上传的文件类型不符（{reason}）。可接受：{_labels(allowed)}。")
    return kind


def check_xlsx(data: bytes, *, max_bytes: int | None = None) -> None:
    """Refuse anything that is not a sound .xlsx workbook, before openpyxl touches it."""
    check_content(data, allowed=SPREADSHEETS, max_bytes=max_bytes or import_max_bytes())


def import_max_bytes() -> int:
    return _limit("ONEZONE_IMPORT_MAX_BYTES", IMPORT_MAX_BYTES)


# --- Uploaded files -------------------------------------------------------------------------------


def read_upload(upload: IO[bytes], *, max_bytes: int | None = None) -> bytes:
    """The bytes of an uploaded (or opened) file, refusing an oversized one before reading it all.

    Without ``max_bytes`` the import limit applies: this is what importers read their workbook with.
    """
    max_bytes = max_bytes or import_max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise InvalidInput(f"文件超过 {_megabytes(max_bytes)} 的上限，请压缩或拆分后再上传。")
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(f"文件超过 {_megabytes(max_bytes)} 的上限，请压缩或拆分后再上传。")
    return data


def checked_upload(
    upload: IO[bytes] | None, *, allowed: Collection[FileType], max_bytes: int | None = None
) -> ContentFile | None:
    """An uploaded file ready to store in a ``FileField``: checked by content, renamed safely.

    ``None`` (nothing uploaded) passes through. The stored name keeps the user's words but carries
    the extension of the detected type.
    """
    if upload is None:
        return None
    max_bytes = max_bytes or _limit("ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)
    data = read_upload(upload, max_bytes=max_bytes)
    kind = check_content(data, allowed=allowed, max_bytes=max_bytes)
    return ContentFile(data, name=safe_filename(getattr(upload, "name", "") or "", kind.extension))


# --- Stored by content ----------------------------------------------------------------------------

_FOLDER = re.compile(r"^[a-z0-9_]+(?:/[a-z0-9_]+)*$")


@dataclass(frozen=True)
class StoredFile:
    """A checked file as stored: its name in the storage, its SHA-256, size, type and the user's name."""

    name: str
    sha256: str
    size: int
    kind: FileType
    original_name: str


def store_by_hash(
    data: bytes,
    *,
    original_name: str,
    folder: str,
    allowed: Collection[FileType] = DOCUMENTS,
    max_bytes: int | None = None,
    storage: Storage | None = None,
) -> StoredFile:
    """Check ``data`` by content and keep it under ``folder/<hash[:2]>/<hash><ext>`` in the storage.

    The same content is stored once: a second upload of it finds the first and writes nothing. The
    name the user gave is returned made safe (for the record to offer on download), never used in
    the storage.
    """
    if not _FOLDER.match(folder):
        raise ValueError(f"storage folder {folder!r}: lower-case words separated by '/'")
    kind = check_content(data, allowed=allowed, max_bytes=max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    storage = storage or default_storage
    name = posixpath.join(folder, digest[:2], digest + kind.extension)
    if not storage.exists(name):
        name = storage.save(name, ContentFile(data))
    return StoredFile(
        name=name, sha256=digest, size=len(data), kind=kind, original_name=safe_filename(original_name, kind.extension)
    )
