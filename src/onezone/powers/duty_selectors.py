"""Reads of the responsibility list (责任清单) and the enforcement list (执法事项清单): live entries, versions, diffs.

An entry's snapshot holds what the published list shows, in the words a reader uses; its key (the
item's implementation code and the stage; the enforcement item's code) makes it the same entry
across versions, so two versions can be compared like the power list's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from onezone.core.errors import NotFound
from onezone.powers.models import DutyList, DutyListEntry, DutyListVersion, EnforcementItem, PowerItem, Responsibility
from onezone.powers.rules import VersionDiff, diff_snapshots

LABELS = {
    DutyList.RESPONSIBILITIES: {
        "code": "编码",
        "name": "事项名称",
        "implementation_code": "实施编码",
        "stage": "环节",
        "content": "责任事项",
        "accountability": "追责情形",
    },
    DutyList.ENFORCEMENT: {
        "code": "编码",
        "name": "执法事项名称",
        "kind": "执法类别",
        "item_code": "对应权力事项",
        "enforcing_body": "执法主体",
        "basis": "执法依据",
        "discretion": "裁量基准",
    },
}


def duty_list_label(kind: str) -> str:
    if kind not in DutyList.values:
        raise NotFound("没有这种清单：应为责任清单或执法事项清单。")
    return str(DutyList(kind).label)


def responsibility_snapshot(r: Responsibility) -> dict[str, Any]:
    stage = str(r.get_stage_display())
    return {
        "code": f"{r.item.implementation_code}·{stage}",
        "name": r.item.name,
        "implementation_code": r.item.implementation_code,
        "stage": stage,
        "content": r.content,
        "accountability": r.accountability,
    }


def enforcement_snapshot(e: EnforcementItem) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "kind": str(e.get_kind_display()),
        "item_code": e.item.implementation_code if e.item else "",
        "enforcing_body": e.enforcing_body.name,
        "basis": e.basis,
        "discretion": e.discretion,
    }


def live_entries(zone_id: int, kind: str) -> list[tuple[str, dict[str, Any]]]:
    """(key, snapshot) of what a version published now would hold, in the list's order.

    The responsibilities of the items in force; the active enforcement items.
    """
    duty_list_label(kind)
    if kind == DutyList.RESPONSIBILITIES:
        rows = (
            Responsibility.objects.filter(zone_id=zone_id, item__status=PowerItem.Status.IN_FORCE)
            .select_related("item")
            .order_by("item__order", "item__implementation_code", "order", "id")
        )
        entries, seen = [], set()
        for r in rows:
            key = f"{r.item.implementation_code}|{r.stage}"
            key = key if key not in seen else f"{key}|{r.pk}"
            seen.add(key)
            entries.append((key, responsibility_snapshot(r)))
        return entries
    rows = (
        EnforcementItem.objects.filter(zone_id=zone_id, active=True)
        .select_related("item", "enforcing_body")
        .order_by("kind", "code", "name")
    )
    return [(e.code or f"#{e.pk}", enforcement_snapshot(e)) for e in rows]


def duty_versions_of(zone_id: int, kind: str) -> QuerySet[DutyListVersion]:
    return DutyListVersion.objects.filter(zone_id=zone_id, kind=kind).select_related("published_by").order_by("-number")


def duty_version_get(zone_id: int, kind: str, version_id: int) -> DutyListVersion:
    version = DutyListVersion.objects.filter(zone_id=zone_id, kind=kind, pk=version_id).first()
    if version is None:
        raise NotFound(f"该{duty_list_label(kind)}版本不存在。")
    return version


def duty_version_on(zone_id: int, kind: str, on: dt.date) -> DutyListVersion | None:
    """The version in force on ``on``: the latest one that has taken effect."""
    return duty_versions_of(zone_id, kind).filter(effective_on__lte=on).first()


def duty_version_entries(version: DutyListVersion) -> list[dict[str, Any]]:
    return list(version.entries.order_by("order", "code").values_list("snapshot", flat=True))


def duty_versions_diff(a: DutyListVersion, b: DutyListVersion) -> VersionDiff:
    """What changed from version ``a`` to version ``b`` of the same list: entries added, removed, modified."""

    def snapshots(version: DutyListVersion) -> dict[str, dict[str, Any]]:
        return dict(DutyListEntry.objects.filter(version=version).values_list("key", "snapshot"))

    return diff_snapshots(snapshots(a), snapshots(b), LABELS[DutyList(b.kind)], code_key="code")


def duty_export_rows(zone_id: int, kind: str, version_id: int | None = None) -> list[dict[str, Any]]:
    """The entries (snapshots) of a version, or of the live list when ``version_id`` is None."""
    if version_id is None:
        return [snap for _key, snap in live_entries(zone_id, kind)]
    return duty_version_entries(duty_version_get(zone_id, kind, version_id))
