"""Backup and restore of the whole database, and fingerprints to prove a round trip lost nothing.

SQLite uses the online backup API (safe while the site runs); PostgreSQL uses pg_dump/pg_restore
in the custom format.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # runs only pg_dump/pg_restore, found on PATH, with a fixed argument list
from pathlib import Path

from django.apps import apps
from django.db import connection

from onezone.core.errors import InvalidInput


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """For every model table: (row count, SHA-256 of its rows in primary-key order)."""
    result: dict[str, tuple[int, str]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        table = model._meta.db_table
        if table in result:
            continue
        columns = [f.column for f in model._meta.concrete_fields]
        pk = model._meta.pk.column
        digest = hashlib.sha256()
        count = 0
        quote = connection.ops.quote_name
        sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} ORDER BY {quote(pk)}"  # noqa: S608  # nosec B608  # names quoted
        with connection.cursor() as cursor:
            cursor.execute(sql)
            for row in cursor.fetchall():
                digest.update(repr(tuple(_canonical(v) for v in row)).encode())
                count += 1
        result[table] = (count, digest.hexdigest())
    return result


def _canonical(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, float):
        return repr(value)
    return str(value) if value is not None else None


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["-h", str(s["HOST"])]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    return args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise InvalidInput(f"找不到 {name}，请安装与数据库版本一致的 PostgreSQL 客户端（postgresql-client）。")
    return path


def backup_to(path: Path) -> None:
    """Write a full backup of the current database to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603  # nosec B603  # no shell; the program and arguments are fixed here
            [_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(path), *_pg_args(), connection.settings_dict["NAME"]],
            check=True,
            env=_pg_env(),
            capture_output=True,
        )
    else:
        raise InvalidInput(f"不支持备份 {connection.vendor} 数据库。")


def restore_from(path: Path) -> None:
    """Replace the current database's contents with the backup at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"找不到备份文件 {path}，请检查路径。")
    if connection.vendor == "sqlite":
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise InvalidInput(f"{path} 不是 SQLite 备份文件。")
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        with path.open("rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise InvalidInput(f"{path} 不是 pg_dump 自定义格式的备份文件。")
        connection.close()
        subprocess.run(  # noqa: S603  # nosec B603  # no shell; the program and arguments are fixed here
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--disable-triggers",
                *_pg_args(),
                "-d",
                connection.settings_dict["NAME"],
                str(path),
            ],
            check=True,
            env=_pg_env(),
            capture_output=True,
        )
    else:
        raise InvalidInput(f"不支持恢复 {connection.vendor} 数据库。")
