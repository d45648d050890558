"""The lean .xlsx reader yields exactly what openpyxl's read-only ``iter_rows(values_only=True)`` yields."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook

from onezone.core.errors import InvalidInput
from onezone.powers.importers import read_workbook
from onezone.powers.xlsx_reader import UnreadableWorkbook, Workbook


def openpyxl_rows(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def lean_rows(data: bytes) -> dict[str, list[tuple]]:
    with Workbook(data) as book:
        return {name: list(book.rows(name)) for name in book.sheetnames}


def assert_same(data: bytes) -> dict[str, list[tuple]]:
    expected = openpyxl_rows(data)
    got = lean_rows(data)
    assert got == expected
    for name in expected:  # same types too (1 == 1.0 == True)
        assert [[type(v) for v in row] for row in got[name]] == [[type(v) for v in row] for row in expected[name]]
    return got


def save(book: OpenpyxlWorkbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == name else src.read(info.filename))
        if name not in src.namelist():
            dst.writestr(name, content)
    return out.getvalue()


def with_shared_strings(data: bytes, strings: bytes) -> bytes:
    """The workbook with a shared-string table (openpyxl writes inline strings, Excel and WPS a table)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        types = src.read("[Content_Types].xml")
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    data = replace_part(data, "[Content_Types].xml", types.replace(b"</Types>", override))
    return replace_part(data, "xl/sharedStrings.xml", strings)


SAMPLE = [
    ["事项名称", "实施编码", "法定办结时限", "联合办理", None, "备注"],
    ["建设工程规划许可", "1162032100001", 20, True, None, "  前后有空格  "],
    [None, "", 3.5, False, -7, "第二行\n换行"],
    ["x005F_x000D_ 转义", 1e20, 0, None, 12345678901234, "=A1&B1"],
]


@pytest.mark.parametrize("write_only", [False, True])
def test_strings_numbers_blanks_and_chinese_match_openpyxl(write_only):
    book = OpenpyxlWorkbook(write_only=write_only)
    sheet = book.create_sheet("事项清单") if write_only else book.active
    if not write_only:
        sheet.title = "事项清单"
    for row in SAMPLE:
        sheet.append(row)
    other = book.create_sheet("申请材料")
    other.append(["实施编码", "材料名称"])
    got = assert_same(save(book))
    assert got["事项清单"][1][0] == "建设工程规划许可"


def test_gaps_dates_and_many_rows_match_openpyxl():
    book = OpenpyxlWorkbook()
    sheet = book.active
    sheet.title = "收费项目"
    sheet.cell(row=3, column=2, value="从第三行开始")
    sheet.cell(row=3, column=30, value="AD列")
    sheet.cell(row=7, column=1, value=dt.datetime(2025, 1, 2, 3, 4, 5))
    sheet.cell(row=7, column=2, value=dt.date(2024, 2, 29))
    sheet.cell(row=7, column=3, value=dt.time(8, 30))
    sheet.cell(row=7, column=4, value=dt.timedelta(hours=30))
    sheet.cell(row=8, column=1, value=45000).number_format = "0.00%"
    for n in range(10, 3010):
        sheet.cell(row=n, column=1 + n % 5, value=f"第{n}行")
        sheet.cell(row=n, column=7, value=n * 1.5)
    book.create_sheet("空表")
    got = assert_same(save(book))
    assert got["收费项目"][0] == (None,) * 30  # rows before the first are empty rows of the sheet's width
    assert got["空表"] == []


def _sheet_xml(body: str, dimension: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dimension}<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def _one_sheet_book() -> bytes:
    book = OpenpyxlWorkbook()
    book.active.title = "事项清单"
    book.active["A1"] = "表头"
    book.active["B1"] = "第二个"
    return save(book)


