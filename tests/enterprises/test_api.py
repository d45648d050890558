import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from onezone.enterprises.models import Enterprise, EnterpriseRequest, Inspection
from tests.enterprises.conftest import uscc
from tests.enterprises.test_views import client_for

pytestmark = pytest.mark.django_db


def base(zone_id):
    return f"/api/v1/enterprises/zones/{zone_id}"


def test_staff_lists_and_filters_enterprises(firms, users):
    client = client_for(users["clerk"])
    url = base(firms["a"].zone_id)
    data = client.get(f"{url}/enterprises").json()
    assert data["total"] == 3
    misfit = client.get(f"{url}/enterprises?misfit=true").json()
    assert [e["name"] for e in misfit["items"]] == ["永昌乙食品有限公司"]
    assert misfit["items"][0]["fits_park"] is False
    one = client.get(f"{url}/enterprises/{firms['a'].pk}").json()
    assert (one["industry_name"], one["tags"]) == ("铜冶炼", ["专精特新"])
    # The list carries each enterprise's tags in the tags' order, opened plain or filtered.
    expected = {
        e.name: [t.name for t in e.tags.order_by("order", "id")]
        for e in Enterprise.objects.filter(zone=firms["a"].zone)
    }
    assert any(len(names) for names in expected.values())
    for query in ("", "?misfit=false", "?q=永昌"):
        listed = client.get(f"{url}/enterprises{query}").json()["items"]
        assert listed and {e["name"]: e["tags"] for e in listed} == {e["name"]: expected[e["name"]] for e in listed}


