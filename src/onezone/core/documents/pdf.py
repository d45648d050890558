"""The PDF writer (reportlab): the same :class:`~onezone.core.documents.gongwen.Gongwen`, laid out by the
same rules as the .docx, with the verification code and its QR code.

Chinese is set in reportlab's built-in CID font STSong-Light (Adobe's Song face that every PDF reader
supplies), so no font file ships or is embedded. It has one face, so headings are set by size and
place rather than in 黑体. Body text is set at the grid's character pitch (15.8 pt, for 3号 16 pt)
so that a line holds 28 characters, as Word's character grid does.
"""

from __future__ import annotations

import io
from html import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import BaseDocTemplate, Frame, HRFlowable, KeepTogether, PageTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from onezone.core.documents import qr
from onezone.core.documents.gongwen import (
    CHAR_PITCH_PT,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
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
    TEXT_HEIGHT_MM,
    TEXT_WIDTH_MM,
    Align,
    Gongwen,
    Heading,
    Paragraph,
    Table,
    document_date,
    issuer_size,
    page_number_text,
    signature_right_indent,
)

FONT = "STSong-Light"
RED_INK = colors.Color(*(c / 255 for c in RED))
BODY_SIZE = min(float(SIZE_BODY), CHAR_PITCH_PT)
QR_SIZE = 22 * mm
ALIGN = {Align.LEFT: TA_LEFT, Align.CENTER: TA_CENTER, Align.RIGHT: TA_RIGHT}


def _font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _style(
    name: str,
    *,
    size: float = BODY_SIZE,
    align=TA_JUSTIFY,
    indent: bool = False,
    right_chars: float = 0,
    leading: float | None = None,
    color=colors.black,
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT,
        fontSize=size,
        leading=leading or max(LINE_PITCH_PT, size * 1.25),
        alignment=align,
        firstLineIndent=2 * CHAR_PITCH_PT if indent else 0,
        rightIndent=right_chars * CHAR_PITCH_PT,
        textColor=color,
        wordWrap="CJK",
    )


def _p(text: str, style: ParagraphStyle) -> PdfParagraph:
    return PdfParagraph(escape(text).replace("\n", "<br/>"), style)


def _blank(lines: int) -> Spacer:
    return Spacer(1, lines * LINE_PITCH_PT)


def to_pdf(doc: Gongwen) -> bytes:
    """The document as PDF bytes (unsigned; ``documents.signing`` signs them)."""
    _font()
    story: list = []
    if doc.issuer_mark:
        size = issuer_size(doc.issuer_mark)
        story.append(_p(doc.issuer_mark, _style("mark", size=size, align=TA_CENTER, color=RED_INK)))
        story.append(_blank(2))
        story.append(_p(doc.number, _style("number", align=TA_CENTER)))
        story.append(
            HRFlowable(
                width="100%",
                thickness=1.5,
                color=RED_INK,
                spaceBefore=4 * mm - 4,
                spaceAfter=0,
            )
        )
        story.append(_blank(2))
    story.append(_p(doc.title, _style("title", size=SIZE_TITLE, align=TA_CENTER, leading=SIZE_TITLE * 1.4)))
    if doc.subtitle:
        story.append(_p(doc.subtitle, _style("subtitle", align=TA_CENTER)))
    story.append(_blank(1))
    if doc.addressee:
        story.append(_p(f"{doc.addressee}：", _style("addressee", align=TA_LEFT)))
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            story.append(_p(block.text, _style("paragraph", indent=block.indent)))
        elif isinstance(block, Heading):
            story.append(_p(block.text, _style("heading", indent=True)))
        elif isinstance(block, Table):
            story.append(_table(block))
            story.append(_blank(1))
    if doc.signature or doc.dated:
        # The signature and date never stand on a page without text (§7.3.5.4): the body's last
        # paragraph goes with them.
        last = [story.pop()] if doc.blocks and isinstance(story[-1], PdfParagraph) else []
        closing: list = [*last, _blank(SEAL_LINES if doc.sealed else 1)]
        date_text = document_date(doc.date)
        if doc.signature:
            right = signature_right_indent(doc.signature, date_text) if doc.dated else 4
            closing.append(_p(doc.signature, _style("signature", align=TA_RIGHT, right_chars=right)))
        if doc.dated:
            closing.append(_p(date_text, _style("date", align=TA_RIGHT, right_chars=4)))
        story.append(KeepTogether(closing))
    for note in doc.notes:
        story.append(_p(f"（{note}）", _style("note", indent=True)))
    if doc.verification:
        story.append(Spacer(1, LINE_PITCH_PT / 2))
        story.append(_verification(doc))
    out = io.BytesIO()
    template = BaseDocTemplate(
        out,
        pagesize=(PAGE_WIDTH_MM * mm, PAGE_HEIGHT_MM * mm),
        leftMargin=MARGIN_LEFT_MM * mm,
        rightMargin=(PAGE_WIDTH_MM - MARGIN_LEFT_MM - TEXT_WIDTH_MM) * mm,
        topMargin=MARGIN_TOP_MM * mm,
        bottomMargin=MARGIN_BOTTOM_MM * mm,
        title=doc.title,
        author=doc.signature or doc.issuer_mark,
        subject=doc.number,
        creator="OneZone",
    )
    frame = Frame(
        MARGIN_LEFT_MM * mm,
        MARGIN_BOTTOM_MM * mm,
        TEXT_WIDTH_MM * mm,
        TEXT_HEIGHT_MM * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="text",
    )
    template.addPageTemplates([PageTemplate(id="gongwen", frames=[frame], onPage=_page_number)])
    template.build(story)
    return out.getvalue()