@pytest.mark.parametrize(
    ("body", "dimension"),
    [
        # cells without references, rows without numbers, out-of-order and repeated rows
        ('<row><c t="inlineStr"><is><t>甲</t></is></c><c/><c><v>1.25</v></c></row><row><c><v>2</v></c></row>', ""),
        ('<row r="3"><c r="C3" t="b"><v>1</v></c></row><row r="2"><c r="A2"><v>5</v></c></row>', ""),
        ('<row r="2"><c r="B2" t="e"><v>#N/A</v></c><c r="D2" t="str"><v>公式结果</v></c></row>', ""),
        # rich text inline strings, empty values, a style-less number with an exponent
        (
            '<row r="1"><c r="A1" t="inlineStr"><is><r><t>富</t></r><r><t xml:space="preserve"> 文本</t></r>'
            '<rPh sb="0" eb="1"><t>fu</t></rPh></is></c><c r="B1"><v></v></c><c r="C1"><v>1E3</v></c></row>',
            "",
        ),
        # a declared dimension pads, cuts columns and stops at its last row
        (
            '<row r="1"><c r="A1"><v>1</v></c><c r="F1"><v>6</v></c></row><row r="3"><c r="B3"><v>2</v></c></row>'
            '<row r="9"><c r="A9"><v>9</v></c></row>',
            '<dimension ref="A1:C4"/>',
        ),
        ('<row r="2"><c r="A2"><v>1</v></c></row>', '<dimension ref="A1:B5"/>'),
        ('<row r="1.0"><c r="b1"><v>1</v></c><c r="A0"><v>0</v></c></row>', '<dimension ref="A1"/>'),
    ],
)
def test_hand_written_sheets_match_openpyxl(body, dimension):
    data = replace_part(_one_sheet_book(), "xl/worksheets/sheet1.xml", _sheet_xml(body, dimension))
    assert_same(data)


def test_shared_strings_with_runs_and_escapes_match_openpyxl():
    data = _one_sheet_book()
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>表头</t></si><si><r><t>第</t></r><r><rPr><b/></rPr><t>二个</t></r>"
        '<rPh sb="0" eb="1"><t>x</t></rPh></si>'
        "<si><t>a_x005F_x000D_b</t></si><si><t/></si></sst>"
    ).encode()
    body = "".join(f'<c r="{c}1" t="s"><v>{n}</v></c>' for n, c in enumerate("ABCD"))
    body = f'<row r="1">{body}</row>'
    data = with_shared_strings(data, strings)
    data = replace_part(data, "xl/worksheets/sheet1.xml", _sheet_xml(body))
    got = assert_same(data)
    assert got["事项清单"][0][:3] == ("表头", "第二个", "a_x000D_b")


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=12)
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.sampled_from(["是", "否", "工作日", "行政许可", " 0 ", "１２"]),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(9000, 1, 1)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.dictionaries(st.tuples(st.integers(1, 30), st.integers(1, 40)), VALUES, max_size=60),
    write_only=st.booleans(),
)
def test_random_grids_match_openpyxl(cells, write_only):
    book = OpenpyxlWorkbook(write_only=write_only)
    if write_only:
        sheet = book.create_sheet("事项清单")
        width = max((c for _, c in cells), default=0)
        for r in range(1, max((r for r, _ in cells), default=0) + 1):
            sheet.append([cells.get((r, c)) for c in range(1, width + 1)])
    else:
        sheet = book.active
        sheet.title = "事项清单"
        for (r, c), value in cells.items():
            sheet.cell(row=r, column=c, value=value)
    assert_same(save(book))


@pytest.mark.parametrize(
    "sheet",
    [
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">',
        b"<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></c></row></sheetData></worksheet",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><worksheet>&a;</worksheet>',
        _sheet_xml('<row r="1"><c r="1A"><v>1</v></c></row>'),
        _sheet_xml('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'),
        _sheet_xml('<row r="1"><c r="A1"><v>abc</v></c></row>'),
        b"",
    ],
)
def test_malformed_xml_is_refused_with_the_clear_message(zone, sheet):
    data = replace_part(_one_sheet_book(), "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(UnreadableWorkbook):
        lean_rows(data)
    with pytest.raises(InvalidInput, match="无法读取该 Excel 文件（文件内容已损坏或格式不对），请重新导出后再导入。"):
        read_workbook(data, zone_id=zone.pk)


@pytest.mark.django_db
def test_malformed_shared_strings_are_refused(zone):
    data = with_shared_strings(_one_sheet_book(), b"<sst><si><t>unclosed</si></sst>")
    with pytest.raises(InvalidInput, match="无法读取该 Excel 文件"):
        read_workbook(data, zone_id=zone.pk)
