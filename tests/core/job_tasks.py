"""Tasks the job tests run through the real workers (importable by a worker process)."""

from __future__ import annotations

from onezone.core.errors import InvalidInput
from onezone.core.jobs import JobResult, JobRun, job_task
from onezone.zones.models import Zone


@job_task(kind="tests.count", label="测试计数")
def count_to(run: JobRun, *, n: int) -> JobResult:
    for k in range(1, n + 1):
        run.advance(k, n, f"已数到{k}")
    return JobResult(message=f"数到了{n}。", file=("count.txt", str(n).encode()))


@job_task(kind="tests.rename", label="测试改名")
def rename_zone(run: JobRun, *, name: str) -> JobResult:
    Zone.objects.filter(pk=run.zone_id).update(name=name)
    return JobResult(message="改好了。", link="/desk/jobs/")


@job_task(kind="tests.refuse", label="测试拒绝")
def refuse(run: JobRun) -> None:
    raise InvalidInput("输入不对：请改正后重试。")


@job_task(kind="tests.crash", label="测试崩溃")
def crash(run: JobRun) -> None:
    raise RuntimeError("boom")


@job_task(kind="tests.input", label="测试读取输入")
def echo_input(run: JobRun) -> JobResult:
    data = run.input_bytes()
    run.advance(len(data), len(data), "读完了")
    return JobResult(message=f"读到{len(data)}字节。", file=("echo.bin", data))
