"""Enterprises in and out as .xlsx: a row-by-row checked, all-or-nothing import, and the export.

The import first checks every row and reports every problem in Chinese with its row number; only
a file without any problem is written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.codes import CodeError, validate_uscc
from onezone.core.errors import InvalidInput
from onezone.core.permissions import require
from onezone.core.uploads import check_xlsx
from onezone.enterprises.access import REGISTRY_ROLES, VIEW_ROLES
from onezone.enterprises.models import Enterprise, EnterpriseTag
from onezone.zones.models import Park

WAN = Decimal(10_000)
MAX_ROWS = 20_000

# key, header, required
COLUMNS: list[tuple[str, str, bool]] = [
    ("uscc", "统一社会信用代码", True),
    ("name", "企业名称", True),
    ("legal_representative", "法定代表人", False),
    ("registered_capital", "注册资本（万元）", False),
    ("industry_code", "行业代码", True),
    ("park", "所在园区", True),
    ("address", "地址", False),
    ("size", "规模", False),
    ("status", "经营状态", False),
    ("established", "成立日期", False),
    ("tags", "标签", False),
    ("risk_level", "风险等级", False),
]
EXPORT_EXTRA = ["行业名称", "符合园区定位"]
_HEADERS = {header: key for key, header, _required in COLUMNS}
_LABELS = {key: header for key, header, _required in COLUMNS}


def _choice_map(choices) -> dict[str, str]:
    out = {}
    for value, label in choices:
        out[str(value)] = value
        out[str(label)] = value
    return out


_SIZES = {**_choice_map(Enterprise.Size.choices), "规模以上": "above", "规模以下": "below"}
_STATUSES = {**_choice_map(Enterprise.Status.choices), "注销": "closed", "关闭": "closed"}
_RISKS = {**_choice_map(Enterprise.Risk.choices), "低": "low", "中": "medium", "高": "high"}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"导入完成：新增企业 {len(self.created)} 家，更新 {len(self.updated)} 家。"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"日期“{_text(value)}”格式不对，应写成 YYYY-MM-DD，例如 2015-06-01。") from exc


def _read_rows(content: bytes) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a malformed workbook
        raise InvalidInput("无法读取该 Excel 文件，请确认文件未加密、未损坏，另存为 .xlsx 后再上传。") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions = {}
    for index, cell in enumerate(header):
        key = _HEADERS.get(_text(cell))
        if key:
            positions[key] = index
    missing = [header for key, header, required in COLUMNS if required and key not in positions]
    if missing:
        raise InvalidInput(f"第1行表头缺少：{'、'.join(missing)}。请使用导入模板，第1行为表头，从第2行起每行一家企业。")
    data = []
    for number, row in enumerate(rows, start=2):
        if not any(_text(v) for v in row):
            continue
        data.append((number, row))
        if len(data) > MAX_ROWS:
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 家企业，请分批导入。")
    workbook.close()
    if not data:
        raise InvalidInput("文件中没有企业数据：第1行为表头，请从第2行起每行填写一家企业。")
    return positions, data


def enterprises_import(*, actor: Any, zone_id: int, content: bytes, update_existing: bool = False) -> ImportResult:
    """Import enterprises from an .xlsx file; nothing is written if any row is wrong.

    A USCC already registered is an error, unless ``update_existing``: then that enterprise's
    registry fields are replaced by the row.
    """
    require(actor, zone_id=zone_id, roles=REGISTRY_ROLES, action="导入企业名录")
    check_xlsx(content)
    positions, data = _read_rows(content)
    from onezone.enterprises.services.registry import normalise_industry

    parks = {}
    for park in Park.objects.filter(zone_id=zone_id):
        parks[park.name] = park
        parks[park.code] = park
    tags = {}
    for tag in EnterpriseTag.objects.filter(zone_id=zone_id):
        tags[tag.name] = tag
        tags[tag.code] = tag
    existing = {e.uscc: e for e in Enterprise.objects.filter(zone_id=zone_id)}
    errors: list[str] = []
    seen: dict[str, int] = {}
    prepared: list[tuple[dict[str, Any], list[EnterpriseTag]]] = []

    for number, row in data:

        def cell(key: str, row=row) -> Any:
            index = positions.get(key)
            return row[index] if index is not None and index < len(row) else None

        def fault(key: str, message: str, number=number) -> None:
            errors.append(f"第{number}行“{_LABELS[key]}”：{message}")

        values: dict[str, Any] = {}
        try:
            uscc = validate_uscc(_text(cell("uscc")))
        except CodeError as exc:
            fault("uscc", exc.message)
            uscc = ""
        if uscc:
            if uscc in seen:
                fault("uscc", f"与第{seen[uscc]}行重复，同一企业只能出现一次。")
            elif uscc in existing and not update_existing:
                fault("uscc", f"已登记为“{existing[uscc].name}”；如需用文件更新已登记企业，请勾选“更新已登记企业”。")
            seen.setdefault(uscc, number)
        values["uscc"] = uscc
        values["name"] = _text(cell("name"))
        if not values["name"]:
            fault("name", "请填写企业名称。")
        values["legal_representative"] = _text(cell("legal_representative"))[:50]
        capital = _text(cell("registered_capital"))
        try:
            amount = Decimal(capital.replace(",", "")) if capital else Decimal(0)
            if not amount.is_finite() or amount < 0:
                raise InvalidOperation
            values["registered_capital"] = (amount * WAN).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            fault("registered_capital", f"“{capital}”不是有效的金额，请填写以万元为单位的数字，例如 500。")
        try:
            values["industry_code"] = normalise_industry(_text(cell("industry_code")))
        except InvalidInput as exc:
            fault("industry_code", exc.message)
        park = parks.get(_text(cell("park")))
        if park is None:
            names = "、".join(sorted({p.name for p in parks.values()}))
            fault("park", f"“{_text(cell('park'))}”不是本开发区的园区，应为：{names}。")
        values["park"] = park
        values["address"] = _text(cell("address"))[:200]
        for key, table, default in (
            ("size", _SIZES, Enterprise.Size.BELOW),
            ("status", _STATUSES, Enterprise.Status.OPERATING),
            ("risk_level", _RISKS, Enterprise.Risk.MEDIUM),
        ):
            raw = _text(cell(key))
            if not raw:
                values[key] = default
            elif raw in table:
                values[key] = table[raw]
            else:
                labels = "、".join(
                    str(label)
                    for _value, label in {
                        "size": Enterprise.Size,
                        "status": Enterprise.Status,
                        "risk_level": Enterprise.Risk,
                    }[key].choices
                )
                fault(key, f"“{raw}”不是有效取值，应为：{labels}。")
        try:
            values["established"] = _date(cell("established"))
        except ValueError as exc:
            fault("established", str(exc))
        row_tags = []
        for name in _text(cell("tags")).replace("，", "、").replace(",", "、").split("、"):
            name = name.strip()
            if not name:
                continue
            if name in tags:
                row_tags.append(tags[name])
            else:
                fault("tags", f"标签“{name}”不存在，可用标签：{'、'.join(sorted({t.name for t in tags.values()}))}。")
        prepared.append((values, row_tags))

    if errors:
        raise InvalidInput(
            f"导入文件共 {len(data)} 行数据，发现 {len(errors)} 处错误，未导入任何企业。请改正后重新上传：\n"
            + "\n".join(errors),
            fields={"file": "\n".join(errors)},
        )

    result = ImportResult()
    with transaction.atomic():
        for values, row_tags in prepared:
            enterprise = existing.get(values["uscc"])
            if enterprise is None:
                enterprise = Enterprise.objects.create(zone_id=zone_id, **values)
                result.created.append(enterprise.uscc)
            else:
                for key, value in values.items():
                    setattr(enterprise, key, value)
                enterprise.save()
                result.updated.append(enterprise.uscc)
            enterprise.tags.set(row_tags)
        audit_record(
            actor=actor,
            action="enterprises.enterprise.import",
            zone_id=zone_id,
            object_type="enterprises.enterprise",
            object_repr=f"导入企业 {len(result.created)} 家新增，{len(result.updated)} 家更新",
            changes={"created": result.created, "updated": result.updated},
        )
    return result


def _workbook(rows: list[list[Any]], headers: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "企业名录"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 2 + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def enterprises_import_template() -> bytes:
    """An empty import file with its header row and one example row."""
    example = [
        "91620321MA00000000",
        "示例新材料有限公司",
        "张三",
        500,
        "C3211",
        "河西堡工业园",
        "永昌县河西堡镇",
        "规上",
        "在营",
        "2018-06-01",
        "专精特新、高新技术企业",
        "中风险",
    ]
    return _workbook([example], [header for _key, header, _required in COLUMNS])


def enterprises_export(*, actor: Any, zone_id: int, **filters: Any) -> bytes:
    """The zone's enterprises (optionally filtered like the list) as .xlsx, in the import's columns."""
    require(actor, zone_id=zone_id, roles=VIEW_ROLES, action="导出企业名录")
    from onezone.enterprises.selectors import enterprises_for_export, industry_name

    rows = []
    for e in enterprises_for_export(zone_id=zone_id, **filters):
        rows.append(
            [
                e.uscc,
                e.name,
                e.legal_representative,
                (e.registered_capital / WAN).normalize(),
                e.industry_code,
                e.park.name,
                e.address,
                e.get_size_display(),
                e.get_status_display(),
                e.established.isoformat() if e.established else "",
                "、".join(t.name for t in e.tags.all()),
                e.get_risk_level_display(),
                industry_name(e.industry_code),
                "是" if e.fits_park else "否",
            ]
        )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="enterprises.enterprise.export",
            zone_id=zone_id,
            object_type="enterprises.enterprise",
            object_repr=f"导出企业 {len(rows)} 家",
            changes={"count": len(rows), "filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}},
        )
    return _workbook(rows, [header for _key, header, _required in COLUMNS] + EXPORT_EXTRA)
