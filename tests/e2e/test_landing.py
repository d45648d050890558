import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation"])


@pytest.mark.parametrize("username", ["demo-clerk", "demo-admin"])
def test_staff_finds_the_parks_on_the_landing_page(page, live_server, demo, username):
    login(page, live_server, username, DEMO_PASSWORD)
    workbench = page.locator("#workbench")
    expect(workbench.get_by_text("甘肃永昌工业园区（省级开发区，与河西堡镇区政合一）")).to_be_visible()
    expect(workbench.get_by_role("link", name="河西堡工业园")).to_be_visible()
    expect(workbench.get_by_role("link", name="东寨工业园")).to_be_visible()
    expect(workbench.get_by_text("有色冶金及有色金属新材料、化工、新能源")).to_be_visible()


def test_wrong_password_is_refused_in_chinese(page, live_server, demo):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "demo-clerk")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    expect(page.get_by_text("用户名或密码不正确，请检查后重试（密码区分大小写）。")).to_be_visible()
