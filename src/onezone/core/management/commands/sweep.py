"""``onezone sweep``: raise warnings and escalate overdue work. Idempotent; safe to run twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from onezone.core.sweeps import run_sweeps


class Command(BaseCommand):
    help = "巡检：对临近时限和超期的事项发出预警、逐级督办。可重复执行，不会重复通知。"

    def handle(self, *args, **opts):
        for name, summary in run_sweeps():
            self.stdout.write(f"{name}: {summary}")
