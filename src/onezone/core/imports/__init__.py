"""One framework for every .xlsx import: declared columns, one row report, all or nothing, as a job.

An import declares its :class:`Column` s (header, type, required, validators) and :class:`Sheet` s,
reads them (``read_rows`` / ``open_table`` + ``read_sheet``: openpyxl read-only, every row checked,
every problem recorded in the :class:`ImportReport`), adds its own checks across rows
(``report.refuse``), refuses the file if anything is wrong (``report.raise_if_refused``) and only
then writes through its domain service in one transaction. ``import_start`` runs it as a job.
See docs/jobs.md, "Imports".
"""

from onezone.core.imports.columns import (
    CellError,
    Column,
    boolean,
    cell_text,
    choice,
    choice_of,
    choices_of,
    date,
    decimal,
    integer,
    listed,
    moment,
    shown_as,
    text,
    yes_no,
)
from onezone.core.imports.jobs import import_start
from onezone.core.imports.reading import (
    MAX_ROWS,
    UNREADABLE,
    Row,
    Sheet,
    Table,
    distinct,
    has_sheet,
    open_table,
    open_xlsx,
    read_rows,
    read_sheet,
)
from onezone.core.imports.report import ImportRefused, ImportReport, RowError
from onezone.core.imports.writing import write_xlsx

__all__ = [
    "MAX_ROWS",
    "UNREADABLE",
    "CellError",
    "Column",
    "ImportRefused",
    "ImportReport",
    "Row",
    "RowError",
    "Sheet",
    "Table",
    "boolean",
    "cell_text",
    "choice",
    "choice_of",
    "choices_of",
    "date",
    "decimal",
    "distinct",
    "has_sheet",
    "import_start",
    "integer",
    "listed",
    "moment",
    "open_table",
    "open_xlsx",
    "read_rows",
    "read_sheet",
    "shown_as",
    "text",
    "write_xlsx",
    "yes_no",
]
