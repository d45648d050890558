"""Jobs: start, run by the real database worker, progress, result, failure, retry, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.jobs import Job, JobState, job_advance, job_retry, job_start, jobs_fail_stale
from onezone.core.jobs.services import job_claim
from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from tests.conftest import make_user
from tests.core import job_tasks


def run_worker() -> None:
    """The database backend's worker, run until the queue is empty."""
    call_command("worker", "--batch", verbosity=0)


@pytest.fixture
def clerk(zone):
    return make_user("clerk1", zone=zone, role=Role.CLERK)


@pytest.fixture
def other_clerk(zone):
    return make_user("clerk2", zone=zone, role=Role.CLERK)


@pytest.fixture
def zone_admin(zone):
    return make_user("admin1", zone=zone, role=Role.ADMIN)


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_on_the_worker_and_keeps_its_result(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 3}, title="数数")
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    assert DBTaskResult.objects.count() == 1
    assert AuditEvent.objects.filter(action="core.job.start", object_id=str(job.pk)).count() == 1

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.message == "数到了3。"
    assert job.attempts == 1
    assert job.started_at is not None and job.finished_at >= job.started_at
    with job.result_file.open("rb") as handle:
        assert handle.read() == b"3"
    assert job.task_result_id == str(DBTaskResult.objects.get().id)
    assert AuditEvent.objects.filter(action="core.job.finish", object_id=str(job.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_enqueued_when_the_transaction_rolls_back(zone, clerk):
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 1}, title="数数")
        raise RuntimeError("rolled back")
    assert Job.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_refusal_fails_the_job_with_its_message_and_a_retry_runs_it_again(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.refuse, title="会被拒绝")
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "输入不对：请改正后重试。"

    job_retry(actor=clerk, job_id=job.pk)
    job.refresh_from_db()
    assert (job.state, job.error, job.finished_at) == (JobState.QUEUED, "", None)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_error_fails_the_job_in_chinese_and_the_worker_keeps_the_traceback(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.crash, title="会出错")
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "任务执行出错（RuntimeError）：请重试；仍然失败请联系系统管理员。"
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert "boom" in result.traceback


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_runs_once(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.rename_zone, kwargs={"name": "改名一"}, title="改名")
    job_tasks.rename_zone.enqueue(job.pk, name="改名二")  # the same job delivered again
    run_worker()
    job.refresh_from_db()
    zone.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.attempts == 1
    assert zone.name == "改名一"
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == ["done", "skipped"]


@pytest.mark.django_db(transaction=True)
def test_the_input_file_reaches_the_task(zone, clerk):
    job = job_start(
        actor=clerk, zone_id=zone.pk, task=job_tasks.echo_input, title="读文件", input_file=("数据.bin", b"\x00abc")
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert job.message == "读到4字节。"
    with job.result_file.open("rb") as handle:
        assert handle.read() == b"\x00abc"


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_refuses_fails_the_job(zone, clerk, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("no queue")

    monkeypatch.setattr(type(job_tasks.count_to.get_backend()), "enqueue", refuse)
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 1}, title="数数")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "任务未能进入队列（ConnectionError）：请检查任务队列服务后重试。"


def test_starting_needs_the_roles_asked_for_and_changes_nothing_when_refused(zone, clerk):
    with pytest.raises(PermissionDenied):
        job_start(
            actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 1}, title="数数", roles=[Role.ADMIN]
        )
    assert Job.objects.count() == 0
    assert not AuditEvent.objects.filter(action="core.job.start").exists()


def test_a_user_of_another_zone_cannot_start_a_job_here(zone, other_zone):
    outsider = make_user("outsider", zone=other_zone, role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        job_start(actor=outsider, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 1}, title="数数")
    assert Job.objects.count() == 0


def test_only_tasks_made_with_job_task_can_be_started(zone, clerk):
    from onezone.core.jobs import runner

    plain = runner.django_task()(_plain_function)
    with pytest.raises(InvalidInput, match="不是后台任务"):
        job_start(actor=clerk, zone_id=zone.pk, task=plain, title="普通任务")


