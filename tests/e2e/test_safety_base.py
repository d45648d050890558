"""Major hazard installations and hidden hazards, as demo-safety works on them."""

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s30_enterprises", "s45_safety_base"])


def test_officer_reads_the_grading_and_accepts_a_rectified_hazard(page, live_server, demo):
    login(page, live_server, "demo-safety", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/safety/installations/")
    rows = page.locator("#installation-rows tbody tr")
    expect(rows.nth(0)).to_contain_text("光气及光气化装置")
    expect(rows.nth(0)).to_contain_text("一级")
    rows.nth(0).get_by_role("link", name="光气及光气化装置").click()
    steps = page.locator("#grading")
    expect(steps.get_by_text("R = α·Σβ·q/Q = 1.5 × 133.3333 = 200")).to_be_visible()
    expect(steps.get_by_text("R ≥ 100，定为一级重大危险源")).to_be_visible()
    page.goto(f"{live_server.url}/desk/safety/hazards/?overdue=1")
    expect(page.locator("#hazard-rows tbody tr")).to_have_count(1)
    expect(page.locator("#hazard-rows")).to_contain_text("甲醇罐区防火堤排水阀常开")
    page.goto(f"{live_server.url}/desk/safety/hazards/?status=rectified")
    page.locator("#hazard-rows").get_by_role("link").first.click()
    page.get_by_label("说明（整改完成、退回时必填）").fill("现场复查合格。")
    page.get_by_role("button", name="验收销号").click()
    expect(page.locator("#safety-hazard").get_by_text("已验收销号").first).to_be_visible()
    expect(page.locator("#hazard-events")).to_contain_text("已整改待验收 → 已验收销号")
