"""An enterprise submits a request in the portal, follows it, and confirms its resolution."""

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.enterprises.models import EnterpriseRequest
from onezone.enterprises.services import request_acknowledge, request_resolve, request_respond
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s30_enterprises"])


def portal_login(page, live_server):
    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("input[name=username]", "demo-enterprise")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")


def test_enterprise_submits_a_request_and_confirms_the_resolution(page, live_server, demo):
    portal_login(page, live_server)
    expect(page.locator("#enterprise-name")).to_have_text("金昌鑫源新材料有限公司")

    page.get_by_role("link", name="提交新诉求").click()
    page.fill("input[name=title]", "二期车间用电增容")
    page.fill("textarea[name=description]", "夏季高峰频繁限电，影响连续生产，希望协调供电公司增容。")
    page.click("#request-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/requests/SQ*/")
    expect(page.locator("#request-status")).to_have_text("已提交")
    expect(page.get_by_text("水电气热与配套").first).to_be_visible()

    request = EnterpriseRequest.objects.get(title="二期车间用电增容")
    staff = demo.users["leader"]  # the handling body (经济发展局) is not the officer's; a leader may act for it
    request = request_acknowledge(actor=staff, request=request)
    request = request_respond(actor=staff, request=request, response="已联系供电公司现场踏勘。")
    request_resolve(actor=staff, request=request, resolution="供电公司已完成增容改造。")

    page.reload()
    expect(page.locator("#request-status")).to_have_text("已办结待确认")
    expect(page.locator("#request-resolution")).to_have_text("供电公司已完成增容改造。")
    page.fill("#confirm-form input[name=text]", "问题解决，满意")
    page.click("#confirm-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#request-status")).to_have_text("已关闭")
    request.refresh_from_db()
    assert (request.status, request.satisfaction) == ("closed", "问题解决，满意")

    page.goto(f"{live_server.url}/portal/enterprise/")
    row = page.locator("#my-requests tr", has_text="二期车间用电增容")
    assert "已关闭" in row.inner_text()


def test_staff_sees_the_suggestion_with_its_words(page, live_server, demo):
    login(page, live_server, "demo-investment", DEMO_PASSWORD)
    request = EnterpriseRequest.objects.filter(status="submitted", category_confirmed=False).order_by("id").first()
    page.goto(f"{live_server.url}/desk/enterprises/requests/{request.pk}/")
    box = page.locator("#category-suggestion")
    assert "系统建议" in box.inner_text()
    for word in request.suggestion_words:
        assert word in box.inner_text()
