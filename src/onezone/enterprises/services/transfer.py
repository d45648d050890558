"""Enterprises in and out as .xlsx: a row-by-row checked, all-or-nothing import, and the export.

The columns are declared for the import framework (``onezone.core.imports``): every row is checked
and every problem reported in its row report; only a file without any problem is written, in one
transaction. The export writes the same columns, so an exported file imports again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.codes import CodeError, validate_uscc
from onezone.core.errors import InvalidInput
from onezone.core.imports import (
    CellError,
    Column,
    Sheet,
    cell_text,
    choice,
    choices_of,
    date,
    decimal,
    distinct,
    listed,
    read_rows,
    shown_as,
    text,
    write_xlsx,
)
from onezone.core.permissions import require
from onezone.enterprises.access import REGISTRY_ROLES, VIEW_ROLES
from onezone.enterprises.models import Enterprise, EnterpriseTag
from onezone.zones.models import Park

WAN = Decimal(10_000)
MAX_ROWS = 20_000
SHEET_TITLE = "企业名录"


def _choice_column(header: str, key: str, choices, extra: dict[str, str], default: str) -> Column:
    labels = {**choices_of(choices), **extra}
    return Column(
        header, key, choice(labels, shown=[str(label) for _v, label in choices]), default=default, show=shown_as(labels)
    )


def _uscc(raw: Any) -> str:
    try:
        return validate_uscc(cell_text(raw))
    except CodeError as exc:
        raise CellError(exc.message) from None


def _industry(raw: Any) -> str:
    from onezone.enterprises.services.registry import normalise_industry

    try:
        return normalise_industry(cell_text(raw))
    except InvalidInput as exc:
        raise CellError(exc.message) from None


COLUMNS: tuple[Column, ...] = (
    Column("统一社会信用代码", "uscc", _uscc, required=True),
    Column("企业名称", "name", text(max_length=200), required=True),
    Column("法定代表人", "legal_representative", text(max_length=50), default=""),
    Column(
        "注册资本（万元）",
        "registered_capital",
        decimal(scale=WAN, places=2, what="金额，请填写以万元为单位的数字，例如 500"),
        default=Decimal("0.00"),
        show=lambda yuan: (yuan / WAN).normalize(),
    ),
    Column("行业代码", "industry_code", _industry, required=True),
    Column("所在园区", "park", required=True),  # read by the zone's parks: see ``_columns``
    Column("地址", "address", text(max_length=200), default=""),
    _choice_column("规模", "size", Enterprise.Size.choices, {"规模以上": "above", "规模以下": "below"}, "below"),
    _choice_column("经营状态", "status", Enterprise.Status.choices, {"注销": "closed", "关闭": "closed"}, "operating"),
    Column("成立日期", "established", date(), show=lambda day: day.isoformat() if day else ""),
    Column("标签", "tags", default=list, show="、".join),  # read by the zone's tags: see ``_columns``
    _choice_column(
        "风险等级", "risk_level", Enterprise.Risk.choices, {"低": "low", "中": "medium", "高": "high"}, "medium"
    ),
)
EXPORT_EXTRA = (Column("行业名称", "industry_name"), Column("符合园区定位", "fits_park"))
_EACH = "每行一家企业"


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return f"导入完成：新增企业 {len(self.created)} 家，更新 {len(self.updated)} 家。"


def _columns(zone_id: int) -> tuple[Column, ...]:
    """The columns with the park and the tags read by the zone's own parks and tags (by name or code)."""
    parks: dict[str, Park] = {}
    for park in Park.objects.filter(zone_id=zone_id):
        parks[park.name] = parks[park.code] = park
    tags: dict[str, EnterpriseTag] = {}
    for tag in EnterpriseTag.objects.filter(zone_id=zone_id):
        tags[tag.name] = tags[tag.code] = tag
    park_names = "、".join(sorted({p.name for p in parks.values()}))
    tag_names = "、".join(sorted({t.name for t in tags.values()}))

    def park(raw: Any) -> Park:
        found = parks.get(cell_text(raw))
        if found is None:
            raise CellError(f"“{cell_text(raw)[:30]}”不是本开发区的园区，应为：{park_names}。")
        return found

    def tag(name: str) -> EnterpriseTag:
        if name not in tags:
            raise CellError(f"标签“{name[:30]}”不存在，可用标签：{tag_names}。")
        return tags[name]

    readers = {"park": park, "tags": listed(tag)}
    return tuple(
        Column(c.header, c.key, readers[c.key], required=c.required, default=c.default) if c.key in readers else c
        for c in COLUMNS
    )


