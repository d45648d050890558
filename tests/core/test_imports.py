"""The import framework: declared columns, the one row report, bounded reading, all or nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from onezone.core.errors import InvalidInput
from onezone.core.imports import (
    UNREADABLE,
    CellError,
    Column,
    ImportRefused,
    ImportReport,
    Sheet,
    boolean,
    choice,
    date,
    decimal,
    distinct,
    integer,
    listed,
    moment,
    open_xlsx,
    read_rows,
    read_sheet,
    text,
    write_xlsx,
)

COLUMNS = (
    Column("名称", "name", text(max_length=5), required=True),
    Column("数量", "count", integer()),
    Column("金额（万元）", "amount", decimal(scale=Decimal(10_000), places=2, what="金额")),
    Column("是否", "flag", boolean()),
    Column("类别", "kind", choice({"甲": "a", "乙": "b"})),
    Column("日期", "day", date()),
    Column("标签", "tags", listed(text()), default=list),
)
SHEET = Sheet(COLUMNS, each="每行一件")


def xlsx(*rows, title="Sheet") -> bytes:
    book = Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = [c.header for c in COLUMNS]


def test_every_type_reads_a_good_row_and_blank_rows_are_skipped():
    rows, report = read_rows(
        xlsx(HEADER, ["甲", 3, 1.5, "是", "乙", dt.datetime(2026, 1, 5), "a、b，c"], [None] * 7, ["乙", None, "2,000"]),
        SHEET,
    )
    assert [r.number for r in rows] == [2, 4]
    assert rows[0].values == {
        "name": "甲",
        "count": 3,
        "amount": Decimal("15000.00"),
        "flag": True,
        "kind": "b",
        "day": dt.date(2026, 1, 5),
        "tags": ["a", "b", "c"],
    }
    assert rows[1].values == {
        "name": "乙",
        "count": None,
        "amount": Decimal("20000000.00"),
        "flag": None,
        "kind": None,
        "day": None,
        "tags": [],
    }
    assert (report.rows, report.accepted, report.refused, report.errors) == (2, 2, 0, [])
    report.raise_if_refused()  # nothing wrong: nothing raised


def test_a_bad_cell_is_reported_with_its_row_column_and_message_and_the_counts():
    rows, report = read_rows(
        xlsx(
            HEADER,
            ["好", 1],
            ["太长的名称啊", "三", "abc", "对", "丙", "昨天"],
            [None, -1],
            ["好"],
        ),
        SHEET,
        noun="物品",
    )
    assert [r.ok for r in rows] == [True, False, False, True]
    assert rows[1].values == {"tags": []}  # what could be read
    with pytest.raises(ImportRefused) as caught:
        report.raise_if_refused()
    head, *lines = caught.value.message.splitlines()
    assert head == "导入文件共 4 行数据：2 行有误，2 行无误，发现 8 处错误，未导入任何物品。请改正后重新上传："
    assert lines == [
        "第3行“名称”：最多 5 个字，收到 6 个字。",
        "第3行“数量”：应为整数（填写的是“三”）。",
        "第3行“金额（万元）”：“abc”不是有效的金额。",
        "第3行“是否”：应填“是”或“否”（填写的是“对”）。",
        "第3行“类别”：“丙”不是有效取值，应为：甲、乙。",
        "第3行“日期”：日期“昨天”格式不对，应写成 YYYY-MM-DD，例如 2015-06-01。",
        "第4行“名称”：请填写名称。",
        "第4行“数量”：不能为负数（填写的是“-1”）。",
    ]
    assert caught.value.fields == {"file": "\n".join(lines)}
    assert caught.value.report is report and isinstance(caught.value, InvalidInput)


def test_domain_checks_across_rows_join_the_same_report_in_row_order():
    rows, report = read_rows(xlsx(HEADER, ["甲"], ["乙", "x"], ["甲"]), SHEET)
    distinct(rows, lambda r: r.get("name"), report, message="与第{first}行重复。", column="名称")
    report.refuse(2, "整行的问题。")
    assert [e.line for e in report.in_order()] == [
        "第2行：整行的问题。",
        "第3行“数量”：应为整数（填写的是“x”）。",
        "第4行“名称”：与第2行重复。",
    ]
    assert (report.refused, report.accepted) == (3, 0)


def test_validators_run_on_the_read_value():
    def even(value):
        if value % 2:
            raise CellError("应为双数。")

    sheet = Sheet((Column("数", "n", integer(), required=True, validators=(even,)),))
    _, report = read_rows(xlsx(["数"], [2], [3]), sheet)
    assert [e.line for e in report.errors] == ["第3行“数”：应为双数。"]


def test_a_moment_is_made_aware_in_the_site_time_zone():
    at = moment()("2026-12-08 09:30")
    assert at.isoformat() == "2026-12-08T09:30:00+08:00"
    with pytest.raises(CellError, match="不是有效的时间"):
        moment()("九点")


# --- Headers --------------------------------------------------------------------------------------


def test_a_missing_required_header_refuses_the_file_at_once():
    with pytest.raises(
        InvalidInput,
        match=r"^第1行表头缺少：名称。请使用导入模板，不要删除或改名表头：第1行为表头，从第2行起每行一件。$",
    ):
        read_rows(xlsx(["数量"], [1]), SHEET)
    labelled = Sheet(COLUMNS, name="清单", label="清单")
    with (
        open_xlsx(xlsx(["数量"], [1], title="清单")) as book,
        pytest.raises(InvalidInput, match=r"^“清单”工作表第1行表头缺少：名称"),
    ):
        read_sheet(book, labelled, ImportReport())


def test_aliases_and_unknown_headers():
    sheet = Sheet(
        (Column("名称", "name", required=True, aliases=("名字",)),),
        unknown_header="列“{header}”不是本表的列",
        ignored_headers=frozenset({"备注"}),
    )
    rows, _ = read_rows(xlsx(["名字", "备注"], ["甲", "随便"]), sheet)
    assert rows[0].values == {"name": "甲"}
    with pytest.raises(InvalidInput, match=r"^第1行：列“利润”不是本表的列；列“税”不是本表的列。$"):
        read_rows(xlsx(["名称", "利润", "税"], ["甲", 1, 2]), sheet)
    loose = Sheet((Column("名称", "name", required=True),))
    assert read_rows(xlsx(["名称", "利润"], ["甲", 1]), loose)[0][0].values == {"name": "甲"}


def test_an_empty_sheet_or_a_sheet_without_data_is_refused():
    with pytest.raises(InvalidInput, match=r"^文件是空的：第1行应为表头"):
        read_rows(xlsx(), SHEET)
    with pytest.raises(InvalidInput, match=r"^文件中没有数据：第1行为表头，请从第2行起每行一件。$"):
        read_rows(xlsx(HEADER, [None]), SHEET)


# --- Files ----------------------------------------------------------------------------------------


def test_not_an_xlsx_and_a_damaged_one_are_refused_clearly():
    with pytest.raises(InvalidInput, match="不是 Excel 工作簿"):
        read_rows(b"name\n1\n", SHEET)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<broken")
    with pytest.raises(InvalidInput, match=UNREADABLE):
        read_rows(out.getvalue(), SHEET)


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return out.getvalue()


_MAIN = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


@pytest.mark.parametrize(
    "sheet",
    [
        _MAIN.format('<row r="1"><c r="A1" t="inlineStr"><is><t>名称</t></is></c></row><row r="2">').encode(),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>',
        _MAIN.format('<row r="1"><c r="A1" t="s"><v>99</v></c></row>').encode(),
        b"",
    ],
)
def test_a_sheet_with_broken_xml_is_refused_with_the_clear_message(sheet):
    data = _replace_part(xlsx(["名称"], ["甲"]), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(InvalidInput, match=UNREADABLE):
        read_rows(data, SHEET)


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    from tests.core.test_uploads import xlsx_bomb

    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(InvalidInput, match="疑似“压缩炸弹”"):
        read_rows(xlsx_bomb(), SHEET)
    assert opened == []


def test_csv_in_utf8_or_gb18030_reads_like_a_sheet():
    sheet = Sheet((Column("名称", "name", required=True), Column("数量", "count", integer())))
    for encoding in ("utf-8-sig", "gb18030"):
        rows, _ = read_rows("名称,数量\n甲,2\n,\n乙,\n".encode(encoding), sheet, csv_allowed=True)
        assert [(r.number, r.values) for r in rows] == [
            (2, {"name": "甲", "count": 2}),
            (4, {"name": "乙", "count": None}),
        ]
    with pytest.raises(InvalidInput, match="二进制内容"):
        read_rows(b"\x00\x01", sheet, csv_allowed=True)
    with pytest.raises(InvalidInput, match="不是 Excel 工作簿"):
        read_rows("名称\n甲\n".encode(), sheet)  # a CSV where only .xlsx is taken


# --- Bounds ---------------------------------------------------------------------------------------


def test_too_many_rows_are_refused_while_reading():
    sheet = Sheet((Column("名称", "name", required=True),), max_rows=3)
    assert len(read_rows(xlsx(["名称"], *[[f"甲{n}"] for n in range(3)]), sheet)[0]) == 3
    with pytest.raises(InvalidInput, match=r"^一次最多导入 3 行，请分批导入。$"):
        read_rows(xlsx(["名称"], *[[f"甲{n}"] for n in range(4)]), sheet)


def test_a_far_away_cell_or_a_huge_dimension_does_not_make_the_reading_unbounded():
    sheet = Sheet((Column("名称", "name", required=True),), max_rows=10)
    book = Workbook()
    book.active.append(["名称"])
    book.active.append(["甲"])
    book.active.cell(row=1_000_000, column=1, value="远处")
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput, match="超过 20 行（含空行）"):
        read_rows(out.getvalue(), sheet)
    # A sheet claiming 16384 columns and a million rows: only the declared columns of the data are read.
    data = xlsx(["名称"], ["甲"])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.read("xl/worksheets/sheet1.xml")
    wide = part.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert wide != part
    rows, _ = read_rows(
        _replace_part(data, "xl/worksheets/sheet1.xml", wide), Sheet((Column("名称", "name"),), max_rows=5)
    )
    assert [r.values for r in rows] == [{"name": "甲"}]


def test_the_report_shows_two_hundred_problems_and_counts_them_all():
    sheet = Sheet((Column("数量", "count", integer(), required=True),))
    _, report = read_rows(xlsx(["数量"], *[["x"] for _ in range(250)]), sheet)
    with pytest.raises(ImportRefused) as caught:
        report.raise_if_refused()
    lines = caught.value.message.splitlines()
    assert lines[0].startswith("导入文件共 250 行数据：250 行有误，0 行无误，发现 250 处错误")
    assert len(lines) == 1 + 200 + 1 and lines[-1] == "……另有 50 处错误未列出"


# --- Writing --------------------------------------------------------------------------------------


def test_a_written_file_reads_back_the_same_values():
    from onezone.core.imports import shown_as, yes_no

    kinds = {"甲": "a", "乙": "b"}
    columns = (
        Column("名称", "name", required=True),
        Column("是否", "flag", boolean(), show=yes_no),
        Column("类别", "kind", choice(kinds), show=shown_as(kinds)),
        Column("标签", "tags", listed(text()), default=list, show="、".join),
    )
    values = [
        {"name": "甲", "flag": True, "kind": "b", "tags": ["x", "y"]},
        {"name": "乙", "flag": False, "kind": "a", "tags": []},
    ]
    data = write_xlsx([("清单", columns, values)])
    rows, _ = read_rows(data, Sheet(columns))
    assert [r.values for r in rows] == values


def test_a_choice_of_text_choices_takes_labels_or_values_and_lists_only_the_labels():
    from django.db import models

    class Stage(models.TextChoices):
        ACCEPTANCE = "acceptance", "受理"
        REVIEW = "review", "审查"

    from onezone.core.imports import choice_of

    parse = choice_of(Stage.choices)
    assert (parse("受理"), parse("review")) == ("acceptance", "review")
    with pytest.raises(CellError, match=r"^“批准”不是有效取值，应为：受理、审查。$"):
        parse("批准")
