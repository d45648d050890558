"""An enterprise user logs in, finds the 免申即享 grant the zone computed for it, and confirms it."""

import pytest
from playwright.sync_api import expect

from onezone.policies.models import GrantStatus, PolicyGrant
from onezone.policies.services import policy_match_run
from tests.conftest import PASSWORD
from tests.policies.conftest import ON, enterprises, members, parks, policies  # noqa: F401  fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def grant(zone, users, enterprises, policies, members):  # noqa: F811
    policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    return PolicyGrant.objects.get(policy=policies["jobs"], enterprise=enterprises["jinhua"])


def test_enterprise_confirms_its_grant(page, live_server, grant):
    page.goto(f"{live_server.url}/portal/policies/mine/")
    # Not signed in: the portal asks for the enterprise login and comes back.
    page.wait_for_url("**/portal/enterprise/login/**")
    page.fill("#enterprise-login input[name=username]", "ent-jinhua")
    page.fill("#enterprise-login input[name=password]", PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/policies/mine/")

    grants = page.locator("#my-grants")
    row = grants.locator("tr", has_text="稳岗补贴")
    expect(row.get_by_text("6.00万元", exact=True)).to_be_visible()
    expect(row.get_by_text("待企业确认")).to_be_visible()
    # 永新材料's grant is not its business
    expect(page.locator("#my-grants").get_by_text("10.00万元", exact=True)).to_have_count(0)

    row.get_by_role("link", name="去确认").click()
    expect(page.get_by_text("2025年从业人数 120人 × 500元/人 = 6.00万元")).to_be_visible()
    page.fill("input[name=bank_account_note]", "基本户 尾号0421")
    page.click("#confirm-grant")
    expect(page.locator("#grant-message")).to_have_text("已确认，园区将按程序拨付资金。")
    expect(page.locator("#grant-status")).to_have_text("企业已确认，待拨付")
    expect(page.locator("#confirm-grant")).to_have_count(0)

    grant.refresh_from_db()
    assert grant.status == GrantStatus.CONFIRMED
    assert grant.bank_account_note == "基本户 尾号0421"
    assert grant.confirmed_by.username == "ent-jinhua"


def test_another_enterprises_grant_is_not_shown(page, live_server, grant):
    page.goto(f"{live_server.url}/portal/enterprise/login/")
    page.fill("#enterprise-login input[name=username]", "ent-yongxin")
    page.fill("#enterprise-login input[name=password]", PASSWORD)
    page.click("#enterprise-login button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/enterprise/")
    response = page.goto(f"{live_server.url}/portal/policies/grants/{grant.pk}/")
    assert response.status == 404
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PROPOSED
