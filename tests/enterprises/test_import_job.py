"""The enterprise register's import as a job, run by the real worker: all or nothing, safe to repeat."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from onezone.core.jobs import Job, JobState
from onezone.enterprises.models import Enterprise
from onezone.enterprises.services.transfer import COLUMNS
from tests.core.test_jobs import run_worker
from tests.enterprises.conftest import uscc


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append([column.header for column in COLUMNS])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [[uscc(71), "后台导入甲公司", "", 100, "C32", "hexipu"], [uscc(72), "后台导入乙公司", "", 50, "C32", "hexipu"]]


def admin(users) -> Client:
    client = Client()
    client.force_login(users["admin"])
    return client


@pytest.mark.django_db(transaction=True)
def test_the_desk_page_starts_the_import_and_the_worker_writes_it(setup, users):
    client = admin(users)
    started = client.post("/desk/enterprises/import/", {"file": SimpleUploadedFile("名录.xlsx", workbook(GOOD))})
    job = Job.objects.get()
    assert started["Location"] == f"/desk/jobs/{job.pk}/"
    assert (job.kind, job.title, job.state) == ("enterprises.import", "导入企业名录：名录.xlsx", JobState.QUEUED)
    assert Enterprise.objects.count() == 0
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.message == "导入完成：新增企业 2 家，更新 0 家。"
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == ["后台导入乙公司", "后台导入甲公司"]


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_the_same_file_writes_nothing_more(setup, users):
    client = admin(users)
    for _ in range(2):
        client.post("/desk/enterprises/import/", {"file": SimpleUploadedFile("名录.xlsx", workbook(GOOD))})
    run_worker()
    first, second = Job.objects.order_by("id")
    assert first.state == JobState.SUCCEEDED
    assert second.state == JobState.FAILED and "已登记" in second.error
    assert Enterprise.objects.count() == 2


def test_a_clerk_cannot_start_it_and_nothing_is_recorded(setup, users):
    client = Client()
    client.force_login(users["clerk"])
    response = client.post("/desk/enterprises/import/", {"file": SimpleUploadedFile("名录.xlsx", workbook(GOOD))})
    assert response.status_code == 403
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_command_can_leave_it_to_the_worker(setup, users, tmp_path):
    path = tmp_path / "名录.xlsx"
    path.write_bytes(workbook(GOOD))
    out = io.StringIO()
    call_command("import_enterprises", str(path), zone="testzone", user="u-admin", background=True, stdout=out)
    job = Job.objects.get()
    assert f"已提交后台任务 #{job.pk}" in out.getvalue()
    assert Enterprise.objects.count() == 0
    run_worker()
    assert Job.objects.get().state == JobState.SUCCEEDED
    assert Enterprise.objects.count() == 2
