"""The lists' import as a job: started from the admin page, run by the real worker, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from onezone.core.jobs import Job, JobState
from onezone.powers.models import Adjustment, PowerItem
from tests.core.test_jobs import run_worker
from tests.powers.test_importers import book

GOOD = [
    ["取水许可", "Y001", "行政许可", "政务服务中心", 20, "工作日", 10, "承诺件"],
    ["企业投资项目备案", "Y002", "其他行政权力", "经济发展局", 5, "工作日", 0, "即办件"],
]
BAD = [*GOOD, ["某事项", "Y003", "行政许可", "不存在的局", "二十", "周", 5, "承诺件"]]


def upload(data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = "清单.xlsx"
    return handle


def admin_client(users) -> Client:
    client = Client()
    client.force_login(users["admin"])
    return client


@pytest.mark.django_db(transaction=True)
def test_the_admin_page_starts_a_job_that_the_worker_runs(zone, users, bodies):
    client = admin_client(users)
    response = client.post("/admin/powers/poweritem/import/", {"file": upload(book(GOOD)), "reason": "清单编制"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/jobs/{job.pk}/"
    assert (job.state, job.kind, job.title, job.started_by_id) == (
        JobState.QUEUED,
        "powers.import",
        "导入权力清单：清单.xlsx",
        users["admin"].pk,
    )
    assert PowerItem.objects.count() == 0

    run_worker()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.message == "导入完成：新增2项、调整0项、未变化0项。"
    assert job.result_link == "/admin/powers/poweritem/"
    assert sorted(PowerItem.objects.values_list("implementation_code", flat=True)) == ["Y001", "Y002"]
    page = client.get(f"/desk/jobs/{job.pk}/").content.decode()
    assert "导入完成：新增2项" in page and 'href="/admin/powers/poweritem/"' in page


@pytest.mark.django_db(transaction=True)
def test_a_wrong_row_fails_the_job_with_every_row_and_writes_nothing_and_a_retry_is_as_safe(zone, users, bodies):
    client = admin_client(users)
    client.post("/admin/powers/poweritem/import/", {"file": upload(book(BAD)), "reason": "清单编制"})
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert "第4行" in job.error and "不存在的局" in job.error
    assert (PowerItem.objects.count(), Adjustment.objects.count()) == (0, 0)
    client.post(f"/desk/jobs/{job.pk}/retry/")
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 2)
    assert PowerItem.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_importing_the_same_file_twice_changes_nothing_the_second_time(zone, users, bodies):
    client = admin_client(users)
    for _ in range(2):
        client.post("/admin/powers/poweritem/import/", {"file": upload(book(GOOD)), "reason": "清单编制"})
        run_worker()
    _first, second = Job.objects.order_by("id")
    assert second.message == "导入完成：新增0项、调整0项、未变化2项。"
    assert PowerItem.objects.count() == 2


def test_a_clerk_cannot_start_the_import_and_nothing_is_recorded(zone, users, bodies):
    client = Client()
    client.force_login(users["clerk"])
    response = client.post("/admin/powers/poweritem/import/", {"file": upload(book(GOOD)), "reason": "清单编制"})
    assert "没有“导入权力清单：清单.xlsx”的权限" in response.content.decode()
    assert Job.objects.count() == 0


def test_a_missing_reason_is_refused_at_once(zone, users, bodies):
    response = admin_client(users).post("/admin/powers/poweritem/import/", {"file": upload(book(GOOD)), "reason": " "})
    assert "请填写调整理由。" in response.content.decode()
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_command_can_leave_the_import_to_the_worker(zone, users, bodies, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(book(GOOD))
    out = io.StringIO()
    call_command(
        "import",
        "powers",
        str(path),
        "--zone",
        zone.code,
        "--user",
        users["admin"].username,
        "--background",
        stdout=out,
    )
    job = Job.objects.get()
    assert f"已提交后台任务 #{job.pk}" in out.getvalue()
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert PowerItem.objects.count() == 2


def test_a_zip_bomb_is_refused_before_anything_is_stored(zone, users, bodies, settings, tmp_path):
    from tests.core.test_uploads import xlsx_bomb

    settings.MEDIA_ROOT = tmp_path
    response = admin_client(users).post(
        "/admin/powers/poweritem/import/", {"file": upload(xlsx_bomb()), "reason": "清单编制"}
    )
    assert "疑似“压缩炸弹”" in response.content.decode()
    assert Job.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []
