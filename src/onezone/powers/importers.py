"""The lists in and out of .xlsx (and out as JSON), in the published column layout.

A workbook has a sheet of items (``事项清单``), and optionally one of materials (``申请材料``) and
one of fees (``收费项目``) keyed by the implementation code. The columns are declared for the
import framework (``onezone.core.imports``), which reads and checks every row and refuses the whole
file with its row report if any row is wrong; export writes the same layout, so an exported file
imports again unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from onezone.core.errors import InvalidInput
from onezone.core.imports import (
    CellError,
    Column,
    ImportReport,
    Row,
    Sheet,
    boolean,
    choice,
    choice_of,
    choices_of,
    has_sheet,
    integer,
    listed,
    open_xlsx,
    read_sheet,
    shown_as,
    write_xlsx,
    yes_no,
)
from onezone.org.models import Body
from onezone.powers.models import Category, ItemMaterial, PowerItem
from onezone.powers.rules import SPECIAL_PROCEDURES
from onezone.powers.services import _field_defaults, item_check

ITEMS_SHEET = "事项清单"
MATERIALS_SHEET = "申请材料"
FEES_SHEET = "收费项目"

UNITS = {"工作日": "working", "自然日": "calendar"}
PROCEDURE_VALUES = {label: value for value, label in SPECIAL_PROCEDURES.items()}
BODY_KEY = "implementing_body_id"
MATERIAL_DEFAULTS = {"necessity": "required", "form": "paper", "copies": 1}


def _choice(header: str, key: str, choices, **kw: Any) -> Column:
    return Column(header, key, choice_of(choices), show=shown_as(choices_of(choices)), **kw)


def _procedure(label: str) -> str:
    if label not in PROCEDURE_VALUES:
        raise CellError(f"“{label}”不是行政许可法第四十五条所列程序。")
    return PROCEDURE_VALUES[label]


def _unit(header: str, key: str) -> Column:
    return Column(header, key, choice(UNITS), show=shown_as(UNITS))


def _int(header: str, key: str, **kw: Any) -> Column:
    return Column(header, key, integer(), **kw)


def _bool(header: str, key: str) -> Column:
    return Column(header, key, boolean(), show=yes_no)


def _text(header: str, key: str, **kw: Any) -> Column:
    return Column(header, key, default="", **kw)


ITEM_COLUMNS: tuple[Column, ...] = (
    _text("事项名称", "name", required=True),
    _text("基本编码", "basic_code"),
    _text("实施编码", "implementation_code", required=True),
    _choice("事项类型", "category", Category.choices, required=True),
    _text("设定依据", "legal_basis"),
    Column("实施主体", BODY_KEY),  # read by the zone's bodies: see ``_item_columns``
    _text("委托/原行使部门", "source_department"),
    _choice("权力来源", "power_source", PowerItem.Source.choices),
    _choice("行使层级", "exercise_level", PowerItem.Level.choices),
    _int("法定办结时限", "legal_limit", required=True),
    _unit("法定时限单位", "legal_limit_unit"),
    _text("法定时限说明", "legal_limit_note"),
    _int("承诺办结时限", "committed_limit", required=True),
    _unit("承诺时限单位", "committed_limit_unit"),
    _text("承诺时限说明", "committed_limit_note"),
    _choice("办件类型", "handling_type", PowerItem.HandlingType.choices),
    _bool("联合办理", "joint_handling"),
    _text("受理条件", "acceptance_conditions"),
    _text("办理流程", "procedure"),
    _text("办理形式", "handling_form"),
    Column(
        "特别程序",
        "special_procedures",
        listed(_procedure),
        default=list,
        show=lambda value: "、".join(SPECIAL_PROCEDURES.get(p, p) for p in value or []),
    ),
    _text("服务对象", "service_objects"),
    _bool("是否收费", "has_fee"),
    _text("收费依据", "fee_basis"),
    _int("到办事现场次数", "visits"),
    _bool("是否网办", "online"),
    _choice("网上办理深度", "online_depth", PowerItem.OnlineDepth.choices),
    _text("联办机构", "joint_bodies"),
    _text("办理地点", "place"),
    _text("办理时间", "hours"),
    _text("咨询方式", "contact"),
    _text("监督投诉方式", "complaint_channel"),
)
STATUS_COLUMN = Column("事项状态", "status_label")  # written on export for the reader; ignored on import

MATERIAL_COLUMNS: tuple[Column, ...] = (
    _text("实施编码", "code", required=True),
    _text("材料名称", "name", required=True),
    _choice("材料必要性", "necessity", ItemMaterial.Necessity.choices),
    _choice("材料形式", "form", ItemMaterial.Form.choices),
    _int("份数", "copies"),
    _text("来源渠道", "source"),
    _text("受理标准", "standard"),
    _text("依据", "basis"),
)
FEE_COLUMNS: tuple[Column, ...] = (
    _text("实施编码", "code", required=True),
    _text("收费项目", "name", required=True),
    _text("收费标准", "standard", required=True),
    _text("收费依据", "basis"),
    _text("减免政策", "reduction"),
)


def _item_columns(bodies: Mapping[str, int]) -> tuple[Column, ...]:
    """The item columns with the body column reading the zone's bodies by name."""

    def body(raw: Any) -> int:
        name = str(raw).strip()
        if name not in bodies:
            raise CellError(f"“{name}”不是本开发区登记的机构，请先在机构中登记或改正名称。")
        return bodies[name]

    return tuple(Column(c.header, c.key, body) if c.key == BODY_KEY else c for c in ITEM_COLUMNS)


