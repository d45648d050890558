"""Closed management: entries and exits imported from the gate systems' exports (.xlsx or CSV).

The columns are declared for the import framework (``onezone.core.imports``), which checks every
row first and reports every problem in its row report; only a file without any problem is written,
in one transaction. A row already imported (same gate, direction,
time and vehicle or person) is skipped, so the same export can be imported twice. A vehicle's entry
opens its stay in the park and its exit closes it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput
from onezone.core.imports import (
    CellError,
    Column,
    Sheet,
    cell_text,
    decimal,
    distinct,
    moment,
    read_rows,
    text,
    write_xlsx,
)
from onezone.core.permissions import require
from onezone.safety.models import Gate, GatePassage, ParkingArea, VehicleStay
from onezone.safety.services.operations_access import SUPERVISE_ROLES

MAX_ROWS = 20_000
SHEET_TITLE = "卡口通行记录"
_DIRECTIONS = {"入园": "in", "进": "in", "入": "in", "in": "in", "出园": "out", "出": "out", "out": "out"}
_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{4,6}(挂|学|警)?$")
_UN = re.compile(r"^\d{4}$")


def _direction(raw: Any) -> str:
    direction = _DIRECTIONS.get(cell_text(raw).lower())
    if direction is None:
        raise CellError("应填写“入园”或“出园”。")
    return direction


def _plate(raw: Any) -> str:
    plate = text(max_length=16, upper=True)(raw).replace(" ", "").replace("·", "")
    if not _PLATE.match(plate):
        raise CellError(f"“{plate}”不是有效的车牌号，例如 甘C12345。")
    return plate


def _un_number(raw: Any) -> str:
    un = cell_text(raw).upper().removeprefix("UN")
    if not _UN.match(un):
        raise CellError(f"“{un[:10]}”不是有效的 UN 编号，应为 4 位数字，例如 1005。")
    return un


def _not_in_the_future(at: dt.datetime) -> None:
    if at > timezone.now() + dt.timedelta(minutes=10):
        raise CellError("通行时间晚于现在，请核对卡口系统的时钟。")


COLUMNS: tuple[Column, ...] = (
    Column("卡口编号", "gate", required=True),  # read by the zone's gates: see ``_sheet``
    Column("方向", "direction", _direction, required=True),
    Column("通行时间", "at", moment(), required=True, validators=(_not_in_the_future,)),
    Column("车牌号", "plate", _plate, default=""),
    Column("人员姓名", "person", text(max_length=50), default=""),
    Column("驾驶员", "driver", text(max_length=50), default=""),
    Column("危险化学品", "chemical", text(max_length=100), default=""),
    Column("UN编号", "un_number", _un_number, default=""),
    Column("数量（吨）", "quantity_t", decimal(below=Decimal(10_000_000), places=3, what="吨数")),
    Column("停车场", "parking_area"),  # read by the zone's parking areas: see ``_sheet``
)


@dataclass
class PassageImport:
    imported: int = 0
    skipped: int = 0
    entries: int = 0
    exits: int = 0
    unmatched_exits: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"导入完成：新增通行记录 {self.imported} 条（入园 {self.entries}，出园 {self.exits}）"
        if self.skipped:
            text += f"，已导入过而跳过 {self.skipped} 条"
        if self.unmatched_exits:
            text += (
                f"；{len(self.unmatched_exits)} 辆车的出园没有对应的入园记录（{'、'.join(self.unmatched_exits[:10])}）"
            )
        return text + "。"


def _sheet(zone_id: int) -> Sheet:
    """The columns with the gate and the parking area read by the zone's own."""
    gates = {g.code: g for g in Gate.objects.filter(zone_id=zone_id)}
    parkings: dict[str, ParkingArea] = {}
    for area in ParkingArea.objects.filter(zone_id=zone_id):
        parkings[area.code] = parkings[area.name] = area

    def gate(raw: Any) -> Gate:
        found = gates.get(cell_text(raw))
        if found is None:
            names = "、".join(sorted(gates)) or "（尚未登记卡口）"
            raise CellError(f"“{cell_text(raw)[:20]}”不是本开发区登记的卡口，应为：{names}。")
        return found

    def parking(raw: Any) -> ParkingArea:
        found = parkings.get(cell_text(raw))
        if found is None:
            raise CellError(f"“{cell_text(raw)[:30]}”不是登记的危化品停车场。")
        return found

    readers = {"gate": gate, "parking_area": parking}
    columns = tuple(
        Column(c.header, c.key, readers[c.key], required=c.required) if c.key in readers else c for c in COLUMNS
    )
    return Sheet(columns, each="每行一次通行", max_rows=MAX_ROWS)


