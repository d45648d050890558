"""Writes of many rows in one statement, for the batch jobs (the nightly sweep, recomputes).

Django's ``bulk_update`` compiles one ``CASE WHEN`` per field and row, and its PostgreSQL cursor
quotes every parameter into the SQL text in Python; for thousands of rows both cost more than the
database's own work. Here PostgreSQL gets one array per column through ``unnest``, bound on the
server (psycopg's C dumpers, no quoting in Python); SQLite, whose statements are cheap and local,
gets ``executemany``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Model


def server_execute(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one statement on PostgreSQL with server-side binding; the rows it returns, if any.

    It runs on Django's connection, inside whatever transaction is open there, through Django's
    cursor wrapper (so it is logged and counted like any other query).
    """
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    wrapped = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with wrapped as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def update_columns(model: type[Model], objs: Sequence[Model], names: Sequence[str]) -> int:
    """Write the fields ``names`` of ``objs`` (saved instances of ``model``) in one statement.

    What ``bulk_update(objs, names)`` writes, without signals or ``auto_now`` (set those on the
    instances first). Returns the number of instances written.
    """
    if not objs:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    table = quote(model._meta.db_table)
    columns = [quote(f.column) for f in fields]

    def values(field: Any) -> list[Any]:
        return [field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in objs]

    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in (pk, *fields))
        sets = ", ".join(f"{c} = u.{c}" for c in columns)
        sql = (
            f"UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS u({quote(pk.column)}, {', '.join(columns)}) "  # noqa: S608  # nosec B608  # names from _meta
            f"WHERE t.{quote(pk.column)} = u.{quote(pk.column)}"
        )
        server_execute(connection, sql, [values(pk), *(values(f) for f in fields)])
    else:
        sets = ", ".join(f"{c} = %s" for c in columns)
        sql = f"UPDATE {table} SET {sets} WHERE {quote(pk.column)} = %s"  # noqa: S608  # nosec B608  # names from _meta
        rows = zip(*(values(f) for f in fields), values(pk), strict=True)
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
    return len(objs)
