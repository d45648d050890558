"""The kernel's own tasks: the nightly sweep."""

from __future__ import annotations

from onezone.core.jobs.runner import JobRun, job_task
from onezone.core.jobs.services import JobResult


@job_task(kind="core.sweep", label="夜间巡检")
def sweep(run: JobRun) -> JobResult:
    """Every registered sweep in order (``core.sweeps``); each is idempotent, so a second run is harmless."""
    from onezone.core.sweeps import registered_sweeps

    steps = registered_sweeps()
    lines = []
    run.advance(0, len(steps), "开始巡检")
    for n, (name, fn) in enumerate(steps, start=1):
        lines.append(f"{name}：{fn()}")
        run.advance(n, len(steps), f"已完成{name}")
    return JobResult(message="；".join(lines) if lines else "没有需要巡检的事项。")
