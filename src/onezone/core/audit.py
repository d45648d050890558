"""The audit trail: every write through a service, every login and every full view of personal data.

Entries are append-only and chained: each stores the SHA-256 of its own content and of the entry
before it, so a changed or deleted row breaks the chain at a point ``onezone audit verify`` finds.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from onezone.core.models import AuditEvent

# The client address of the request being served, set by the middleware.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

_PG_AUDIT_LOCK = 8_020_001


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_plain(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``obj`` (foreign keys as ids), JSON-safe."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in obj._meta.concrete_fields if f.attname not in {"created_at", "updated_at"}]
    )
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value changed."""
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if _plain(before.get(k)) != _plain(after.get(k))}


def _content_digest(prev_hash: str, payload: Mapping[str, Any]) -> str:
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + "\n" + canonical).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "zone_id": event.zone_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": _plain(event.changes),
        "ip": event.ip,
    }


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    zone_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one audit entry inside the caller's transaction and return it."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if zone_id is None:
            zone_id = getattr(obj, "zone_id", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_AUDIT_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            at=timezone.now(),
            actor=user,
            actor_name=getattr(actor, "username", "") or (actor if isinstance(actor, str) else ""),
            zone_id=zone_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:200],
            changes=_plain(dict(changes or {})),
            ip=current_ip.get(),
            prev_hash=last or "",
        )
        event.hash = _content_digest(event.prev_hash, _payload(event))
        event.save(force_insert=True)
    return event


def audit_verify() -> tuple[int, AuditEvent | None]:
    """Walk the chain in order. Returns (entries checked, first broken entry or None)."""
    prev = ""
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or event.hash != _content_digest(prev, _payload(event)):
            return checked, event
        prev = event.hash
        checked += 1
    return checked, None
