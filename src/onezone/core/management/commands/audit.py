"""``onezone audit verify``: check the audit chain and report the first broken link."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from onezone.core.audit import audit_verify


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链是否完整。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **opts):
        checked, broken = audit_verify()
        if broken is not None:
            raise CommandError(
                f"审计日志在第 {broken.pk} 条（{broken.at:%Y-%m-%d %H:%M:%S} {broken.action}）处断链："
                f"此前 {checked} 条完整，该条或其前一条已被改动或删除。"
            )
        self.stdout.write(self.style.SUCCESS(f"审计日志完整，共校验 {checked} 条。"))
