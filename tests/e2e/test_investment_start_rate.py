import datetime as dt

import pytest
from playwright.sync_api import expect

from onezone.core.models import RoleGrant
from onezone.investment import services
from onezone.zones.services import park_create
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db):
    from decimal import Decimal

    from onezone.zones.models import Town
    from onezone.zones.services import industries_load_catalogue, zone_create

    industries_load_catalogue()
    root = make_user("root", superuser=True)
    zone = zone_create(
        actor=root,
        name="测试工业园区",
        code="e2e",
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("10"),
        planned_area_km2=Decimal("50"),
        merged_town=Town.objects.create(name="镇", area_code="620321"),
    )
    park = park_create(
        actor=root,
        zone=zone,
        name="化工园",
        code="chem",
        planned_area_km2=Decimal("10"),
        built_area_km2=Decimal("5"),
        industry_codes=["C26"],
    )
    officer = make_user("officer", zone=zone, role="investment_officer")
    assert RoleGrant.objects.filter(user=officer).exists()
    year = dt.date.today().year  # noqa: DTZ011  the start rate of the current year
    projects = []
    for name in ("甲项目", "乙项目"):
        project = services.project_create(
            actor=officer,
            zone_id=zone.pk,
            name=name,
            investor_name="某公司",
            industry_code="C2614",
            park=park,
            is_key=True,
            planned_start_year=year,
            officer=officer,
            on=dt.date(year, 1, 2),
        )
        for stage in ("negotiating", "signed"):
            services.project_move(actor=officer, project=project, to_stage=stage, on=dt.date(year, 1, 2))
        projects.append(project)
    return {"year": year, "project": projects[0]}


def test_moving_a_project_to_started_changes_the_start_rate(page, live_server, setup):
    year, project = setup["year"], setup["project"]
    login(page, live_server, "officer", PASSWORD)
    page.goto(f"{live_server.url}/desk/investment/figures/?year={year}")
    expect(page.locator("#start-rate")).to_have_text("0.0%")
    expect(page.locator("#key-planned")).to_have_text("2")

    page.goto(f"{live_server.url}/desk/investment/projects/{project.pk}/")
    page.select_option("#to_stage", "registered")
    page.fill("#move_on", f"{year}-01-03")
    page.click("#move-form button[type=submit]")
    expect(page.locator("#stage")).to_have_text("注册")
    page.select_option("#to_stage", "construction_started")
    page.fill("#move_on", f"{year}-01-04")
    page.click("#move-form button[type=submit]")
    expect(page.locator("#stage")).to_have_text("开工")
    expect(page.get_by_text("阶段已更新。")).to_be_visible()

    page.goto(f"{live_server.url}/desk/investment/figures/?year={year}")
    expect(page.locator("#start-rate")).to_have_text("50.0%")
    expect(page.locator("#key-started")).to_have_text("1")
