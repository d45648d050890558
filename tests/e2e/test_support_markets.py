"""An enterprise publishes a need in the portal, sees the upstream offer matched with its reasons, and agrees
to share its contact; the other side's contact stays masked until both agree."""

import pytest
from playwright.sync_api import expect

from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.enterprises.models import Enterprise
from onezone.support.models import MarketMatch
from onezone.support.services.markets import listing_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from onezone.core.calendar import calendar_seed
    from onezone.investment.services import chain_create, chain_node_add

    calendar_seed()
    ctx = load_demo(only=["s10_foundation", "s30_enterprises"])
    officer = ctx.users["investment_officer"]
    chain = chain_create(actor=officer, zone_id=ctx.zone.pk, name="有色冶金")
    ore = chain_node_add(actor=officer, chain=chain, name="镍钴铜矿", stage="upstream", industry_code="B09")
    nickel = chain_node_add(
        actor=officer, chain=chain, name="镍钴冶炼", stage="midstream", industry_code="C3213", parent=ore
    )
    supplier = Enterprise.objects.filter(zone=ctx.zone).exclude(pk=ctx.extra["enterprise"].pk).order_by("name").first()
    listing_publish(
        actor=officer,
        enterprise=supplier,
        kind="offer",
        title="镍钴精矿",
        industry_code="B0912",
        link_id=ore.pk,
        contact_name="郭经理",
        contact_mobile="13909351104",
    )
    ctx.extra["nickel"] = nickel
    ctx.extra["supplier"] = supplier
    return ctx


def test_an_enterprise_publishes_a_need_and_sees_its_match(page, live_server, demo):
    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("input[name=username]", "demo-enterprise")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")

    page.goto(f"{live_server.url}/portal/support/markets/")
    page.get_by_role("link", name="发布需求").click()
    page.fill("input[name=title]", "镍钴精矿（湿法冶炼原料）")
    page.fill("input[name=quantity]", "30000")
    page.fill("input[name=unit]", "吨")
    page.select_option("select[name=link_id]", str(demo.extra["nickel"].pk))
    page.fill("input[name=contact_name]", "吴国庆")
    page.fill("input[name=contact_mobile]", "13909351105")
    page.click("#listing-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/support/markets/")

    expect(page.locator("#my-listings")).to_contain_text("镍钴精矿（湿法冶炼原料）")
    row = page.locator("#my-matches tr", has_text=demo.extra["supplier"].name)
    expect(row).to_contain_text("上游供给：有色冶金·镍钴铜矿")
    expect(row).to_contain_text("同在园区内")
    expect(row).to_contain_text("郭**　139****1104")
    assert "13909351104" not in page.content()

    row.get_by_role("button", name="同意交换联系方式").click()
    page.wait_for_load_state()
    expect(page.locator("#my-matches tr", has_text=demo.extra["supplier"].name)).to_contain_text("我方已同意")
    match = MarketMatch.objects.get()
    assert match.need_agreed_at is not None and match.offer_agreed_at is None
