"""Generic audited writes for registry records (zones, parks, bodies, posts ...).

Workflow records have their own service functions; plain registry records that an administrator
edits in a form go through these two, so the role check and the audit entry are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.permissions import require


def _zone_id_of(obj: models.Model) -> int | None:
    if hasattr(obj, "zone_id"):
        return obj.zone_id
    if obj._meta.label_lower == "zones.zone":
        return obj.pk
    return None


def validation_message(exc: DjangoValidationError) -> InvalidInput:
    """A Django ValidationError as the project's InvalidInput, fields kept."""
    if hasattr(exc, "error_dict"):
        fields = {k: "；".join(str(m) for e in v for m in e.messages) for k, v in exc.error_dict.items()}
        return InvalidInput("；".join(fields.values()), fields=fields)
    return InvalidInput("；".join(exc.messages))


def record_save(
    *,
    actor: Any,
    obj: models.Model,
    roles: Iterable[str],
    action: str | None = None,
    zone_id: int | None = None,
) -> models.Model:
    """Validate and save ``obj`` if ``actor`` holds one of ``roles`` in its zone, with an audit entry."""
    zone_id = zone_id if zone_id is not None else _zone_id_of(obj)
    label = str(obj._meta.verbose_name)
    creating = obj._state.adding
    require(actor, zone_id=zone_id, roles=roles, action=("新增" if creating else "修改") + label)
    try:
        obj.full_clean()
    except DjangoValidationError as exc:
        raise validation_message(exc) from exc
    model = type(obj)
    with transaction.atomic():
        before = {} if creating else snapshot(model.objects.select_for_update().get(pk=obj.pk))
        try:
            obj.save()
        except IntegrityError as exc:
            raise Conflict(f"{label}与已有记录重复或引用了不存在的记录，请检查后再保存。") from exc
        changes = diff(before, snapshot(obj))
        audit_record(
            actor=actor,
            action=action or f"{obj._meta.label_lower}.{'create' if creating else 'update'}",
            obj=obj,
            zone_id=zone_id,
            changes=changes,
        )
    return obj


def record_delete(*, actor: Any, obj: models.Model, roles: Iterable[str]) -> None:
    """Delete ``obj`` if allowed and nothing refers to it, with an audit entry."""
    zone_id = _zone_id_of(obj)
    label = str(obj._meta.verbose_name)
    require(actor, zone_id=zone_id, roles=roles, action=f"删除{label}")
    with transaction.atomic():
        before = snapshot(obj)
        audit_record(
            actor=actor,
            action=f"{obj._meta.label_lower}.delete",
            obj=obj,
            zone_id=zone_id,
            changes={k: [v, None] for k, v in before.items()},
        )
        try:
            obj.delete()
        except models.ProtectedError as exc:
            raise Conflict(f"{label}“{obj}”仍被其他记录引用，不能删除；请先处理引用它的记录。") from exc
