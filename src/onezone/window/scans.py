"""The document camera's upload folder of a clerk: what arrived there, read one, remove one.

Each clerk's camera (高拍仪) or scanner saves into ``ONEZONE_SCAN_DIR/<username>/``; a desk's camera
shared by its clerks is one folder that each clerk's folder links to. The desk lists the folder's
newest files and the clerk attaches one to a checklist line; the file then moves into the storage
and leaves the folder.

The folder is read without trusting it: at most ``ONEZONE_SCAN_LIST_MAX`` entries are looked at
(the listing shows at most ``ONEZONE_SCAN_SHOW_MAX``), only plain files are offered (no links, no
folders, no hidden or half-written files), a name must be one of the folder's own entries (no
separators, no ``..``), and a file over the upload size limit is refused before it is read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from onezone.core.errors import InvalidInput, NotFound
from onezone.core.uploads import UPLOAD_MAX_BYTES, read_upload

LIST_MAX = 1_000
SHOW_MAX = 50
_USERNAME = re.compile(r"^[A-Za-z0-9_@+\-][A-Za-z0-9_.@+\-]{0,149}$")
_PARTIAL_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial", "~")
NAME_MAX_CHARS = 200


@dataclass(frozen=True)
class ScanEntry:
    name: str
    size: int
    arrived_at: dt.datetime


@dataclass(frozen=True)
class ScanListing:
    folder: str  # as the clerk's camera should be set up to save
    entries: list[ScanEntry]
    more: bool  # the folder holds more than is shown
    configured: bool


def _base() -> Path | None:
    base = getattr(settings, "ONEZONE_SCAN_DIR", None)
    return Path(base) if base else None


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def scan_folder(user: Any) -> Path | None:
    """The user's upload folder, or None when no scan folder is configured or the name cannot be one."""
    base = _base()
    username = getattr(user, "username", "") or ""
    if base is None or not _USERNAME.match(username):
        return None
    return base / username


def _offered(entry: os.DirEntry) -> bool:
    name = entry.name
    if name.startswith(".") or name.lower().endswith(_PARTIAL_SUFFIXES) or len(name) > NAME_MAX_CHARS:
        return False
    return entry.is_file(follow_symlinks=False)


def scan_listing(user: Any) -> ScanListing:
    """The newest files in the user's folder (at most ``SHOW_MAX``); none while the folder does not exist."""
    folder = scan_folder(user)
    if folder is None:
        return ScanListing(folder="", entries=[], more=False, configured=False)
    if not folder.is_dir():
        return ScanListing(folder=str(folder), entries=[], more=False, configured=True)
    look_at, show = _limit("ONEZONE_SCAN_LIST_MAX", LIST_MAX), _limit("ONEZONE_SCAN_SHOW_MAX", SHOW_MAX)
    found: list[ScanEntry] = []
    more = False
    with os.scandir(folder) as entries:
        for seen, entry in enumerate(entries):
            if seen >= look_at:
                more = True
                break
            if not _offered(entry):
                continue
            info = entry.stat(follow_symlinks=False)
            arrived = dt.datetime.fromtimestamp(info.st_mtime, tz=dt.UTC).astimezone(timezone.get_current_timezone())
            found.append(ScanEntry(name=entry.name, size=info.st_size, arrived_at=arrived))
    found.sort(key=lambda e: (e.arrived_at, e.name), reverse=True)
    return ScanListing(folder=str(folder), entries=found[:show], more=more or len(found) > show, configured=True)


def _path(user: Any, name: str) -> Path:
    folder = scan_folder(user)
    if folder is None:
        raise NotFound("未配置高拍仪上传文件夹（ONEZONE_SCAN_DIR），请联系系统管理员。")
    if len(name) > NAME_MAX_CHARS:
        raise InvalidInput(f"文件名最多 {NAME_MAX_CHARS} 个字符，收到 {len(name)} 个。请从列表中选择文件。")
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name or name.startswith("."):
        raise InvalidInput("文件名不正确，请从上传文件夹的列表中选择文件。")
    return folder / name


def scan_read(user: Any, name: str) -> bytes:
    """The bytes of one plain file of the user's folder, within the upload size limit."""
    path = _path(user, name)
    max_bytes = int(getattr(settings, "ONEZONE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES))
    try:
        info = path.lstat()
    except FileNotFoundError as exc:
        raise NotFound(f"上传文件夹中已没有“{name}”（可能已被挂接或移走），请刷新列表。") from exc
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(f"“{name}”不是普通文件，不能挂接。请重新扫描保存。")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as handle:
        return read_upload(handle, max_bytes=max_bytes)


def scan_remove(user: Any, name: str) -> None:
    """Remove a file from the user's folder (after it was stored); gone already is fine."""
    path = _path(user, name)
    try:
        path.unlink()
    except FileNotFoundError:
        return
