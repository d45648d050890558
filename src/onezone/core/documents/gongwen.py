"""The 公文 format of GB/T 9704-2012 (党政机关公文格式), written once for every document the platform makes.

A document is described by its parts (:class:`Gongwen`: the issuing body's mark, the document
number, the title, the addressee, the body's blocks, the signature and date, the notes); the .docx
writer (``documents.docx``) and the PDF writer (``documents.pdf``) lay the same parts out by the rules
below. No Django here: the rules are plain data and functions.

The standard's figures (its sections 5 and 7):

- A4 paper, 210 mm × 297 mm; top margin (天头) 37 mm, left margin (订口) 28 mm, text block (版心)
  156 mm × 225 mm, so the right margin is 26 mm and the bottom 35 mm;
- 22 lines a page and 28 characters a line, filling the text block; elements in 3号 (16 pt) 仿宋
  unless said otherwise; the title in 2号 (22 pt) 小标宋, centred, two lines below the red rule;
- the issuing body's mark (发文机关标志) in red 小标宋, centred; the document number (发文字号) two lines
  below it, centred, its year in full in 〔〕 and its serial without leading zeros, "号" after it;
  a red rule the width of the text block 4 mm below the number;
- the addressee (主送机关) one line below the title, flush left, with a full-width colon;
- paragraphs indented two characters; headings of the first level in 黑体, of the second in 楷体;
- the date (成文日期) in Arabic numerals, year in full, month and day without leading zeros, four
  characters from the right; the signature (发文机关署名) above it, centred on the date;
- notes (附注) in parentheses, two characters in, on the line below the date;
- page numbers in 4号 (14 pt) half-width 宋体 Arabic numerals with a dash (一字线) on each side, 7 mm
  below the text block, odd pages one character in from the right, even pages from the left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from onezone.core.money import format_amount, format_number

PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 37
MARGIN_LEFT_MM = 28
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
MARGIN_RIGHT_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - TEXT_WIDTH_MM  # 26
MARGIN_BOTTOM_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - TEXT_HEIGHT_MM  # 35
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE_NUMBER_GAP_MM = 7  # from the text block's lower edge to the page number's dashes

PT_PER_MM = 72 / 25.4
SIZE_ISSUER_MAX = 36  # the mark's size is the body's choice; large, but never wider than the text block
SIZE_TITLE = 22  # 2号
SIZE_BODY = 16  # 3号
SIZE_PAGE_NUMBER = 14  # 4号
SIZE_TABLE = 12  # 小4号: tables of figures, so a row of figures fits the text block
TEXT_COLUMN_CHARS = 10  # a text column of a table is counted at most this wide when widths are shared

LINE_PITCH_PT = TEXT_HEIGHT_MM * PT_PER_MM / LINES_PER_PAGE  # 28.99 pt: 22 lines fill 225 mm
CHAR_PITCH_PT = TEXT_WIDTH_MM * PT_PER_MM / CHARS_PER_LINE  # 15.79 pt: 28 characters fill 156 mm

RED = (0xFF, 0x00, 0x00)
# Lines between the body and the signature of a sealed document: the seal's top stands within one line
# of the body and the seal presses on the signature and the date (§7.3.5.1).
SEAL_LINES = 2


class Font(StrEnum):
    """The faces the standard names, each with the face a machine without it should use."""

    TITLE = "方正小标宋简体"
    BODY = "仿宋_GB2312"
    HEADING = "黑体"
    SUBHEADING = "楷体_GB2312"
    PAGE_NUMBER = "宋体"


FALLBACKS: dict[Font, str] = {
    Font.TITLE: "宋体",
    Font.BODY: "仿宋",
    Font.HEADING: "黑体",
    Font.SUBHEADING: "楷体",
    Font.PAGE_NUMBER: "宋体",
}


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class Kind(StrEnum):
    """What a table column holds, and so how its cells are written and aligned."""

    TEXT = "text"
    NUMBER = "number"  # a figure: separators, no exponent, as many decimals as it has
    AMOUNT = "amount"  # yuan, shown in 元/万元/亿元
    FIXED2 = "fixed2"  # a figure with two decimals (percentages, scores)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the body, indented two characters (左空二字) unless ``indent`` is false."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Heading:
    """A heading of the body's structure: level 1 (一、) in 黑体, level 2 (（一）) in 楷体."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT

    @property
    def align(self) -> Align:
        return Align.LEFT if self.kind == Kind.TEXT else Align.RIGHT


