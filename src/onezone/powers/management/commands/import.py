"""``onezone import powers FILE``: import the zone's lists from an .xlsx as a job, here or in the worker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onezone.core.errors import DomainError
from onezone.core.jobs import JobState, job_url, run_inline
from onezone.powers.tasks import powers_import_start
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
        parser.add_argument(
            "--background", action="store_true", help="提交为后台任务（由 onezone worker 执行），不在本命令中等待"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        zone = self._zone(options["zone"])
        actor = self._actor(options["user"])
        effective_on = dt.date.fromisoformat(options["effective_on"]) if options["effective_on"] else None
        background = options["background"]
        self.stdout.write(f"读取并校验 {path.name} ……")
        try:
            job = powers_import_start(
                actor=actor,
                zone_id=zone.pk,
                data=path.read_bytes(),
                filename=path.name,
                reason=options["reason"],
                document=options["document"],
                effective_on=effective_on,
                enqueue=background,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if background:
            self.stdout.write(f"已提交后台任务 #{job.pk}，由 onezone worker 执行；进度见 {job_url(job)}")
            return
        job = run_inline(job, listener=self._progress)
        if job.state != JobState.SUCCEEDED:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.message))

    def _progress(self, done: int, total: int | None, message: str | None) -> None:
        if not total:  # while the rows are read their number is not known yet
            self.stdout.write(f"{message}：已读 {done} 行")
            return
        percent = 100 * done // total
        self.stdout.write(f"{message}：{done}/{total}（{percent}%）")

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
