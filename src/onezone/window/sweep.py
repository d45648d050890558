"""The window's part of ``onezone sweep``: warnings, escalations, and the clock's daily changes.

Idempotent: an alert is unique per (case, kind, deadline) and the insert skips those raised
already, so a second run the same day creates nothing. Memory stays bounded: the ids of the cases
in reach are read once into an array of 8-byte integers and taken in chunks of ``CHUNK``; the
database works out, formats and inserts each chunk's alerts in one statement (``_alerts_sql``), so
no case row comes into Python.

Each chunk's alerts and the audit entry counting them commit in one transaction, so a sweep killed
half-way leaves whole chunks, each accounted for in the audit trail; running it again finishes the
rest (tests/test_faults.py).
"""

from __future__ import annotations

import datetime as dt
import json
import string
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.bulk import server_execute
from onezone.core.calendar import load_calendar
from onezone.core.workdays import Calendar, add_working_days
from onezone.window import notifications
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


def _heads(body_ids: list[int], cache: dict[int, tuple[int | None, str]], on: dt.date) -> None:
    """Add to ``cache`` each body's first head with a login and the names of its heads, that one first
    (one query for the bodies not in it yet)."""
    from onezone.org.selectors import bodies_heads

    missing = [pk for pk in body_ids if pk not in cache]
    found = bodies_heads(missing, on) if missing else {}
    for pk in missing:
        people = found.get(pk, [])
        user_id = next((p.user_id for p in people if p.user_id), None)
        # The head the alert goes to first, so a clipped list still names them.
        people.sort(key=lambda p: p.user_id != user_id or user_id is None)
        cache[pk] = (user_id, _names_within([p.name for p in people]) or _NO_HEAD)


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


@dataclass(frozen=True)
class AlertRule:
    """One kind of alert the sweep raises: which deadline of an open case it watches, on which side of today,
    whom it goes to and what it says. The chunk's statement (``_alerts_sql``) is built from these rules."""

    kind: str
    deadline: str  # the case's column: "due_on" (the committed limit) or "legal_due_on"
    when: str  # PAST: the deadline is before today; COMING: today or later (within the warning horizon)
    recipient: str  # HANDLER: the reviewer, or else the clerk; BODY_HEADS: the body's first head with a login
    message: str  # with {number}, {item} and {deadline}


PAST, COMING = "past", "coming"
HANDLER, BODY_HEADS = "handler", "body_heads"
ALERT_RULES = (
    AlertRule(
        Alert.Kind.VIOLATION.value, "legal_due_on", PAST, BODY_HEADS,
        "办件 {number}（{item}）已超过法定时限 {deadline}，请立即督办。",
    ),
    AlertRule(
        Alert.Kind.ESCALATION.value, "due_on", PAST, BODY_HEADS,
        "办件 {number}（{item}）已超过承诺时限 {deadline}，提请机构负责人督办。",
    ),
    AlertRule(
        Alert.Kind.WARNING.value, "due_on", COMING, HANDLER,
        "办件 {number}（{item}）将于 {deadline} 到期，请抓紧办理。",
    ),
)  # fmt: skip
_NO_HEAD = "（未设负责人）"
_DEADLINE_COLUMNS = {"due_on", "legal_due_on"}
_COMPARISONS = {PAST: "<", COMING: ">="}


