"""The responsibility list and the enforcement list in and out of .xlsx, on the import framework.

The export writes the columns the import reads (and the item's name, for the reader), so an
exported list imports again unchanged: a responsibility is the item's (by implementation code) at a
stage; an enforcement item is known by its code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from onezone.core.imports import (
    CellError,
    Column,
    Sheet,
    boolean,
    cell_text,
    choice_of,
    distinct,
    read_rows,
    text,
    write_xlsx,
    yes_no,
)
from onezone.org.models import Body
from onezone.powers.models import DutyList, EnforcementItem, PowerItem, Responsibility

SHEETS = {DutyList.RESPONSIBILITIES: "责任清单", DutyList.ENFORCEMENT: "执法事项清单"}
MAX_ROWS = 20_000

RESPONSIBILITY_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "implementation_code", text(), required=True),
    Column("事项名称", "name", text(), default=""),  # for the reader; the item is found by its code
    Column("环节", "stage", choice_of(Responsibility.Stage.choices), required=True),
    Column("责任事项", "content", text(), required=True),
    Column("追责情形", "accountability", text(), default=""),
)
ENFORCEMENT_COLUMNS: tuple[Column, ...] = (
    Column("编码", "code", text(max_length=60), required=True),
    Column("执法事项名称", "name", text(max_length=200), required=True),
    Column("执法类别", "kind", choice_of(EnforcementItem.Kind.choices), required=True),
    Column("对应权力事项", "item_code", text(), default=""),
    Column("执法主体", "enforcing_body", text(), required=True),
    Column("执法依据", "basis", text(), required=True),
    Column("裁量基准", "discretion", text(), default=""),
    Column("有效", "active", boolean(), default=True, show=yes_no),
)
COLUMNS = {DutyList.RESPONSIBILITIES: RESPONSIBILITY_COLUMNS, DutyList.ENFORCEMENT: ENFORCEMENT_COLUMNS}


def _lookup(table: Mapping[str, Any], message: str):
    def parse(raw: Any) -> Any:
        key = cell_text(raw)
        if key not in table:
            raise CellError(message.format(value=key[:40]))
        return table[key]

    return parse


def read_duty_rows(content: bytes, *, zone_id: int, kind: str) -> list[dict[str, Any]]:
    """Every row of the file checked; the rows for ``duty_list_import`` or ``ImportRefused`` with the row report."""
    items = {i.implementation_code: i for i in PowerItem.objects.filter(zone_id=zone_id)}
    item = _lookup(items, "“{value}”不是本开发区清单中的实施编码，请先把事项列入权力清单。")
    if kind == DutyList.RESPONSIBILITIES:
        columns = tuple(
            Column(c.header, "item", item, required=True) if c.key == "implementation_code" else c
            for c in RESPONSIBILITY_COLUMNS
        )
        sheet = Sheet(columns, each="每行一个事项的一个环节", max_rows=MAX_ROWS)
        rows, report = read_rows(content, sheet, noun="责任事项")
        distinct(
            rows,
            lambda r: (r["item"].pk, r["stage"]) if r.ok else None,
            report,
            message="与第{first}行是同一事项的同一环节，请只保留一行。",
            column="环节",
        )
    else:
        bodies = dict(Body.objects.filter(zone_id=zone_id).values_list("name", "pk"))
        readers = {
            "item_code": ("item_id", lambda raw: item(raw).pk),
            "enforcing_body": (
                "enforcing_body_id",
                _lookup(bodies, "“{value}”不是本开发区登记的机构，请先在机构中登记或改正名称。"),
            ),
        }
        columns = tuple(
            Column(c.header, readers[c.key][0], readers[c.key][1], required=c.required) if c.key in readers else c
            for c in ENFORCEMENT_COLUMNS
        )
        rows, report = read_rows(content, Sheet(columns, each="每行一个执法事项", max_rows=MAX_ROWS), noun="执法事项")
        distinct(rows, lambda r: r.get("code"), report, message="编码与第{first}行重复。", column="编码")
    report.raise_if_refused()
    return [row.values for row in rows]


def write_duty_workbook(kind: str, entries: Iterable[Mapping[str, Any]]) -> bytes:
    """An .xlsx of the entries (snapshots) in the import's layout."""
    if kind == DutyList.RESPONSIBILITIES:
        columns: tuple[Column, ...] = RESPONSIBILITY_COLUMNS
    else:
        columns = ENFORCEMENT_COLUMNS
    rows = ({"active": True, **e} for e in entries)  # a published entry is an active one
    return write_xlsx([(SHEETS[DutyList(kind)], columns, rows)])
