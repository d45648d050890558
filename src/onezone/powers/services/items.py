"""Writes of the list's items: add, modify, suspend, resume, revoke, each an ``Adjustment``.

Every change to an item is an ``Adjustment`` with its reason and document; the checks an item's
fields must pass (``item_check``) are here, for the services and the import alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.org.models import Body
from onezone.powers.models import Adjustment, Fee, ItemMaterial, PowerItem
from onezone.powers.rules import item_problems

LIST_EDITORS = frozenset({Role.ADMIN, Role.DEPT_HEAD})
PUBLISHERS = frozenset({Role.ADMIN, Role.LEADER})
DELEGATION_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})

# The item fields a service or an import may set (status changes go through their own services).
ITEM_FIELDS = (
    "name",
    "basic_code",
    "implementation_code",
    "category",
    "legal_basis",
    "implementing_body_id",
    "source_department",
    "power_source",
    "exercise_level",
    "legal_limit",
    "legal_limit_unit",
    "legal_limit_note",
    "committed_limit",
    "committed_limit_unit",
    "committed_limit_note",
    "handling_type",
    "joint_handling",
    "acceptance_conditions",
    "procedure",
    "handling_form",
    "special_procedures",
    "service_objects",
    "has_fee",
    "fee_basis",
    "visits",
    "online",
    "online_depth",
    "joint_bodies",
    "place",
    "hours",
    "contact",
    "complaint_channel",
    "order",
)
MATERIAL_FIELDS = ("name", "necessity", "form", "copies", "source", "standard", "basis", "order")
FEE_FIELDS = ("name", "standard", "basis", "reduction")

_CHOICE_FIELDS = {
    "category": "事项类型",
    "power_source": "权力来源",
    "exercise_level": "行使层级",
    "handling_type": "办件类型",
    "online_depth": "网上办理深度",
}


def _field_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name in ITEM_FIELDS:
        if name == "implementing_body_id":
            defaults[name] = None
            continue
        f = PowerItem._meta.get_field(name)
        defaults[name] = f.get_default()
    return defaults


def _choice_problems(data: Mapping[str, Any]) -> list[str]:
    problems = []
    for name, label in _CHOICE_FIELDS.items():
        value = data.get(name)
        allowed = dict(PowerItem._meta.get_field(name).flatchoices)
        if value not in allowed:
            problems.append(f"{label}“{value}”不正确，应为：{'、'.join(str(v) for v in allowed.values() if v)}。")
    return problems


def item_check(data: Mapping[str, Any], *, fees: Iterable[Mapping[str, Any]] = ()) -> list[str]:
    """Every problem of an item's full field set (rules plus choices); empty when sound."""
    return _choice_problems(data) + item_problems({**data, "fees": list(fees)})


def _reason_check(reason: str) -> None:
    if not reason.strip():
        raise InvalidInput("请填写调整理由。", fields={"reason": "请填写调整理由。"})


def _body_check(zone_id: int, body_id: int | None) -> None:
    if body_id is not None and not Body.objects.filter(pk=body_id, zone_id=zone_id).exists():
        raise InvalidInput(
            "实施主体不属于本开发区，请从本开发区的机构中选择。", fields={"implementing_body": "请选择本开发区的机构。"}
        )


def _refuse(problems: list[str]) -> None:
    if problems:
        raise InvalidInput("；".join(p.rstrip("。") for p in problems) + "。")


def _replace_children(item: PowerItem, materials: Iterable[Mapping[str, Any]] | None, fees) -> None:
    if materials is not None:
        item.materials.all().delete()
        ItemMaterial.objects.bulk_create(
            [
                ItemMaterial(zone_id=item.zone_id, item=item, **{"order": n, **_pick(m, MATERIAL_FIELDS)})
                for n, m in enumerate(materials, start=1)
            ]
        )
    if fees is not None:
        item.fees.all().delete()
        Fee.objects.bulk_create([Fee(zone_id=item.zone_id, item=item, **_pick(f, FEE_FIELDS)) for f in fees])


def _pick(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {k: data[k] for k in names if k in data}


def _children_plain(item: PowerItem) -> dict[str, list[dict[str, Any]]]:
    return {
        "materials": [_pick(vars(m), MATERIAL_FIELDS) for m in item.materials.all()],
        "fees": [_pick(vars(f), FEE_FIELDS) for f in item.fees.all()],
    }


def item_create(
    *,
    actor: Any,
    zone_id: int,
    data: Mapping[str, Any],
    reason: str,
    document: str = "",
    effective_on: dt.date | None = None,
    materials: Iterable[Mapping[str, Any]] | None = None,
    fees: Iterable[Mapping[str, Any]] | None = None,
) -> PowerItem:
    """Add an item to the zone's list (an ``add`` adjustment)."""
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action="新增清单事项")
    _reason_check(reason)
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(f"不认识的事项字段：{'、'.join(sorted(unknown))}。")
    values = {**_field_defaults(), **data}
    materials, fees = list(materials or []), list(fees or [])
    _refuse(item_check(values, fees=fees))
    _body_check(zone_id, values["implementing_body_id"])
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        if PowerItem.objects.filter(zone_id=zone_id, implementation_code=values["implementation_code"]).exists():
            raise Conflict(
                f"实施编码“{values['implementation_code']}”已在本开发区清单中，请换一个编码或修改已有事项。",
                fields={"implementation_code": "实施编码重复。"},
            )
        item = PowerItem.objects.create(zone_id=zone_id, status_since=effective_on, **values)
        _replace_children(item, materials, fees)
        Adjustment.objects.create(
            zone_id=zone_id,
            item=item,
            kind=Adjustment.Kind.ADD,
            reason=reason.strip(),
            document=document,
            effective_on=effective_on,
            changes={"name": [None, item.name], "implementation_code": [None, item.implementation_code]},
            actor=actor,
        )
        audit_record(actor=actor, action="powers.item.add", obj=item, changes={"reason": reason, "document": document})
    return item


