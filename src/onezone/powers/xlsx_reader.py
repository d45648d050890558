"""A lean, streaming reader of the cell values of named worksheets of an .xlsx workbook.

It yields exactly what openpyxl's ``load_workbook(read_only=True, data_only=True)`` followed by
``sheet.iter_rows(values_only=True)`` yields (one tuple per row from row 1, gaps filled with empty
rows, rows padded or cut to the sheet's declared dimension, numbers as ``int``/``float``, dates
by their cell style as ``datetime``/``time``/``timedelta``), at a fraction of the cost: openpyxl
scans a worksheet without a declared dimension twice and parses it with a pure-Python XML parser.

The small parts (content types, workbook, relationships, styles) are still read by openpyxl, so
sheet names, paths, the date epoch and the date styles are openpyxl's own; the cells and shared
strings are read here with the C XML parser. A document type declaration (the only way to declare
XML entities) is refused. Anything unreadable raises :class:`UnreadableWorkbook`.

The caller checks the file with the upload guard (``onezone.core.uploads.check_xlsx``) first.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import XMLPullParser  # nosec B405  # a DOCTYPE is refused before parsing (no entities)

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _V, _IS, _SI, _DIMENSION, _SHEET_DATA = (
    f"{_MAIN}{tag}" for tag in ("row", "v", "is", "si", "dimension", "sheetData")
)
_CHUNK = 1 << 16
_ROOT_START = re.compile(rb"<[A-Za-z_]")


class UnreadableWorkbook(Exception):
    """The workbook's structure or XML is damaged (or declares a document type)."""


def _events(src: IO[bytes]) -> Iterator[Any]:
    """End events of the XML in ``src``, parsed in chunks; a document type declaration is refused."""
    parser = XMLPullParser(events=("end",))
    head = src.read(_CHUNK)
    root = _ROOT_START.search(head)
    if (root is None and head) or b"<!DOCTYPE" in head[: root.start() if root else len(head)]:
        raise UnreadableWorkbook("document type declaration or no root element")
    chunk = head
    while chunk:
        parser.feed(chunk)
        for _, element in parser.read_events():
            yield element
        chunk = src.read(_CHUNK)
    parser.close()
    for _, element in parser.read_events():
        yield element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text_content(node: Any) -> str:
    """openpyxl's ``Text.from_tree(node).content``: the plain text plus the text of each rich run."""
    plain, runs = None, []
    for child in node:
        name = _local(child.tag)
        if name == "t":
            plain = child.text
        elif name == "r":
            text = None
            for part in child:
                if _local(part.tag) == "t":
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(([plain] if plain is not None else []) + runs)


