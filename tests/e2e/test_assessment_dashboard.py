import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed

    calendar_seed()
    return load_demo(only=["s10_foundation", "s80_assessment"])


def test_leader_sees_figures_and_the_rank_history_chart(page, live_server, demo):
    login(page, live_server, "demo-leader", DEMO_PASSWORD)
    page.get_by_role("link", name="领导驾驶舱").first.click()
    page.wait_for_url(f"{live_server.url}/desk/assessment/")
    figures = page.locator("#key-figures")
    expect(figures.get_by_text("到位资金").first).to_be_visible()
    expect(figures.get_by_text("截至 ").first).to_be_visible()
    assert figures.locator("[data-key=rank]").inner_text().startswith("第 15 名")
    canvas = page.locator("#rank-history-chart")
    expect(canvas).to_be_visible()
    page.wait_for_function("document.getElementById('rank-history-chart').ozChart !== undefined")
    ranks = page.evaluate("document.getElementById('rank-history-chart').ozChart.data.datasets[0].data")
    assert ranks == [36, 33, 28, 24, 19, 15]
    assert page.evaluate("typeof Chart") == "function"
    page.locator("[data-key=rank]").click()
    page.wait_for_url(f"{live_server.url}/desk/assessment/zones/{demo.zone.pk}/")
    expect(page.locator("#values-table").get_by_text("单位面积工业总产值")).to_be_visible()
