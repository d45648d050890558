"""Writes of the three lists: items and their adjustments, delegations, publication of versions.

Every change to an item is an ``Adjustment`` (add, modify, suspend, resume, revoke) with its reason
and document; ``list_publish`` freezes the items in force into an immutable ``ListVersion``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.org.models import Body
from onezone.powers.models import (
    Adjustment,
    Delegation,
    DelegationBatch,
    Fee,
    ItemMaterial,
    ListVersion,
    ListVersionItem,
    PowerItem,
)
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


# --- Publication ----------------------------------------------------------------------------------


def list_publish(
    *,
    actor: Any,
    zone_id: int,
    title: str,
    document: str,
    effective_on: dt.date | None = None,
) -> ListVersion:
    """Freeze every item in force into a new, immutable version; it takes effect on ``effective_on``."""
    from onezone.powers.selectors import item_snapshots, versions_diff

    require(actor, zone_id=zone_id, roles=PUBLISHERS, action="发布清单版本")
    if not title.strip():
        raise InvalidInput("请填写版本标题。", fields={"title": "请填写版本标题。"})
    effective_on = effective_on or timezone.localdate()
    with transaction.atomic():
        previous = ListVersion.objects.select_for_update().filter(zone_id=zone_id).order_by("-number").first()
        if previous is not None and effective_on < previous.effective_on:
            raise InvalidInput(
                f"生效日期{effective_on:%Y-%m-%d}早于上一版（第{previous.number}版）的生效日期"
                f"{previous.effective_on:%Y-%m-%d}，请选择不早于它的日期。"
            )
        items = list(
            PowerItem.objects.filter(zone_id=zone_id, status=PowerItem.Status.IN_FORCE)
            .select_related("implementing_body")
            .order_by("order", "implementation_code")
        )
        snapshots = item_snapshots(items)
        version = ListVersion.objects.create(
            zone_id=zone_id,
            number=(previous.number + 1) if previous else 1,
            title=title.strip(),
            document=document,
            effective_on=effective_on,
            published_at=timezone.now(),
            published_by=actor,
            item_count=len(items),
        )
        ListVersionItem.objects.bulk_create(
            [
                ListVersionItem(
                    version=version,
                    item=item,
                    code=item.implementation_code,
                    name=item.name,
                    category=item.category,
                    body_id=item.implementing_body_id,
                    body_name=item.implementing_body.name if item.implementing_body else "",
                    order=n,
                    snapshot=snapshots[item.pk],
                )
                for n, item in enumerate(items, start=1)
            ],
            batch_size=1000,
        )
        if previous is not None:
            version.summary = versions_diff(previous, version).summary_zh
        else:
            version.summary = f"首次发布，共{len(items)}项"
        version.save(update_fields=["summary"])
        Adjustment.objects.filter(zone_id=zone_id, version__isnull=True).update(version=version)
        audit_record(
            actor=actor,
            action="powers.version.publish",
            obj=version,
            changes={"items": len(items), "document": document, "summary": version.summary},
        )
    return version


def version_change(*, actor: Any, version_id: int, **changes: Any) -> None:
    """A published version is never changed: this always refuses (after the role check)."""
    version = ListVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound("清单版本不存在。")
    require(actor, zone_id=version.zone_id, roles=PUBLISHERS, action="修改清单版本")
    raise Conflict(f"第{version.number}版已发布，发布的版本不可修改或删除；如需变更，请调整事项后发布新版本。")


# --- Delegation -----------------------------------------------------------------------------------


def batch_create(
    *,
    actor: Any,
    zone_id: int,
    number: int,
    title: str,
    document_number: str = "",
    issued_on: dt.date | None = None,
) -> DelegationBatch:
    require(actor, zone_id=zone_id, roles=DELEGATION_ROLES, action="登记赋权批次")
    if not title.strip():
        raise InvalidInput("请填写批次名称。", fields={"title": "请填写批次名称。"})
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch = DelegationBatch.objects.create(
                    zone_id=zone_id,
                    number=number,
                    title=title.strip(),
                    document_number=document_number,
                    issued_on=issued_on,
                )
        except IntegrityError as exc:
            raise Conflict(f"第{number}批已登记，请换一个批次号。") from exc
        audit_record(actor=actor, action="powers.batch.create", obj=batch, changes={"document_number": document_number})
    return batch


def delegation_propose(
    *,
    actor: Any,
    batch_id: int,
    item_id: int,
    form: str,
    original_department: str,
    receiving_body_id: int,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Delegation:
    """Put an item in a batch as a proposed delegation (拟赋权)."""
    batch = DelegationBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("赋权批次不存在。")
    require(actor, zone_id=batch.zone_id, roles=DELEGATION_ROLES, action="登记赋权事项")
    if form not in Delegation.Form.values:
        raise InvalidInput("赋权形式应为“委托”或“下放”。", fields={"form": "请选择委托或下放。"})
    if not original_department.strip():
        raise InvalidInput("请填写原行使部门。", fields={"original_department": "请填写原行使部门。"})
    if not PowerItem.objects.filter(pk=item_id, zone_id=batch.zone_id).exists():
        raise InvalidInput("事项不属于本开发区清单。", fields={"item": "请选择本开发区清单中的事项。"})
    _body_check(batch.zone_id, receiving_body_id)
    with transaction.atomic():
        delegation = Delegation.objects.create(
            zone_id=batch.zone_id,
            batch=batch,
            item_id=item_id,
            form=form,
            original_department=original_department.strip(),
            receiving_body_id=receiving_body_id,
            effective_on=effective_on,
            note=note,
        )
        audit_record(actor=actor, action="powers.delegation.propose", obj=delegation, changes={"batch": batch.number})
    return delegation


S = Delegation.Status
DELEGATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.ISSUED, S.WITHDRAWN}),
    S.ISSUED: frozenset({S.TAKEN_OVER, S.WITHDRAWN}),
    S.TAKEN_OVER: frozenset({S.OPERATING, S.WITHDRAWN}),
    S.OPERATING: frozenset({S.WITHDRAWN}),
    S.WITHDRAWN: frozenset(),
}
_DATE_OF = {
    S.ISSUED: "issued_on",
    S.TAKEN_OVER: "taken_over_on",
    S.OPERATING: "operating_on",
    S.WITHDRAWN: "withdrawn_on",
}


def delegation_transition(
    *,
    actor: Any,
    delegation_id: int,
    to: str,
    on: dt.date | None = None,
    staff_trained: bool | None = None,
    window_ready: bool | None = None,
    note: str = "",
) -> Delegation:
    """Move a delegation along proposed → issued → taken_over → operating (→ withdrawn from any).

    Taking over needs both facts recorded: staff trained and window ready.
    """
    zone_id = Delegation.objects.filter(pk=delegation_id).values_list("zone_id", flat=True).first()
    if zone_id is None:
        raise NotFound("赋权事项不存在。")
    labels = dict(S.choices)
    require(actor, zone_id=zone_id, roles=DELEGATION_ROLES, action=f"赋权事项转为“{labels.get(to, to)}”")
    on = on or timezone.localdate()
    with transaction.atomic():
        d = Delegation.objects.select_for_update().select_related("item").get(pk=delegation_id)
        if to not in DELEGATION_TRANSITIONS[d.status]:
            allowed = "、".join(str(labels[s]) for s in sorted(DELEGATION_TRANSITIONS[d.status])) or "无"
            raise TransitionNotAllowed(
                f"赋权事项“{d.item.name}”当前为“{d.get_status_display()}”，不能转为“{labels.get(to, to)}”；"
                f"可转为：{allowed}。"
            )
        before = {"status": d.status, "staff_trained": d.staff_trained, "window_ready": d.window_ready}
        if staff_trained is not None:
            d.staff_trained = staff_trained
        if window_ready is not None:
            d.window_ready = window_ready
        if to == S.TAKEN_OVER and not (d.staff_trained and d.window_ready):
            missing = [w for w, ok in (("人员培训", d.staff_trained), ("窗口就绪", d.window_ready)) if not ok]
            raise TransitionNotAllowed(f"承接前须确认{'和'.join(missing)}已完成，请先记录后再转为“已承接”。")
        d.status = to
        setattr(d, _DATE_OF[to], on)
        if to == S.OPERATING and d.effective_on is None:
            d.effective_on = on
        if note:
            d.note = note[:300]
        d.save()
        after = {"status": d.status, "staff_trained": d.staff_trained, "window_ready": d.window_ready}
        audit_record(
            actor=actor,
            action=f"powers.delegation.{to}",
            obj=d,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]} | {"on": on},
        )
    return d


# --- Import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    added: int
    modified: int
    unchanged: int

    @property
    def message(self) -> str:
        return f"导入完成：新增{self.added}项、调整{self.modified}项、未变化{self.unchanged}项。"


Progress = Callable[[int, int], None]


def powers_import(
    *,
    actor: Any,
    zone_id: int,
    rows: list[dict[str, Any]],
    reason: str,
    document: str = "",
    effective_on: dt.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write validated rows (``importers.read_workbook``): new codes are added, known codes modified.

    Each row is ``{"item": {...fields}, "materials": [...] | None, "fees": [...] | None}``. All in one
    transaction: the whole file is written or nothing is.
    """
    require(actor, zone_id=zone_id, roles=LIST_EDITORS, action="导入清单")
    _reason_check(reason)
    effective_on = effective_on or timezone.localdate()
    total = len(rows)
    report = progress or (lambda done, total: None)
    added = modified = unchanged = 0
    with transaction.atomic():
        existing = {i.implementation_code: i for i in PowerItem.objects.select_for_update().filter(zone_id=zone_id)}
        new_items: list[tuple[PowerItem, dict[str, Any]]] = []
        adjustments: list[Adjustment] = []
        defaults = _field_defaults()
        mutable = [name for name, value in defaults.items() if isinstance(value, list | dict)]  # copied per item
        for n, row in enumerate(rows, start=1):
            fields = row["item"]
            code = fields["implementation_code"]
            item = existing.get(code)
            if item is None:
                fresh = {name: defaults[name].copy() for name in mutable}
                item = PowerItem(zone_id=zone_id, status_since=effective_on, **{**defaults, **fresh, **fields})
                new_items.append((item, row))
            else:
                if item.status == PowerItem.Status.REVOKED:
                    raise TransitionNotAllowed(f"实施编码“{code}”的事项已取消，不能通过导入恢复；请使用新的实施编码。")
                before = {name: getattr(item, name) for name in ITEM_FIELDS}
                diff = {k: [before[k], fields[k]] for k in fields if k in before and before[k] != fields[k]}
                children_before = _children_plain(item)
                for name, value in fields.items():
                    setattr(item, name, value)
                if diff:
                    item.save()
                _replace_children(item, row.get("materials"), row.get("fees"))
                children_after = _children_plain(item)
                for key in ("materials", "fees"):
                    if children_before[key] != children_after[key]:
                        diff[key] = [children_before[key], children_after[key]]
                if diff:
                    modified += 1
                    adjustments.append(
                        Adjustment(
                            zone_id=zone_id,
                            item=item,
                            kind=Adjustment.Kind.MODIFY,
                            reason=reason.strip(),
                            document=document,
                            effective_on=effective_on,
                            changes=diff,
                            actor=actor,
                        )
                    )
                else:
                    unchanged += 1
            if n % 500 == 0:
                report(n, total)
        PowerItem.objects.bulk_create([i for i, _ in new_items], batch_size=1000)
        if any(i.pk is None for i, _ in new_items):
            by_code = dict(
                PowerItem.objects.filter(
                    zone_id=zone_id, implementation_code__in=[i.implementation_code for i, _ in new_items]
                ).values_list("implementation_code", "pk")
            )
            for item, _ in new_items:
                item.pk = by_code[item.implementation_code]
        materials, fees = [], []
        for item, row in new_items:
            added += 1
            adjustments.append(
                Adjustment(
                    zone_id=zone_id,
                    item=item,
                    kind=Adjustment.Kind.ADD,
                    reason=reason.strip(),
                    document=document,
                    effective_on=effective_on,
                    changes={"name": [None, item.name]},
                    actor=actor,
                )
            )
            for k, m in enumerate(row.get("materials") or [], start=1):
                materials.append({"zone_id": zone_id, "item_id": item.pk, "order": k, **_pick(m, MATERIAL_FIELDS)})
            for f in row.get("fees") or []:
                fees.append({"zone_id": zone_id, "item_id": item.pk, **_pick(f, FEE_FIELDS)})
        _insert_rows(ItemMaterial, materials)
        _insert_rows(Fee, fees)
        _insert_rows(Adjustment, [_plain(a) for a in adjustments])
        report(total, total)
        audit_record(
            actor=actor,
            action="powers.import",
            zone_id=zone_id,
            object_type="powers.poweritem",
            object_repr=f"导入清单{total}行",
            changes={"added": added, "modified": modified, "unchanged": unchanged, "document": document},
        )
    return ImportResult(added=added, modified=modified, unchanged=unchanged)


