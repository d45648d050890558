"""``onezone backup FILE``: a full backup of the database (SQLite online backup or pg_dump)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onezone.core.backup import backup_to, table_fingerprints
from onezone.core.errors import DomainError


class Command(BaseCommand):
    help = "备份整个数据库到文件（SQLite 在线备份；PostgreSQL 使用 pg_dump 自定义格式）。"

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **opts):
        try:
            backup_to(Path(opts["file"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(count for count, _ in table_fingerprints().values())
        self.stdout.write(self.style.SUCCESS(f"已备份到 {opts['file']}（{rows} 行）。"))
