"""Record builders for the query-budget tests: copies of existing records, unique fields made unique.

A copy keeps every foreign key of its original, so it is visible to whoever sees the original and a
page that lists it follows the same relations (and the same N+1, if there is one) for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import IntegrityError, models, transaction
from django.db.models import UniqueConstraint

_serial = itertools.count(1)
MAX_ATTEMPTS = 20

# Rules the database keeps that the models do not declare: a copy changes these fields.
SET_IN_MIGRATIONS = {
    "company.Lease": ("asset",),  # company_lease_no_overlap: one lease of an asset at a time (PostgreSQL)
}


def _unique_field_sets(model: type[models.Model]) -> list[list[models.Field]]:
    meta = model._meta
    sets = [[f] for f in meta.concrete_fields if f.unique and not f.primary_key]
    sets += [[meta.get_field(name) for name in names] for names in meta.unique_together]
    sets += [
        [meta.get_field(name) for name in c.fields]
        for c in meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields
    ]
    sets += [[meta.get_field(name)] for name in SET_IN_MIGRATIONS.get(meta.label, ())]
    # An exclusion constraint (PostgreSQL) is kept by a copy that differs in one of its equal parts.
    sets += [
        [meta.get_field(expr if isinstance(expr, str) else expr.name) for expr, op in c.expressions if op == "="]
        for c in meta.constraints
        if isinstance(c, ExclusionConstraint)
    ]
    return sets


def _perturbable(field: models.Field) -> bool:
    return not field.is_relation and isinstance(
        field, models.CharField | models.IntegerField | models.DateField | models.UUIDField
    )


def _preference(field: models.Field) -> int:
    if isinstance(field, models.CharField):
        return 0
    return 2 if isinstance(field, models.DateField) else 1


def _fields_to_change(model: type[models.Model], vary: tuple[str, ...]) -> list[models.Field]:
    """One field per unique set: a named one in ``vary``, else text, a number, a date, else a relation."""
    chosen: list[models.Field] = []
    for fields in _unique_field_sets(model):
        if any(f in chosen for f in fields):
            continue
        named = [f for f in fields if f.name in vary]
        plain = sorted((f for f in fields if _perturbable(f)), key=_preference)
        related = [f for f in fields if f.is_relation and f.name != "zone"] or [f for f in fields if f.is_relation]
        chosen.append((named or plain or related[-1:])[0])
    return chosen


def _changed(field: models.Field, value: Any, serial: int) -> Any:
    if value is None:
        return value
    if field.is_relation:
        # Another record to point to: a copy of the one the original points to.
        return clone(field.related_model.objects.get(pk=value), 1)[0].pk
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.CharField):
        suffix = f"~{serial}"
        return str(value)[: (field.max_length or 255) - len(suffix)] + suffix
    if isinstance(field, models.DateField):
        return value + dt.timedelta(days=serial)
    if field.name == "year":
        return 2027 + serial % 70  # years the demo does not use, within what the schemas accept
    return value + 1000 + serial


def clone(
    obj: models.Model,
    n: int,
    change: Callable[[models.Model, int], None] | None = None,
    *,
    vary: tuple[str, ...] = (),
) -> list[models.Model]:
    """Save ``n`` copies of ``obj``, each unique set changed in one field.

    A unique set of relations only is changed by pointing to a copy of the related record (``vary``
    names the relation to change); ``change(copy, serial)`` adjusts what a generic copy cannot.
    """
    model = type(obj)
    fields = _fields_to_change(model, vary) if change is None else []
    copies = []
    for _ in range(n):
        # A changed value can still meet a record the copy did not come from (a date moved by the
        # serial's days onto the next month's bill): then the next serial is tried.
        for attempt in range(MAX_ATTEMPTS):
            serial = next(_serial)
            copy = model.objects.get(pk=obj.pk)
            copy.pk = None
            copy._state.adding = True
            for field in fields:
                setattr(copy, field.attname, _changed(field, getattr(copy, field.attname), serial))
            if change is not None:
                change(copy, serial)
            try:
                with transaction.atomic():
                    models.Model.save(copy, force_insert=True)
                break
            except IntegrityError:
                if attempt == MAX_ATTEMPTS - 1:
                    raise
        copies.append(copy)
    return copies


def grow(
    queryset: models.QuerySet,
    to: int,
    change: Callable[[models.Model, int], None] | None = None,
    *,
    copy: Callable[[models.Model, int], Any] | None = None,
    vary: tuple[str, ...] = (),
) -> int:
    """Copy the first record of ``queryset`` until it holds at least ``to`` records; return the count.

    ``copy(record, n)`` replaces the plain ``clone`` where a listed record needs records of its own.
    """
    count = queryset.count()
    if count < to:
        first = queryset.order_by("pk").first()
        if first is None:
            raise ValueError(f"{queryset.model._meta.label}: nothing to copy")
        if copy is None:
            clone(first, to - count, change, vary=vary)
        else:
            copy(first, to - count)
    return queryset.count()
