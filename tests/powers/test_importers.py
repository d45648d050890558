"""Import and export of the lists: broken files are refused whole, export → import round-trips."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import Workbook

from onezone.core.errors import InvalidInput
from onezone.core.models import AuditEvent
from onezone.org.models import Body
from onezone.powers.importers import ITEM_COLUMNS, read_workbook, write_json, write_workbook
from onezone.powers.models import Adjustment, Fee, ItemMaterial, PowerItem
from onezone.powers.selectors import export_snapshots
from onezone.powers.services import powers_import

pytestmark = pytest.mark.django_db

HEADERS = ["事项名称", "实施编码", "事项类型", "实施主体", "法定办结时限", "法定时限单位", "承诺办结时限", "办件类型"]


def book(rows, headers=HEADERS, materials=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "事项清单"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if materials is not None:
        ms = wb.create_sheet("申请材料")
        ms.append(["实施编码", "材料名称", "材料必要性", "材料形式", "份数"])
        for row in materials:
            ms.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts():
    return (
        PowerItem.objects.count(),
        ItemMaterial.objects.count(),
        Adjustment.objects.count(),
        AuditEvent.objects.filter(action="powers.import").count(),
    )


def test_a_good_file_imports_with_materials(zone, users, bodies):
    data = book(
        [
            ["取水许可", "Y001", "行政许可", "政务服务中心", 20, "工作日", 10, "承诺件"],
            ["企业投资项目备案", "Y002", "其他行政权力", "经济发展局", 5, "工作日", 0, "即办件"],
        ],
        materials=[["Y001", "取水许可申请书", "必要", "纸质", 2], ["Y002", "项目备案信息表", "必要", "电子", 1]],
    )
    rows = read_workbook(data, zone_id=zone.pk)
    result = powers_import(actor=users["admin"], zone_id=zone.pk, rows=rows, reason="清单编制")
    assert (result.added, result.modified, result.unchanged) == (2, 0, 0)
    item = PowerItem.objects.get(implementation_code="Y001")
    assert (item.implementing_body_id, item.committed_limit, item.category) == (bodies["service"].pk, 10, "licensing")
    assert list(item.materials.values_list("name", "copies")) == [("取水许可申请书", 2)]
    assert PowerItem.objects.get(implementation_code="Y002").handling_type == "instant"
    assert result.message == "导入完成：新增2项、调整0项、未变化0项。"


def test_a_wrong_cell_refuses_the_whole_file_row_by_row(zone, users, bodies):
    before = counts()
    data = book(
        [
            ["取水许可", "Y001", "行政许可", "政务服务中心", 20, "工作日", 10, "承诺件"],
            ["排污许可", "Y002", "行政许可", "政务服务中心", 15, "工作日", 20, "承诺件"],
            ["某事项", "Y003", "行政许可", "不存在的局", "二十", "周", 5, "承诺件"],
        ]
    )
    with pytest.raises(InvalidInput) as err:
        read_workbook(data, zone_id=zone.pk)
    message = err.value.message
    assert message.startswith("导入文件共 3 行数据：2 行有误，1 行无误，发现 4 处错误，未导入任何事项。")
    assert "“事项清单”第3行：承诺时限20个工作日超过法定时限15个工作日，请把承诺时限改为不超过法定时限" in message
    assert "“事项清单”第4行“实施主体”：“不存在的局”不是本开发区登记的机构" in message
    assert "“事项清单”第4行“法定办结时限”：应为整数（填写的是“二十”）。" in message
    assert "“事项清单”第4行“法定时限单位”：“周”不是有效取值，应为：工作日、自然日。" in message
    assert counts() == before


def test_missing_required_column_is_refused(zone, users, bodies):
    headers = [h for h in HEADERS if h != "承诺办结时限"]
    with pytest.raises(InvalidInput, match="“事项清单”工作表第1行表头缺少：承诺办结时限"):
        read_workbook(
            book([["取水许可", "Y001", "行政许可", "政务服务中心", 20, "工作日", "承诺件"]], headers), zone_id=zone.pk
        )


def test_duplicate_codes_are_refused(zone, users, bodies):
    rows = [
        ["甲", "Y001", "行政许可", "", 20, "工作日", 10, "承诺件"],
        ["乙", "Y001", "行政许可", "", 20, "工作日", 5, "承诺件"],
    ]
    with pytest.raises(InvalidInput, match="“事项清单”第3行“实施编码”：“Y001”与第2行重复"):
        read_workbook(book(rows), zone_id=zone.pk)


def test_materials_for_unknown_codes_are_refused(zone, users, bodies):
    rows = [["甲", "Y001", "行政许可", "", 20, "工作日", 10, "承诺件"]]
    with pytest.raises(InvalidInput, match="“申请材料”第2行“实施编码”：“Y999”在“事项清单”中不存在"):
        read_workbook(book(rows, materials=[["Y999", "申请书", "必要", "纸质", 1]]), zone_id=zone.pk)


def test_not_an_xlsx_is_refused(zone):
    with pytest.raises(InvalidInput, match="不是 Excel 工作簿"):
        read_workbook("事项名称,实施编码\n取水许可,Y001\n".encode(), zone_id=zone.pk)


def test_a_zip_that_is_not_an_xlsx_is_refused(zone):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InvalidInput, match=r"不是 Excel 工作簿（\.xlsx）（实际内容为普通压缩包"):
        read_workbook(out.getvalue(), zone_id=zone.pk)


def test_a_damaged_xlsx_is_refused(zone):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<broken")
    with pytest.raises(InvalidInput, match="无法读取该 Excel 文件"):
        read_workbook(out.getvalue(), zone_id=zone.pk)


def test_export_import_round_trip(zone, other_zone, users, add_item, root):
    add_item(
        "Y001",
        joint_handling=True,
        legal_limit=45,
        committed_limit=30,
        special_procedures=["hearing", "expert_review"],
        has_fee=True,
        fee_basis="国家发展改革委 财政部文件",
        online=True,
        online_depth="full",
        legal_limit_note="",
    )
    Fee.objects.create(
        zone=zone, item=PowerItem.objects.get(implementation_code="Y001"), name="工本费", standard="10元/证"
    )
    add_item(
        "Y002",
        handling_type="instant",
        committed_limit=0,
        legal_limit=30,
        legal_limit_unit="calendar",
        category="confirmation",
    )
    snaps, meta = export_snapshots(zone.pk)
    data = write_workbook(snaps)
    # Into the same zone: nothing changes.
    result = powers_import(
        actor=users["admin"], zone_id=zone.pk, rows=read_workbook(data, zone_id=zone.pk), reason="核对"
    )
    assert (result.added, result.modified, result.unchanged) == (0, 0, 2)
    # Into another zone with the same bodies: the same list.
    Body.objects.create(zone=other_zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    powers_import(actor=root, zone_id=other_zone.pk, rows=read_workbook(data, zone_id=other_zone.pk), reason="复制")
    again, _ = export_snapshots(other_zone.pk)
    strip = ("id", "implementing_body_id", "status_since")

    def plain(snap_list):
        return [
            {k: ([{**m, "id": None} for m in v] if k == "materials" else v) for k, v in s.items() if k not in strip}
            for s in snap_list
        ]

    assert plain(again) == plain(snaps)
    assert [c.header for c in ITEM_COLUMNS][:3] == ["事项名称", "基本编码", "实施编码"]
    doc = json.loads(write_json(snaps, meta=meta))
    assert doc["version"] is None and [i["implementation_code"] for i in doc["items"]] == ["Y001", "Y002"]


def test_import_modifies_known_codes_as_adjustments(zone, users, add_item, bodies):
    add_item("Y001")
    rows = read_workbook(
        book([["事项Y001", "Y001", "行政许可", "政务服务中心", 20, "工作日", 6, "承诺件"]]), zone_id=zone.pk
    )
    result = powers_import(actor=users["admin"], zone_id=zone.pk, rows=rows, reason="压缩时限", document="文")
    assert (result.added, result.modified) == (0, 1)
    adj = Adjustment.objects.get(kind="modify")
    assert adj.changes == {"committed_limit": [10, 6]}