def test_staff_registers_and_duplicate_is_409(firms, users, parks):
    client = client_for(users["admin"])
    url = base(firms["a"].zone_id)
    payload = {"uscc": uscc(60), "name": "新企业", "industry_code": "C32", "park_id": parks["hexipu"].pk}
    assert client.post(f"{url}/enterprises", payload, content_type="application/json").status_code == 201
    again = client.post(f"{url}/enterprises", payload, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["fields"]["uscc"].startswith(f"统一社会信用代码 {uscc(60)} 已登记为“新企业”")


def test_enterprise_submits_follows_and_confirms_over_the_api(firms, users):
    url = base(firms["a"].zone_id)
    ent = client_for(firms["user_a"])
    created = ent.post(
        f"{url}/requests", {"title": "招工", "description": "缺工严重，招聘不到技工"}, content_type="application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["category"], body["status"]) == ("workers", "submitted")
    rid = body["id"]
    staff = client_for(users["clerk"])
    for step, text in (("acknowledge", ""), ("respond", "已联系人社局"), ("resolve", "招聘会已举办")):
        response = staff.post(f"{url}/requests/{rid}/{step}", {"text": text}, content_type="application/json")
        assert response.status_code == 200, response.json()
    refused = staff.post(f"{url}/requests/{rid}/confirm", {"text": ""}, content_type="application/json")
    assert refused.status_code == 403
    done = ent.post(f"{url}/requests/{rid}/confirm", {"text": "满意"}, content_type="application/json")
    assert done.json()["status"] == "closed"
    assert [e["kind"] for e in done.json()["events"]] == [
        "submitted",
        "acknowledged",
        "responded",
        "resolved",
        "confirmed",
    ]
    # an enterprise cannot file in another enterprise's name
    other = ent.post(
        f"{url}/requests",
        {"title": "x", "description": "y", "enterprise_id": firms["b"].pk},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert EnterpriseRequest.objects.count() == 1


def test_suggest_endpoint(firms):
    response = client_for(firms["user_a"]).post(
        f"{base(firms['a'].zone_id)}/requests-suggest", {"text": "希望协调银行贷款"}, content_type="application/json"
    )
    assert response.json() == {"category": "funding", "category_name": "融资与资金", "words": ["贷款", "银行"]}


def test_blocked_inspection_answers_409_and_is_recorded(firms, users, bodies):
    client = client_for(users["dept_head"])
    url = base(firms["a"].zone_id)
    payload = {
        "enterprise_id": firms["c"].pk,
        "body_id": bodies["enforcement"].pk,
        "kind": "routine",
        "planned_on": "2026-10-12",
        "purpose": "例行检查",
    }
    response = client.post(f"{url}/inspections", payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "inspection_blocked"
    assert Inspection.objects.get().status == "blocked"
    listed = client.get(f"{url}/inspections?status=blocked").json()
    assert listed["total"] == 1


def test_joint_offer_and_merge_over_the_api(firms, users, bodies):
    client = client_for(users["dept_head"])
    url = base(firms["a"].zone_id)
    plan = {"enterprise_id": firms["a"].pk, "kind": "routine", "purpose": "检查"}
    first = client.post(
        f"{url}/inspections",
        {**plan, "body_id": bodies["enforcement"].pk, "planned_on": "2026-10-12"},
        content_type="application/json",
    )
    assert first.status_code == 201
    offer = client.post(
        f"{url}/inspections",
        {**plan, "body_id": bodies["environment"].pk, "planned_on": "2026-10-13"},
        content_type="application/json",
    )
    assert offer.status_code == 409
    assert offer.json()["code"] == "joint_offered"
    assert offer.json()["fields"]["joint_with"] == str(first.json()["id"])
    triggered = client.post(
        f"{url}/inspections",
        {
            **plan,
            "body_id": bodies["environment"].pk,
            "planned_on": "2026-10-13",
            "kind": "complaint",
            "trigger_note": "投诉",
        },
        content_type="application/json",
    )
    merged = client.post(
        f"{url}/inspections/merge",
        {"ids": [first.json()["id"], triggered.json()["id"]], "planned_on": "2026-10-14"},
        content_type="application/json",
    )
    assert merged.json()["kind"] == "joint"
    assert merged.json()["planned_on"] == "2026-10-14"
    assert sorted(merged.json()["participants"]) == ["执法大队", "生态环境分局"]


def test_enterprise_user_cannot_plan_inspections(firms, bodies):
    response = client_for(firms["user_a"]).post(
        f"{base(firms['a'].zone_id)}/inspections",
        {
            "enterprise_id": firms["b"].pk,
            "body_id": bodies["enforcement"].pk,
            "kind": "routine",
            "planned_on": str(dt.date(2026, 10, 1)),
            "purpose": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Inspection.objects.count() == 0


def test_import_command(setup, users, tmp_path):
    from onezone.enterprises.services.transfer import COLUMNS

    workbook = Workbook()
    workbook.active.append([column.header for column in COLUMNS])
    workbook.active.append([uscc(70), "命令导入公司", "", 100, "C32", "hexipu"])
    path = tmp_path / "e.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    out = io.StringIO()
    call_command("import_enterprises", str(path), zone="testzone", user="u-admin", stdout=out)
    assert "新增企业 1 家" in out.getvalue()
    assert Enterprise.objects.get(uscc=uscc(70)).name == "命令导入公司"
    with pytest.raises(CommandError, match="已登记"):
        call_command("import_enterprises", str(path), zone="testzone", user="u-admin")


def test_list_queries_do_not_grow_with_rows_when_the_industry_catalogue_is_empty(setup, users, parks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from onezone.enterprises.services import enterprise_register
    from onezone.zones.models import Industry

    for i in range(12):
        name = f"{'甲组' if i < 2 else '乙组'}企业{i:02d}"
        enterprise_register(
            actor=users["admin"],
            zone_id=setup.pk,
            uscc=uscc(300 + i),
            name=name,
            industry_code="C32",
            park=parks["hexipu"],
        )
    Industry.objects.update(parent=None)
    Industry.objects.all().delete()
    client = client_for(users["clerk"])
    url = f"{base(setup.pk)}/enterprises"
    client.get(url)  # the session and the user are read once

    def queries_for(q: str, rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            data = client.get(url, {"q": q}).json()
        assert data["total"] == len(data["items"]) == rows
        assert {item["industry_name"] for item in data["items"]} == {""}
        return len(captured)

    assert queries_for("企业", 12) == queries_for("甲组", 2)
