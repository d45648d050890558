"""``onezone synth``: fill the configured database with a deterministic synthetic province."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from onezone.synth.tasks import SIZE_LABELS

SIZE_OPTIONS = ("zones", "parks", "enterprises", "cases", "requests", "projects", "staff")


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
        parser.add_argument(
            "--background", action="store_true", help="提交为后台任务（由 onezone worker 执行，进度见后台任务页面）"
        )

    def handle(self, *args, **opts):
        from onezone.core.errors import DomainError
        from onezone.synth.generator import Sizes, restore_indexes, summary_lines
        from onezone.synth.tasks import synth_province, synth_start

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
        params = {"sizes": sizes.as_dict(), "seed": opts["seed"], "reset": opts["reset"], "force": opts["force"]}
        if opts["background"]:
            from onezone.core.jobs import job_url

            job = synth_start(actor=None, **params)
            self.stdout.write(f"已提交后台任务 #{job.pk}，由 onezone worker 执行；进度见 {job_url(job)}")
            return
        if not quiet:
            self.stderr.write(f"数据库：{db['NAME']}")
        try:
            counts, seconds = synth_province(
                **params,
                say=None if quiet else self.stderr.write,
                progress=None if quiet else self._progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except KeyboardInterrupt:
            raise CommandError("已中断，已写入的合成数据已删除。") from None
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
