"""``onezone synth``: fill the configured database with a deterministic synthetic province."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SIZE_OPTIONS = ("zones", "parks", "enterprises", "cases", "requests", "projects", "staff")
SIZE_LABELS = {
    "zones": "开发区",
    "parks": "园区",
    "enterprises": "企业",
    "cases": "办件",
    "requests": "企业诉求",
    "projects": "招商项目",
    "staff": "工作人员",
}


class Command(BaseCommand):
    help = (
        "生成合成的全省数据（开发区、园区、企业、办件、诉求、招商项目、人员），用于压力测试和性能评估。"
        "同一 --seed 和规模得到完全相同的数据。名称均带“（合成）”标记。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="随机种子，默认 1")
        parser.add_argument("--scale", type=float, default=1.0, help="按比例缩放全部默认规模，默认 1.0")
        for name in SIZE_OPTIONS:
            parser.add_argument(f"--{name}", type=int, default=None, help=f"{SIZE_LABELS[name]}数量（优先于 --scale）")
        parser.add_argument("--quiet", action="store_true", help="不显示进度和汇总")
        parser.add_argument("--reset", action="store_true", help="先删除已有的合成数据（包括中断后残留的），再生成")
        parser.add_argument("--force", action="store_true", help="数据库中已有其他（非合成）开发区时，仍在其旁边生成")

    def handle(self, *args, **opts):
        from onezone.synth.generator import (
            Sizes,
            generate,
            has_synthetic_data,
            remove_synthetic,
            restore_indexes,
            summary_lines,
        )
        from onezone.zones.models import Zone

        try:
            sizes = Sizes.scaled(opts["scale"], **{name: opts[name] for name in SIZE_OPTIONS})
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        quiet = opts["quiet"]
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        restore_indexes()  # a run killed outright may have left them dropped
        call_command("migrate", interactive=False, verbosity=0)
        if has_synthetic_data():
            if not opts["reset"]:
                raise CommandError(
                    "数据库中已有合成数据（可能是上次生成或中断后残留的）。"
                    "如需重新生成，请加 --reset：先删除全部合成数据，再按本次参数生成。"
                )
            started = time.perf_counter()
            removed = remove_synthetic()
            if not quiet:
                self.stderr.write(f"已删除合成数据 {removed:,} 行（{time.perf_counter() - started:.1f} 秒）。")
        others = Zone.objects.exclude(code__startswith="synth-").count()
        if others and not opts["force"]:
            raise CommandError(
                f"数据库中已有 {others} 个非合成的开发区。合成数据应写入单独的数据库"
                "（设置 ONEZONE_DATABASE_URL 或 ONEZONE_DATA_DIR）；确需与现有数据并存，请加 --force。"
            )
        if not quiet:
            plan = "，".join(f"{SIZE_LABELS[k]} {v:,}" for k, v in sizes.as_dict().items())
            self.stderr.write(f"数据库：{db['NAME']}\n生成合成数据（种子 {opts['seed']}）：{plan}")
        started = time.perf_counter()
        try:
            counts = generate(sizes, seed=opts["seed"], progress=None if quiet else self._progress)
        except KeyboardInterrupt:
            raise CommandError("已中断，已写入的合成数据已删除。") from None
        seconds = time.perf_counter() - started
        if not quiet:
            self.stdout.write("合成数据已生成：")
            for line in summary_lines(counts, seconds):
                self.stdout.write(line)

    def _progress(self, label: str, rows: int, seconds: float, done: bool) -> None:
        rate = rows / seconds if seconds > 0 else 0
        line = f"  {label:<24} {rows:>12,} 行  {rate:>10,.0f} 行/秒"
        stream = self.stderr._out
        if stream.isatty():
            stream.write("\r" + line + ("\n" if done else ""))
            stream.flush()
        elif done:
            stream.write(line + "\n")
