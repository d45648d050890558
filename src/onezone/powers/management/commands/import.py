"""``onezone import powers FILE``: import the zone's lists from an .xlsx, showing progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onezone.core.errors import DomainError
from onezone.powers.importers import read_workbook
from onezone.powers.services import powers_import
from onezone.zones.models import Zone


class Command(BaseCommand):
    help = "导入数据。onezone import powers FILE：从 .xlsx 导入权力清单（事项、申请材料、收费项目）。"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["powers"], help="导入什么：powers（三张清单的事项）")
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--zone", help="开发区代码；只有一个开发区时可省略")
        parser.add_argument("--user", help="以哪个账号的名义导入（须有权限）；默认第一个超级管理员")
        parser.add_argument("--reason", default="批量导入清单", help="调整理由")
        parser.add_argument("--document", default="", help="文件依据（文号）")
        parser.add_argument("--effective-on", help="生效日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        zone = self._zone(options["zone"])
        actor = self._actor(options["user"])
        effective_on = dt.date.fromisoformat(options["effective_on"]) if options["effective_on"] else None

        def progress(stage: str):
            def report(done: int, total: int) -> None:
                percent = 100 * done // max(total, 1)
                self.stdout.write(f"{stage}：{done}/{total}（{percent}%）")

            return report

        try:
            self.stdout.write(f"读取并校验 {path.name} ……")
            rows = read_workbook(path.read_bytes(), zone_id=zone.pk, progress=progress("校验"))
            self.stdout.write(f"校验通过，共{len(rows)}行，开始写入 ……")
            result = powers_import(
                actor=actor,
                zone_id=zone.pk,
                rows=rows,
                reason=options["reason"],
                document=options["document"],
                effective_on=effective_on,
                progress=progress("写入"),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(result.message))

    def _zone(self, code: str | None) -> Zone:
        if code:
            zone = Zone.objects.filter(code=code).first()
            if zone is None:
                raise CommandError(f"没有代码为“{code}”的开发区。")
            return zone
        zones = list(Zone.objects.order_by("id")[:2])
        if len(zones) != 1:
            raise CommandError("请用 --zone 指定开发区代码。")
        return zones[0]

    def _actor(self, username: str | None):
        users = get_user_model().objects
        user = users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        if user is None:
            raise CommandError("找不到执行导入的账号，请用 --user 指定。")
        return user
