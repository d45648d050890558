"""``job_task``: a Django task that keeps its ``core.Job`` up to date while it runs.

The worker calls the task with the job's id; the wrapper claims the job (a job already running or
ended is left alone, so a task delivered twice runs once), hands the function a ``JobRun`` to report
progress through, and records the outcome: finished with the function's ``JobResult``, or failed
with the Chinese message of a ``DomainError`` (a task's expected refusal) or a generic reason for
anything else (which is raised on, so the worker's own log and result keep the traceback).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_tasks import task as django_task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task

from onezone.core.errors import DomainError, TransitionNotAllowed
from onezone.core.jobs import services
from onezone.core.jobs.services import JobResult
from onezone.core.models_jobs import Job

Listener = Callable[[int, int | None, str | None], None]


@dataclass
class JobRun:
    """What a running task sees of its job."""

    job: Job
    listener: Listener | None = None  # a command running the job in its own process prints progress

    @property
    def job_id(self) -> int:
        return self.job.pk

    @property
    def actor(self) -> Any:
        """The user who started the job (``None`` for the system); the task's services act as them."""
        return self.job.started_by

    @property
    def zone_id(self) -> int | None:
        return self.job.zone_id

    def advance(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Report progress: ``done`` of ``total`` (kept from before when omitted) and what is happening."""
        services.job_advance(job_id=self.job.pk, done=done, total=total, message=message)
        if self.listener is not None:
            self.listener(done, total, message)

    def progress(self, message: str) -> Callable[[int, int], None]:
        """A ``(done, total)`` callback for code that reports progress that way (the importers)."""

        def report(done: int, total: int) -> None:
            self.advance(done, total, message)

        return report

    def input_bytes(self) -> bytes:
        """The file given to ``job_start(input_file=...)``."""
        with self.job.input_file.open("rb") as handle:
            return handle.read()


TaskBody = Callable[..., JobResult | None]
UNEXPECTED = "任务执行出错（{name}）：请重试；仍然失败请联系系统管理员。"


def job_task(
    *, kind: str, label: str, priority: int = DEFAULT_TASK_PRIORITY, queue_name: str = "default"
) -> Callable[[TaskBody], Task]:
    """Make ``fn(run: JobRun, **kwargs) -> JobResult | None`` a task started with ``job_start``.

    Define it at module level; its keyword arguments must be JSON values (they are stored with the
    job, so a failed job can be retried with the same ones).
    """

    def decorate(fn: TaskBody) -> Task:
        @functools.wraps(fn)
        def run(job_id: int, **kwargs: Any) -> str:
            return _run(fn, job_id, kwargs, listener=None)

        # ``run`` carries ``fn``'s name and module, so the worker finds the task by that path.
        made = django_task(priority=priority, queue_name=queue_name)(run)
        services.register_kind(made.module_path, kind=kind, label=label)
        _bodies[made.module_path] = fn
        return made

    return decorate


_bodies: dict[str, TaskBody] = {}


def _run(fn: TaskBody, job_id: int, kwargs: dict[str, Any], *, listener: Listener | None) -> str:
    """Claim the job, run the body, record the outcome; what happened, for the backend's result."""
    job = services.job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    try:
        result = fn(JobRun(job, listener), **kwargs)
    except DomainError as exc:
        services.job_fail(job_id=job_id, error=exc.message)
        return "failed"
    except BaseException as exc:
        services.job_fail(job_id=job_id, error=UNEXPECTED.format(name=type(exc).__name__))
        raise
    try:
        services.job_finish(job_id=job_id, result=result)
    except TransitionNotAllowed:
        return "ended-elsewhere"  # failed as stale meanwhile; the work itself is done
    return "done"


def run_inline(job: Job, *, listener: Listener | None = None) -> Job:
    """Run a job started with ``job_start(enqueue=False)`` here, in this process (a command's way).

    The job is recorded and shown exactly as if a worker had run it; an unexpected error is raised on.
    """
    _run(_bodies[job.task_path], job.pk, dict(job.arguments), listener=listener)
    return Job.objects.get(pk=job.pk)
