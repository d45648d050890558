"""A leader starts the yearly report; the job's page follows the worker by itself and then offers the file."""

import pytest
from playwright.sync_api import expect

from onezone.core.jobs import Job, JobState
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.core.test_jobs import run_worker
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s80_assessment"])


def test_the_report_page_refreshes_itself_until_the_file_is_offered(page, live_server, demo):
    login(page, live_server, "demo-leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/assessment/?year=2026")
    page.get_by_role("button", name="生成年度报告（Word）").click()
    job = Job.objects.get(kind="assessment.file")
    page.wait_for_url(f"{live_server.url}/desk/jobs/{job.pk}/")
    expect(page.locator("#job-state")).to_have_text("排队中")
    expect(page.locator("#job-result-file")).to_be_hidden()

    run_worker()  # the worker makes the file while the page is open

    expect(page.locator("#job-result-file")).to_be_visible(timeout=20_000)
    expect(page.locator("#job-state")).to_have_text("已完成")
    expect(page.locator("#job-percent")).to_have_text("100%")
    assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED
    with page.expect_download() as download:
        page.locator("#job-result-file").click()
    assert download.value.suggested_filename == "甘肃永昌工业园区2026年度发展情况报告.docx"
    page.get_by_role("link", name="返回我的后台任务").click()
    expect(page.get_by_role("link", name="甘肃永昌工业园区2026年度发展情况报告")).to_be_visible()
