"""Writes of the responsibility list (责任清单) and the enforcement list (执法事项清单), their import and publication.

Each line is set through a service (audited); ``duty_list_import`` writes a checked file's lines all
at once; ``duty_list_publish`` freezes the live list into an immutable ``DutyListVersion``, as
``list_publish`` does for the power list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, NotFound
from onezone.core.permissions import require
from onezone.powers.models import (
    DutyList,
    DutyListEntry,
    DutyListVersion,
    EnforcementItem,
    PowerItem,
    Responsibility,
)
from onezone.powers.services.items import LIST_EDITORS, PUBLISHERS, _body_check

RESPONSIBILITY_FIELDS = ("content", "accountability")
ENFORCEMENT_FIELDS = ("name", "kind", "item_id", "enforcing_body_id", "basis", "discretion", "active")


def _required(value: str, label: str, field: str) -> str:
    if not (value or "").strip():
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    return value.strip()


def _write_responsibility(*, zone_id: int, item: PowerItem, stage: str, values: Mapping[str, Any]) -> str:
    """Create or change the item's responsibility at ``stage``; "added", "modified" or "unchanged"."""
    row = Responsibility.objects.filter(zone_id=zone_id, item=item, stage=stage).order_by("order", "id").first()
    if row is None:
        order = Responsibility.objects.filter(item=item).count() + 1
        Responsibility.objects.create(zone_id=zone_id, item=item, stage=stage, order=order, **values)
        return "added"
    if all(getattr(row, k) == v for k, v in values.items()):
        return "unchanged"
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return "modified"


def responsibility_set(
    *, actor: Any, item_id: int, stage: str, content: str, accountability: str = ""
) -> Responsibility:
    """Set what the body holding ``item`` answers for at ``stage`` (责任事项) and when it is held to account."""
    item = PowerItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound("清单事项不存在，可能已被删除，请刷新后重试。")
    require(actor, zone_id=item.zone_id, roles=LIST_EDITORS, action="编制责任清单")
    if stage not in Responsibility.Stage.values:
        raise InvalidInput("环节应为受理、审查、决定、送达、事后监管或其他。", fields={"stage": "请选择环节。"})
    values = {"content": _required(content, "责任事项", "content"), "accountability": accountability.strip()}
    with transaction.atomic():
        outcome = _write_responsibility(zone_id=item.zone_id, item=item, stage=stage, values=values)
        row = Responsibility.objects.filter(item=item, stage=stage).order_by("order", "id").first()
        audit_record(actor=actor, action="powers.responsibility.set", obj=row, changes={"outcome": outcome, **values})
    return row


def _enforcement_values(zone_id: int, data: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in ENFORCEMENT_FIELDS if k in data}
    values["name"] = _required(values.get("name", ""), "执法事项名称", "name")
    values["basis"] = _required(values.get("basis", ""), "执法依据", "basis")
    if values.get("kind") not in EnforcementItem.Kind.values:
        raise InvalidInput("执法类别应为行政处罚、行政检查或行政强制。", fields={"kind": "请选择执法类别。"})
    if values.get("enforcing_body_id") is None:
        raise InvalidInput("请选择执法主体。", fields={"enforcing_body": "请选择执法主体。"})
    _body_check(zone_id, values["enforcing_body_id"])
    item_id = values.get("item_id")
    if item_id is not None and not PowerItem.objects.filter(pk=item_id, zone_id=zone_id).exists():
        raise InvalidInput("对应权力事项不属于本开发区清单。", fields={"item": "请选择本开发区清单中的事项。"})
    return values


def _write_enforcement(*, zone_id: int, code: str, values: Mapping[str, Any]) -> str:
    row = EnforcementItem.objects.filter(zone_id=zone_id, code=code).order_by("id").first()
    if row is None:
        EnforcementItem.objects.create(zone_id=zone_id, code=code, **values)
        return "added"
    if all(getattr(row, k) == v for k, v in values.items()):
        return "unchanged"
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return "modified"


