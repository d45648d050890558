import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from onezone.core.models import AuditEvent
from onezone.enterprises import portal_sections
from onezone.enterprises.models import Enterprise, EnterpriseRequest, Inspection
from onezone.enterprises.services import (
    contact_add,
    inspection_plan,
    request_acknowledge,
    request_resolve,
    request_respond,
    request_submit,
    requests_sweep,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def resolved_request(firms, users, enterprise="a", user="user_a"):
    request = request_submit(
        actor=firms[user], enterprise=firms[enterprise], title="资金困难", description="希望协调银行贷款"
    )
    clerk = users["clerk"]
    request = request_acknowledge(actor=clerk, request=request)
    request = request_respond(actor=clerk, request=request, response="已对接银行")
    return request_resolve(actor=clerk, request=request, resolution="贷款已发放")


def test_enterprise_sees_its_profile_and_requests(firms, users):
    request = resolved_request(firms, users)
    page = client_for(firms["user_a"]).get("/portal/enterprise/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "金昌甲新材料有限公司" in text
    assert request.number in text
    assert "永昌乙食品有限公司" not in text


def test_enterprise_submits_and_confirms_in_the_portal(firms, users):
    client = client_for(firms["user_a"])
    response = client.post(
        "/portal/enterprise/requests/new/",
        {"title": "用电", "description": "夏季限电影响生产，希望协调供电增容", "category": ""},
    )
    request = EnterpriseRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/enterprise/requests/{request.number}/"
    assert request.category.code == "utilities"
    clerk = users["clerk"]
    request = request_acknowledge(actor=clerk, request=request)
    request = request_respond(actor=clerk, request=request, response="已联系供电公司")
    request_resolve(actor=clerk, request=request, resolution="已增容")
    page = client.get(f"/portal/enterprise/requests/{request.number}/")
    assert "满意，确认办结" in page.content.decode()
    client.post(f"/portal/enterprise/requests/{request.number}/", {"action": "confirm", "text": "很满意"})
    request.refresh_from_db()
    assert request.status == "closed"
    assert request.satisfaction == "很满意"


def test_portal_form_errors_are_shown(firms):
    page = client_for(firms["user_a"]).post("/portal/enterprise/requests/new/", {"title": "", "description": ""})
    assert page.status_code == 200
    assert EnterpriseRequest.objects.count() == 0


def test_another_enterprise_sees_nothing_and_changes_nothing(firms, users):
    request = resolved_request(firms, users)
    client = client_for(firms["user_b"])
    before = AuditEvent.objects.count()
    assert client.get(f"/portal/enterprise/requests/{request.number}/").status_code == 404
    assert client.post(f"/portal/enterprise/requests/{request.number}/", {"action": "confirm"}).status_code == 404
    assert request.number not in client.get("/portal/enterprise/").content.decode()
    # the back office and the staff API are closed to enterprise users
    assert client.get(f"/desk/enterprises/{firms['a'].pk}/").status_code in {302, 403}
    assert client.get(f"/desk/enterprises/requests/{request.pk}/").status_code in {302, 403}
    zone_id = firms["a"].zone_id
    assert client.get(f"/api/v1/enterprises/zones/{zone_id}/enterprises").status_code == 403
    assert client.get(f"/api/v1/enterprises/zones/{zone_id}/requests/{request.pk}").status_code == 404
    api = client.post(
        f"/api/v1/enterprises/zones/{zone_id}/requests/{request.pk}/confirm",
        {"text": ""},
        content_type="application/json",
    )
    assert api.status_code == 404
    listed = client.get(f"/api/v1/enterprises/zones/{zone_id}/requests").json()
    assert listed["total"] == 0
    request.refresh_from_db()
    assert request.status == "resolved"
    assert AuditEvent.objects.count() == before


def test_staff_user_without_enterprise_gets_the_not_linked_page(firms, users):
    response = client_for(users["clerk"]).get("/portal/enterprise/")
    assert response.status_code == 403
    assert "尚未关联企业" in response.content.decode()


def test_portal_requires_login():
    response = Client().get("/portal/enterprise/")
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/enterprise/login/")


def test_portal_login_page_signs_in_an_enterprise_user(firms):
    client = Client()
    response = client.post(
        "/portal/enterprise/login/", {"username": "ent-a", "password": PASSWORD, "next": "/portal/enterprise/"}
    )
    assert response.status_code == 302
    assert client.get("/portal/enterprise/").status_code == 200


def test_portal_sections_registry(firms):
    def build(request, enterprise):
        return portal_sections.PortalSection(
            title="测试栏目", headers=["企业", "链接"], rows=[[enterprise.name, ("办理", "/x/")], ["办理"]]
        )

    portal_sections.register("test.cases", order=1, build=build)
    try:
        text = client_for(firms["user_a"]).get("/portal/enterprise/").content.decode()
    finally:
        portal_sections.unregister("test.cases")
    assert "测试栏目" in text
    assert '<a href="/x/">办理</a>' in text
    assert "<td>办理</td>" in text
    # the window's cases appear through the section the enterprise module registers for it
    assert "我的办件" in text


def test_desk_pages_render(firms, users, bodies):
    contact_add(actor=users["admin"], enterprise=firms["a"], name="王经理", mobile="13909350001")
    request = resolved_request(firms, users)
    inspection_plan(
        actor=users["dept_head"],
        enterprise=firms["a"],
        body=bodies["enforcement"],
        kind="routine",
        planned_on=dt.date(2026, 10, 12),
        purpose="例行检查",
    )
    unanswered = request_submit(actor=firms["user_a"], enterprise=firms["a"], title="用地", description="扩建用地")
    requests_sweep(today=dt.date(2099, 1, 1))
    client = client_for(users["clerk"])
    assert "签收超期，已上报" in client.get(f"/desk/enterprises/requests/{unanswered.pk}/").content.decode()
    page = client.get(f"/desk/enterprises/{firms['b'].pk}/").content.decode()
    assert "不符合园区定位" in page
    page = client.get(f"/desk/enterprises/{firms['a'].pk}/").content.decode()
    assert "139****0001" in page and "13909350001" not in page
    contact = firms["a"].contacts.get()
    page = client.post(f"/desk/enterprises/{firms['a'].pk}/", {"action": "reveal", "contact": contact.pk})
    assert "13909350001" in page.content.decode()
    assert AuditEvent.objects.first().action == "enterprises.contact.view_personal_data"
    assert request.number in client.get("/desk/enterprises/requests/?open=1").content.decode()
    assert "贷款已发放" in client.get(f"/desk/enterprises/requests/{request.pk}/").content.decode()
    assert "金昌甲新材料有限公司" in client.get("/desk/enterprises/inspections/").content.decode()
    calendar = client.get("/desk/enterprises/inspections/calendar/?year=2026&month=10").content.decode()
    assert "金昌甲新材料有限公司" in calendar
    admin_list = client.get("/admin/enterprises/enterprise/?fit=no")
    assert admin_list.status_code == 200
    assert "永昌乙食品有限公司" in admin_list.content.decode()
    assert "金昌甲新材料有限公司" not in admin_list.content.decode()
    assert client.get("/admin/").status_code == 200


def test_desk_request_actions_and_category_correction(firms, users, bodies):
    request = request_submit(actor=firms["user_a"], enterprise=firms["a"], title="贷款", description="协调银行贷款")
    client = client_for(users["leader"])  # the request moves to the service centre, where the clerk has no post
    url = f"/desk/enterprises/requests/{request.pk}/"
    assert "依据词语" in client.get(url).content.decode()
    client.post(url, {"action": "category", "category": "approvals"})
    client.post(url, {"action": "acknowledge", "status": "submitted"})
    client.post(url, {"action": "respond", "status": "acknowledged", "text": "已答复"})
    request.refresh_from_db()
    assert (request.status, request.handling_body, request.category.code) == (
        "responded",
        bodies["service"],
        "approvals",
    )
    # a stale form (still showing "submitted") is refused and changes nothing
    client.post(url, {"action": "acknowledge", "status": "submitted"})
    request.refresh_from_db()
    assert request.status == "responded"


def test_desk_plans_blocks_and_merges_inspections(firms, users, bodies):
    client = client_for(users["dept_head"])
    url = "/desk/enterprises/inspections/"
    base = {"action": "plan", "enterprise": firms["a"].uscc, "kind": "routine", "purpose": "检查"}
    client.post(url, {**base, "body": bodies["enforcement"].pk, "planned_on": "2026-10-12"})
    page = client.post(url, {**base, "body": bodies["environment"].pk, "planned_on": "2026-10-15"}).content.decode()
    assert "综合查一次" in page
    client.post(url, {**base, "body": bodies["environment"].pk, "planned_on": "2026-10-15", "join": "on"})
    assert Inspection.objects.filter(kind="joint").count() == 1
    page = client.post(
        url, {**base, "enterprise": firms["c"].uscc, "body": bodies["enforcement"].pk, "planned_on": "2026-10-20"}
    )
    assert "低风险企业" in page.content.decode()
    assert Inspection.objects.filter(status="blocked").count() == 1


def xlsx(rows) -> bytes:
    from onezone.enterprises.services.transfer import COLUMNS

    workbook = Workbook()
    workbook.active.append([column.header for column in COLUMNS])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)  # the worker closes the connection between tasks
def test_import_page_reports_rows(setup, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onezone.core.jobs import Job

    client = client_for(users["admin"])
    bad = SimpleUploadedFile("e.xlsx", xlsx([["91620321MA00000000", "某公司", "", "", "C32", "河西堡工业园"]]))
    started = client.post("/desk/enterprises/import/", {"file": bad})
    job = Job.objects.get()
    assert started["Location"] == f"/desk/jobs/{job.pk}/"
    call_command("worker", "--batch", verbosity=0)  # the import runs in the worker
    page = client.get(started["Location"]).content.decode()
    assert "未导入任何企业" in page
    assert "第2行“统一社会信用代码”" in page
    assert Enterprise.objects.count() == 0
    response = client.get("/desk/enterprises/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
