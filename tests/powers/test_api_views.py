"""API endpoints, public pages, the admin pages and the import command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from onezone.core.roles import Role
from onezone.powers.importers import write_workbook
from onezone.powers.models import Delegation, ListVersion, PowerItem
from onezone.powers.selectors import export_snapshots
from onezone.powers.services import batch_create, delegation_propose, item_update, list_publish
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(zone, users, add_item):
    items = [add_item(f"Y{n:03d}", name=f"建设工程规划许可{n}") for n in range(8)]
    add_item("P001", name="对安全生产违法行为的行政处罚", category="penalty", legal_limit=90, committed_limit=60)
    v1 = list_publish(actor=users["leader"], zone_id=zone.pk, title="一", document="", effective_on=dt.date(2025, 1, 1))
    item_update(actor=users["admin"], item_id=items[0].pk, changes={"committed_limit": 3}, reason="提速")
    v2 = list_publish(actor=users["leader"], zone_id=zone.pk, title="二", document="", effective_on=dt.date(2025, 2, 1))
    return {"items": items, "v1": v1, "v2": v2}


def test_public_items_endpoint_pages_and_filters(zone, published, django_assert_num_queries):
    client = Client()
    url = f"/api/v1/powers/zones/{zone.pk}/items"
    with django_assert_num_queries(2):
        body = client.get(url, {"per_page": 5}).json()
    assert (body["count"], body["pages"], len(body["items"])) == (9, 2, 5)
    assert body["version"]["number"] == 2
    with django_assert_num_queries(2):
        body = client.get(url, {"per_page": 50}).json()
    assert len(body["items"]) == 9
    body = client.get(url, {"category": "penalty"}).json()
    assert [i["code"] for i in body["items"]] == ["P001"]
    assert body["items"][0]["legal"] == "90个工作日"


def test_item_detail_is_public_and_follows_the_date(zone, published):
    item = published["items"][0]
    client = Client()
    now = client.get(f"/api/v1/powers/zones/{zone.pk}/items/{item.pk}").json()
    assert now["item"]["committed_limit"] == 3
    old = client.get(f"/api/v1/powers/zones/{zone.pk}/items/{item.pk}", {"on": "2025-01-15"}).json()
    assert (old["version"]["number"], old["item"]["committed_limit"]) == (1, 10)
    missing = client.get(f"/api/v1/powers/zones/{zone.pk}/items/{item.pk}", {"on": "2023-01-01"})
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_versions_and_diff_endpoints(zone, published):
    client = Client()
    versions = client.get(f"/api/v1/powers/zones/{zone.pk}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    diff = client.get(f"/api/v1/powers/zones/{zone.pk}/versions/{published['v1'].pk}/diff/{published['v2'].pk}").json()
    assert diff["summary"] == "+0 −0, 1 modified"
    assert diff["modified"][0]["changes"] == [
        {"field": "committed_limit", "label": "承诺办结时限", "old": 10, "new": 3}
    ]


def test_delegations_are_for_staff_of_the_zone_only(zone, other_zone, users, published, bodies):
    batch = batch_create(actor=users["admin"], zone_id=zone.pk, number=1, title="第一批")
    delegation_propose(
        actor=users["admin"],
        batch_id=batch.pk,
        item_id=published["items"][1].pk,
        form="devolve",
        original_department="县住建局",
        receiving_body_id=bodies["economy"].pk,
    )
    url = f"/api/v1/powers/zones/{zone.pk}/delegations"
    assert Client().get(url).status_code == 401
    stranger = make_user("stranger", zone=other_zone, role=Role.ADMIN)
    client = Client()
    client.force_login(stranger)
    refused = client.get(url)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    client.force_login(users["clerk"])
    rows = client.get(url).json()
    assert [(r["item_name"], r["form"], r["batch_number"], r["status"]) for r in rows] == [
        ("建设工程规划许可1", "devolve", 1, "proposed")
    ]
    assert Delegation.objects.count() == 1


def test_public_pages_render_without_login(zone, published):
    client = Client()
    page = client.get("/portal/powers/", {"q": "规划许可1"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "共 1 项" in text and "建设工程规划许可1" in text
    item = published["items"][0]
    guide = client.get(f"/portal/powers/items/{item.pk}/").content.decode()
    for words in ("办事指南", "营业执照复印件", "20个工作日", "3个工作日", "园区政务服务中心1号窗口", "不收费"):
        assert words in guide
    versions = client.get("/portal/powers/versions/").content.decode()
    assert "新增0项、取消0项、调整1项" in versions
    assert client.get("/portal/powers/items/999999/").status_code == 404


def test_admin_pages_open_for_staff(zone, users, published):
    client = Client()
    client.force_login(users["admin"])
    for url in (
        "/admin/powers/poweritem/",
        f"/admin/powers/poweritem/{published['items'][0].pk}/change/",
        "/admin/powers/poweritem/add/",
        "/admin/powers/poweritem/import/",
        "/admin/powers/listversion/",
        "/admin/powers/listversion/publish/",
        f"/admin/powers/listversion/diff/?a={published['v1'].pk}&b={published['v2'].pk}",
        "/admin/powers/delegation/",
        "/admin/powers/adjustment/",
        "/admin/powers/enforcementitem/",
        "/admin/powers/delegationbatch/",
    ):
        assert client.get(url).status_code == 200, url
    export = client.get("/admin/powers/listversion/export/", {"version": published["v1"].pk, "format": "json"})
    assert export.json()["version"] == 1


def test_clerk_cannot_publish_through_the_admin(zone, users, published):
    client = Client()
    client.force_login(users["clerk"])
    response = client.post(
        "/admin/powers/listversion/publish/", {"title": "三", "document": "", "effective_on": "2025-03-01"}
    )
    assert response.status_code == 200
    assert "没有“发布清单版本”的权限" in response.content.decode()
    assert ListVersion.objects.count() == 2


def test_admin_upload_reports_rows_and_writes_nothing(zone, users, published):
    client = Client()
    client.force_login(users["admin"])
    upload = io.BytesIO(b"not an excel file")
    upload.name = "list.xlsx"
    response = client.post("/admin/powers/poweritem/import/", {"file": upload, "reason": "导入"})
    assert "不是 Excel 工作簿" in response.content.decode()
    assert PowerItem.objects.count() == 9


def test_import_command_prints_progress(zone, users, published, tmp_path, capsys):
    snaps, _ = export_snapshots(zone.pk)
    path = tmp_path / "list.xlsx"
    path.write_bytes(write_workbook(snaps))
    out = io.StringIO()
    call_command("import", "powers", str(path), "--zone", zone.code, "--user", users["admin"].username, stdout=out)
    text = out.getvalue()
    assert "校验通过，共9行" in text
    assert "写入：9/9（100%）" in text
    assert "导入完成：新增0项、调整0项、未变化9项。" in text
    assert PASSWORD