def _plain_function() -> None:
    return None


def test_title_over_its_limit_is_refused_with_the_lengths(zone, clerk):
    with pytest.raises(InvalidInput, match="任务名称最多200个字符，收到201个"):
        job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 1}, title="长" * 201)
    assert Job.objects.count() == 0


def test_a_key_makes_the_start_idempotent(zone):
    first = job_start(actor=None, zone_id=None, task=job_tasks.count_to, kwargs={"n": 1}, title="一次", key="k:1")
    second = job_start(actor=None, zone_id=None, task=job_tasks.count_to, kwargs={"n": 1}, title="一次", key="k:1")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_province_wide_jobs_are_for_superusers_only(zone, clerk, root):
    with pytest.raises(InvalidInput, match="超级管理员"):
        job_start(actor=clerk, zone_id=None, task=job_tasks.count_to, kwargs={"n": 1}, title="全省")
    job = job_start(actor=root, zone_id=None, task=job_tasks.count_to, kwargs={"n": 1}, title="全省")
    assert job.zone_id is None


def test_only_the_starter_or_the_zone_admin_may_retry(zone, clerk, other_clerk, zone_admin):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.refuse, title="会被拒绝")
    job_claim(job_id=job.pk)
    from onezone.core.jobs import job_fail

    job_fail(job_id=job.pk, error="失败了。")
    with pytest.raises(NotFound):
        job_retry(actor=other_clerk, job_id=job.pk)
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    job_retry(actor=zone_admin, job_id=job.pk)
    assert Job.objects.get(pk=job.pk).state == JobState.QUEUED
    with pytest.raises(TransitionNotAllowed, match="排队中"):
        job_retry(actor=zone_admin, job_id=job.pk)


def test_progress_is_written_outside_a_transaction_only(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 5}, title="数数")
    job_claim(job_id=job.pk)
    # The test itself runs in a transaction: nothing could be seen before the commit.
    assert job_advance(job_id=job.pk, done=2, total=5, message="二") is False
    assert Job.objects.get(pk=job.pk).done == 0


@pytest.mark.django_db(transaction=True)
def test_progress_outside_a_transaction_is_written_and_bounded(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 5}, title="数数")
    assert job_advance(job_id=job.pk, done=1, total=5) is False  # not running yet
    job_claim(job_id=job.pk)
    assert job_advance(job_id=job.pk, done=2, total=5, message="二") is True
    job.refresh_from_db()
    assert (job.done, job.total, job.message, job.percent) == (2, 5, "二", 40)
    assert job_advance(job_id=job.pk, done=7) is True  # more than announced: the total grows
    job.refresh_from_db()
    assert (job.done, job.total) == (7, 7)


@pytest.mark.django_db(transaction=True)
def test_a_running_job_without_progress_for_too_long_is_failed_by_the_sweep(zone, clerk, settings):
    settings.ONEZONE_JOB_STALE_MINUTES = 30
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 5}, title="数数")
    job_claim(job_id=job.pk)
    assert jobs_fail_stale(now=timezone.now() + dt.timedelta(minutes=29)) == 0
    assert jobs_fail_stale(now=timezone.now() + dt.timedelta(minutes=31)) == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "执行任务的工作进程已中断（超过30分钟没有进度），请重试。"
    job_retry(actor=clerk, job_id=job.pk)
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done) == (JobState.SUCCEEDED, 2, 5)


def test_the_deploy_check_warns_when_the_redis_queue_does_not_answer():
    from django.test import override_settings

    from onezone.core.jobs.checks import check_job_queue

    assert check_job_queue(None) == []  # the database backend
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": "redis://127.0.0.1:1/0"}},
    ):
        (warning,) = check_job_queue(None)
    assert warning.id == "onezone.W201"
    assert warning.msg == "后台任务队列“default”（Redis）无法连接：ConnectionError。"
