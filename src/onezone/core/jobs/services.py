"""The services of the progress record: start, claim, advance, finish, fail, retry, and the stale sweep.

A job's state moves only through ``_transition`` against ``TRANSITIONS``. Starting, finishing,
failing and retrying are audited; progress (``job_advance``) is not: it is the job's own bookkeeping,
written many times a run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, NotAuthenticated, NotFound, TransitionNotAllowed
from onezone.core.models_jobs import Job, JobState
from onezone.core.permissions import require, require_read, roles_in
from onezone.core.roles import Role

logger = logging.getLogger("onezone.jobs")

TITLE_MAX = Job._meta.get_field("title").max_length
MESSAGE_MAX = Job._meta.get_field("message").max_length
ERROR_MAX = 20_000  # an import's refusal lists every wrong row
KEY_MAX = Job._meta.get_field("key").max_length
INPUT_NAME_MAX = 100
CUT_MARK = "……（以下略）"


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {
    "claim": Transition("开始执行", frozenset({JobState.QUEUED}), JobState.RUNNING),
    "finish": Transition("完成", frozenset({JobState.RUNNING}), JobState.SUCCEEDED),
    "fail": Transition("标记失败", frozenset({JobState.QUEUED, JobState.RUNNING}), JobState.FAILED),
    "retry": Transition("重试", frozenset({JobState.FAILED}), JobState.QUEUED),
}


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: str


# Every task made with ``job_task`` is known here by its module path.
_kinds: dict[str, JobKind] = {}


def register_kind(task_path: str, *, kind: str, label: str) -> None:
    _kinds[task_path] = JobKind(kind=kind, label=label)


def _discover() -> None:
    """Import every app's ``tasks`` module once, so each kind is known by its label."""
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.tasks"
        if config.name.startswith("onezone.") and importlib.util.find_spec(name):
            importlib.import_module(name)


def kind_label(kind: str) -> str:
    if not any(known.kind == kind for known in _kinds.values()):
        _discover()
    for known in _kinds.values():
        if known.kind == kind:
            return known.label
    return kind


def _transition(job: Job, action: str) -> None:
    spec = TRANSITIONS[action]
    if job.state not in spec.sources:
        raise TransitionNotAllowed(
            f"任务“{job.title}”当前为“{job.get_state_display()}”，不能{spec.label}；请刷新页面查看最新状态。"
        )
    job.state = spec.target


def _bounded(text: str, limit: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(f"{what}最多{limit}个字符，收到{len(text)}个；请缩短后再提交。")
    return text


def _visible_cut(text: str, limit: int) -> str:
    """A failure reason that would not fit is cut with a visible mark, never silently."""
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - len(CUT_MARK)] + CUT_MARK


def _is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def can_see_job(user: Any, job: Job) -> bool:
    """The user who started the job, an administrator of its zone, a superuser."""
    if not _is_user(user) or not user.is_active:
        return False
    if user.is_superuser or (job.started_by_id is not None and job.started_by_id == user.pk):
        return True
    return job.zone_id is not None and Role.ADMIN in roles_in(user, job.zone_id)


def job_url(job: Job) -> str:
    """The job's page, where its progress and result are shown."""
    return reverse("core-job", args=[job.pk])


def _task_path(task: Task) -> str:
    path = task.module_path
    if path not in _kinds:
        raise InvalidInput(f"“{path}”不是后台任务：请用 onezone.core.jobs.job_task 定义任务。")
    return path


def job_start(
    *,
    actor: Any,
    zone_id: int | None,
    task: Task,
    title: str,
    kwargs: Mapping[str, Any] | None = None,
    roles: Iterable[str] | None = None,
    total: int = 0,
    input_file: tuple[str, bytes] | None = None,
    key: str | None = None,
    enqueue: bool = True,
) -> Job:
    """Record a job and enqueue ``task`` once the caller's transaction commits.

    ``actor`` is the user who starts it (``None``: the system, e.g. a command or the schedule).
    With ``roles`` the user must hold one of them in the zone (checked now; the task's own service
    checks again when it runs); without, the user must be able to read the zone. ``input_file``
    (name, bytes) is kept with the job for the task to read (``JobRun.input_bytes``). A ``key`` makes
    the start idempotent: a second start with the same key returns the first job. ``enqueue=False``
    records the job for the caller to run in its own process (``run_inline``, as commands do).
    """
    task_path = _task_path(task)
    title = _bounded(title, TITLE_MAX, "任务名称")
    if not title:
        raise InvalidInput("请填写任务名称。")
    if key is not None:
        key = _bounded(key, KEY_MAX, "幂等键")
    if actor is not None:
        if not _is_user(actor):
            raise NotAuthenticated("请先登录后再操作。")
        if zone_id is None and roles is None and not actor.is_superuser:
            raise InvalidInput("全省范围的任务只能由超级管理员或有相应省级权限的人员发起。")
        if roles is not None:
            require(actor, zone_id=zone_id, roles=roles, action=title)
        elif zone_id is not None:
            require_read(actor, zone_id=zone_id)
    if total < 0:
        raise InvalidInput(f"任务总量不能为负数，收到{total}。")
    arguments = dict(kwargs or {})
    meta = _kinds[task_path]
    if key is not None:
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
    with transaction.atomic():
        job = Job(
            zone_id=zone_id,
            started_by=actor,
            kind=meta.kind,
            title=title,
            key=key,
            total=total,
            task_path=task_path,
            arguments=arguments,
        )
        if input_file is not None:
            name, data = input_file
            job.input_file.save(_bounded(name, INPUT_NAME_MAX, "文件名") or "input", ContentFile(data), save=False)
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            if key is None:
                raise
            job.input_file.delete(save=False)
            return Job.objects.get(key=key)
        audit_record(
            actor=actor or "system",
            action="core.job.start",
            obj=job,
            changes={"kind": meta.kind, "arguments": arguments},
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    """Put the job on the queue; a queue that does not answer fails the job with the reason."""
    job = Job.objects.get(pk=job_id)
    try:
        task = import_string(job.task_path)
        result = task.enqueue(job.pk, **job.arguments)
    except Exception as exc:  # the queue (database or Redis) refused: the job must not hang as queued
        logger.exception("could not enqueue job %s", job_id)
        job_fail(job_id=job_id, error=f"任务未能进入队列（{type(exc).__name__}）：请检查任务队列服务后重试。")
        return
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])


