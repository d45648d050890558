"""The job pages: who sees which job, the progress as JSON, the result file, retry; query budgets."""

from __future__ import annotations

import pytest
from django.test import Client

from onezone.core.errors import NotFound
from onezone.core.jobs import Job, JobResult, JobState, job_fail, job_finish, job_start
from onezone.core.jobs.selectors import job_for, jobs_for
from onezone.core.jobs.services import job_claim
from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from tests.conftest import make_user
from tests.core import job_tasks


@pytest.fixture
def clerk(zone):
    return make_user("clerk1", zone=zone, role=Role.CLERK)


@pytest.fixture
def other_clerk(zone):
    return make_user("clerk2", zone=zone, role=Role.CLERK)


@pytest.fixture
def zone_admin(zone):
    return make_user("admin1", zone=zone, role=Role.ADMIN)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def finished_job(zone, user, *, title="导出名单", data=b"PK\x03\x04 not really", state=JobState.SUCCEEDED) -> Job:
    job = job_start(actor=user, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 2}, title=title)
    job_claim(job_id=job.pk)
    if state == JobState.SUCCEEDED:
        return job_finish(job_id=job.pk, result=JobResult(message="好了。", file=("x.txt", data)))
    return job_fail(job_id=job.pk, error="没成功：请重试。")


def test_the_list_shows_a_user_their_own_jobs_and_an_admin_all_of_the_zone(zone, clerk, other_clerk, zone_admin):
    mine = finished_job(zone, clerk, title="我的导出")
    theirs = finished_job(zone, other_clerk, title="别人的导出")
    page = client_for(clerk).get("/desk/jobs/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "我的导出" in text and "别人的导出" not in text
    assert [j.pk for j in jobs_for(user=zone_admin, zone_id=zone.pk)] == [theirs.pk, mine.pk]


def test_a_job_of_another_zone_is_not_listed(zone, other_zone, root):
    other_admin = make_user("admin2", zone=other_zone, role=Role.ADMIN)
    finished_job(other_zone, other_admin, title="别的园区的导出")
    assert jobs_for(user=make_user("admin3", zone=zone, role=Role.ADMIN), zone_id=zone.pk) == []


def test_the_page_shows_progress_and_the_result_to_the_starter_only(zone, clerk, other_clerk, zone_admin):
    job = finished_job(zone, clerk)
    page = client_for(clerk).get(f"/desk/jobs/{job.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'style="width: 100%"' in text
    assert f"/desk/jobs/{job.pk}/result/" in text
    assert "已完成" in text
    assert client_for(other_clerk).get(f"/desk/jobs/{job.pk}/").status_code == 404
    assert client_for(other_clerk).get(f"/desk/jobs/{job.pk}/result/").status_code == 404
    assert client_for(zone_admin).get(f"/desk/jobs/{job.pk}/").status_code == 200


def test_progress_answers_json(zone, clerk):
    job = job_start(actor=clerk, zone_id=zone.pk, task=job_tasks.count_to, kwargs={"n": 2}, title="数数", total=4)
    answer = client_for(clerk).get(f"/desk/jobs/{job.pk}/progress/").json()
    assert answer == {
        "id": job.pk,
        "state": "queued",
        "state_label": "排队中",
        "done": 0,
        "total": 4,
        "percent": 0,
        "message": "",
        "error": "",
        "finished": False,
        "result_url": "",
        "result_link": "",
    }


def test_the_result_downloads_under_the_jobs_title_and_is_audited(zone, clerk):
    job = finished_job(zone, clerk, title="企业名单导出", data=b"hello")
    before = AuditEvent.objects.filter(action="file.download").count()
    response = client_for(clerk).get(f"/desk/jobs/{job.pk}/result/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert "%E4%BC%81%E4%B8%9A%E5%90%8D%E5%8D%95%E5%AF%BC%E5%87%BA.txt" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="file.download").count() == before + 1


def test_a_failed_job_shows_its_error_and_retries_by_post(zone, clerk, other_clerk, django_capture_on_commit_callbacks):
    job = finished_job(zone, clerk, state=JobState.FAILED)
    page = client_for(clerk).get(f"/desk/jobs/{job.pk}/").content.decode()
    assert "没成功：请重试。" in page and "重试</button>" in page
    assert client_for(clerk).get(f"/desk/jobs/{job.pk}/retry/").status_code == 405
    assert client_for(other_clerk).post(f"/desk/jobs/{job.pk}/retry/").status_code == 404
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(f"/desk/jobs/{job.pk}/retry/")
    assert response.status_code == 302 and response["Location"] == f"/desk/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_result_id


def test_a_succeeded_job_cannot_be_retried(zone, clerk):
    job = finished_job(zone, clerk)
    response = client_for(clerk).post(f"/desk/jobs/{job.pk}/retry/", follow=True)
    assert "不能重试" in response.content.decode()
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED


def test_job_for_refuses_others(zone, clerk, other_clerk):
    job = finished_job(zone, clerk)
    with pytest.raises(NotFound):
        job_for(user=other_clerk, job_id=job.pk)


@pytest.mark.parametrize("count", [1, 5])
def test_query_budgets(zone, clerk, django_assert_num_queries, count):
    for n in range(count):
        finished_job(zone, clerk, title=f"导出{n}")
    job = Job.objects.order_by("id").first()
    clerk = type(clerk).objects.get(pk=clerk.pk)
    with django_assert_num_queries(2):  # the roles once, the jobs with their starters: however many jobs
        assert len(jobs_for(user=clerk, zone_id=zone.pk)) == count
    with django_assert_num_queries(1):  # the job with its starter (the roles are known now)
        assert job_for(user=clerk, job_id=job.pk).pk == job.pk
