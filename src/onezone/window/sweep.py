"""The window's part of ``onezone sweep``: warnings, escalations, and the clock's daily changes.

Idempotent: an alert is unique per (case, kind, deadline), existing ones are looked up per chunk
before inserting, so a second run the same day creates nothing (and builds nothing). Memory stays
bounded: the ids of the cases in reach are read once into an array of 8-byte integers, the cases
then in chunks of ``CHUNK`` rows as plain tuples, and alerts are inserted per chunk with one
``executemany``.

Each chunk's alerts and the audit entry counting them commit in one transaction, so a sweep killed
half-way leaves whole chunks, each accounted for in the audit trail; running it again finishes the
rest (tests/test_faults.py).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.constants import OnConflict
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.bulk import server_execute
from onezone.core.calendar import load_calendar
from onezone.core.workdays import Calendar, add_working_days
from onezone.window.clock import ClockEvent
from onezone.window.models import Alert, Case, CaseEvent, CaseState
from onezone.window.services import clock_refresh, clocks_save, warning_days

CHUNK = 2000


def _id_chunks(qs: Any, size: int) -> Iterator[list[int]]:
    """The ids of ``qs`` in ascending chunks of ``size``, read in one query.

    Sorted by ``id + 0``, the read goes through the partial ``is_open`` indexes (or the state index)
    and visits only the open cases; ``ORDER BY id`` with a keyset made SQLite walk the whole table,
    closed cases included, once per loop (1.6 s of a run at two million cases). The ids are held as
    8-byte integers, 8 MB for a million.
    """
    sql, params = qs.order_by((F("pk") + 0).asc()).values_list("pk").query.sql_with_params()
    ids = array("q")
    # Read in batches (through a server-side cursor on PostgreSQL): no list of a million ints.
    with connections[qs.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(10_000):
            ids.extend(row[0] for row in batch)
    for start in range(0, len(ids), size):
        yield ids[start : start + size].tolist()


def _heads(body_id: int | None, cache: dict[int | None, tuple[int | None, str]], on: dt.date) -> tuple[int | None, str]:
    """The first head of the body with a login, and the names of its heads, that one first (cached per run)."""
    if body_id not in cache:
        from onezone.org.models import Body
        from onezone.org.selectors import body_heads

        body = Body.objects.filter(pk=body_id).first() if body_id else None
        people = body_heads(body, on) if body else []
        user_id = next((p.user_id for p in people if p.user_id), None)
        # The head the alert goes to first, so a clipped list still names them.
        people.sort(key=lambda p: p.user_id != user_id or user_id is None)
        cache[body_id] = (user_id, _names_within([p.name for p in people]) or "（未设负责人）")
    return cache[body_id]


def _names_within(names: list[str], limit: int | None = None) -> str:
    """The names joined with 、, or as many as fit the alert's recipient field followed by 等N人."""
    limit = limit or Alert._meta.get_field("recipient_name").max_length
    joined = "、".join(names)
    if len(joined) <= limit or len(names) == 1:
        return joined[:limit]
    for shown in range(len(names) - 1, 0, -1):
        text = f"{'、'.join(names[:shown])}等{len(names)}人"
        if len(text) <= limit:
            return text
    return f"{names[0][: limit - len(f'等{len(names)}人')]}等{len(names)}人"


def _daily_recompute(today: dt.date, calendar: Calendar) -> int:
    """Cases whose stored deadlines move with the date: answers overdue (deemed acceptance) and running procedures.

    The events of each chunk of 500 cases are read in one query as the clock's plain events (one
    query per case made this two thirds of a second run's time; model instances through a prefetch
    a third of what was left), and a case is written only when its clock changed.
    """
    changed = 0
    stale = Case.objects.filter(is_open=True, state__in=[CaseState.RECEIVED, CaseState.SUPPLEMENTED], due_on__lt=today)
    running = Case.objects.filter(state=CaseState.SUSPENDED)
    for qs in (stale, running):
        for ids in _id_chunks(qs, 500):
            chunk = list(qs.filter(pk__in=ids).order_by("pk"))
            events: dict[int, list[ClockEvent]] = {case.pk: [] for case in chunk}
            rows = CaseEvent.objects.filter(case_id__in=list(events)).order_by("at", "id")
            for case_id, kind, on, data in rows.values_list("case_id", "kind", "on", "data"):
                events[case_id].append(ClockEvent(kind, on, data or {}))
            moved = [case for case in chunk if clock_refresh(case, events[case.pk], calendar, today, save=False)]
            with transaction.atomic():
                changed += clocks_save(moved)
    return changed


# What each kind of alert says; formatted only for alerts that are new.
_MESSAGES = {
    Alert.Kind.VIOLATION: "办件 {number}（{item}）已超过法定时限 {deadline}，请立即督办。",
    Alert.Kind.ESCALATION: "办件 {number}（{item}）已超过承诺时限 {deadline}，提请机构负责人督办。",
    Alert.Kind.WARNING: "办件 {number}（{item}）将于 {deadline} 到期，请抓紧办理。",
}


# A new alert as _new_alerts builds it: zone, case, kind, deadline, recipient id and name, message.
NewAlert = tuple[int, int, str, dt.date, int | None, str, str]


