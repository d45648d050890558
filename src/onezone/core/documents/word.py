"""The .docx writer: a :class:`~onezone.core.documents.gongwen.Gongwen` laid out by GB/T 9704-2012.

python-docx cannot express everything the standard asks for, so a few properties are set in the
document's XML directly: the East Asian font of every run (``w:rFonts/@w:eastAsia``), the line and
character grid of the section (``w:docGrid``: 22 lines of 28 characters), the faces a machine without
the standard's fonts should use instead (``w:altName`` in the font table), and the page number field.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from onezone.core.documents import qr
from onezone.core.documents.gongwen import (
    CHAR_PITCH_PT,
    FALLBACKS,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_GAP_MM,
    PAGE_WIDTH_MM,
    RED,
    SEAL_LINES,
    SIZE_BODY,
    SIZE_PAGE_NUMBER,
    SIZE_TABLE,
    SIZE_TITLE,
    Align,
    Font,
    Gongwen,
    Heading,
    Paragraph,
    Table,
    document_date,
    issuer_size,
    page_number_text,
    signature_right_indent,
)

ALIGN = {
    Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
}
QR_SIZE_MM = 22
# 28 characters of 3号 fill 156 mm when each is condensed by 0.2 pt (in twentieths of a point).
CHAR_SPACING_TWIPS = round((CHAR_PITCH_PT - SIZE_BODY) * 20)
RULE_GAP_PT = 11
# The schema's order of the children that follow w:spacing in a run's properties, and w:pBdr in a
# paragraph's: a new child goes before the first of these present.
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:lang")
PPR_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:jc",
    "w:textDirection",
    "w:outlineLvl",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)  # the red rule 4 mm below the document number (w:space is in points, at most 31)


def to_docx(doc: Gongwen) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    _page(document)
    _normal_style(document)
    _font_table(document)
    _page_numbers(document)
    body = document
    if doc.issuer_mark:
        _text(body, doc.issuer_mark, font=Font.TITLE, size=issuer_size(doc.issuer_mark), align=Align.CENTER, color=RED)
        _blank(body, 2)
        number = _text(body, doc.number, align=Align.CENTER)
        _red_rule(number)
        _blank(body, 2)
    _text(body, doc.title, font=Font.TITLE, size=SIZE_TITLE, align=Align.CENTER, exact=False)
    if doc.subtitle:
        _text(body, doc.subtitle, font=Font.SUBHEADING, align=Align.CENTER)
    _blank(body, 1)
    if doc.addressee:
        _text(body, f"{doc.addressee}：")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            _text(body, block.text, indent=block.indent)
        elif isinstance(block, Heading):
            _text(body, block.text, font=Font.HEADING if block.level == 1 else Font.SUBHEADING, indent=True)
        elif isinstance(block, Table):
            _table(body, block)
    if doc.signature or doc.dated:
        # The signature and date never stand on a page without text (§7.3.5.4): the last paragraph
        # of the body goes with them.
        if document.paragraphs:
            document.paragraphs[-1].paragraph_format.keep_with_next = True
        _blank(body, SEAL_LINES if doc.sealed else 1, keep_with_next=True)
        date_text = document_date(doc.date)
        if doc.signature:
            signature = _text(
                body,
                doc.signature,
                align=Align.RIGHT,
                right_chars=signature_right_indent(doc.signature, date_text) if doc.dated else 4,
            )
            signature.paragraph_format.keep_with_next = doc.dated
        if doc.dated:
            _text(body, date_text, align=Align.RIGHT, right_chars=4)
    for note in doc.notes:
        _text(body, f"（{note}）", indent=True)
    if doc.verification:
        _verification(body, doc)
    props = document.core_properties
    props.title = doc.title
    props.author = doc.signature or doc.issuer_mark or ""
    props.subject = doc.number
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number's dashes stand 7 mm below the text block: the footer's one line ends that far down.
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM) - Pt(SIZE_PAGE_NUMBER)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    # A line grid of 22 lines; the 28 characters a line come from the body's condensed spacing
    # (CHAR_SPACING_TWIPS), which Word and LibreOffice both honour, where a character grid is read
    # differently by each.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))


def _set_fonts(rpr, font: Font) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), str(font))


def _normal_style(document) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(SIZE_BODY)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, Font.BODY)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWIPS))
    rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)


def _font_table(document) -> None:
    """Name each face with the one to use where it is missing (仿宋_GB2312 → 仿宋, 小标宋 → 宋体)."""
    part = next(
        (rel.target_part for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE),
        None,
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    for font, fallback in FALLBACKS.items():
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), str(font))
        if fallback != str(font):
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), fallback)
            entry.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        entry.append(charset)
        root.append(entry)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _run(paragraph, text: str, *, font: Font, size: float, color: tuple[int, int, int] | None = None, bold=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if color:
        run.font.color.rgb = RGBColor(*color)
    _set_fonts(run._element.get_or_add_rPr(), font)
    return run


def _text(
    container,
    text: str,
    *,
    font: Font = Font.BODY,
    size: float = SIZE_BODY,
    align: Align = Align.LEFT,
    indent: bool = False,
    right_chars: float = 0,
    color: tuple[int, int, int] | None = None,
    exact: bool = True,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align] if align != Align.LEFT else WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt = paragraph.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(2 * CHAR_PITCH_PT)
        fmt.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    if right_chars:
        fmt.right_indent = Pt(right_chars * CHAR_PITCH_PT)
    if not exact or size > LINE_PITCH_PT:
        # A line larger than the grid's pitch (the mark, a long title) takes the room it needs.
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(max(LINE_PITCH_PT, size * 1.4))
    if text:
        _run(paragraph, text, font=font, size=size, color=color)
    return paragraph


def _blank(container, lines: int, *, keep_with_next: bool = False) -> None:
    for _ in range(lines):
        container.add_paragraph().paragraph_format.keep_with_next = keep_with_next


def _red_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), str(RULE_GAP_PT))
    bottom.set(qn("w:color"), "{:02X}{:02X}{:02X}".format(*RED))
    borders.append(bottom)
    ppr.insert_element_before(borders, *PPR_AFTER_BORDERS)


def _page_numbers(document) -> None:
    """ "— 1 —" in 4号 half-width 宋体: odd pages one character in from the right, even from the left."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, Align.RIGHT), (section.even_page_footer, Align.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = ALIGN[align]
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(SIZE_PAGE_NUMBER)
        if align == Align.RIGHT:
            fmt.right_indent = Pt(SIZE_PAGE_NUMBER)
        else:
            fmt.left_indent = Pt(SIZE_PAGE_NUMBER)
        before, after = page_number_text(0).split("0")
        _run(paragraph, before, font=Font.PAGE_NUMBER, size=SIZE_PAGE_NUMBER)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _set_fonts(rpr, Font.PAGE_NUMBER)
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(SIZE_PAGE_NUMBER * 2))
        rpr.append(size)
        run.append(rpr)
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        _run(paragraph, after, font=Font.PAGE_NUMBER, size=SIZE_PAGE_NUMBER)


def _table(container, block: Table) -> None:
    table = container.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(width) for width in block.widths_mm()]
    for cell, column, width in zip(table.rows[0].cells, block.columns, widths, strict=True):
        _cell(cell, column.title, Align.CENTER, font=Font.HEADING)
        cell.width = width
    for row in block.cells():
        cells = table.add_row().cells
        for cell, column, text, width in zip(cells, block.columns, row, widths, strict=True):
            _cell(cell, text, column.align)
            cell.width = width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    container.add_paragraph()


def _cell(cell, text: str, align: Align, *, font: Font = Font.BODY) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(SIZE_TABLE * 1.5)
    _run(paragraph, text, font=font, size=SIZE_TABLE)


def _verification(container, doc: Gongwen) -> None:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    paragraph.add_run().add_picture(io.BytesIO(qr.png(doc.verification.url)), width=Mm(QR_SIZE_MM))
    _run(
        paragraph,
        f"  验证码：{doc.verification.code}  扫描二维码或访问 {doc.verification.url} 核验本文书真伪",
        font=Font.BODY,
        size=SIZE_TABLE,
    )
