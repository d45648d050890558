"""The list's import writes: validated rows added or modified, all in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import TransitionNotAllowed
from onezone.core.permissions import require
from onezone.powers.models import Adjustment, Fee, ItemMaterial, PowerItem
from onezone.powers.services.items import (
    FEE_FIELDS,
    ITEM_FIELDS,
    LIST_EDITORS,
    MATERIAL_FIELDS,
    _children_plain,
    _field_defaults,
    _pick,
    _reason_check,
    _replace_children,
)


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
