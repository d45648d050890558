"""The lists in and out of .xlsx (and out as JSON), in the published column layout.

A workbook has a sheet of items (``事项清单``), and optionally one of materials (``申请材料``) and
one of fees (``收费项目``) keyed by the implementation code. Reading validates every row and
refuses the whole file with a row-by-row report if any row is wrong; export writes the same
layout, so an exported file imports again unchanged.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from onezone.core.errors import InvalidInput
from onezone.core.uploads import check_xlsx
from onezone.org.models import Body
from onezone.powers.models import Category, ItemMaterial, PowerItem
from onezone.powers.rules import SPECIAL_PROCEDURES
from onezone.powers.services import item_check
from onezone.powers.xlsx_reader import UnreadableWorkbook, Workbook

ITEMS_SHEET = "事项清单"
MATERIALS_SHEET = "申请材料"
FEES_SHEET = "收费项目"
MAX_REPORT_LINES = 200
UNREADABLE = "无法读取该 Excel 文件（文件内容已损坏或格式不对），请重新导出后再导入。"

YES, NO = "是", "否"
UNITS = {"工作日": "working", "自然日": "calendar"}


def _labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """label → value of a TextChoices (blank values left out)."""
    return {str(label): value for value, label in choices if value}


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"  # text | int | bool | unit | choice | procedures | body
    required: bool = False
    choices: Mapping[str, str] | None = None  # label → value


ITEM_COLUMNS: tuple[Column, ...] = (
    Column("事项名称", "name", required=True),
    Column("基本编码", "basic_code"),
    Column("实施编码", "implementation_code", required=True),
    Column("事项类型", "category", "choice", required=True, choices=_labels(Category.choices)),
    Column("设定依据", "legal_basis"),
    Column("实施主体", "implementing_body_id", "body"),
    Column("委托/原行使部门", "source_department"),
    Column("权力来源", "power_source", "choice", choices=_labels(PowerItem.Source.choices)),
    Column("行使层级", "exercise_level", "choice", choices=_labels(PowerItem.Level.choices)),
    Column("法定办结时限", "legal_limit", "int", required=True),
    Column("法定时限单位", "legal_limit_unit", "unit"),
    Column("法定时限说明", "legal_limit_note"),
    Column("承诺办结时限", "committed_limit", "int", required=True),
    Column("承诺时限单位", "committed_limit_unit", "unit"),
    Column("承诺时限说明", "committed_limit_note"),
    Column("办件类型", "handling_type", "choice", choices=_labels(PowerItem.HandlingType.choices)),
    Column("联合办理", "joint_handling", "bool"),
    Column("受理条件", "acceptance_conditions"),
    Column("办理流程", "procedure"),
    Column("办理形式", "handling_form"),
    Column("特别程序", "special_procedures", "procedures"),
    Column("服务对象", "service_objects"),
    Column("是否收费", "has_fee", "bool"),
    Column("收费依据", "fee_basis"),
    Column("到办事现场次数", "visits", "int"),
    Column("是否网办", "online", "bool"),
    Column("网上办理深度", "online_depth", "choice", choices=_labels(PowerItem.OnlineDepth.choices)),
    Column("联办机构", "joint_bodies"),
    Column("办理地点", "place"),
    Column("办理时间", "hours"),
    Column("咨询方式", "contact"),
    Column("监督投诉方式", "complaint_channel"),
)
STATUS_HEADER = "事项状态"  # written on export for the reader; ignored on import

MATERIAL_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "code", required=True),
    Column("材料名称", "name", required=True),
    Column("材料必要性", "necessity", "choice", choices=_labels(ItemMaterial.Necessity.choices)),
    Column("材料形式", "form", "choice", choices=_labels(ItemMaterial.Form.choices)),
    Column("份数", "copies", "int"),
    Column("来源渠道", "source"),
    Column("受理标准", "standard"),
    Column("依据", "basis"),
)
FEE_COLUMNS: tuple[Column, ...] = (
    Column("实施编码", "code", required=True),
    Column("收费项目", "name", required=True),
    Column("收费标准", "standard", required=True),
    Column("收费依据", "basis"),
    Column("减免政策", "reduction"),
)
PROCEDURE_VALUES = {label: value for value, label in SPECIAL_PROCEDURES.items()}


# --- Reading --------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell(col: Column, raw: Any, bodies: Mapping[str, int]) -> tuple[Any, str | None]:
    """The field value of one cell, or an error sentence."""
    text = _text(raw)
    if not text:
        if col.required:
            return None, f"“{col.header}”不能为空"
        return _EMPTY.get(col.kind, ""), None
    if col.kind == "int":
        try:
            number = int(raw) if isinstance(raw, int | float) and float(raw).is_integer() else int(text)
        except ValueError:
            return None, f"“{col.header}”应为整数（填写的是“{text}”）"
        if number < 0:
            return None, f"“{col.header}”不能为负数（填写的是“{text}”）"
        return number, None
    if col.kind == "bool":
        if text in (YES, NO):
            return text == YES, None
        return None, f"“{col.header}”应填“是”或“否”（填写的是“{text}”）"
    if col.kind == "unit":
        if text in UNITS:
            return UNITS[text], None
        return None, f"“{col.header}”应填“工作日”或“自然日”（填写的是“{text}”）"
    if col.kind == "choice":
        assert col.choices is not None
        if text in col.choices:
            return col.choices[text], None
        if text in col.choices.values():
            return text, None
        return None, f"“{col.header}”应为{'、'.join(col.choices)}之一（填写的是“{text}”）"
    if col.kind == "procedures":
        parts = [p.strip() for p in text.replace("，", "、").replace(",", "、").split("、") if p.strip()]
        wrong = [p for p in parts if p not in PROCEDURE_VALUES]
        if wrong:
            return None, f"“{col.header}”中的“{'、'.join(wrong)}”不是行政许可法第四十五条所列程序"
        return [PROCEDURE_VALUES[p] for p in parts], None
    if col.kind == "body":
        if text in bodies:
            return bodies[text], None
        return None, f"“{col.header}”“{text}”不是本开发区登记的机构，请先在机构中登记或改正名称"
    return text, None


_EMPTY: dict[str, Any] = {"int": None, "bool": None, "unit": None, "choice": None, "procedures": [], "body": None}


def _header_map(sheet_name: str, header: tuple[Any, ...], columns: tuple[Column, ...]) -> dict[str, int]:
    positions = {_text(h): n for n, h in enumerate(header) if _text(h)}
    missing = [c.header for c in columns if c.required and c.header not in positions]
    if missing:
        raise InvalidInput(
            f"“{sheet_name}”工作表缺少必需的列：{'、'.join(missing)}。请使用导出的模板，不要删除或改名表头。"
        )
    return {c.key: positions[c.header] for c in columns if c.header in positions}


def _rows(sheet: Iterable[tuple[Any, ...]]) -> Iterable[tuple[int, tuple[Any, ...]]]:
    for n, row in enumerate(sheet, start=1):
        if n == 1 or any(_text(v) for v in row):
            yield n, row


def _read_sheet(
    sheet: Iterable[tuple[Any, ...]],
    name: str,
    columns: tuple[Column, ...],
    bodies: Mapping[str, int],
    errors: list[str],
    prefix: str,
) -> list[tuple[int, dict[str, Any]]]:
    rows = _rows(sheet)
    try:
        _, header = next(rows)
    except StopIteration as exc:
        raise InvalidInput(f"“{name}”工作表是空的，请至少填写表头和一行数据。") from exc
    positions = _header_map(name, header, columns)
    by_key = {c.key: c for c in columns}
    parsed = []
    for number, row in rows:
        values, problems = {}, []
        for key, pos in positions.items():
            value, problem = _cell(by_key[key], row[pos] if pos < len(row) else None, bodies)
            if problem:
                problems.append(problem)
            elif value is not None:
                values[key] = value
        if problems:
            errors.append(f"{prefix}第{number}行：" + "；".join(problems))
        else:
            parsed.append((number, values))
    return parsed


Progress = Callable[[int, int], None]


def read_workbook(data: bytes, *, zone_id: int, progress: Progress | None = None) -> list[dict[str, Any]]:
    """Parse and validate every row; return rows for ``services.powers_import``.

    Raises ``InvalidInput`` listing each wrong row ("第12行：承诺时限20个工作日超过法定时限15个工作日").
    """
    check_xlsx(data)
    try:
        book = Workbook(data)
    except UnreadableWorkbook as exc:
        raise InvalidInput(UNREADABLE) from exc
    try:
        if ITEMS_SHEET not in book.sheetnames:
            raise InvalidInput(f"工作簿中没有“{ITEMS_SHEET}”工作表。请使用导出的模板。")
        bodies = dict(Body.objects.filter(zone_id=zone_id).values_list("name", "pk"))
        errors: list[str] = []
        items = _read_sheet(book.rows(ITEMS_SHEET), ITEMS_SHEET, ITEM_COLUMNS, bodies, errors, "")
        materials = (
            _read_sheet(
                book.rows(MATERIALS_SHEET), MATERIALS_SHEET, MATERIAL_COLUMNS, bodies, errors, f"“{MATERIALS_SHEET}”"
            )
            if MATERIALS_SHEET in book.sheetnames
            else None
        )
        fees = (
            _read_sheet(book.rows(FEES_SHEET), FEES_SHEET, FEE_COLUMNS, bodies, errors, f"“{FEES_SHEET}”")
            if FEES_SHEET in book.sheetnames
            else None
        )
    except UnreadableWorkbook as exc:
        raise InvalidInput(UNREADABLE) from exc
    finally:
        book.close()
    return _assemble(items, materials, fees, errors, progress)


def _assemble(items, materials, fees, errors: list[str], progress: Progress | None) -> list[dict[str, Any]]:
    from onezone.powers.services import _field_defaults

    defaults = _field_defaults()
    seen: dict[str, int] = {}
    by_code_materials: dict[str, list[dict[str, Any]]] = {}
    by_code_fees: dict[str, list[dict[str, Any]]] = {}
    for _, m in materials or []:
        code = m.pop("code")
        by_code_materials.setdefault(code, []).append({"necessity": "required", "form": "paper", "copies": 1, **m})
    for _, f in fees or []:
        by_code_fees.setdefault(f.pop("code"), []).append(f)
    rows = []
    total = len(items)
    for k, (number, values) in enumerate(items, start=1):
        code = values["implementation_code"]
        if code in seen:
            errors.append(f"第{number}行：实施编码“{code}”与第{seen[code]}行重复")
            continue
        seen[code] = number
        full = {**defaults, **{key: v for key, v in values.items() if v is not None}}
        item_fees = by_code_fees.get(code, []) if fees is not None else []
        problems = item_check(full, fees=item_fees)
        if problems:
            errors.append(f"第{number}行：" + "；".join(p.rstrip("。") for p in problems))
            continue
        rows.append(
            {
                "item": {key: full[key] for key in values} | {"implementation_code": code},
                "materials": by_code_materials.get(code, []) if materials is not None else None,
                "fees": item_fees if fees is not None else None,
            }
        )
        if progress and k % 1000 == 0:
            progress(k, total)
    unknown = sorted(set(by_code_materials) - set(seen))
    if unknown:
        errors.append(f"“{MATERIALS_SHEET}”中的实施编码在“{ITEMS_SHEET}”中不存在：{'、'.join(unknown[:20])}")
    unknown_fees = sorted(set(by_code_fees) - set(seen))
    if unknown_fees:
        errors.append(f"“{FEES_SHEET}”中的实施编码在“{ITEMS_SHEET}”中不存在：{'、'.join(unknown_fees[:20])}")
    if errors:
        shown = errors[:MAX_REPORT_LINES]
        more = f"\n……另有{len(errors) - len(shown)}处错误" if len(errors) > len(shown) else ""
        raise InvalidInput(
            f"文件有{len(errors)}处错误，整个文件未导入，请改正后重新导入：\n" + "\n".join(shown) + more,
            fields={"rows": "\n".join(shown)},
        )
    if not rows:
        raise InvalidInput(f"“{ITEMS_SHEET}”工作表没有数据行。")
    return rows


# --- Writing --------------------------------------------------------------------------------------


def _display(col: Column, value: Any, bodies: Mapping[int, str], snap: Mapping[str, Any]) -> Any:
    if col.kind == "bool":
        return YES if value else NO
    if col.kind == "unit":
        return {v: k for k, v in UNITS.items()}.get(value, "")
    if col.kind == "choice":
        assert col.choices is not None
        return {v: k for k, v in col.choices.items()}.get(value, "")
    if col.kind == "procedures":
        return "、".join(SPECIAL_PROCEDURES.get(p, p) for p in value or [])
    if col.kind == "body":
        return snap.get("implementing_body_name") or bodies.get(value, "")
    return value if value is not None else ""


def write_workbook(snapshots: Iterable[Mapping[str, Any]]) -> bytes:
    """An .xlsx of the snapshots in the import layout."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    items = book.create_sheet(ITEMS_SHEET)
    materials = book.create_sheet(MATERIALS_SHEET)
    fees = book.create_sheet(FEES_SHEET)
    items.append([c.header for c in ITEM_COLUMNS] + [STATUS_HEADER])
    materials.append([c.header for c in MATERIAL_COLUMNS])
    fees.append([c.header for c in FEE_COLUMNS])
    status_labels = dict(PowerItem.Status.choices)
    for snap in snapshots:
        items.append(
            [_display(c, snap.get(c.key), {}, snap) for c in ITEM_COLUMNS]
            + [str(status_labels.get(snap.get("status"), ""))]
        )
        code = snap["implementation_code"]
        for m in snap.get("materials") or []:
            materials.append([code] + [_display(c, m.get(c.key), {}, m) for c in MATERIAL_COLUMNS[1:]])
        for f in snap.get("fees") or []:
            fees.append([code] + [f.get(c.key, "") for c in FEE_COLUMNS[1:]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_json(snapshots: Iterable[Mapping[str, Any]], *, meta: Mapping[str, Any]) -> str:
    """The snapshots as one JSON document with the version's (or live list's) metadata."""
    return json.dumps({**meta, "items": list(snapshots)}, ensure_ascii=False, indent=1, default=str)
