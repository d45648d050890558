"""Jobs on Redis: the RQ backend and ``onezone worker``'s RQ worker, against the Redis at 127.0.0.1:6379.

Skipped only when that Redis does not answer and the run is not CI (CI provides Redis).
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test import override_settings

from onezone.core.jobs import Job, JobState, job_start
from onezone.core.roles import Role
from tests.conftest import make_user
from tests.core import job_tasks

REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not _redis_answers(), reason="no Redis at 127.0.0.1:6379 (CI provides one)"
)


@pytest.fixture
def rq_backend():
    # The in-process test database is not shared with a forked work horse: run each job in the worker itself.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": REDIS_URL}},
        RQ={"WORKER_CLASS": "rq.worker.SimpleWorker"},
    ):
        import django_rq

        django_rq.get_queue("default").empty()
        yield
        django_rq.get_queue("default").empty()


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_on_the_rq_worker(zone, rq_backend):
    from django_tasks.base import TaskResultStatus

    clerk = make_user("clerk1", zone=zone, role=Role.CLERK)
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 4}, title="数数")
    crash = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.crash, title="会出错")
    job.refresh_from_db()
    assert job.task_result_id  # enqueued on Redis when the transaction committed

    call_command("worker", "--batch", verbosity=0)

    job.refresh_from_db()
    crash.refresh_from_db()
    assert (job.state, job.done, job.total, job.message) == (JobState.SUCCEEDED, 4, 4, "数到了4。")
    assert job_tasks.count_to.get_result(job.task_result_id).status == TaskResultStatus.SUCCESSFUL
    assert crash.state == JobState.FAILED
    assert crash.error == "任务执行出错（RuntimeError）：请重试；仍然失败请联系系统管理员。"
    assert Job.objects.filter(state=JobState.RUNNING).count() == 0
