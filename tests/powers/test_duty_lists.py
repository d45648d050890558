"""The responsibility list and the enforcement list: set, imported, exported, published, diffed, public."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.powers.duty_importers import write_duty_workbook
from onezone.powers.duty_selectors import duty_export_rows, duty_version_entries, duty_versions_diff
from onezone.powers.models import DutyListVersion, EnforcementItem, Responsibility
from onezone.powers.services import (
    duty_list_import,
    duty_list_publish,
    enforcement_item_set,
    item_revoke,
    responsibility_set,
)

pytestmark = pytest.mark.django_db

R, E = "responsibilities", "enforcement"


def xlsx(header, *rows) -> bytes:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def lists(zone, users, bodies, add_item):
    admin = users["admin"]
    y1, y2 = add_item("Y001"), add_item("Y002")
    penalty = add_item("C001", category="penalty", handling_type="promised", name="对未经许可经营危险化学品的行政处罚")
    for item in (y1, y2):
        responsibility_set(actor=admin, item_id=item.pk, stage="acceptance", content=f"{item.name}依法受理。")
    responsibility_set(
        actor=admin, item_id=y1.pk, stage="decision", content="在承诺时限内作出决定。", accountability="逾期未决定的。"
    )
    enforcement_item_set(
        actor=admin,
        zone_id=zone.pk,
        code="ZF-001",
        data={
            "name": penalty.name,
            "kind": "penalty",
            "item_id": penalty.pk,
            "enforcing_body_id": bodies["enforcement"].pk,
            "basis": "《危险化学品安全管理条例》第七十七条",
        },
    )
    return {"y1": y1, "y2": y2, "penalty": penalty}


def publish(users, zone, kind, number_of_year, effective_on):
    return duty_list_publish(
        actor=users["leader"],
        zone_id=zone.pk,
        kind=kind,
        title=f"{number_of_year}年版",
        document="永工管发〔2025〕1号",
        effective_on=effective_on,
    )


def test_services_set_lines_once_per_item_and_stage_and_audit_them(zone, users, lists):
    again = responsibility_set(
        actor=users["admin"], item_id=lists["y1"].pk, stage="acceptance", content="改为当场受理。"
    )
    assert Responsibility.objects.filter(item=lists["y1"], stage="acceptance").count() == 1
    assert again.content == "改为当场受理。"
    assert AuditEvent.objects.filter(action="powers.responsibility.set").count() == 4
    with pytest.raises(InvalidInput, match="请填写责任事项"):
        responsibility_set(actor=users["admin"], item_id=lists["y1"].pk, stage="review", content=" ")
    with pytest.raises(PermissionDenied):
        responsibility_set(actor=users["clerk"], item_id=lists["y1"].pk, stage="review", content="审查。")
    with pytest.raises(InvalidInput, match="执法类别应为"):
        enforcement_item_set(
            actor=users["admin"],
            zone_id=zone.pk,
            code="ZF-9",
            data={"name": "某", "kind": "x", "basis": "某法", "enforcing_body_id": 1},
        )
    assert Responsibility.objects.count() == 3 and EnforcementItem.objects.count() == 1


def test_publish_freezes_the_live_list_and_the_next_version_says_what_changed(zone, users, lists):
    v1 = publish(users, zone, R, 2025, dt.date(2025, 1, 1))
    assert (v1.number, v1.entry_count, v1.summary) == (1, 3, "首次发布，共3条")
    assert [e["code"] for e in duty_version_entries(v1)] == ["Y001·受理", "Y001·决定", "Y002·受理"]
    admin = users["admin"]
    responsibility_set(
        actor=admin,
        item_id=lists["y1"].pk,
        stage="decision",
        content="7个工作日内作出决定。",
        accountability="逾期未决定的。",
    )
    responsibility_set(actor=admin, item_id=lists["y2"].pk, stage="delivery", content="十日内送达。")
    item_revoke(actor=admin, item_id=lists["y1"].pk, reason="交回县级部门")
    v2 = publish(users, zone, R, 2026, dt.date(2026, 1, 1))
    assert v2.summary == "新增1条、取消2条、调整0条"
    # A published version never changes with the live list.
    assert [e["code"] for e in duty_version_entries(v1)] == ["Y001·受理", "Y001·决定", "Y002·受理"]
    diff = duty_versions_diff(v1, v2)
    assert [x.code for x in diff.added] == ["Y002·送达"]
    assert [x.code for x in diff.removed] == ["Y001·决定", "Y001·受理"]
    responsibility_set(actor=admin, item_id=lists["y2"].pk, stage="delivery", content="五日内送达。")
    v3 = publish(users, zone, R, 2027, dt.date(2027, 1, 1))
    [modified] = duty_versions_diff(v2, v3).modified
    assert [(c.label, c.old, c.new) for c in modified.changes] == [("责任事项", "十日内送达。", "五日内送达。")]
    with pytest.raises(InvalidInput, match="早于上一版"):
        publish(users, zone, R, 2020, dt.date(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        duty_list_publish(actor=users["clerk"], zone_id=zone.pk, kind=R, title="x")
    assert DutyListVersion.objects.filter(kind=R).count() == 3
    e1 = publish(users, zone, E, 2025, dt.date(2025, 1, 1))
    assert (e1.number, e1.entry_count) == (1, 1)  # numbered per list
    assert duty_version_entries(e1)[0]["enforcing_body"] == "执法大队"


def test_export_imports_again_unchanged_and_a_changed_file_adjusts(zone, users, lists):
    for kind in (R, E):
        data = write_duty_workbook(kind, duty_export_rows(zone.pk, kind))
        result = duty_list_import(actor=users["admin"], zone_id=zone.pk, kind=kind, content=data)
        assert (result.added, result.modified) == (0, 0) and result.unchanged > 0, kind
    sheet = load_workbook(io.BytesIO(write_duty_workbook(R, duty_export_rows(zone.pk, R)))).active
    assert [c.value for c in sheet[1]] == ["实施编码", "事项名称", "环节", "责任事项", "追责情形"]
    changed = xlsx(
        ["实施编码", "环节", "责任事项", "追责情形"],
        ["Y001", "受理", "当场受理。", ""],
        ["Y002", "审查", "两人审查。", "未审查即准予的。"],
    )
    result = duty_list_import(actor=users["admin"], zone_id=zone.pk, kind=R, content=changed)
    assert result.message == "责任清单导入完成：新增1条、调整1条、未变化0条。"
    assert Responsibility.objects.get(item=lists["y1"], stage="acceptance").content == "当场受理。"
    assert AuditEvent.objects.filter(action="powers.responsibilities.import").latest("id").changes == {
        "added": 1,
        "modified": 1,
        "unchanged": 0,
    }


def test_a_wrong_row_refuses_the_whole_file_with_the_row_report(zone, users, lists):
    before = list(Responsibility.objects.values_list("pk", "content"))
    bad = xlsx(
        ["实施编码", "环节", "责任事项"],
        ["Y001", "受理", "当场受理。"],
        ["Y999", "受理", "某"],
        ["Y002", "批准", ""],
        ["Y001", "受理", "重复。"],
    )
    with pytest.raises(InvalidInput) as caught:
        duty_list_import(actor=users["admin"], zone_id=zone.pk, kind=R, content=bad)
    head, *lines = caught.value.message.splitlines()
    assert head == "导入文件共 4 行数据：3 行有误，1 行无误，发现 4 处错误，未导入任何责任事项。请改正后重新上传："
    assert lines == [
        "第3行“实施编码”：“Y999”不是本开发区清单中的实施编码，请先把事项列入权力清单。",
        "第4行“环节”：“批准”不是有效取值，应为：受理、审查、决定、送达、事后监管、其他。",
        "第4行“责任事项”：请填写责任事项。",
        "第5行“环节”：与第2行是同一事项的同一环节，请只保留一行。",
    ]
    assert list(Responsibility.objects.values_list("pk", "content")) == before
    bad_enforcement = xlsx(
        ["编码", "执法事项名称", "执法类别", "执法主体", "执法依据"],
        ["ZF-002", "某检查", "行政检查", "不存在的局", "某法"],
    )
    with pytest.raises(InvalidInput, match="第2行“执法主体”：“不存在的局”不是本开发区登记的机构"):
        duty_list_import(actor=users["admin"], zone_id=zone.pk, kind=E, content=bad_enforcement)
    assert EnforcementItem.objects.count() == 1
    with pytest.raises(PermissionDenied):
        duty_list_import(actor=users["clerk"], zone_id=zone.pk, kind=R, content=bad)


def test_the_public_pages_show_the_version_in_force_and_the_changes(zone, users, lists, client):
    for path in ("/portal/powers/responsibilities/", "/portal/powers/enforcement/"):
        page = client.get(path).content.decode()
        assert "尚未发布施行的版本" in page, path
    publish(users, zone, R, 2025, dt.date(2025, 1, 1))
    responsibility_set(actor=users["admin"], item_id=lists["y2"].pk, stage="delivery", content="十日内送达。")
    publish(users, zone, R, 2026, dt.date(2026, 1, 1))
    publish(users, zone, R, 2099, dt.date(2099, 1, 1))  # not yet in force
    publish(users, zone, E, 2025, dt.date(2025, 1, 1))
    page = client.get("/portal/powers/responsibilities/", {"zone": zone.code}).content.decode()
    assert "现行版本：第2版 2026年版" in page and "十日内送达。" in page
    assert "第2版 → 第3版" in page  # the two latest compared by default
    first, second = DutyListVersion.objects.filter(kind=R).order_by("number")[:2]
    compared = client.get("/portal/powers/responsibilities/", {"a": first.pk, "b": second.pk}).content.decode()
    assert "第1版 → 第2版：新增1项、取消0项、调整0项" in compared and "Y002·送达" in compared
    assert client.get("/portal/powers/responsibilities/", {"a": first.pk, "b": 999999}).status_code == 404
    enforcement = client.get("/portal/powers/enforcement/").content.decode()
    assert "ZF-001" in enforcement and "《危险化学品安全管理条例》第七十七条" in enforcement


@pytest.mark.django_db(transaction=True)
def test_the_admin_imports_as_a_job_and_publishes_and_exports(zone, users, lists):
    from onezone.core.jobs import Job, JobState
    from tests.core.test_jobs import run_worker

    admin, leader = Client(), Client()
    admin.force_login(users["admin"])
    leader.force_login(users["leader"])
    upload = io.BytesIO(xlsx(["实施编码", "环节", "责任事项"], ["Y002", "审查", "两人审查。"]))
    upload.name = "责任清单.xlsx"
    started = admin.post("/admin/powers/dutylistversion/import/?kind=responsibilities", {"file": upload, "kind": R})
    job = Job.objects.get()
    assert started.status_code == 302 and job.title == "导入责任清单：责任清单.xlsx"
    run_worker()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    assert job.message == "责任清单导入完成：新增1条、调整0条、未变化0条。"
    published = leader.post(
        "/admin/powers/dutylistversion/publish/",
        {"kind": R, "title": "2025年版", "document": "", "effective_on": "2025-01-01"},
    )
    assert published.status_code == 302
    version = DutyListVersion.objects.get()
    assert (version.kind, version.entry_count) == (R, 4)
    exported = admin.get("/admin/powers/dutylistversion/export/", {"kind": R, "version": version.pk})
    rows = list(load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("实施编码", "事项名称", "环节") and len(rows) == 5
    listing = admin.get("/admin/powers/dutylistversion/").content.decode()
    assert "导入执法事项清单" in listing and "发布责任清单" in listing