def _locked_item(item_id: int) -> PowerItem:
    try:
        return PowerItem.objects.select_for_update().get(pk=item_id)
    except PowerItem.DoesNotExist as exc:
        raise NotFound("清单事项不存在，可能已被删除，请刷新后重试。") from exc


def _zone_of_item(item_id: int) -> int:
    zone_id = PowerItem.objects.filter(pk=item_id).values_list("zone_id", flat=True).first()
    if zone_id is None:
        raise NotFound("清单事项不存在，可能已被删除，请刷新后重试。")
    return zone_id


def item_update(
    *,
    actor: Any,
    item_id: int,
    changes: Mapping[str, Any],
    reason: str,
    document: str = "",
    effective_on: dt.date | None = None,
    materials: Iterable[Mapping[str, Any]] | None = None,
    fees: Iterable[Mapping[str, Any]] | None = None,
) -> PowerItem:
    """Change an item's fields (a ``modify`` adjustment recording exactly the fields that changed).

    ``materials`` / ``fees``, when given, replace the item's whole lists.
    """
    zone_id = _zone_of_item(item_id)
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action="调整清单事项")
    _reason_check(reason)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(f"不认识的事项字段：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        item = _locked_item(item_id)
        if item.status == PowerItem.Status.REVOKED:
            raise TransitionNotAllowed(f"事项“{item.name}”已取消，不能再调整；如需恢复请新增事项。")
        before = {name: getattr(item, name) for name in ITEM_FIELDS}
        after = {**before, **changes}
        children_before = _children_plain(item)
        fee_rows = list(fees) if fees is not None else children_before["fees"]
        _refuse(item_check(after, fees=fee_rows))
        _body_check(zone_id, after["implementing_body_id"])
        if (
            after["implementation_code"] != before["implementation_code"]
            and PowerItem.objects.filter(zone_id=zone_id, implementation_code=after["implementation_code"]).exists()
        ):
            raise Conflict(f"实施编码“{after['implementation_code']}”已被其他事项使用，请换一个编码。")
        diff = {k: [before[k], after[k]] for k in ITEM_FIELDS if before[k] != after[k]}
        for name, value in after.items():
            setattr(item, name, value)
        item.save()
        _replace_children(item, None if materials is None else list(materials), None if fees is None else fee_rows)
        children_after = _children_plain(item)
        for key in ("materials", "fees"):
            if children_before[key] != children_after[key]:
                diff[key] = [children_before[key], children_after[key]]
        if not diff:
            return item
        Adjustment.objects.create(
            zone_id=zone_id,
            item=item,
            kind=Adjustment.Kind.MODIFY,
            reason=reason.strip(),
            document=document,
            effective_on=effective_on or timezone.localdate(),
            changes=diff,
            actor=actor,
        )
        audit_record(actor=actor, action="powers.item.modify", obj=item, changes=diff)
    return item


_STATUS_MOVES = {
    Adjustment.Kind.SUSPEND: ({PowerItem.Status.IN_FORCE}, PowerItem.Status.SUSPENDED),
    Adjustment.Kind.RESUME: ({PowerItem.Status.SUSPENDED}, PowerItem.Status.IN_FORCE),
    Adjustment.Kind.REVOKE: ({PowerItem.Status.IN_FORCE, PowerItem.Status.SUSPENDED}, PowerItem.Status.REVOKED),
}


def item_status_change(
    *,
    actor: Any,
    item_id: int,
    kind: str,
    reason: str,
    document: str = "",
    effective_on: dt.date | None = None,
) -> PowerItem:
    """Suspend, resume or revoke an item (an adjustment of that kind)."""
    zone_id = _zone_of_item(item_id)
    label = dict(Adjustment.Kind.choices).get(kind, kind)
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action=f"{label}清单事项")
    _reason_check(reason)
    if kind not in _STATUS_MOVES:
        raise InvalidInput("调整类型应为暂停、恢复或取消。")
    allowed_from, target = _STATUS_MOVES[Adjustment.Kind(kind)]
    with transaction.atomic():
        item = _locked_item(item_id)
        if item.status not in allowed_from:
            raise TransitionNotAllowed(f"事项“{item.name}”当前为“{item.get_status_display()}”，不能{label}。")
        before = item.status
        item.status = target
        item.status_since = effective_on or timezone.localdate()
        item.save(update_fields=["status", "status_since", "updated_at"])
        Adjustment.objects.create(
            zone_id=zone_id,
            item=item,
            kind=kind,
            reason=reason.strip(),
            document=document,
            effective_on=item.status_since,
            changes={"status": [before, target]},
            actor=actor,
        )
        audit_record(actor=actor, action=f"powers.item.{kind}", obj=item, changes={"status": [before, target]})
    return item


def item_suspend(*, actor: Any, item_id: int, reason: str, document: str = "", effective_on=None) -> PowerItem:
    return item_status_change(
        actor=actor, item_id=item_id, kind="suspend", reason=reason, document=document, effective_on=effective_on
    )


def item_resume(*, actor: Any, item_id: int, reason: str, document: str = "", effective_on=None) -> PowerItem:
    return item_status_change(
        actor=actor, item_id=item_id, kind="resume", reason=reason, document=document, effective_on=effective_on
    )


def item_revoke(*, actor: Any, item_id: int, reason: str, document: str = "", effective_on=None) -> PowerItem:
    return item_status_change(
        actor=actor, item_id=item_id, kind="revoke", reason=reason, document=document, effective_on=effective_on
    )