_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def _plain(obj: models.Model) -> dict[str, Any]:
    """An unsaved instance as the field values ``_insert_rows`` takes."""
    obj._prepare_related_fields_for_save(operation_name="bulk_create")  # foreign keys from related objects
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _insert_rows(model: type[models.Model], rows: list[dict[str, Any]], batch_size: int = 2000) -> None:
    """INSERT rows of field values (by attname; the model's defaults fill the rest) with ``executemany``.

    Writes what ``bulk_create`` writes (``auto_now`` times are now; no signals, no primary keys read
    back) without a model instance per row: the conversion to a database value is chosen once per
    field, and text, integer, boolean and foreign-key values go to the driver as they are.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    fixed: dict[str, Any] = {}
    converters: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            fixed[f.attname] = f.get_db_prep_save(now, connection)
            converters.append(None)
        elif isinstance(f, _AS_IS) and not isinstance(f, models.FileField):
            converters.append(None)
        else:
            converters.append(lambda value, f=f: f.get_db_prep_save(value, connection))
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in fixed}
    plan = list(zip([f.attname for f in fields], converters, strict=True))
    params = []
    for row in rows:
        values = []
        for name, convert in plan:
            if name in fixed:
                values.append(fixed[name])
                continue
            value = row[name] if name in row else defaults[name]
            values.append(convert(value) if convert else value)
        params.append(values)
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608  # nosec B608  # names from _meta
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch_size):
            cursor.executemany(sql, params[start : start + batch_size])