@dataclass(frozen=True)
class Table:
    """A table of figures: numbers right-aligned and written as officials write them."""

    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]

    def cells(self) -> list[list[str]]:
        """The rows as the document shows them."""
        return [
            [cell_text(value, column.kind) for column, value in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]

    def widths_mm(self) -> list[float]:
        """The columns' widths in the text block. A figure column gets the width of its widest figure
        (a figure never wraps; its title may); the text columns share the rest by their widest text,
        each counted at most ``TEXT_COLUMN_CHARS`` characters and at least two. Where everything fits,
        the room left over is shared by all in proportion."""
        rows = self.cells()
        char_mm = SIZE_TABLE / PT_PER_MM
        wants, fixed = [], []
        for i, column in enumerate(self.columns):
            values = [text_width(row[i]) for row in rows]
            if column.kind == Kind.TEXT:
                chars = min(max([text_width(column.title), *values]), TEXT_COLUMN_CHARS)
            else:
                chars = max([*values, min(text_width(column.title), 4.0)])
            # Room for the cell's padding: a character, and half again for a figure, whose digits some
            # faces set wider than half a character.
            wants.append((max(chars, 2.0) + (1 if column.kind == Kind.TEXT else 1.5)) * char_mm)
            fixed.append(column.kind != Kind.TEXT)
        if sum(wants) <= TEXT_WIDTH_MM:
            return [TEXT_WIDTH_MM * want / sum(wants) for want in wants]
        figures = sum(w for w, f in zip(wants, fixed, strict=True) if f)
        texts = sum(w for w, f in zip(wants, fixed, strict=True) if not f)
        floor = 3 * char_mm
        room = TEXT_WIDTH_MM - figures
        if not texts or room < floor * (len(wants) - sum(fixed)):
            return [TEXT_WIDTH_MM * want / sum(wants) for want in wants]  # too many figures: all shrink
        shares = [want if f else max(floor, room * want / texts) for want, f in zip(wants, fixed, strict=True)]
        return [TEXT_WIDTH_MM * share / sum(shares) for share in shares]


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class Verification:
    """Where and how anyone can check the document: its code and the page's address (for the QR code)."""

    code: str
    url: str


@dataclass(frozen=True)
class Gongwen:
    """One document's parts, in the order the standard lays them out."""

    title: str
    blocks: Sequence[Block] = ()
    issuer_mark: str = ""  # 发文机关标志; empty for a report without a 版头
    number: str = ""  # 发文字号
    addressee: str = ""  # 主送机关 (the colon is added)
    signature: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期; None leaves the blanks to fill in by hand
    dated: bool = True  # whether the document has a date line at all
    sealed: bool = False  # leaves room for the seal above the signature (行政许可法 Art. 32: sealed and dated)
    notes: Sequence[str] = ()  # 附注
    subtitle: str = ""  # a line under the title (a report's scope), 3号楷体
    verification: Verification | None = None
    properties: dict[str, str] = field(default_factory=dict)  # title/subject/author of the file


def document_date(day: dt.date | None) -> str:
    """成文日期 as GB/T 9704-2012 §7.3.5.1 writes it: Arabic numerals, year in full, no leading zeros.

    ``date(2026, 12, 8)`` → ``"2026年12月8日"``; ``None`` → blanks for the date to be written by hand.
    """
    if day is None:
        return "    年  月  日"
    return f"{day.year}年{day.month}月{day.day}日"


def document_number(prefix: str, year: int, serial: int) -> str:
    """发文字号 (§7.2.4): ``("永昌许受", 2026, 3)`` → ``"永昌许受〔2026〕3号"``: the year in full in 〔〕,
    the serial without leading zeros and without 第."""
    if serial < 1:
        raise ValueError("a document's serial starts at 1")
    return f"{prefix}〔{year}〕{serial}号"


def cell_text(value: Any, kind: Kind = Kind.TEXT) -> str:
    """One table cell as written: a dash for nothing, figures without an exponent and with separators."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind == Kind.AMOUNT and isinstance(value, int | Decimal):
        return format_amount(value)
    if kind == Kind.FIXED2 and isinstance(value, int | Decimal):
        return format_number(value, 2)
    if isinstance(value, int | Decimal):
        return format_number(value)
    if isinstance(value, float):
        return format_number(Decimal(repr(value)))
    return str(value)


def text_width(text: str) -> float:
    """The width of ``text`` in characters (一字 = one Chinese character; ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != "—" else 1.0 for ch in text)


def issuer_size(mark: str) -> float:
    """The mark's size in points: as large as ``SIZE_ISSUER_MAX`` while it fits on one line."""
    width = max(text_width(mark), 1.0)
    return min(float(SIZE_ISSUER_MAX), TEXT_WIDTH_MM * PT_PER_MM / width)


def signature_right_indent(signature: str, date_text: str) -> float:
    """How many characters the signature stands in from the right so that it is centred on the date,
    which stands four characters in (§7.3.5.1)."""
    return max(0.0, 4 + (text_width(date_text) - text_width(signature)) / 2)


def page_number_text(number: int) -> str:
    """``1`` → ``"— 1 —"``: half-width Arabic numerals between dashes (一字线)."""
    return f"— {number} —"
