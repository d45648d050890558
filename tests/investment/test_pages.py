import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.investment import services
from onezone.investment.models import FundsEntry, Project, ProjectStageChange
from tests.conftest import PASSWORD, make_user
from tests.investment.conftest import signed_project

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def project(zone, parks, officer, chain):
    p = signed_project(
        zone, parks, officer, name="氟化工项目", is_key=True, planned_start_year=2024, chain_node=chain["hf"]
    )
    services.funds_receipt_record(
        actor=officer, project=p, amount="51000000", received_on=D(2024, 3, 1), source="domestic"
    )
    return p


def test_pages_render_for_the_officer(zone, project, chain, policy, users):
    client = client_for("u-investment_officer")
    for url in [
        "/desk/investment/",
        f"/desk/investment/projects/{project.pk}/",
        "/desk/investment/figures/?year=2024",
        "/desk/investment/chains/",
        f"/desk/investment/chains/{chain['chain'].pk}/",
        "/desk/investment/agent/",
        "/desk/investment/awards/",
        "/admin/investment/project/",
        "/admin/investment/fundsentry/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/desk/investment/figures/?year=2024").content.decode()
    assert "5,100.00万元" in page and 'id="start-rate">0.0%' in page


def test_move_and_funds_through_the_page(zone, project):
    client = client_for("u-investment_officer")
    url = f"/desk/investment/projects/{project.pk}/"
    client.post(url + "move/", {"to_stage": "registered", "on": "2024-02-01", "expected_stage": "signed"})
    client.post(url + "move/", {"to_stage": "construction_started", "on": "2024-04-01", "expected_stage": "registered"})
    project.refresh_from_db()
    assert project.stage == "construction_started"
    page = client.get("/desk/investment/figures/?year=2024").content.decode()
    assert 'id="start-rate">100.0%' in page
    response = client.post(
        url + "move/", {"to_stage": "dropped", "expected_stage": "construction_started"}, follow=True
    )
    assert "终止项目必须填写原因" in response.content.decode()
    client.post(url + "funds/", {"amount": "1000", "received_on": "2024-05-01", "source": "local"})
    assert FundsEntry.objects.filter(project=project).count() == 2
    entry = FundsEntry.objects.filter(project=project).first()
    client.post(url + "correct/", {"entry": entry.pk, "correct_amount": "50000000", "reason": "核对银行回单"})
    assert FundsEntry.objects.get(corrects=entry).amount == Decimal("-1000000.00")


def test_clerk_cannot_move_through_the_page_and_nothing_changes(zone, project):
    client = client_for("u-clerk")
    response = client.post(
        f"/desk/investment/projects/{project.pk}/move/",
        {"to_stage": "registered", "expected_stage": "signed"},
        follow=True,
    )
    assert "没有“推进项目阶段”的权限" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == "signed" and ProjectStageChange.objects.filter(project=project).count() == 3


def test_other_zone_cannot_see_the_project(zone, other_zone, project):
    make_user("outsider", zone=other_zone, role="investment_officer")
    response = client_for("outsider").get(f"/desk/investment/projects/{project.pk}/")
    assert response.status_code == 404


def test_targets_export(zone, officer, chain):
    from io import BytesIO

    from openpyxl import load_workbook

    services.chain_target_add(actor=officer, node=chain["film"], company="某膜材料公司", location="浙江", priority=1)
    response = client_for("u-investment_officer").get("/desk/investment/chains/targets.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:6] == ("产业链", "环节", "位置", "行业代码", "是否缺链", "目标企业")
    assert rows[1][:6] == ("氟化工", "含氟膜材料", "下游", "C2651", "是", "某膜材料公司")


def test_landing_panels(zone, project, users):
    services.project_assign_agent(actor=users["investment_officer"], project=project, agent=users["agent"])
    project.refresh_from_db()
    services.milestones_choose(actor=users["agent"], project=project, kinds=["eia"], planned={"eia": D(2024, 1, 1)})
    agent_page = client_for("u-agent").get("/admin/").content.decode()
    assert "代办超期事项" in agent_page and "环评" in agent_page
    leader_page = client_for("u-leader").get("/admin/").content.decode()
    assert "招商引资" in leader_page and "重点项目开工率" in leader_page


def test_admin_creates_a_project_through_the_service(zone, parks, officer):
    client = client_for("u-investment_officer")
    response = client.post(
        "/admin/investment/project/add/",
        {
            "name": "新线索",
            "investor_name": "某公司",
            "industry_code": "2614",
            "park": parks["chem"].pk,
            "planned_investment": "1000000",
            "planned_start_year": "2026",
            "referrer": "",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="新线索")
    assert project.industry_code == "C2614" and project.stage == "lead"
    assert ProjectStageChange.objects.filter(project=project, to_stage="lead").exists()


def test_a_year_out_of_range_gets_a_clear_message_on_every_figures_page(zone, project, users):
    """The figures pages of three apps share one year check: 400 with the reason, not a server error."""
    pages = {
        "u-investment_officer": "/desk/investment/figures/",
        "u-leader": "/desk/assessment/",
        "u-clerk": "/desk/window/efficiency/",
    }
    for username, url in pages.items():
        client = client_for(username)
        for bad in ("99999", "abc"):
            response = client.get(url, {"year": bad})
            assert response.status_code == 400, (url, bad)
            assert f"年份“{bad}”不正确：请填写 2000–2100 之间的四位年份" in response.content.decode(), url
        assert client.get(url, {"year": "2024"}).status_code == 200, url
