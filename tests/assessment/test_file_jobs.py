"""The assessment's report and exports as jobs: the page starts one, the worker makes the file, the job offers it."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from onezone.assessment.services import target_set
from onezone.core.jobs import Job, JobState
from tests.assessment.test_targets import no_modules  # noqa: F401  a fixture
from tests.conftest import PASSWORD
from tests.core.test_jobs import run_worker


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def result_of(client: Client, job: Job) -> bytes:
    response = client.get(f"/desk/jobs/{job.pk}/result/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db(transaction=True)
def test_the_targets_export_is_made_by_the_worker_and_offered_on_the_jobs_page(users, zone, no_modules):  # noqa: F811
    target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="200")
    client = signed_in("u-leader")
    started = client.post("/desk/assessment/export/targets.xlsx?year=2026")
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/desk/jobs/{job.pk}/"
    assert (job.kind, job.title, job.arguments) == (
        "assessment.file",
        "测试工业园区2026年目标任务完成情况",
        {"what": "targets", "year": 2026, "evaluation_id": None},
    )
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    page = client.get(f"/desk/jobs/{job.pk}/").content.decode()
    assert "目标任务完成情况已生成，可以下载。" in page and f"/desk/jobs/{job.pk}/result/" in page
    sheet = load_workbook(BytesIO(result_of(client, job))).active
    assert [c.value for c in sheet[2]][:4] == ["全区", "到位资金", "万元", 200]


@pytest.mark.django_db(transaction=True)
def test_the_yearly_report_is_made_by_the_worker(users, zone, no_modules):  # noqa: F811
    client = signed_in("u-leader")
    client.post("/desk/assessment/report.docx?year=2026")
    run_worker()
    job = Job.objects.get()
    assert job.state == JobState.SUCCEEDED, job.error
    document = Document(BytesIO(result_of(client, job)))
    assert any("2026" in p.text for p in document.paragraphs)
    response = client.get(f"/desk/jobs/{job.pk}/result/")
    assert response["Content-Disposition"].endswith(".docx")


def test_a_clerk_cannot_start_the_report_and_no_job_is_recorded(users, zone, no_modules):  # noqa: F811
    response = signed_in("u-clerk").post("/desk/assessment/report.docx?year=2026")
    assert response.status_code == 403
    assert Job.objects.count() == 0


def test_the_direct_download_still_answers_a_get(users, zone, no_modules):  # noqa: F811
    response = signed_in("u-leader").get("/desk/assessment/export/dashboard.xlsx", {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''dashboard-testzone-2026.xlsx"
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_zone_values_are_imported_by_the_worker_all_or_nothing(root, scheme, zone, other_zone):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onezone.assessment.models import ZoneValue
    from tests.assessment.test_evaluation_services import _xlsx

    client = Client()
    client.force_login(root)
    url = f"/admin/assessment/scheme/{scheme.pk}/tools/"
    bad = _xlsx([["开发区代码", "产值（a1）", "能耗", "b1"], ["testzone", 10, 2, None], ["nozone", 1, 1, 1]])
    client.post(url, {"action": "import", "year": 2025, "file": SimpleUploadedFile("值.xlsx", bad)})
    good = _xlsx([["开发区代码", "产值（a1）", "能耗", "b1"], ["testzone", 10, 2, None], ["otherzone", 20, "4", 2]])
    started = client.post(url, {"action": "import", "year": 2025, "file": SimpleUploadedFile("值.xlsx", good)})
    failed, done = Job.objects.order_by("id")
    assert started["Location"] == f"/desk/jobs/{done.pk}/"
    assert (done.zone_id, done.kind) == (None, "assessment.values_import")
    run_worker()
    failed.refresh_from_db()
    done.refresh_from_db()
    assert failed.state == JobState.FAILED and "第3行“开发区代码”：“nozone”不是本省的开发区。" in failed.error
    assert (done.state, done.message) == (JobState.SUCCEEDED, "已导入 5 个指标值。")
    assert ZoneValue.objects.count() == 5
    listed = client.get("/desk/jobs/").content.decode()
    assert "导入测试评价体系2025年指标值：值.xlsx" in listed
