"""Closed management: entries and exits imported from the gate systems' exports (.xlsx or CSV).

The import checks every row first and reports every problem in Chinese with its row number; only a
file without any problem is written, in one transaction. A row already imported (same gate, direction,
time and vehicle or person) is skipped, so the same export can be imported twice. A vehicle's entry
opens its stay in the park and its exit closes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput
from onezone.core.permissions import require
from onezone.core.uploads import check_xlsx, import_max_bytes
from onezone.safety.models import Gate, GatePassage, ParkingArea, VehicleStay
from onezone.safety.services.operations_access import SUPERVISE_ROLES

MAX_ROWS = 20_000
MAX_ERRORS = 200

# key, header, required
COLUMNS: list[tuple[str, str, bool]] = [
    ("gate", "卡口编号", True),
    ("direction", "方向", True),
    ("at", "通行时间", True),
    ("plate", "车牌号", False),
    ("person", "人员姓名", False),
    ("driver", "驾驶员", False),
    ("chemical", "危险化学品", False),
    ("un_number", "UN编号", False),
    ("quantity_t", "数量（吨）", False),
    ("parking", "停车场", False),
]
_HEADERS = {header: key for key, header, _required in COLUMNS}
_LABELS = {key: header for key, header, _required in COLUMNS}
_DIRECTIONS = {"入园": "in", "进": "in", "入": "in", "in": "in", "出园": "out", "出": "out", "out": "out"}
_LIMITS = {"plate": 16, "person": 50, "driver": 50, "chemical": 100}
_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{4,6}(挂|学|警)?$")
_UN = re.compile(r"^\d{4}$")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_rows(content: bytes) -> list[tuple]:
    if b"\x00" in content:
        raise InvalidInput("文件不是文本格式的 CSV（含有二进制内容），请从卡口系统重新导出 CSV 或 .xlsx。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput("无法识别 CSV 文件的字符编码，请另存为 UTF-8 编码的 CSV 后再上传。")
    rows = []
    for row in csv.reader(io.StringIO(decoded)):
        rows.append(tuple(row))
        if len(rows) > MAX_ROWS + 1:
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 条通行记录，请按日期分批导入。")
    return rows


def _xlsx_rows(content: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    check_xlsx(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a malformed workbook
        raise InvalidInput("无法读取该 Excel 文件，请确认文件未加密、未损坏，另存为 .xlsx 后再上传。") from exc
    rows = []
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            workbook.close()
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 条通行记录，请按日期分批导入。")
    workbook.close()
    return rows


def _rows(content: bytes) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    if len(content) > import_max_bytes():
        raise InvalidInput("文件过大，请按日期拆分后分批导入。")
    if not content:
        raise InvalidInput("上传的文件是空的，请重新选择文件。")
    table = _xlsx_rows(content) if content.startswith(b"PK\x03\x04") else _csv_rows(content)
    header = table[0] if table else ()
    positions = {}
    for index, cell in enumerate(header):
        key = _HEADERS.get(_text(cell))
        if key:
            positions[key] = index
    missing = [header for key, header, required in COLUMNS if required and key not in positions]
    if missing:
        raise InvalidInput(
            f"第1行表头缺少：{'、'.join(missing)}。第1行应为表头（{'、'.join(h for _k, h, _r in COLUMNS)}），"
            "从第2行起每行一次通行。"
        )
    data = [(number, row) for number, row in enumerate(table[1:], start=2) if any(_text(v) for v in row)]
    if not data:
        raise InvalidInput("文件中没有通行记录：第1行为表头，请从第2行起每行填写一次通行。")
    return positions, data


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        naive = value
    else:
        raw = _text(value)
        for pattern in _TIME_FORMATS:
            try:
                naive = dt.datetime.strptime(raw, pattern)  # noqa: DTZ007 - the gate's local time, made aware below
                break
            except ValueError:
                continue
        else:
            raise ValueError(f"“{raw[:30]}”不是有效的时间，应写成 YYYY-MM-DD HH:MM:SS，例如 2026-12-08 09:30:00。")
    if timezone.is_aware(naive):
        return naive
    return timezone.make_aware(naive, timezone.get_default_timezone())


def gate_passages_import(*, actor: Any, zone_id: int, content: bytes) -> PassageImport:
    """Import a gate system's export of entries and exits; nothing is written if any row is wrong."""
    require(actor, zone_id=zone_id, roles=SUPERVISE_ROLES, action="导入卡口通行记录")
    positions, data = _rows(content)
    gates = {g.code: g for g in Gate.objects.filter(zone_id=zone_id)}
    parkings = {}
    for area in ParkingArea.objects.filter(zone_id=zone_id):
        parkings[area.code] = area
        parkings[area.name] = area
    now = timezone.now()
    errors: list[str] = []
    prepared: list[dict[str, Any]] = []
    seen: dict[tuple, int] = {}

    for number, row in data:

        def cell(key: str, row=row) -> Any:
            index = positions.get(key)
            return row[index] if index is not None and index < len(row) else None

        def fault(key: str, message: str, number=number) -> None:
            errors.append(f"第{number}行“{_LABELS[key]}”：{message}")

        values: dict[str, Any] = {}
        gate = gates.get(_text(cell("gate")))
        if gate is None:
            fault(
                "gate",
                f"“{_text(cell('gate'))[:20]}”不是本开发区登记的卡口，"
                f"应为：{'、'.join(sorted(gates)) or '（尚未登记卡口）'}。",
            )
        values["gate"] = gate
        direction = _DIRECTIONS.get(_text(cell("direction")).lower())
        if direction is None:
            fault("direction", "应填写“入园”或“出园”。")
        values["direction"] = direction
        try:
            values["at"] = _moment(cell("at"))
            if values["at"] > now + dt.timedelta(minutes=10):
                fault("at", "通行时间晚于现在，请核对卡口系统的时钟。")
        except ValueError as exc:
            fault("at", str(exc))
        for key, limit in _LIMITS.items():
            raw = _text(cell(key))
            if len(raw) > limit:
                fault(key, f"最多 {limit} 个字，收到 {len(raw)} 个字。")
            values[key] = raw[:limit] if len(raw) <= limit else ""
        values["plate"] = values["plate"].upper().replace(" ", "").replace("·", "")
        if not values["plate"] and not values["person"]:
            fault("plate", "车辆请填写车牌号，人员请填写人员姓名。")
        elif values["plate"] and not _PLATE.match(values["plate"]):
            fault("plate", f"“{values['plate']}”不是有效的车牌号，例如 甘C12345。")
        un = _text(cell("un_number")).upper().removeprefix("UN")
        if un and not _UN.match(un):
            fault("un_number", f"“{un[:10]}”不是有效的 UN 编号，应为 4 位数字，例如 1005。")
        values["un_number"] = un
        if un and not values["plate"]:
            fault("un_number", "运输危险化学品的应为车辆，请填写车牌号。")
        raw_quantity = _text(cell("quantity_t"))
        values["quantity_t"] = None
        if raw_quantity:
            try:
                quantity = Decimal(raw_quantity.replace(",", ""))
                if not quantity.is_finite() or quantity < 0 or quantity >= Decimal("10000000"):
                    raise InvalidOperation
                values["quantity_t"] = quantity.quantize(Decimal("0.001"))
            except InvalidOperation:
                fault("quantity_t", f"“{raw_quantity[:20]}”不是有效的吨数。")
        parking_name = _text(cell("parking"))
        values["parking_area"] = parkings.get(parking_name) if parking_name else None
        if parking_name and values["parking_area"] is None:
            fault("parking", f"“{parking_name[:30]}”不是登记的危化品停车场。")
        if gate is not None and direction and "at" in values:
            key = (gate.pk, direction, values["at"], values["plate"], values["person"])
            if key in seen:
                fault("at", f"与第{seen[key]}行是同一次通行。")
            seen.setdefault(key, number)
        values["row"] = number
        prepared.append(values)
        if len(errors) >= MAX_ERRORS:
            break

    if errors:
        shown = errors[:MAX_ERRORS]
        capped = f"（只列出前 {MAX_ERRORS} 处）" if len(errors) >= MAX_ERRORS else ""
        raise InvalidInput(
            f"导入文件共 {len(data)} 行数据，发现 {len(errors)} 处错误{capped}，"
            "未导入任何记录。请改正后重新上传：\n" + "\n".join(shown),
            fields={"file": "\n".join(shown)},
        )

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
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "卡口通行记录"
    sheet.append([header for _key, header, _required in COLUMNS])
    sheet.append(["G1", "入园", "2026-01-05 08:30:00", "甘C12345", "", "张三", "液氨", "1005", 20, "P1"])
    sheet.append(["G1", "出园", "2026-01-05 15:10:00", "甘C12345", "", "张三", "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
