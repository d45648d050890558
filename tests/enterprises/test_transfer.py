import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.enterprises.models import Enterprise
from onezone.enterprises.services import enterprises_export, enterprises_import, enterprises_import_template
from onezone.enterprises.services.transfer import COLUMNS
from tests.enterprises.conftest import uscc

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(serial, name, park="河西堡工业园", industry="C3211", **kw):
    values = {
        "uscc": uscc(serial),
        "name": name,
        "legal": "张三",
        "capital": 500,
        "industry": industry,
        "park": park,
        "address": "永昌县",
        "size": "规上",
        "status": "在营",
        "established": "2018-06-01",
        "tags": "专精特新",
        "risk": "低风险",
    }
    values.update(kw)
    return list(values.values())


def test_import_writes_every_row(setup, users):
    result = enterprises_import(
        actor=users["admin"],
        zone_id=setup.pk,
        content=xlsx([row(1, "甲公司"), row(2, "乙公司", park="dongzhai", industry="1351", tags="", risk="")]),
    )
    assert result.summary == "导入完成：新增企业 2 家，更新 0 家。"
    a = Enterprise.objects.get(uscc=uscc(1))
    assert a.registered_capital == Decimal("5000000.00")
    assert (a.size, a.risk_level, str(a.established)) == ("above", "low", "2018-06-01")
    assert [t.name for t in a.tags.all()] == ["专精特新"]
    b = Enterprise.objects.get(uscc=uscc(2))
    assert (b.park.code, b.industry_code, b.risk_level) == ("dongzhai", "C1351", "medium")


def test_one_bad_row_writes_nothing_and_reports_every_row(setup, users):
    bad_uscc = uscc(3)[:17] + ("0" if uscc(3)[17] != "0" else "1")
    content = xlsx(
        [
            row(1, "甲公司"),
            row(3, "丙公司", uscc=bad_uscc),
            row(4, "", park="西园", size="大型"),
            row(1, "甲公司重复"),
        ]
    )
    with pytest.raises(InvalidInput) as err:
        enterprises_import(actor=users["admin"], zone_id=setup.pk, content=content)
    lines = err.value.message.splitlines()
    assert lines[0] == "导入文件共 4 行数据：3 行有误，1 行无误，发现 5 处错误，未导入任何企业。请改正后重新上传："
    expected = f"第18位校验码应为“{uscc(3)[17]}”，实际为“{bad_uscc[17]}”，请核对代码是否抄错。"
    assert lines[1] == f"第3行“统一社会信用代码”：统一社会信用代码{expected}"
    assert lines[2] == "第4行“企业名称”：请填写企业名称。"
    assert lines[3] == "第4行“所在园区”：“西园”不是本开发区的园区，应为：东寨工业园、河西堡工业园。"
    assert lines[4] == "第4行“规模”：“大型”不是有效取值，应为：规上、规下。"
    assert lines[5] == "第5行“统一社会信用代码”：与第2行重复，同一企业只能出现一次。"
    assert Enterprise.objects.count() == 0


def test_registered_uscc_is_refused_unless_updating(firms, users):
    content = xlsx([row(1, "甲公司新名称")])
    with pytest.raises(InvalidInput, match="已登记为“金昌甲新材料有限公司”"):
        enterprises_import(actor=users["admin"], zone_id=firms["a"].zone_id, content=content)
    result = enterprises_import(actor=users["admin"], zone_id=firms["a"].zone_id, content=content, update_existing=True)
    assert result.updated == [uscc(1)]
    firms["a"].refresh_from_db()
    assert firms["a"].name == "甲公司新名称"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"uscc,name\n1,2\n", r"不是 Excel 工作簿（\.xlsx）（无法识别文件内容"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"旧版 Office 文件（\.xls、\.doc）"),
        (b"PK\x03\x04garbage", "已损坏"),
    ],
)
def test_content_must_really_be_xlsx(setup, users, content, message):
    with pytest.raises(InvalidInput, match=message):
        enterprises_import(actor=users["admin"], zone_id=setup.pk, content=content)


def test_a_zip_that_is_not_a_workbook_is_refused(setup, users):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(InvalidInput, match="实际内容为普通压缩包"):
        enterprises_import(actor=users["admin"], zone_id=setup.pk, content=buffer.getvalue())


def test_missing_headers_are_named(setup, users):
    with pytest.raises(InvalidInput, match="第1行表头缺少：统一社会信用代码、行业代码"):
        enterprises_import(
            actor=users["admin"], zone_id=setup.pk, content=xlsx([["x", "y"]], headers=["企业名称", "所在园区"])
        )


def test_clerk_may_not_import_and_nothing_changes(setup, users):
    with pytest.raises(PermissionDenied):
        enterprises_import(actor=users["clerk"], zone_id=setup.pk, content=xlsx([row(1, "甲公司")]))
    assert Enterprise.objects.count() == 0


def test_export_round_trips_through_the_import(firms, users, other_zone, root):
    content = enterprises_export(actor=users["clerk"], zone_id=firms["a"].zone_id)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:12] == tuple(HEADERS)
    assert rows[0][12:] == ("行业名称", "符合园区定位")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["金昌甲新材料有限公司"][3] == 5000
    assert by_name["永昌乙食品有限公司"][13] == "否"
    assert (
        by_name["东寨丙塑业有限公司"][10] == "专精特新、高新技术企业"
        or by_name["东寨丙塑业有限公司"][10] == "高新技术企业、专精特新"
    )
    # importing the export into another zone with the same park names recreates the enterprises
    from onezone.enterprises.services import tags_seed
    from onezone.zones.services import park_create

    for name, code in (("河西堡工业园", "hexipu"), ("东寨工业园", "dongzhai")):
        park_create(
            actor=root,
            zone=other_zone,
            name=name,
            code=code,
            planned_area_km2=Decimal(1),
            built_area_km2=Decimal(0),
            industry_codes=[],
        )
    tags_seed(actor=root, zone_id=other_zone.pk)
    result = enterprises_import(actor=root, zone_id=other_zone.pk, content=content)
    assert len(result.created) == 3
    copy = Enterprise.objects.get(zone=other_zone, uscc=uscc(1))
    assert copy.registered_capital == Decimal("50000000.00")


def test_misfit_export_filter(firms, users):
    content = enterprises_export(actor=users["clerk"], zone_id=firms["a"].zone_id, misfit=True)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["永昌乙食品有限公司"]


def test_template_has_the_headers():
    rows = list(load_workbook(io.BytesIO(enterprises_import_template())).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