def enforcement_item_set(*, actor: Any, zone_id: int, code: str, data: Mapping[str, Any]) -> EnforcementItem:
    """Add the enforcement item with ``code`` to the zone's list, or change it (``data``: its fields)."""
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action="编制执法事项清单")
    code = _required(code, "编码", "code")
    values = _enforcement_values(zone_id, {"active": True, **data})
    with transaction.atomic():
        outcome = _write_enforcement(zone_id=zone_id, code=code, values=values)
        row = EnforcementItem.objects.filter(zone_id=zone_id, code=code).order_by("id").first()
        audit_record(
            actor=actor,
            action="powers.enforcement.set",
            obj=row,
            changes={"outcome": outcome, **{k: str(v) for k, v in values.items()}},
        )
    return row


# --- Import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyImportResult:
    kind: str
    added: int
    modified: int
    unchanged: int

    @property
    def message(self) -> str:
        label = DutyList(self.kind).label
        return f"{label}导入完成：新增{self.added}条、调整{self.modified}条、未变化{self.unchanged}条。"


def duty_list_import(*, actor: Any, zone_id: int, kind: str, content: bytes) -> DutyImportResult:
    """Import the list from an .xlsx (the export's layout); nothing is written if any row is wrong."""
    from onezone.powers.duty_importers import read_duty_rows

    if kind not in DutyList.values:
        raise InvalidInput("清单应为责任清单或执法事项清单。")
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action=f"导入{DutyList(kind).label}")
    rows = read_duty_rows(content, zone_id=zone_id, kind=kind)
    counts = {"added": 0, "modified": 0, "unchanged": 0}
    with transaction.atomic():
        for row in rows:
            if kind == DutyList.RESPONSIBILITIES:
                values = {k: row[k] for k in RESPONSIBILITY_FIELDS}
                outcome = _write_responsibility(zone_id=zone_id, item=row["item"], stage=row["stage"], values=values)
            else:
                outcome = _write_enforcement(
                    zone_id=zone_id, code=row["code"], values=_enforcement_values(zone_id, row)
                )
            counts[outcome] += 1
        audit_record(
            actor=actor,
            action=f"powers.{kind}.import",
            zone_id=zone_id,
            object_type="powers.dutylistversion",
            object_repr=f"导入{DutyList(kind).label}{len(rows)}行",
            changes=counts,
        )
    return DutyImportResult(kind=kind, **counts)


# --- Publication ----------------------------------------------------------------------------------


def duty_list_publish(
    *, actor: Any, zone_id: int, kind: str, title: str, document: str = "", effective_on: dt.date | None = None
) -> DutyListVersion:
    """Freeze the live list into a new, immutable version; it takes effect on ``effective_on``."""
    from onezone.powers.duty_selectors import duty_list_label, duty_versions_diff, live_entries

    label = duty_list_label(kind)
    require(actor, zone_id=zone_id, roles=PUBLISHERS, action=f"发布{label}版本")
    if not title.strip():
        raise InvalidInput("请填写版本标题。", fields={"title": "请填写版本标题。"})
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        previous = (
            DutyListVersion.objects.select_for_update().filter(zone_id=zone_id, kind=kind).order_by("-number").first()
        )
        if previous is not None and effective_on < previous.effective_on:
            raise InvalidInput(
                f"生效日期{effective_on:%Y-%m-%d}早于上一版（第{previous.number}版）的生效日期"
                f"{previous.effective_on:%Y-%m-%d}，请选择不早于它的日期。"
            )
        entries = live_entries(zone_id, kind)
        version = DutyListVersion.objects.create(
            zone_id=zone_id,
            kind=kind,
            number=(previous.number + 1) if previous else 1,
            title=title.strip(),
            document=document,
            effective_on=effective_on,
            published_at=timezone.now(),
            published_by=actor,
            entry_count=len(entries),
        )
        DutyListEntry.objects.bulk_create(
            [
                DutyListEntry(version=version, key=key, code=snap["code"], name=snap["name"], order=n, snapshot=snap)
                for n, (key, snap) in enumerate(entries, start=1)
            ],
            batch_size=1000,
        )
        if previous is not None:
            diff = duty_versions_diff(previous, version)
            version.summary = f"新增{len(diff.added)}条、取消{len(diff.removed)}条、调整{len(diff.modified)}条"
        else:
            version.summary = f"首次发布，共{len(entries)}条"
        version.save(update_fields=["summary"])
        audit_record(
            actor=actor,
            action=f"powers.{kind}.publish",
            obj=version,
            changes={"entries": len(entries), "document": document, "summary": version.summary},
        )
    return version
