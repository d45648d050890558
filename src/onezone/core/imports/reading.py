"""Reading a table: an .xlsx (openpyxl, read-only) or a CSV, its header matched to the declared columns.

Everything that makes the file unusable as a whole (not a sound .xlsx, a missing sheet or header,
no data, too many rows) is refused at once with an ``InvalidInput``; a wrong cell is recorded in
the :class:`~onezone.core.imports.report.ImportReport` and the reading goes on, so every problem
of the file is reported together. The work is bounded: the upload guard bounds the file and its
unpacked size, and a sheet is read for at most ``max_rows`` data rows and the declared columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from onezone.core.errors import InvalidInput
from onezone.core.imports.columns import CellError, Column, cell_text
from onezone.core.imports.report import ImportReport
from onezone.core.uploads import check_xlsx, import_max_bytes

MAX_ROWS = 20_000
MAX_HEADER_COLUMNS = 500
UNREADABLE = "无法读取该 Excel 文件（文件内容已损坏或格式不对），请重新导出后再导入。"

Progress = Callable[[int, int | None], None]  # (rows read, total if known)


@dataclass(frozen=True)
class Sheet:
    """A worksheet to read: its name (``None``: the workbook's first), its columns and limits.

    ``label`` prefixes its rows in the report (empty for the main sheet); ``each`` says what one
    data row is (“每行一家企业”); ``unknown_header``, when given, refuses a header no column
    declares, with that message (``{header}`` is the header). A column the file does not have
    gives each row its default, unless ``fill_absent`` is false: then its key is left out of the
    row (an update that only changes the columns the file has).
    """

    columns: tuple[Column, ...]
    name: str | None = None
    label: str = ""
    each: str = "每行一条"
    max_rows: int = MAX_ROWS
    unknown_header: str | None = None
    ignored_headers: frozenset[str] = frozenset()
    fill_absent: bool = True

    def header_map(self, header: Sequence[Any]) -> dict[str, int]:
        """column key → position; refuses a missing required column (and an unknown one, if so declared)."""
        positions: dict[str, int] = {}
        by_header = {h: c for c in self.columns for h in c.headers}
        unknown = []
        for index, cell in enumerate(header):
            name = cell_text(cell)
            column = by_header.get(name)
            if column is not None:
                positions.setdefault(column.key, index)
            elif name and name not in self.ignored_headers:
                unknown.append(name)
        where = f"“{self.label}”工作表" if self.label else ""
        missing = [c.header for c in self.columns if c.required and c.key not in positions]
        if missing:
            raise InvalidInput(
                f"{where}第1行表头缺少：{'、'.join(missing)}。"
                f"请使用导入模板，不要删除或改名表头：第1行为表头，从第2行起{self.each}。"
            )
        if unknown and self.unknown_header:
            raise InvalidInput(
                f"{where}第1行：" + "；".join(self.unknown_header.format(header=h) for h in unknown) + "。"
            )
        return positions


@dataclass
class Row:
    """A data row as read: its number in the sheet and its field values (those that could be read)."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    ok: bool = True

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


class Table:
    """The raw rows of an .xlsx's worksheets or of a CSV file, by sheet name; close it after use."""

    def __init__(self, *, sheets: dict[str, Callable[[int], Iterator[tuple[Any, ...]]]], close=None) -> None:
        self._sheets = sheets
        self._close = close

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def rows(self, name: str | None, *, max_col: int | None = None) -> Iterator[tuple[Any, ...]]:
        key = name if name is not None else self.sheetnames[0]
        return self._sheets[key](max_col or MAX_HEADER_COLUMNS)

    def close(self) -> None:
        if self._close is not None:
            self._close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_xlsx(data: bytes) -> Table:
    """An .xlsx checked by the upload guard and opened with openpyxl (read-only, values not formulas)."""
    from openpyxl import load_workbook

    check_xlsx(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many kinds for a damaged file
        raise InvalidInput(UNREADABLE) from exc

    def sheet(name: str) -> Callable[[int], Iterator[tuple[Any, ...]]]:
        return lambda max_col: book[name].iter_rows(values_only=True, max_col=max_col)

    return Table(sheets={name: sheet(name) for name in book.sheetnames}, close=book.close)


def open_csv(data: bytes) -> Table:
    """A CSV file (UTF-8, with or without BOM, or GB18030 as Chinese Excel saves it) as a one-sheet table."""
    if len(data) > import_max_bytes():
        raise InvalidInput("文件过大，请拆分后分批导入。")
    if b"\x00" in data:
        raise InvalidInput("文件不是文本格式的 CSV（含有二进制内容），请重新导出 CSV 或 .xlsx。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("无法识别 CSV 文件的字符编码，请另存为 UTF-8 编码的 CSV 后再上传。")

    def rows(max_col: int) -> Iterator[tuple[Any, ...]]:
        for row in csv.reader(io.StringIO(decoded)):
            yield tuple(row[:max_col])

    return Table(sheets={"CSV": rows})


def open_table(data: bytes, *, csv_allowed: bool = False) -> Table:
    """An .xlsx, or (when ``csv_allowed``) a CSV file: told apart by the content, not the name."""
    if not data:
        raise InvalidInput("上传的文件是空的，请重新选择文件。")
    if csv_allowed and not data.startswith(b"PK\x03\x04"):
        return open_csv(data)
    return open_xlsx(data)


def read_sheet(table: Table, sheet: Sheet, report: ImportReport, *, progress: Progress | None = None) -> list[Row]:
    """Every data row of ``sheet``, each cell read by its column; wrong cells go to ``report``.

    Blank rows are skipped; a row with a wrong cell is returned with ``ok`` false and the values
    that could be read. Raises ``InvalidInput`` for what makes the whole sheet unusable.
    """
    where = f"“{sheet.label}”工作表" if sheet.label else "文件"
    report.sheets.append(sheet.label)
    header = next(_readable(table.rows(sheet.name)), None)
    if header is None or not any(cell_text(v) for v in header):
        raise InvalidInput(f"{where}是空的：第1行应为表头，请从第2行起{sheet.each}。")
    positions = sheet.header_map(header)
    width = max(positions.values(), default=0) + 1
    rows = _readable(table.rows(sheet.name, max_col=width))
    next(rows, None)
    by_key = {c.key: c for c in sheet.columns if sheet.fill_absent or c.key in positions}
    found: list[Row] = []
    for number, raw in enumerate(rows, start=2):
        if number > 2 * sheet.max_rows + 1:
            raise InvalidInput(f"{where}超过 {2 * sheet.max_rows:,} 行（含空行），请删除多余的空行或分批导入。")
        if not any(cell_text(v) for v in raw):
            continue
        if len(found) >= sheet.max_rows:
            raise InvalidInput(f"一次最多导入 {sheet.max_rows:,} 行，请分批导入。")
        found.append(_row(number, raw, positions, by_key, sheet, report))
        if progress and len(found) % 1000 == 0:
            progress(len(found), None)
    report.rows += len(found)
    return found


def _readable(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows as the reader gives them; a damaged sheet (which shows only when it is read) is refused."""
    try:
        yield from rows
    except InvalidInput:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds for damaged XML
        raise InvalidInput(UNREADABLE) from exc


def _row(
    number: int,
    raw: Sequence[Any],
    positions: dict[str, int],
    by_key: dict[str, Column],
    sheet: Sheet,
    report: ImportReport,
) -> Row:
    row = Row(number)
    for key, column in by_key.items():
        index = positions.get(key)
        cell = raw[index] if index is not None and index < len(raw) else None
        try:
            row.values[key] = column.read(cell)
        except CellError as exc:
            report.refuse(number, exc.message, column=column.header, sheet=sheet.label)
            row.ok = False
    return row


def read_rows(
    data: bytes,
    sheet: Sheet,
    *,
    noun: str = "数据",
    csv_allowed: bool = False,
    progress: Progress | None = None,
) -> tuple[list[Row], ImportReport]:
    """The rows of a one-sheet file and the report so far (the domain adds its own checks, then refuses)."""
    report = ImportReport(noun=noun)
    with open_table(data, csv_allowed=csv_allowed) as table:
        rows = read_sheet(table, sheet, report, progress=progress)
    if not rows:
        raise InvalidInput(f"文件中没有数据：第1行为表头，请从第2行起{sheet.each}。")
    return rows, report


def has_sheet(table: Table, name: str) -> bool:
    return name in table.sheetnames


def distinct(
    rows: Iterable[Row],
    key: Callable[[Row], Any],
    report: ImportReport,
    *,
    message: str,
    column: str = "",
    sheet: str = "",
) -> None:
    """Refuse every row whose ``key`` an earlier row already has (``message`` gets ``{first}``, that row)."""
    seen: dict[Any, int] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        first = seen.setdefault(value, row.number)
        if first != row.number:
            report.refuse(row.number, message.format(first=first), column=column, sheet=sheet)
            row.ok = False
