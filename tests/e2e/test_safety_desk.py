"""The emergency bureau's safety desk and the park map, as demo-safety sees them."""

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s30_enterprises", "s45_safety_base", "s46_safety_operations"])


def test_safety_officer_sees_todays_work_vehicles_and_the_map(page, live_server, demo):
    login(page, live_server, "demo-safety", DEMO_PASSWORD)
    page.get_by_role("link", name="安全监管工作台").first.click()
    page.wait_for_url(f"{live_server.url}/desk/safety/")
    figures = page.locator("#safety-figures")
    expect(figures.get_by_text("今日特殊作业")).to_be_visible()
    today = page.locator("#today-work")
    expect(today.get_by_text("特级", exact=True)).to_be_visible()
    expect(today.get_by_text("夜间").first).to_be_visible()
    inside = page.locator("#hazmat-inside")
    expect(inside.get_by_text("甘C35821")).to_be_visible()
    expect(inside.get_by_text("超过8小时")).to_be_visible()
    park_map = page.locator("svg#park-map")
    expect(park_map).to_be_visible()
    assert park_map.locator("g.oz-map-gate").count() == 4
    assert park_map.locator("g.oz-map-work").count() >= 5
    # A special hot work's marker opens its filing, where the officer records a spot check.
    page.locator("#today-work").get_by_role("row").filter(has_text="特级").get_by_role("link").click()
    expect(page.get_by_text("特级动火作业：须重点盯防。")).to_be_visible()
    page.get_by_label("不合格", exact=True).check()
    page.get_by_label("发现的问题").fill("动火点周边可燃物未清理")
    page.get_by_role("button", name="记录抽查结果").click()
    expect(page.locator("#checks").get_by_text("动火点周边可燃物未清理")).to_be_visible()


def test_emergency_and_risk_pages_show_the_flags(page, live_server, demo):
    login(page, live_server, "demo-safety", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/safety/emergency/")
    expect(page.locator("#plans").get_by_text("已超期")).to_be_visible()
    expect(page.locator("#plans").get_by_text("逾期")).to_be_visible()
    expect(page.locator("#incidents").get_by_text("报告用时 75 分钟，超过时限")).to_be_visible()
    expect(page.locator("#duty").get_by_text("带班领导")).to_be_visible()
    page.goto(f"{live_server.url}/desk/safety/risk/")
    history = page.locator("#risk-history")
    rows = history.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("2025")
    expect(rows.nth(0)).to_contain_text("78.50")
    expect(rows.nth(2)).to_contain_text("2023")
    expect(rows.nth(2)).to_contain_text("B类（较高安全风险）")
