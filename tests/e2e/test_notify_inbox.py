"""The inbox in the browser: the unread badge in both headers, opening a message goes to its record."""

import os

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.enterprises.models import EnterpriseRequest
from onezone.enterprises.services import request_acknowledge, request_respond, request_submit
from onezone.notify.models import Notification
from onezone.notify.services import notify_event
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ONEZONE_SHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s30_enterprises"])


def test_enterprise_reads_the_answer_to_its_request(page, live_server, demo):
    user = User.objects.get(username="demo-enterprise")
    enterprise = user.enterprise_links.get().enterprise
    request = request_submit(
        actor=user, enterprise=enterprise, title="道路照明维修", description="厂区门口路灯损坏多日。"
    )
    staff = demo.users["leader"]  # the handling body (经济发展局) is not the officer's; a leader may act for it
    request = request_acknowledge(actor=staff, request=request)
    request_respond(actor=staff, request=request, response="已派园区物业于明日维修。")

    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("input[name=username]", "demo-enterprise")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    expect(page.locator("#unread-count")).to_have_text(str(unread))
    page.click("#inbox-link")
    page.wait_for_url(f"{live_server.url}/portal/notify/")
    item = page.locator("#inbox li", has_text="您的诉求“道路照明维修”已答复")
    expect(item).to_contain_text("答复：已派园区物业于明日维修。")
    _shot(page, "portal-inbox")
    item.get_by_role("button", name="您的诉求“道路照明维修”已答复").click()
    answered = EnterpriseRequest.objects.get(title="道路照明维修")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/requests/{answered.number}/")
    key = f"request:{answered.pk}:round:1"
    assert Notification.objects.get(event="enterprises.request_answered", key=key, recipient=user).read_at is not None


def test_staff_badge_inbox_and_preferences(page, live_server, demo):
    clerk = User.objects.get(username="demo-clerk")
    zone_id = demo.zone.pk
    for i, number in enumerate(["YC-2026-000101", "YC-2026-000102"]):
        notify_event(
            zone_id=zone_id,
            event="window.deadline_warning",
            recipients=[clerk],
            context={
                "deadline": f"2026年12月{10 + i}日",
                "message": f"办件 {number}（企业投资项目备案）将于 2026-12-1{i} 到期，请抓紧办理。",
            },
            key=f"e2e:{number}",
            link="/desk/notify/preferences/",
        )
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    expect(page.locator("#unread-count")).to_have_text("2")
    _shot(page, "desk-badge")
    page.click("#inbox-link")
    page.wait_for_url(f"{live_server.url}/desk/notify/")
    expect(page.locator("#inbox li.nf-unread")).to_have_count(2)
    _shot(page, "desk-inbox")
    page.locator("#inbox li.nf-unread").first.get_by_role("button", name="标为已读").click()
    page.wait_for_url(f"{live_server.url}/desk/notify/")
    expect(page.locator("#inbox li.nf-unread")).to_have_count(1)
    expect(page.locator("#unread-count")).to_have_text("1")
    page.click("#read-all")
    expect(page.locator("#inbox li.nf-unread")).to_have_count(0)
    expect(page.locator("#unread-count")).to_have_count(0)

    page.goto(f"{live_server.url}/desk/notify/preferences/")
    page.fill("#mobile", "13912345678")
    page.uncheck("input[name='window.deadline_warning:email']")
    _shot(page, "desk-preferences")
    page.click("#preferences button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/notify/preferences/")
    expect(page.locator("#mobile")).to_have_value("13912345678")
    expect(page.locator("input[name='window.deadline_warning:email']")).not_to_be_checked()
