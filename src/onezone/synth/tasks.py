"""Generating the synthetic province, in the command or as a background job with progress.

``synth_province`` is the one procedure both use: the checks on what the database holds already,
the optional removal of earlier synthetic data, then ``generate`` (which removes what it wrote if it
fails or is stopped, so a killed run leaves no half province behind and can simply be run again).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from onezone.core.errors import Conflict, InvalidInput
from onezone.core.jobs import Job, JobResult, JobRun, job_start, job_task
from onezone.core.roles import Role

Say = Callable[[str], None]
SIZE_LABELS = {
    "zones": "开发区",
    "parks": "园区",
    "enterprises": "企业",
    "cases": "办件",
    "requests": "企业诉求",
    "projects": "招商项目",
    "staff": "工作人员",
}


def synth_province(
    *,
    sizes: dict[str, int],
    seed: int,
    reset: bool,
    force: bool,
    say: Say | None = None,
    progress: Callable[[str, int, float, bool], None] | None = None,
) -> tuple[dict[str, int], float]:
    """Write the synthetic province; returns the rows written per table and the seconds it took."""
    from onezone.synth.generator import Sizes, generate, has_synthetic_data, remove_synthetic, restore_indexes
    from onezone.zones.models import Zone

    tell = say or (lambda text: None)
    try:
        plan = Sizes(**sizes)
        plan.check()
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"合成数据的规模不正确：{exc}") from exc
    restore_indexes()  # a run killed outright may have left them dropped
    if has_synthetic_data():
        if not reset:
            raise Conflict(
                "数据库中已有合成数据（可能是上次生成或中断后残留的）。"
                "如需重新生成，请加 --reset：先删除全部合成数据，再按本次参数生成。"
            )
        started = time.perf_counter()
        removed = remove_synthetic()
        tell(f"已删除合成数据 {removed:,} 行（{time.perf_counter() - started:.1f} 秒）。")
    others = Zone.objects.exclude(code__startswith="synth-").count()
    if others and not force:
        raise Conflict(
            f"数据库中已有 {others} 个非合成的开发区。合成数据应写入单独的数据库"
            "（设置 ONEZONE_DATABASE_URL 或 ONEZONE_DATA_DIR）；确需与现有数据并存，请加 --force。"
        )
    tell("生成合成数据（种子 {}）：{}".format(seed, "，".join(f"{SIZE_LABELS[k]} {v:,}" for k, v in sizes.items())))
    started = time.perf_counter()
    counts = generate(plan, seed=seed, progress=progress)
    return counts, time.perf_counter() - started


@job_task(kind="synth.province", label="生成合成全省数据")
def synth_job(run: JobRun, *, sizes: dict[str, int], seed: int, reset: bool, force: bool) -> JobResult:
    from onezone.synth.generator import STEPS

    finished = 0

    def progress(label: str, rows: int, seconds: float, done: bool) -> None:
        nonlocal finished
        finished += int(done)
        run.advance(finished, len(STEPS), f"{label}：已写入 {rows:,} 行")

    run.advance(0, len(STEPS), "检查数据库")
    counts, seconds = synth_province(
        sizes=sizes, seed=seed, reset=reset, force=force, say=lambda text: run.advance(0, None, text), progress=progress
    )
    return JobResult(message=f"合成数据已生成：共 {sum(counts.values()):,} 行，用时 {seconds:.0f} 秒。")


def synth_start(*, actor: Any, sizes: dict[str, int], seed: int, reset: bool, force: bool) -> Job:
    """Start generating the province in the worker (province-wide: for superusers and the command)."""
    return job_start(
        actor=actor,
        zone_id=None,
        task=synth_job,
        title=f"生成合成全省数据（种子 {seed}）",
        kwargs={"sizes": sizes, "seed": seed, "reset": reset, "force": force},
        roles=None if actor is None else [Role.ADMIN],
    )
