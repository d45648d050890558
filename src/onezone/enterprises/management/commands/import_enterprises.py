"""onezone import_enterprises FILE --zone CODE --user USERNAME [--update] [--background]: the import as a job."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from onezone.core.errors import DomainError
from onezone.core.jobs import JobState, job_url, run_inline
from onezone.enterprises.tasks import enterprises_import_start
from onezone.zones.models import Zone


class Command(BaseCommand):
    help = "从 .xlsx 文件导入企业名录：逐行检查，任何一行有错误都不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="企业名录 .xlsx 文件")
        parser.add_argument("--zone", required=True, help="开发区代码，例如 yongchang")
        parser.add_argument("--user", required=True, help="以哪个账号的名义导入（需有登记企业的权限）")
        parser.add_argument("--update", action="store_true", help="更新已登记的企业（按统一社会信用代码）")
        parser.add_argument(
            "--background", action="store_true", help="提交为后台任务（由 onezone worker 执行），不在本命令中等待"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        zone = Zone.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"没有代码为“{options['zone']}”的开发区。")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"没有账号“{options['user']}”。")
        background = options["background"]
        try:
            job = enterprises_import_start(
                actor=user,
                zone_id=zone.pk,
                data=path.read_bytes(),
                filename=path.name,
                update_existing=options["update"],
                enqueue=background,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if background:
            self.stdout.write(f"已提交后台任务 #{job.pk}，由 onezone worker 执行；进度见 {job_url(job)}")
            return
        job = run_inline(job)
        if job.state != JobState.SUCCEEDED:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.message))
