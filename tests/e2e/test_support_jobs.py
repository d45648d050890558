"""A job seeker finds a job in the public list and applies; the enterprise opens the application."""

import pytest
from playwright.sync_api import expect

from onezone.core.models import AuditEvent
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.support.models import JobApplication, JobPosting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s30_enterprises", "s66_support_labour"])


def test_a_job_seeker_applies_and_the_enterprise_sees_the_number_when_it_opens_it(page, live_server, demo):
    page.goto(f"{live_server.url}/portal/jobs/")
    expect(page.locator("#jobs tbody tr")).to_have_count(6)
    page.fill("input[name=q]", "冶炼")
    page.click("#job-filters button[type=submit]")
    expect(page.locator("#jobs tbody tr")).to_have_count(1)
    page.get_by_role("link", name="镍钴湿法冶炼操作工").click()
    expect(page.locator("#job-title")).to_have_text("镍钴湿法冶炼操作工")
    expect(page.get_by_text("5,500.00元–8,000.00元/月")).to_be_visible()

    page.fill("input[name=name]", "赵小川")
    page.fill("input[name=phone]", "139 0935 2288")
    page.fill("textarea[name=note]", "两年湿法冶炼经验")
    page.click("#apply-form button[type=submit]")
    expect(page.locator("#applied")).to_contain_text("投递成功")
    application = JobApplication.objects.get(name="赵小川")
    assert application.phone == "13909352288"

    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("input[name=username]", "demo-enterprise")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")
    job = JobPosting.objects.get(title="镍钴湿法冶炼操作工")
    page.goto(f"{live_server.url}/portal/enterprise/jobs/{job.pk}/")
    row = page.locator("#applications tbody tr", has_text="赵小川")
    expect(row).to_contain_text("139****2288")
    row.get_by_role("button", name="查看联系方式").click()
    expect(page.locator("#applications tbody tr", has_text="赵小川")).to_contain_text("13909352288")
    assert AuditEvent.objects.filter(action="support.application.reveal", object_id=str(application.pk)).exists()
