"""``onezone restore FILE --yes``: replace the database with a backup."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onezone.core.backup import restore_from, table_fingerprints
from onezone.core.errors import DomainError


class Command(BaseCommand):
    help = "用备份文件替换当前数据库的全部内容（请先停止网站和后台任务）。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args, **opts):
        if not opts["yes"]:
            raise CommandError("恢复会覆盖当前数据库的全部内容。确认无误后请加 --yes 再运行。")
        try:
            restore_from(Path(opts["file"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        rows = sum(count for count, _ in table_fingerprints().values())
        self.stdout.write(self.style.SUCCESS(f"已从 {opts['file']} 恢复（{rows} 行）。"))