def _page_number(canvas, template) -> None:
    """ "— 1 —" 7 mm below the text block: odd pages one character in from the right, even from the left."""
    number = canvas.getPageNumber()
    text = page_number_text(number)
    y = (MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM) * mm - SIZE_PAGE_NUMBER * 0.8
    canvas.saveState()
    canvas.setFont(FONT, SIZE_PAGE_NUMBER)
    if number % 2:
        canvas.drawRightString((MARGIN_LEFT_MM + TEXT_WIDTH_MM) * mm - SIZE_PAGE_NUMBER, y, text)
    else:
        canvas.drawString(MARGIN_LEFT_MM * mm + SIZE_PAGE_NUMBER, y, text)
    canvas.restoreState()


def _table(block: Table) -> PdfTable:
    rows = block.cells()
    header_style = _style("th", size=SIZE_TABLE, align=TA_CENTER, leading=SIZE_TABLE * 1.4)
    cell_styles = {
        align: _style(f"td-{align}", size=SIZE_TABLE, align=ALIGN[align], leading=SIZE_TABLE * 1.4) for align in Align
    }
    data = [[_p(c.title, header_style) for c in block.columns]]
    data += [[_p(text, cell_styles[c.align]) for c, text in zip(block.columns, row, strict=True)] for row in rows]
    col_widths = [width * mm for width in block.widths_mm()]
    table = PdfTable(data, colWidths=col_widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _qr(url: str) -> Drawing:
    """The QR code as rectangles, one per run of dark modules in a row."""
    modules = qr.matrix(url)
    size = len(modules)
    unit = QR_SIZE / size
    drawing = Drawing(QR_SIZE, QR_SIZE)
    for y, row in enumerate(modules):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            drawing.add(
                Rect(
                    start * unit,
                    QR_SIZE - (y + 1) * unit,
                    (x - start) * unit,
                    unit,
                    fillColor=colors.black,
                    strokeWidth=0,
                    strokeColor=None,
                )
            )
    return drawing


def _verification(doc: Gongwen) -> PdfTable:
    verification = doc.verification
    text = _p(
        f"验证码：{verification.code}\n扫描二维码或访问 {verification.url} 核验本文书真伪",
        _style("verify", size=SIZE_TABLE, align=TA_LEFT, leading=SIZE_TABLE * 1.5),
    )
    table = PdfTable(
        [[_qr(verification.url), text]], colWidths=[QR_SIZE + 4 * mm, TEXT_WIDTH_MM * mm - QR_SIZE - 4 * mm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([table])