class _Dialect:
    """What differs between PostgreSQL and SQLite in the chunk's statements.

    An array of values is one parameter either way: a typed array on PostgreSQL (bound on the server),
    a JSON array on SQLite (read with ``json_each``), so a chunk's statement has a fixed text.
    """

    def __init__(self, vendor: str) -> None:
        self.postgres = vendor == "postgresql"

    def in_ids(self, column: str) -> str:
        """``column`` is one of the ids in the next parameter."""
        if self.postgres:
            return f"{column} = ANY(%s::bigint[])"
        return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608  # nosec B608  # a column name

    def id_param(self, ids: list[int]) -> Any:
        return ids if self.postgres else json.dumps(ids)

    def heads(self) -> str:
        """A table (body_id, user_id, names) from one parameter."""
        if self.postgres:
            return "SELECT * FROM unnest(%s::bigint[], %s::integer[], %s::text[]) AS h(body_id, user_id, names)"
        return (
            "SELECT json_extract(value, '$[0]') AS body_id, json_extract(value, '$[1]') AS user_id, "
            "json_extract(value, '$[2]') AS names FROM json_each(%s)"
        )

    def heads_params(self, rows: list[tuple[int, int | None, str]]) -> list[Any]:
        if self.postgres:
            return [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], []]
        return [json.dumps(rows, ensure_ascii=False)]

    def date_text(self, column: str) -> str:
        # SQLite keeps dates as ISO text already; Python prints a date the same way.
        return f"to_char({column}, 'YYYY-MM-DD')" if self.postgres else column

    def text(self) -> str:
        return "%s::text" if self.postgres else "%s"

    def execute(self, connection: Any, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        if self.postgres:
            return server_execute(connection, sql, params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class _Sql:
    """SQL text with its parameters, in the order they appear: a constant, or the name of a value the run
    supplies (``today``, ``ids``, ...)."""

    def __init__(self) -> None:
        self.text = ""
        self.params: list[Any] = []

    def value(self, value: Any, cast: str = "%s") -> str:
        self.params.append(value)
        return cast

    def slot(self, name: str, text: str = "%s") -> str:
        self.params.append(_Slot(name))
        return text


@dataclass(frozen=True)
class _Slot:
    name: str


def _case_when(sql: _Sql, dialect: _Dialect, arms: list[tuple[str, Callable[[], str]]], default: str = "NULL") -> str:
    """``CASE w.kind WHEN <kind> THEN <expression> ... END``, each kind a parameter; each expression is
    built after its kind, so the parameters stay in the text's order."""
    whens = " ".join(f"WHEN {sql.value(kind, dialect.text())} THEN {build()}" for kind, build in arms)
    return f"CASE w.kind {whens} ELSE {default} END"


def _message(sql: _Sql, dialect: _Dialect, template: str) -> str:
    columns = {"number": "w.number", "item": "w.item_name", "deadline": dialect.date_text("w.deadline")}
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        if literal:
            parts.append(sql.value(literal, dialect.text()))
        if name:
            parts.append(columns[name])
    return " || ".join(parts)


def _recipient_id(rule: AlertRule) -> str:
    """The recipient's user id for ``rule``, as SQL over the wanted row ``w`` and the heads ``h``."""
    return "COALESCE(w.reviewer_id, w.clerk_id)" if rule.recipient == HANDLER else "h.user_id"


def _recipient_name(rule: AlertRule, dialect: _Dialect, sql: _Sql, max_name: int) -> str:
    if rule.recipient == HANDLER:
        return sql.value("", dialect.text())
    return f"substr(COALESCE(h.names, {sql.slot('no_head', dialect.text())}), 1, {max_name})"


def _alerts_sql(dialect: _Dialect, rules: tuple[AlertRule, ...] = ALERT_RULES) -> _Sql:
    """One chunk's alerts in one statement, built from ``rules``: what is wanted of each case, minus what
    exists, inserted.

    Each case in reach (open, not suspended, its committed deadline within the horizon) wants one alert per
    rule whose deadline is on the rule's side of today. The unique (case, kind, deadline) index skips what an
    earlier run (or a concurrent one) raised; the statement returns each alert it inserted (kind, id, zone,
    case, deadline, recipient, message). Run-time values are the slots today, ids, horizon, heads, no_head,
    raised_on and now.
    """
    for rule in rules:
        if rule.deadline not in _DEADLINE_COLUMNS or rule.when not in _COMPARISONS:
            raise ValueError(f"alert rule {rule.kind}: unknown deadline {rule.deadline!r} or side {rule.when!r}")
    max_name = Alert._meta.get_field("recipient_name").max_length
    max_message = Alert._meta.get_field("message").max_length
    sql = _Sql()
    # The parameters must be taken in the order of the final text: the SELECT list, then FROM, then WHERE.
    user = _case_when(sql, dialect, [(rule.kind, lambda r=rule: _recipient_id(r)) for rule in rules])
    name = _case_when(
        sql, dialect, [(rule.kind, lambda r=rule: _recipient_name(r, dialect, sql, max_name)) for rule in rules], "''"
    )
    message = _case_when(
        sql, dialect, [(rule.kind, lambda r=rule: _message(sql, dialect, r.message)) for rule in rules]
    )
    select = (
        f"SELECT w.zone_id, w.id, w.kind, w.deadline, {user}, {name}, substr({message}, 1, {max_message}), "
        f"{sql.slot('raised_on')}, {sql.slot('now')}, {sql.slot('now')} "
    )
    deadline = " ".join(f"WHEN {sql.value(rule.kind, dialect.text())} THEN c.{rule.deadline}" for rule in rules)
    kinds = " UNION ALL ".join(f"SELECT {sql.value(rule.kind, dialect.text())} AS kind" for rule in rules)
    wanted_on = " OR ".join(
        f"(k.kind = {sql.value(rule.kind, dialect.text())} AND c.{rule.deadline} "
        f"{_COMPARISONS[rule.when]} {sql.slot('today')})"
        for rule in rules
    )
    wanted = (
        "SELECT c.id, c.zone_id, c.number, c.item_name, c.body_id, c.clerk_id, c.reviewer_id, k.kind, "  # noqa: S608  # nosec B608  # values are parameters
        f"CASE k.kind {deadline} END AS deadline "
        f"FROM window_case c JOIN ({kinds}) k ON {wanted_on} "
        f"WHERE {sql.slot('ids', dialect.in_ids('c.id'))} AND c.is_open AND c.due_on IS NOT NULL "
        f"AND c.due_on <= {sql.slot('horizon')} AND c.state <> 'suspended'"
    )
    heads = sql.slot("heads", dialect.heads())
    insert = "INSERT INTO" if dialect.postgres else "INSERT OR IGNORE INTO"
    conflict = "ON CONFLICT DO NOTHING " if dialect.postgres else ""
    sql.text = (
        f"{insert} window_alert (zone_id, case_id, kind, deadline, recipient_id, recipient_name, message, "  # nosec B608  # values are parameters
        f"raised_on, created_at, updated_at) {select}"
        f"FROM ({wanted}) w LEFT JOIN ({heads}) h ON h.body_id = w.body_id "
        f"WHERE TRUE {conflict}RETURNING kind, id, zone_id, case_id, deadline, recipient_id, message"
    )
    return sql


def _bind(sql: _Sql, dialect: _Dialect, values: dict[str, Any]) -> list[Any]:
    """The statement's parameters with the run's values in the slots (the heads table may be several)."""
    params: list[Any] = []
    for param in sql.params:
        if not isinstance(param, _Slot):
            params.append(param)
        elif param.name == "heads":
            params.extend(dialect.heads_params(values["heads"]))
        elif param.name == "ids":
            params.append(dialect.id_param(values["ids"]))
        else:
            params.append(values[param.name])
    return params


def _chunk_heads(
    dialect: _Dialect, connection: Any, ids: list[int], cache: dict[int, tuple[int | None, str]], on: dt.date
) -> list[tuple[int, int | None, str]]:
    """(body, first head with a login, heads' names) for each body with a case in the chunk."""
    sql = f"SELECT DISTINCT body_id FROM window_case WHERE {dialect.in_ids('id')} AND body_id IS NOT NULL"  # noqa: S608  # nosec B608
    body_ids = [body_id for (body_id,) in dialect.execute(connection, sql, [dialect.id_param(ids)])]
    _heads(body_ids, cache, on)
    return [(body_id, *cache[body_id]) for body_id in body_ids]


def window_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Raise warnings and escalate overdue cases. Returns counts of what was created now.

    Per chunk of the ids read once by ``_id_chunks``: the heads of the chunk's bodies (read once per
    run), then one statement that works out, formats and inserts the chunk's new alerts in the
    database (``_alerts_sql``). Python touches no case row: when it built the alerts, reading the
    cases, the existing alerts and sending the new ones back took most of a run.
    """
    today = today or timezone.localdate()
    calendar = load_calendar()
    recomputed = _daily_recompute(today, calendar)
    horizon = add_working_days(calendar, today, warning_days()).date
    heads: dict[int, tuple[int | None, str]] = {}
    created = {"warning": 0, "escalation": 0, "violation": 0}
    qs = (
        Case.objects.filter(is_open=True, due_on__isnull=False, due_on__lte=horizon)
        .exclude(state=CaseState.SUSPENDED)
        .order_by("pk")
    )
    connection = connections[router.db_for_write(Alert)]
    dialect = _Dialect(connection.vendor)
    statement = _alerts_sql(dialect)
    # Dates and times as the backend stores them (ISO text on SQLite, unchanged on PostgreSQL).
    day, horizon_param = (connection.ops.adapt_datefield_value(d) for d in (today, horizon))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    run = {"today": day, "raised_on": day, "now": now, "horizon": horizon_param, "no_head": _NO_HEAD}
    for ids in _id_chunks(qs, CHUNK):
        chunk_heads = _chunk_heads(dialect, connection, ids, heads, today)
        params = _bind(statement, dialect, {**run, "ids": ids, "heads": chunk_heads})
        with transaction.atomic():
            inserted = dialect.execute(connection, statement.text, params)
            if inserted:
                counts = dict.fromkeys(created, 0)
                for kind, *_alert in inserted:
                    counts[kind] += 1
                audit_record(actor="system", action="window.sweep", object_type="window.sweep", changes=counts)
                notifications.alerts_raised(inserted)
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
