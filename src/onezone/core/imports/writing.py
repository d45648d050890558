"""Templates and exports in the layout the import reads, so that an exported file imports again unchanged."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from onezone.core.imports.columns import Column

SheetRows = tuple[str, Sequence[Column], Iterable[Mapping[str, Any]]]


def write_xlsx(sheets: Sequence[SheetRows]) -> bytes:
    """An .xlsx with one sheet per ``(title, columns, rows)``: the headers, then each row's values by column key.

    Columns an import does not declare (an export's read-only information) are ignored when the
    file is imported again.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append([c.header for c in columns])
        for row in rows:
            sheet.append([c.write(row.get(c.key)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