def _new_alerts(
    rows: list[tuple[Any, ...]],
    existing: set[tuple[int, str, dt.date]],
    today: dt.date,
    heads: dict[int | None, tuple[int | None, str]],
) -> list[NewAlert]:
    """The chunk's alerts that are not raised yet: past the legal deadline, past the committed one, or near it."""
    new = []
    for pk, zone_id, number, item, due, legal_due, clerk_id, reviewer_id, body_id in rows:
        due_kind = Alert.Kind.ESCALATION if due < today else Alert.Kind.WARNING
        wanted = [(Alert.Kind.VIOLATION, legal_due)] if legal_due is not None and legal_due < today else []
        wanted.append((due_kind, due))
        for kind, deadline in wanted:
            if (pk, kind, deadline) in existing:
                continue
            if kind == Alert.Kind.WARNING:
                recipient_id, recipient_name = reviewer_id or clerk_id, ""
            else:
                recipient_id, recipient_name = _heads(body_id, heads, today)
            message = _MESSAGES[kind].format(number=number, item=item, deadline=deadline)
            new.append((zone_id, pk, kind.value, deadline, recipient_id, recipient_name, message))
    return new


_INSERTED = ("zone", "case", "kind", "deadline", "recipient", "recipient_name", "message")
_STAMPED = ("raised_on", "created_at", "updated_at")


def _insert_alerts(new: list[NewAlert], today: dt.date) -> None:
    """INSERT the new alerts, skipping any a concurrent sweep raised first.

    Writes what ``bulk_create(ignore_conflicts=True)`` writes, without a model instance and a compiled
    statement per row (two thirds of the sweep's time when it went through the ORM). SQLite takes
    them with ``executemany``; PostgreSQL in one statement per chunk, one array per column through
    ``unnest`` (``executemany`` sent a statement per row through psycopg's pipeline, half of a
    PostgreSQL run's time, and multi-row ``VALUES`` spent as much on psycopg's parsing of the query),
    bound on the server: Django's cursor quotes every element of the arrays into the SQL text in Python.
    """
    connection = connections[router.db_for_write(Alert)]
    ops, quote = connection.ops, connection.ops.quote_name
    now = timezone.now()
    fields = [Alert._meta.get_field(name) for name in _INSERTED + _STAMPED]
    stamps = tuple(f.get_db_prep_save(today if f.name == "raised_on" else now, connection) for f in fields[-3:])
    head = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {quote(Alert._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in fields)})"
    )
    tail = ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    date = ops.adapt_datefield_value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            inserted = fields[: len(_INSERTED)]
            arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in inserted)
            casts = ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fields[len(_INSERTED) :])
            sql = f"{head} SELECT u.*, {casts} FROM unnest({arrays}) AS u {tail}"  # noqa: S608  # nosec B608  # names from _meta
            # The stamps come first in the statement, then one array per inserted column, bound on the server.
            server_execute(connection, sql, [*stamps, *(list(column) for column in zip(*new, strict=True))])
        else:
            values = ", ".join(["%s"] * len(fields))
            sql = f"{head} VALUES ({values}) {tail}"  # nosec B608  # names from _meta
            params = [(zone, case, kind, date(deadline), *rest, *stamps) for zone, case, kind, deadline, *rest in new]
            cursor.executemany(sql, params)


def window_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Raise warnings and escalate overdue cases. Returns counts of what was created now.

    Per chunk of the ids read once by ``_id_chunks``: one read of the cases by id, one index range
    read of their alerts (by case id from the chunk's first to its last; an ``IN`` list of the ids
    made PostgreSQL scan the whole alert table), tuples only for the alerts that are new, one
    ``executemany`` insert.
    """
    today = today or timezone.localdate()
    calendar = load_calendar()
    recomputed = _daily_recompute(today, calendar)
    horizon = add_working_days(calendar, today, warning_days()).date
    heads: dict[int | None, tuple[int | None, str]] = {}
    created = {"warning": 0, "escalation": 0, "violation": 0}
    qs = (
        Case.objects.filter(is_open=True, due_on__isnull=False, due_on__lte=horizon)
        .exclude(state=CaseState.SUSPENDED)
        .order_by("pk")
    )
    fields = ("pk", "zone_id", "number", "item_name", "due_on", "legal_due_on", "clerk_id", "reviewer_id", "body_id")
    for ids in _id_chunks(qs, CHUNK):
        # The chunk's cases read again with the same filter: one closed since the ids were read is skipped.
        rows = list(qs.filter(pk__in=ids).values_list(*fields))
        if not rows:
            continue
        first, last = rows[0][0], rows[-1][0]
        existing = set(
            Alert.objects.filter(case_id__gte=first, case_id__lte=last).values_list("case_id", "kind", "deadline")
        )
        new = _new_alerts(rows, existing, today, heads)
        if new:
            counts = dict.fromkeys(created, 0)
            for alert in new:
                counts[alert[2]] += 1
            with transaction.atomic():
                _insert_alerts(new, today)
                audit_record(actor="system", action="window.sweep", object_type="window.sweep", changes=counts)
            for kind, count in counts.items():
                created[kind] += count
    return {**created, "recomputed": recomputed}


def sweep_summary() -> str:
    result = window_sweep()
    return (
        f"预警 {result['warning']} 条，超期督办 {result['escalation']} 条，"
        f"超法定时限督办 {result['violation']} 条，重算时限 {result['recomputed']} 件"
    )


def on_calendar_changed(sender: Any = None, years: Any = None, **kwargs: Any) -> None:
    from onezone.window.services import provisional_recompute

    provisional_recompute(years=years or [])
