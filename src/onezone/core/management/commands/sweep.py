"""``onezone sweep``: raise warnings and escalate overdue work. Idempotent; safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from onezone.core.sweeps import run_sweeps


class Command(BaseCommand):
    help = "巡检：对临近时限和超期的事项发出预警、逐级督办。可重复执行，不会重复通知。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--background", action="store_true", help="提交为后台任务（由 onezone worker 执行），不在本命令中执行"
        )

    def handle(self, *args, **opts):
        if opts["background"]:
            from onezone.core.jobs import job_start, job_url
            from onezone.core.jobs.tasks import sweep

            today = timezone.localdate()
            job = job_start(actor=None, zone_id=None, task=sweep, title=f"巡检（{today:%Y-%m-%d}，命令提交）")
            self.stdout.write(f"已提交后台任务 #{job.pk}，由 onezone worker 执行；进度见 {job_url(job)}")
            return
        for name, summary in run_sweeps():
            self.stdout.write(f"{name}: {summary}")