class Workbook:
    """The worksheets of one .xlsx, by name; close it after use (or use it as a context manager)."""

    def __init__(self, data: bytes) -> None:
        try:
            self._open(data)
        except UnreadableWorkbook:
            raise
        except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged file
            raise UnreadableWorkbook(str(exc)) from exc

    def _open(self, data: bytes) -> None:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet
        from openpyxl.xml.constants import SHARED_STRINGS

        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        self._archive: zipfile.ZipFile = reader.archive
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self._epoch = reader.wb.epoch
        self._date_styles = frozenset(reader.wb._date_formats)
        self._timedelta_styles = frozenset(reader.wb._timedelta_formats)
        self._paths: dict[str, str] = {}
        for sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                self._paths.setdefault(sheet.name, rel.target)
        strings = reader.package.find(SHARED_STRINGS)
        self._strings = self._read_strings(strings.PartName[1:]) if strings is not None else []

    def _read_strings(self, path: str) -> list[str]:
        strings = []
        with self._archive.open(path) as src:
            for element in _events(src):
                if element.tag == _SI:
                    strings.append(_text_content(element).replace("x005F_", ""))
                    element.clear()
        return strings

    @property
    def sheetnames(self) -> list[str]:
        return list(self._paths)

    def close(self) -> None:
        self._archive.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rows(self, name: str) -> Iterator[tuple[Any, ...]]:
        """The values of the sheet's rows from row 1, as openpyxl's ``iter_rows(values_only=True)``."""
        try:
            yield from self._rows(self._paths[name])
        except UnreadableWorkbook:
            raise
        except Exception as exc:
            raise UnreadableWorkbook(str(exc)) from exc

    def _rows(self, path: str) -> Iterator[tuple[Any, ...]]:
        # openpyxl's ReadOnlyWorksheet._cells_by_row with min_row = min_col = 1 and the bounds of the
        # <dimension> element, which counts only when it comes before the rows.
        max_col = max_row = None
        empty: Any = []
        dimension_read = False
        counter = idx = 1
        row_counter = 0
        with self._archive.open(path) as src:
            for element in _events(src):
                tag = element.tag
                if tag == _ROW:
                    dimension_read = True
                    row_counter, cells = self._row(element, row_counter)
                    element.clear()
                    idx = row_counter
                    if max_row is not None and idx > max_row:
                        break
                    for _ in range(counter, idx):
                        counter += 1
                        yield empty
                    if counter <= idx:
                        counter += 1
                        yield self._values(cells, max_col)
                elif tag == _DIMENSION and not dimension_read:
                    from openpyxl.worksheet.dimensions import SheetDimension

                    _, _, max_col, max_row = SheetDimension.from_tree(element).boundaries
                    empty = (None,) * max_col if max_col is not None else ()
                    dimension_read = True
                elif tag == _SHEET_DATA:
                    dimension_read = True
        if max_row is not None and max_row < idx:
            for _ in range(counter, max_row + 1):
                yield empty

    @staticmethod
    def _values(cells: list[tuple[int, Any]], max_col: int | None) -> tuple[Any, ...]:
        if not cells and not max_col:
            return ()
        width = max_col or cells[-1][0]
        values: list[Any] = [None] * width
        for column, value in cells:
            if 1 <= column <= width:
                values[column - 1] = value
        return tuple(values)

    def _row(self, row: Any, row_counter: int) -> tuple[int, list[tuple[int, Any]]]:
        """The row's number and its (column, value) pairs, as openpyxl's ``WorkSheetParser.parse_row``."""
        number = row.get("r")
        if number is None:
            row_counter += 1
        else:
            try:
                row_counter = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise UnreadableWorkbook(f"{number} is not a valid row number") from None
                row_counter = int(value)
        cells, column = [], 0
        for cell in row:
            ref = cell.get("r")
            column = _column(ref) if ref else column + 1
            cells.append((column, self._value(cell)))
        return row_counter, cells

    def _value(self, cell: Any) -> Any:
        """A cell's value, as openpyxl's ``WorkSheetParser.parse_cell`` with ``data_only=True``."""
        kind = cell.get("t", "n")
        style = cell.get("s", 0)
        if style:
            style = int(style)
        if kind == "inlineStr":
            child = cell.find(_IS)
            return _text_content(child) if child is not None else None
        value = cell.findtext(_V, None) or None
        if value is None:
            return None
        if kind == "n":
            number: Any = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if style in self._date_styles:
                return self._date(number, style)
            return number
        if kind == "s":
            return self._strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(value)
        return value

    def _date(self, number: Any, style: int) -> Any:
        import warnings

        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number, self._epoch, timedelta=style in self._timedelta_styles)
        except (OverflowError, ValueError):
            warnings.warn(f"a date cell's serial value {number} is outside the limits for dates", stacklevel=2)
            return "#VALUE!"


_COLUMNS: dict[str, int] = {}
_PLAIN_REF = re.compile(r"([A-Z]{1,3})[0-9]+")


def _column(ref: str) -> int:
    """The column index (1-based) of a cell reference such as ``AB12``, as openpyxl's ``coordinate_to_tuple``."""
    match = _PLAIN_REF.fullmatch(ref)
    if match is None:  # anything unusual goes the way openpyxl goes, errors included
        from openpyxl.utils.cell import coordinate_to_tuple

        return coordinate_to_tuple(ref)[1]
    letters = match.group(1)
    column = _COLUMNS.get(letters)
    if column is None:
        from openpyxl.utils.cell import column_index_from_string

        column = _COLUMNS[letters] = column_index_from_string(letters)
    return column