def job_claim(*, job_id: int) -> Job | None:
    """The worker takes a queued job; ``None`` when it is not queued (already run or running)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != JobState.QUEUED:
            return None
        _transition(job, "claim")
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["state", "attempts", "started_at", "updated_at"])
    return job


def job_advance(*, job_id: int, done: int, total: int | None = None, message: str | None = None) -> bool:
    """Record how far a running job is. Returns whether it was written.

    Inside a transaction the page could not see the figure before the commit anyway, so nothing is
    written there (an import writing all-or-nothing reports again when it is done).
    """
    if connection.in_atomic_block:
        return False
    changes: dict[str, Any] = {"done": max(0, done), "updated_at": timezone.now()}
    if total is not None:
        changes["total"] = max(0, total, done)
    else:
        changes["total"] = max(done, Job.objects.filter(pk=job_id).values_list("total", flat=True).first() or 0)
    if message is not None:
        changes["message"] = _visible_cut(message, MESSAGE_MAX)
    return bool(Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(**changes))


@dataclass(frozen=True)
class JobResult:
    """What a task hands back: a message, and a file to download or a link to open."""

    message: str = ""
    file: tuple[str, bytes] | None = None
    link: str = ""


def job_finish(*, job_id: int, result: JobResult | None = None) -> Job:
    result = result or JobResult()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        _transition(job, "finish")
        job.message = _visible_cut(result.message or "已完成。", MESSAGE_MAX)
        if job.total == 0:
            job.total = max(job.done, 1)
        job.done = job.total
        if result.file is not None:
            name, data = result.file
            job.result_file.save(name, ContentFile(data), save=False)
        if result.link:
            job.result_link = _bounded(result.link, Job._meta.get_field("result_link").max_length, "结果链接")
        job.finished_at = timezone.now()
        job.save()
        audit_record(actor=job.started_by or "system", action="core.job.finish", obj=job, changes={})
    return job


def job_fail(*, job_id: int, error: str) -> Job | None:
    """Mark the job failed with a reason in Chinese; ``None`` when it had already ended."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return None
        _transition(job, "fail")
        job.error = _visible_cut(error, ERROR_MAX) or "任务失败。"
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at", "updated_at"])
        audit_record(actor=job.started_by or "system", action="core.job.fail", obj=job, changes={"error": job.error})
    return job


def job_retry(*, actor: Any, job_id: int) -> Job:
    """Queue a failed job again, with the same input; it starts over from the beginning."""
    if not _is_user(actor):
        raise NotAuthenticated("请先登录后再操作。")
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not can_see_job(actor, job):
            raise NotFound("找不到该任务，或您无权查看。")
        _transition(job, "retry")
        job.done = 0
        job.message = ""
        job.error = ""
        job.task_result_id = ""
        job.started_at = None
        job.finished_at = None
        job.save()
        audit_record(actor=actor, action="core.job.retry", obj=job, changes={"attempts": job.attempts})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ONEZONE_JOB_STALE_MINUTES)


def jobs_fail_stale(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Fail running jobs that have reported nothing for too long (their worker died); they can be retried."""
    cutoff = (now or timezone.now()) - stale_after()
    ids = list(
        Job.objects.filter(state=JobState.RUNNING, updated_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    minutes = settings.ONEZONE_JOB_STALE_MINUTES
    failed = 0
    for job_id in ids:
        if job_fail(job_id=job_id, error=f"执行任务的工作进程已中断（超过{minutes}分钟没有进度），请重试。"):
            failed += 1
    return failed