# --- Reading --------------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def _set(row: Row) -> dict[str, Any]:
    """A row's fields that were filled in (an empty optional cell leaves the field as it is)."""
    return {k: v for k, v in row.values.items() if v is not None}


def read_workbook(data: bytes, *, zone_id: int, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Parse and validate every row; return rows for ``services.powers_import``.

    Raises ``ImportRefused`` (an ``InvalidInput``) with the row report
    (“第3行：承诺时限20个工作日超过法定时限15个工作日……”) if any row is wrong.
    """
    report = ImportReport(noun="事项")
    with open_xlsx(data) as book:
        if not has_sheet(book, ITEMS_SHEET):
            raise InvalidInput(f"工作簿中没有“{ITEMS_SHEET}”工作表。请使用导出的模板。")
        bodies = dict(Body.objects.filter(zone_id=zone_id).values_list("name", "pk"))
        items = read_sheet(
            book,
            Sheet(_item_columns(bodies), name=ITEMS_SHEET, label=ITEMS_SHEET, each="每行一个事项", fill_absent=False),
            report,
            progress=progress,
        )
        materials = fees = None
        if has_sheet(book, MATERIALS_SHEET):
            sheet = Sheet(
                MATERIAL_COLUMNS, name=MATERIALS_SHEET, label=MATERIALS_SHEET, each="每行一份材料", fill_absent=False
            )
            materials = read_sheet(book, sheet, report)
        if has_sheet(book, FEES_SHEET):
            sheet = Sheet(FEE_COLUMNS, name=FEES_SHEET, label=FEES_SHEET, each="每行一个收费项目", fill_absent=False)
            fees = read_sheet(book, sheet, report)
    if not items:
        raise InvalidInput(f"“{ITEMS_SHEET}”工作表没有数据行。")
    return _assemble(items, materials, fees, report, progress)


def _by_code(rows: list[Row] | None, report: ImportReport, codes: set[str], sheet: str) -> dict[str, list[dict]]:
    """The sheet's rows by implementation code; a code the items sheet does not have is refused."""
    found: dict[str, list[dict[str, Any]]] = {}
    for row in rows or []:
        code = row.get("code")
        if code and code not in codes:
            report.refuse(row.number, f"“{code}”在“{ITEMS_SHEET}”中不存在。", column="实施编码", sheet=sheet)
        elif row.ok:
            values = _set(row)
            values.pop("code")
            found.setdefault(code, []).append(values)
    return found


def _assemble(items, materials, fees, report: ImportReport, progress: Progress | None) -> list[dict[str, Any]]:
    defaults = _field_defaults()
    codes = {row.get("implementation_code") for row in items} - {None, ""}
    by_code_materials = _by_code(materials, report, codes, MATERIALS_SHEET)
    by_code_fees = _by_code(fees, report, codes, FEES_SHEET)
    seen: dict[str, int] = {}
    rows = []
    for k, row in enumerate(items, start=1):
        if not row.ok:
            continue
        values = _set(row)
        code = values["implementation_code"]
        if code in seen:
            report.refuse(row.number, f"“{code}”与第{seen[code]}行重复。", column="实施编码", sheet=ITEMS_SHEET)
            continue
        seen[code] = row.number
        full = {**defaults, **values}
        item_fees = by_code_fees.get(code, []) if fees is not None else []
        problems = item_check(full, fees=item_fees)
        if problems:
            report.refuse(row.number, "；".join(p.rstrip("。") for p in problems) + "。", sheet=ITEMS_SHEET)
            continue
        rows.append(
            {
                "item": values,
                "materials": [{**MATERIAL_DEFAULTS, **m} for m in by_code_materials.get(code, [])]
                if materials is not None
                else None,
                "fees": item_fees if fees is not None else None,
            }
        )
        if progress and k % 1000 == 0:
            progress(k, len(items))
    report.raise_if_refused()
    return rows


# --- Writing --------------------------------------------------------------------------------------


def write_workbook(snapshots: Iterable[Mapping[str, Any]]) -> bytes:
    """An .xlsx of the snapshots in the import layout."""
    snapshots = list(snapshots)
    status_labels = dict(PowerItem.Status.choices)
    body = Column("实施主体", BODY_KEY, show=lambda name: name or "")
    item_columns = (*(body if c.key == BODY_KEY else c for c in ITEM_COLUMNS), STATUS_COLUMN)
    items = (
        {**s, BODY_KEY: s.get("implementing_body_name"), "status_label": str(status_labels.get(s.get("status"), ""))}
        for s in snapshots
    )
    materials = ({**m, "code": s["implementation_code"]} for s in snapshots for m in s.get("materials") or [])
    fees = ({**f, "code": s["implementation_code"]} for s in snapshots for f in s.get("fees") or [])
    return write_xlsx(
        [
            (ITEMS_SHEET, item_columns, items),
            (MATERIALS_SHEET, MATERIAL_COLUMNS, materials),
            (FEES_SHEET, FEE_COLUMNS, fees),
        ]
    )


def write_json(snapshots: Iterable[Mapping[str, Any]], *, meta: Mapping[str, Any]) -> str:
    """The snapshots as one JSON document with the version's (or live list's) metadata."""
    return json.dumps({**meta, "items": list(snapshots)}, ensure_ascii=False, indent=1, default=str)