def _passage_key(row: Any) -> tuple | None:
    """What makes two rows the same passage (``None`` while the gate, direction or time could not be read)."""
    if not all(key in row.values for key in ("gate", "direction", "at", "plate", "person")):
        return None
    return (row["gate"].pk, row["direction"], row["at"], row["plate"], row["person"])


def gate_passages_import(*, actor: Any, zone_id: int, content: bytes) -> PassageImport:
    """Import a gate system's export of entries and exits; nothing is written if any row is wrong."""
    require(actor, zone_id=zone_id, roles=SUPERVISE_ROLES, action="导入卡口通行记录")
    rows, report = read_rows(content, _sheet(zone_id), noun="记录", csv_allowed=True)
    for row in rows:
        values = row.values
        if "plate" in values and "person" in values and not values["plate"] and not values["person"]:
            report.refuse(row.number, "车辆请填写车牌号，人员请填写人员姓名。", column="车牌号")
        if values.get("un_number") and "plate" in values and not values["plate"]:
            report.refuse(row.number, "运输危险化学品的应为车辆，请填写车牌号。", column="UN编号")
    distinct(rows, _passage_key, report, message="与第{first}行是同一次通行。", column="通行时间")
    prepared = [{**row.values, "row": row.number} for row in rows if not report.is_refused(row.number)]
    report.raise_if_refused()

    result = PassageImport()
    prepared.sort(key=lambda v: (v["at"], 0 if v["direction"] == "out" else 1, v["row"]))
    with transaction.atomic():
        existing = set(
            GatePassage.objects.filter(
                zone_id=zone_id, at__gte=prepared[0]["at"], at__lte=prepared[-1]["at"]
            ).values_list("gate_id", "direction", "at", "plate", "person")
        )
        plates = {v["plate"] for v in prepared if v["plate"]}
        open_stays = {
            s.plate: s
            for s in VehicleStay.objects.select_for_update().filter(
                zone_id=zone_id, exited_at__isnull=True, plate__in=plates
            )
        }
        for values in prepared:
            key = (values["gate"].pk, values["direction"], values["at"], values["plate"], values["person"])
            if key in existing:
                result.skipped += 1
                continue
            row = values.pop("row")
            GatePassage.objects.create(zone_id=zone_id, imported_by=actor, **values)
            result.imported += 1
            if values["direction"] == "in":
                result.entries += 1
            else:
                result.exits += 1
            plate = values["plate"]
            if not plate:
                continue
            stay = open_stays.get(plate)
            if values["direction"] == "in":
                if stay is not None:
                    raise InvalidInput(
                        f"第{row}行：车辆 {plate} 在 {timezone.localtime(stay.entered_at):%Y-%m-%d %H:%M} "
                        "入园后没有出园记录，"
                        "不能再次入园。请补齐出园记录后重新导入，未导入任何记录。"
                    )
                open_stays[plate] = VehicleStay.objects.create(
                    zone_id=zone_id,
                    plate=plate,
                    driver=values["driver"],
                    chemical=values["chemical"],
                    un_number=values["un_number"],
                    quantity_t=values["quantity_t"],
                    entered_at=values["at"],
                    entry_gate=values["gate"],
                    parking_area=values["parking_area"],
                )
            elif stay is not None:
                stay.exited_at, stay.exit_gate = values["at"], values["gate"]
                stay.save(update_fields=["exited_at", "exit_gate", "updated_at"])
                del open_stays[plate]
            else:
                result.unmatched_exits.append(plate)
        audit_record(
            actor=actor,
            action="safety.gatepassage.import",
            zone_id=zone_id,
            object_type="safety.gatepassage",
            object_repr=f"导入卡口通行记录 {result.imported} 条",
            changes={
                "imported": result.imported,
                "skipped": result.skipped,
                "entries": result.entries,
                "exits": result.exits,
                "unmatched_exits": result.unmatched_exits,
            },
        )
    return result


def gate_passages_template() -> bytes:
    """An empty import file with its header row and two example rows."""
    keys = [c.key for c in COLUMNS]
    examples = [
        ["G1", "入园", "2026-01-05 08:30:00", "甘C12345", "", "张三", "液氨", "1005", 20, "P1"],
        ["G1", "出园", "2026-01-05 15:10:00", "甘C12345", "", "张三", "", "", "", ""],
    ]
    return write_xlsx([(SHEET_TITLE, COLUMNS, [dict(zip(keys, row, strict=True)) for row in examples])])
