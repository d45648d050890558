"""A case through the browser: intake → one-time notice → supplement → accept → review → decide →
deliver → close → the applicant rates it on the public look-up."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.powers.services import item_create
from onezone.window.models import Case, Rating
from tests.e2e.conftest import appoint_to_service_centre, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from django.contrib.auth.models import User

    from onezone.core.calendar import calendar_seed

    calendar_seed()
    ctx = load_demo(only=["s10_foundation"])
    item_create(
        actor=ctx.users["admin"],
        zone_id=ctx.zone.pk,
        data={
            "name": "食品经营许可",
            "implementation_code": "E2E-001",
            "category": "licensing",
            "implementing_body_id": ctx.bodies["service"].pk,
            "legal_limit": 20,
            "committed_limit": 5,
        },
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[{"name": "食品经营许可申请书"}, {"name": "营业执照复印件"}],
    )
    second = User.objects.create_user(username="e2e-reviewer2", password=DEMO_PASSWORD, is_staff=True)
    RoleGrant.objects.create(user=second, zone=ctx.zone, role=Role.REVIEWER)
    appoint_to_service_centre(ctx.zone, second)
    return ctx


def _logout(page, live_server):
    page.context.clear_cookies()


def _act(page, action: str, fill: dict | None = None):
    form = page.locator(f"form[data-action={action}]")
    for selector, value in (fill or {}).items():
        if selector.startswith("select"):
            form.locator(selector).select_option(label=value)
        else:
            form.locator(selector).fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_case_from_intake_to_rating(page, live_server, demo):
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/?q=食品")
    page.get_by_role("link", name="选择").click()
    page.get_by_label("食品经营许可申请书", exact=True).check()
    page.get_by_label("补正：营业执照复印件").check()
    page.fill("#applicant_name", "金昌示范食品有限公司")
    page.fill("#applicant_uscc", "91512081MA62K0260E")
    page.fill("#note", "复印件须加盖公章")
    page.get_by_role("button", name="一次性告知补正").click()
    expect(page.locator("#case-state")).to_have_text("待补正")
    expect(page.get_by_role("link", name="补正材料一次性告知书（.docx）")).to_be_visible()
    case = Case.objects.get()

    _act(page, "supplement_receive")
    expect(page.locator("#case-state")).to_have_text("已补正")
    _act(page, "accept")
    expect(page.locator("#case-state")).to_have_text("已受理")
    expect(page.locator("#clock-notes")).to_contain_text("承诺时限 5 个工作日")

    _logout(page, live_server)
    login(page, live_server, "demo-reviewer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/cases/{case.pk}/")
    _act(page, "review_start")
    # Art. 34: the second reviewer confirms under their own login before the decision
    _logout(page, live_server)
    login(page, live_server, "e2e-reviewer2", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/cases/{case.pk}/")
    _act(page, "review_confirm", {"#reason-review_confirm": "核查无误，同意。"})
    _logout(page, live_server)
    login(page, live_server, "demo-reviewer", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/cases/{case.pk}/")
    _act(page, "decide", {"#text": "符合条件，准予许可。"})
    expect(page.locator("#case-state")).to_have_text("已决定")

    _logout(page, live_server)
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/cases/{case.pk}/")
    _act(page, "deliver")
    _act(page, "close")
    expect(page.locator("#case-state")).to_have_text("已办结")
    case.refresh_from_db()

    _logout(page, live_server)
    page.goto(f"{live_server.url}/portal/window/lookup/")
    page.fill("#number", case.number)
    page.fill("#code", case.query_code)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#public-state")).to_have_text("已办结")
    assert "金昌示范" not in page.content()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#thanks")).to_be_visible()
    assert Rating.objects.get(case=case).level == 4
