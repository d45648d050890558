"""A visitor searches the public list and opens an item's guide (办事指南)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lists(transactional_db):
    from decimal import Decimal

    from onezone.core.roles import Role
    from onezone.org.models import Body
    from onezone.powers.services import item_create, list_publish
    from onezone.zones.services import zone_create

    root = make_user("root-e2e", superuser=True)
    zone = zone_create(
        actor=root,
        name="测试工业园区",
        code="testzone",
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("10"),
        planned_area_km2=Decimal("50"),
    )
    admin = make_user("admin-e2e", zone=zone, role=Role.ADMIN)
    centre = Body.objects.create(zone=zone, name="园区政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    names = ["建筑工程施工许可证核发", "取水许可", "企业投资项目备案", "危险化学品经营许可"]
    for n, name in enumerate(names, start=1):
        instant = name == "企业投资项目备案"
        item_create(
            actor=admin,
            zone_id=zone.pk,
            reason="编制",
            data={
                "name": name,
                "implementation_code": f"YC-{n:03d}",
                "category": "licensing" if not instant else "other",
                "implementing_body_id": centre.pk,
                "legal_limit": 0 if instant else 20,
                "committed_limit": 0 if instant else 5,
                "handling_type": "instant" if instant else "promised",
                "place": "河西堡镇金川西路1号",
                "hours": "工作日 9:00-17:00",
                "visits": 1,
                "special_procedures": ["expert_review"] if name == "取水许可" else [],
            },
            materials=[
                {"name": "取水许可申请书", "necessity": "required", "form": "paper", "copies": 2},
                {"name": "建设项目水资源论证报告书", "necessity": "required", "form": "both", "copies": 1},
            ],
        )
    list_publish(
        actor=admin,
        zone_id=zone.pk,
        title="2025年版",
        document="永工管发〔2024〕56号",
        effective_on=dt.date(2025, 1, 1),
    )
    return zone


def test_visitor_searches_the_list_and_reads_an_item_guide(page, live_server, lists):
    page.goto(f"{live_server.url}/portal/powers/")
    expect(page.locator("#powers-count")).to_have_text("共 4 项")
    page.fill("input[name=q]", "取水")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("#powers-count")).to_have_text("共 1 项")
    rows = page.locator("#powers-list tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_role("link", name="取水许可").click()
    expect(page.locator("h1")).to_have_text("取水许可")
    guide = page.locator("#guide")
    expect(guide.get_by_text("20个工作日")).to_be_visible()
    expect(guide.get_by_text("5个工作日")).to_be_visible()
    expect(guide.get_by_text("专家评审")).to_be_visible()
    expect(guide.get_by_text("河西堡镇金川西路1号")).to_be_visible()
    materials = page.locator("#materials tbody tr")
    expect(materials).to_have_count(2)
    assert materials.first.inner_text().split("\t")[1] == "取水许可申请书"


def test_visitor_filters_by_category(page, live_server, lists):
    page.goto(f"{live_server.url}/portal/powers/")
    page.select_option("select[name=category]", "other")
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("#powers-count")).to_have_text("共 1 项")
    expect(page.locator("#powers-list tbody tr td").nth(5)).to_have_text("即办")