def enterprises_import(*, actor: Any, zone_id: int, content: bytes, update_existing: bool = False) -> ImportResult:
    """Import enterprises from an .xlsx file; nothing is written if any row is wrong.

    A USCC already registered is an error, unless ``update_existing``: then that enterprise's
    registry fields are replaced by the row.
    """
    require(actor, zone_id=zone_id, roles=REGISTRY_ROLES, action="导入企业名录")
    rows, report = read_rows(content, Sheet(_columns(zone_id), each=_EACH, max_rows=MAX_ROWS), noun="企业")
    existing = {e.uscc: e for e in Enterprise.objects.filter(zone_id=zone_id)}
    distinct(
        rows,
        lambda row: row.get("uscc"),
        report,
        message="与第{first}行重复，同一企业只能出现一次。",
        column="统一社会信用代码",
    )
    prepared: list[tuple[dict[str, Any], list[EnterpriseTag]]] = []
    for row in rows:
        found = existing.get(row.get("uscc"))
        if found is not None and not update_existing:
            report.refuse(
                row.number,
                f"已登记为“{found.name}”；如需用文件更新已登记企业，请勾选“更新已登记企业”。",
                column="统一社会信用代码",
            )
        elif row.ok:
            values = dict(row.values)
            prepared.append((values, values.pop("tags")))
    report.raise_if_refused()

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


def enterprises_import_template() -> bytes:
    """An empty import file with its header row and one example row."""
    example = {
        "uscc": "91620321MA00000000",
        "name": "示例新材料有限公司",
        "legal_representative": "张三",
        "registered_capital": Decimal(5_000_000),
        "industry_code": "C3211",
        "park": "河西堡工业园",
        "address": "永昌县河西堡镇",
        "size": "above",
        "status": "operating",
        "established": dt.date(2018, 6, 1),
        "tags": ["专精特新", "高新技术企业"],
        "risk_level": "medium",
    }
    return write_xlsx([(SHEET_TITLE, COLUMNS, [example])])


def enterprises_export(*, actor: Any, zone_id: int, **filters: Any) -> bytes:
    """The zone's enterprises (optionally filtered like the list) as .xlsx, in the import's columns."""
    require(actor, zone_id=zone_id, roles=VIEW_ROLES, action="导出企业名录")
    from onezone.enterprises.selectors import enterprises_for_export, industry_name

    rows = [
        {
            "uscc": e.uscc,
            "name": e.name,
            "legal_representative": e.legal_representative,
            "registered_capital": e.registered_capital,
            "industry_code": e.industry_code,
            "park": e.park.name,
            "address": e.address,
            "size": e.size,
            "status": e.status,
            "established": e.established,
            "tags": [t.name for t in e.tags.all()],
            "risk_level": e.risk_level,
            "industry_name": industry_name(e.industry_code),
            "fits_park": "是" if e.fits_park else "否",
        }
        for e in enterprises_for_export(zone_id=zone_id, **filters)
    ]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="enterprises.enterprise.export",
            zone_id=zone_id,
            object_type="enterprises.enterprise",
            object_repr=f"导出企业 {len(rows)} 家",
            changes={"count": len(rows), "filters": {k: str(v) for k, v in filters.items() if v not in (None, "")}},
        )
    return write_xlsx([(SHEET_TITLE, (*COLUMNS, *EXPORT_EXTRA), rows)])
