"""The 公文 layout (GB/T 9704-2012): its pure rules, and the .docx and PDF it writes, read back."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onezone.core.documents import gongwen
from onezone.core.documents.gongwen import (
    Column,
    Gongwen,
    Heading,
    Kind,
    Paragraph,
    Table,
    Verification,
    cell_text,
    document_date,
    document_number,
    issuer_size,
    page_number_text,
    signature_right_indent,
    text_width,
)
from onezone.core.documents.pdf import to_pdf
from onezone.core.documents.word import CHAR_SPACING_TWIPS, to_docx
from onezone.core.money import format_number

# A figure in exponent form (2E+6, 1.5e7), not a run of letters and digits inside a code (MPY5-4E69-JWTX).
SCIENTIFIC = re.compile(r"(?<![A-Za-z0-9-])\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z0-9-])")


def sample(**changes) -> Gongwen:
    values = {
        "title": "受理通知书",
        "issuer_mark": "测试工业园区政务服务中心",
        "number": "测试许受〔2026〕3号",
        "addressee": "金昌示范新材料有限公司",
        "blocks": [
            Paragraph("你（单位）于2026年10月12日提出的“建设项目环境影响评价审批”申请，本机关决定予以受理。"),
            Heading("一、关键指标"),
            Table(
                [Column("指标"), Column("数值", Kind.NUMBER), Column("金额", Kind.AMOUNT), Column("比例", Kind.FIXED2)],
                [["到位资金", Decimal("2E+6"), Decimal("51000000"), Decimal("12.5")], ["空", None, None, None]],
            ),
        ],
        "signature": "测试工业园区政务服务中心",
        "date": dt.date(2026, 12, 8),
        "sealed": True,
        "notes": ["办件编号：YC2026000001。"],
        "verification": Verification("K7QM-2XPA-9WTR-HD3F", "http://testserver/portal/verify/K7QM-2XPA-9WTR-HD3F/"),
    }
    values.update(changes)
    return Gongwen(**values)


# --- the standard's figures ------------------------------------------------------------------------------


def test_page_and_text_block_follow_the_standard():
    assert (gongwen.PAGE_WIDTH_MM, gongwen.PAGE_HEIGHT_MM) == (210, 297)
    assert (gongwen.MARGIN_TOP_MM, gongwen.MARGIN_BOTTOM_MM) == (37, 35)
    assert (gongwen.MARGIN_LEFT_MM, gongwen.MARGIN_RIGHT_MM) == (28, 26)
    assert (gongwen.LINES_PER_PAGE, gongwen.CHARS_PER_LINE) == (22, 28)
    assert round(gongwen.LINE_PITCH_PT, 2) == 28.99
    assert round(gongwen.CHAR_PITCH_PT, 2) == 15.79
    assert (gongwen.SIZE_TITLE, gongwen.SIZE_BODY, gongwen.SIZE_PAGE_NUMBER) == (22, 16, 14)


def test_dates_are_written_in_arabic_numerals_without_leading_zeros():
    assert document_date(dt.date(2026, 12, 8)) == "2026年12月8日"
    assert document_date(dt.date(2026, 1, 1)) == "2026年1月1日"
    assert document_date(None) == "    年  月  日"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_date_reads_back(day):
    text = document_date(day)
    year, month, rest = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text).groups()
    assert dt.date(int(year), int(month), int(rest)) == day
    assert not month.startswith("0") and not rest.startswith("0")


def test_document_numbers():
    assert document_number("永昌许受", 2026, 3) == "永昌许受〔2026〕3号"
    assert document_number("永昌许受", 2027, 120) == "永昌许受〔2027〕120号"
    with pytest.raises(ValueError):
        document_number("永昌许受", 2026, 0)


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (Decimal("2E+6"), Kind.NUMBER, "2,000,000"),
        (Decimal("2000000.0000"), Kind.NUMBER, "2,000,000"),
        (Decimal("0.50"), Kind.NUMBER, "0.5"),
        (Decimal("1E-7"), Kind.NUMBER, "0.0000001"),
        (Decimal("-0.00"), Kind.NUMBER, "0"),
        (12345, Kind.NUMBER, "12,345"),
        (2.5, Kind.NUMBER, "2.5"),
        (Decimal("51000000"), Kind.AMOUNT, "5,100.00万元"),
        (Decimal("8373000000"), Kind.AMOUNT, "83.73亿元"),
        (Decimal("999.5"), Kind.AMOUNT, "999.50元"),
        (Decimal("12.5"), Kind.FIXED2, "12.50"),
        (Decimal("1E+3"), Kind.FIXED2, "1,000.00"),
        (None, Kind.NUMBER, "—"),
        ("", Kind.TEXT, "—"),
        (True, Kind.TEXT, "是"),
        ("文字", Kind.TEXT, "文字"),
    ],
)
def test_cells(value, kind, text):
    assert cell_text(value, kind) == text


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15, places=6))
def test_figures_never_show_an_exponent_and_read_back(value):
    text = format_number(value)
    assert not SCIENTIFIC.search(text)
    assert Decimal(text.replace(",", "")) == value
    fixed = format_number(value, 2)
    assert not SCIENTIFIC.search(fixed) and re.fullmatch(r"-?[\d,]+\.\d\d", fixed)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=-(10**20), max_value=10**20), st.integers(min_value=-10, max_value=10))
def test_figures_with_any_exponent(mantissa, exponent):
    value = Decimal(mantissa).scaleb(exponent)
    text = format_number(value)
    assert "E" not in text and Decimal(text.replace(",", "")) == value


def test_widths_and_placing():
    assert text_width("管理委员会") == 5
    assert text_width("2026年12月8日") == 3 + 3.5
    assert signature_right_indent("管委会", "2026年12月8日") == 4 + (6.5 - 3) / 2
    assert signature_right_indent("甘肃永昌工业园区管理委员会", "2026年1月1日") == 4 + (6 - 13) / 2
    assert signature_right_indent("甘肃省金昌市永昌县工业园区管理委员会", "2026年1月1日") == 0  # flush right
    assert issuer_size("管委会") == gongwen.SIZE_ISSUER_MAX
    long_mark = "甘肃省金昌市永昌县河西堡工业园区管理委员会政务服务中心"
    assert issuer_size(long_mark) * text_width(long_mark) <= gongwen.TEXT_WIDTH_MM * gongwen.PT_PER_MM + 1e-6
    assert page_number_text(1) == "— 1 —" and page_number_text(12) == "— 12 —"


# --- the .docx, read back ----------------------------------------------------------------------------------


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def assert_gongwen_docx(content: bytes) -> Document:
    """What every generated .docx must have: A4, the margins, the grid, the fonts, page numbers, and no
    figure in scientific notation. Returns the document for further checks."""
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.bottom_margin - Mm(35)) < Mm(0.1)
    assert abs(section.left_margin - Mm(28)) < Mm(0.1) and abs(section.right_margin - Mm(26)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "580"
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and fonts.get(qn("w:ascii")) == "仿宋_GB2312"
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(CHAR_SPACING_TWIPS) == "-4"
    assert abs(normal.paragraph_format.line_spacing - Pt(gongwen.LINE_PITCH_PT)) < Pt(0.05)
    # Every run names its East Asian face: one of the standard's.
    faces = {
        run.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.text
    }
    assert faces and faces <= {str(f) for f in gongwen.Font}
    # Page numbers: odd and even footers, each "— PAGE —" in 4号 宋体.
    assert document.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert 'w:instr=" PAGE "' in xml and footer.paragraphs[0].text.startswith("— ")
        assert all(r.font.size == Pt(14) for r in footer.paragraphs[0].runs)
    # The font table names the faces to use where the standard's are missing.
    fonts_xml = next(r.target_part for r in document.part.rels.values() if r.reltype.endswith("/fontTable")).blob
    assert "仿宋_GB2312".encode() in fonts_xml and 'w:altName w:val="仿宋"'.encode() in fonts_xml
    assert not SCIENTIFIC.search(docx_text(document))
    return document


def test_docx_follows_the_layout():
    document = assert_gongwen_docx(to_docx(sample()))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "测试工业园区政务服务中心"
    assert str(paragraphs[0].runs[0].font.color.rgb) == "FF0000"
    number = next(p for p in paragraphs if p.text == "测试许受〔2026〕3号")
    assert 'w:color="FF0000"' in number._p.xml and "w:pBdr" in number._p.xml  # the red rule under the number
    title = next(p for p in paragraphs if p.text == "受理通知书")
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert any(p.text == "金昌示范新材料有限公司：" for p in paragraphs)
    body = next(p for p in paragraphs if p.text.startswith("你（单位）"))
    assert abs(body.paragraph_format.first_line_indent - Pt(2 * gongwen.CHAR_PITCH_PT)) < Pt(0.05)
    heading = next(p for p in paragraphs if p.text == "一、关键指标")
    assert heading.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    date = next(p for p in paragraphs if p.text == "2026年12月8日")
    assert abs(date.paragraph_format.right_indent - Pt(4 * gongwen.CHAR_PITCH_PT)) < Pt(0.05)
    assert any(p.text == "（办件编号：YC2026000001。）" for p in paragraphs)
    assert any("K7QM-2XPA-9WTR-HD3F" in p.text for p in paragraphs)
    assert document.inline_shapes[0].width == Mm(22)  # the QR code
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["到位资金", "2,000,000", "5,100.00万元", "12.50"]
    assert [c.paragraphs[0].alignment for c in table.rows[1].cells][1:] == [2, 2, 2]  # right
    assert table.rows[1].cells[0].paragraphs[0].alignment == 0  # text left
    assert document.core_properties.title == "受理通知书"


def test_report_without_mark_or_signature():
    document = assert_gongwen_docx(
        to_docx(
            Gongwen(title="年度报告", subtitle="（数据截至2026年12月8日）", blocks=[Paragraph("正文。")], date=None)
        )
    )
    assert document.paragraphs[0].text == "年度报告"
    assert any(p.text == "    年  月  日" for p in document.paragraphs)
    assert not document.inline_shapes


# --- the PDF ------------------------------------------------------------------------------------------------


def test_pdf_is_a4_with_the_content():
    from pyhanko.pdf_utils.reader import PdfFileReader

    content = to_pdf(sample())
    assert content.startswith(b"%PDF-")
    reader = PdfFileReader(io.BytesIO(content))
    page = reader.root["/Pages"]["/Kids"][0]
    box = [float(x) for x in page["/MediaBox"]]
    assert abs(box[2] - 595.28) < 0.1 and abs(box[3] - 841.89) < 0.1
    assert reader.document_meta_view.title == "受理通知书"
    assert b"STSong-Light" in content  # the built-in CID font: nothing embedded, nothing downloaded


def test_table_columns_share_the_text_block():
    table = Table(
        [Column("来源"), Column("目标值", Kind.NUMBER)],
        [["手工填报（佐证：县统计局能耗报表，2026年1-10月）", Decimal("123456789012")]],
    )
    source, figure = table.widths_mm()
    assert abs(source + figure - gongwen.TEXT_WIDTH_MM) < 1e-9
    # Both fit: the room is shared by the text column's ten characters and the figure's whole width.
    assert abs(source / figure - (gongwen.TEXT_COLUMN_CHARS + 1) / (text_width("123,456,789,012") + 1.5)) < 1e-9
    wide = Table(
        [Column("对象"), Column("来源"), *(Column(f"值{i}", Kind.NUMBER) for i in range(4))],
        [["经济发展局" * 3, "手工填报" * 5, *[Decimal("123456789")] * 4]],
    )
    widths = wide.widths_mm()
    char_mm = gongwen.SIZE_TABLE / gongwen.PT_PER_MM
    # Too wide for the block: every figure keeps its width (it never wraps), the text columns share the rest.
    assert all(abs(w - (text_width("123,456,789") + 1.5) * char_mm) < 1e-9 for w in widths[2:])
    assert abs(sum(widths) - gongwen.TEXT_WIDTH_MM) < 1e-9 and widths[0] == widths[1]
    document = Document(io.BytesIO(to_docx(sample(blocks=[table]))))
    assert [round(c.width.mm, 1) for c in document.tables[0].rows[1].cells] == [round(source, 1), round(figure, 1)]
