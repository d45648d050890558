"""A bundle (一件事) through the browser: one application and one acceptance at the desk, the first
stage's case decided at its body, the next stage started from the bundle page, then the applicant sees
one status and one result on the public look-up and rates the bundle once."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.powers.services import item_create
from onezone.window import services as window
from onezone.window.bundles import services as bundles
from onezone.window.bundles.models import BundleCase
from onezone.window.models import Case, Rating
from tests.e2e.conftest import appoint_to_service_centre, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    from django.contrib.auth.models import User

    from onezone.core.calendar import calendar_seed

    calendar_seed()
    ctx = load_demo(only=["s10_foundation"])
    common = {"category": "licensing", "implementing_body_id": ctx.bodies["service"].pk}
    filing = item_create(
        actor=ctx.users["admin"],
        zone_id=ctx.zone.pk,
        data={
            "name": "企业投资项目备案",
            "implementation_code": "E2E-B1",
            "handling_type": "instant",
            "legal_limit": 0,
            "committed_limit": 0,
            **common,
        },
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[{"name": "项目备案信息表"}, {"name": "营业执照复印件"}],
    )
    permit = item_create(
        actor=ctx.users["admin"],
        zone_id=ctx.zone.pk,
        data={
            "name": "建筑工程施工许可证核发",
            "implementation_code": "E2E-B2",
            "legal_limit": 20,
            "committed_limit": 5,
            **common,
        },
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[{"name": "施工合同"}, {"name": "营业执照复印件"}],
    )
    bundle = bundles.bundle_define(
        actor=ctx.users["admin"],
        zone_id=ctx.zone.pk,
        code="e2e",
        name="项目开工一件事",
        members=[(filing.pk, 1), (permit.pk, 2)],
    )
    second = User.objects.create_user(username="e2e-reviewer2", password=DEMO_PASSWORD, is_staff=True)
    RoleGrant.objects.create(user=second, zone=ctx.zone, role=Role.REVIEWER)
    appoint_to_service_centre(ctx.zone, second)
    ctx.extra.update(bundle=bundle, second=second)
    return ctx


def test_bundle_from_application_to_rating(page, live_server, demo):
    clerk, reviewer = demo.users["clerk"], demo.users["reviewer"]
    # The flow takes a dozen page loads; a shared machine under load answers slowly.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    login(page, live_server, "demo-clerk", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/desk/window/bundles/")
    page.get_by_role("link", name="受理", exact=True).click()
    # a material both items need is asked once
    expect(page.locator("#bundle-materials tbody tr")).to_have_count(3)
    for name in ("项目备案信息表", "营业执照复印件", "施工合同"):
        page.get_by_label(name, exact=True).check()
    page.fill("#applicant_name", "金昌示范新材料有限公司")
    page.fill("#applicant_uscc", "91512081MA62K0260E")
    with page.expect_navigation():
        page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("#bundle-state")).to_have_text("办理中")
    bundle_case = BundleCase.objects.get()

    filing = Case.objects.get(bundle_link__bundle_case=bundle_case)
    window.case_decide(actor=clerk, case_id=filing.pk, granted=True, text="予以备案。")
    window.case_deliver(actor=clerk, case_id=filing.pk)
    window.case_close(actor=clerk, case_id=filing.pk)
    page.reload()
    with page.expect_navigation():
        page.locator("#bundle-advance").click()
    expect(page.locator("#bundle-subcases")).to_contain_text("建筑工程施工许可证核发")

    permit = Case.objects.get(bundle_link__bundle_case=bundle_case, item_code="E2E-B2")
    window.case_review_start(actor=reviewer, case_id=permit.pk)
    window.case_review_confirm(actor=demo.extra["second"], case_id=permit.pk, opinion="核查无误。")
    window.case_decide(actor=reviewer, case_id=permit.pk, granted=True, text="准予许可。")
    window.case_deliver(actor=clerk, case_id=permit.pk)
    window.case_close(actor=clerk, case_id=permit.pk)
    page.reload()
    expect(page.locator("#bundle-state")).to_have_text("已办结")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/portal/window/bundles/lookup/")
    page.fill("#number", bundle_case.number)
    page.fill("#code", bundle_case.query_code)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    expect(page.locator("#bundle-public-state")).to_have_text("已办结")
    expect(page.locator("#bundle-public-result")).to_contain_text("全部办成")
    expect(page.locator("input[name=level]:checked")).to_have_count(0)
    page.get_by_label("满意", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#bundle-thanks")).to_be_visible()
    assert BundleCase.objects.get().rating_level == 4
    assert sorted(Rating.objects.values_list("level", flat=True)) == [4, 4]
