"""Bulk writing that bypasses the ORM but keeps to the models.

A :class:`Table` takes its column list from the model's ``_meta``: the generator supplies the
columns it names, and every other column gets the value the ORM would give it (the field's
default, ``""`` for a blank text field, NULL where allowed, the load's moment for ``auto_now``).
A model that gains a NOT NULL column without a default makes :class:`Table` refuse to start, so
the generator cannot silently drift away from the schema.

Values travel as text-ready Python values (``int``, ``str``, ``None``): dates in ISO form,
decimals as strings, booleans as 0/1, JSON already dumped. SQLite takes them through
``executemany``; PostgreSQL through ``COPY`` (psycopg 3), which parses the same text.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model

# Rows per executemany / COPY call, and about how many go in one transaction.
BATCH = 20_000
COMMIT_ROWS = 400_000

Progress = Callable[[str, int, float, bool], None]


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Table:
    """One table's insert: the supplied columns first, then the filled-in ones."""

    model: type[Model]
    supplied: tuple[str, ...]
    columns: tuple[str, ...] = ()
    tail: tuple[Any, ...] = ()
    written: int = 0

    @property
    def name(self) -> str:
        return self.model._meta.db_table


@dataclass
class Writer:
    """Writes rows into the default database and keeps the count per table."""

    moment: dt.datetime  # what auto_now / auto_now_add fields get (aware)
    progress: Progress | None = None
    tables: dict[str, Table] = field(default_factory=dict)
    vendor: str = ""

    def __post_init__(self) -> None:
        self.vendor = connection.vendor
        if self.vendor not in {"sqlite", "postgresql"}:
            raise ImproperlyConfigured("合成数据只支持 SQLite 和 PostgreSQL 数据库。")
        self._stamp_cache: dict[tuple[int, int], str] = {}

    # --- value formats ----------------------------------------------------------------------

    def stamp(self, day: dt.date, minute: int = 9 * 60) -> str:
        """The moment ``minute`` minutes after midnight Beijing time on ``day``, as stored."""
        return self.stamp_ordinal(day.toordinal(), minute)

    def stamp_ordinal(self, ordinal: int, minute: int) -> str:
        """As :meth:`stamp` for a day given as an ordinal. SQLite gets naive UTC text, as Django
        writes it; PostgreSQL gets the local time with its offset."""
        key = (ordinal, minute)
        text = self._stamp_cache.get(key)
        if text is None:
            if self.vendor == "sqlite":
                utc = dt.datetime.fromordinal(ordinal) + dt.timedelta(minutes=minute - 8 * 60)
                text = utc.strftime("%Y-%m-%d %H:%M:%S")
            else:
                day = dt.date.fromordinal(ordinal)
                text = f"{day.isoformat()} {minute // 60:02d}:{minute % 60:02d}:00+08:00"
            self._stamp_cache[key] = text
        return text

    def _db_value(self, model_field: Any, value: Any) -> Any:
        if value is None:
            return None
        kind = model_field.get_internal_type()
        if kind == "BooleanField":
            return int(bool(value))
        if kind == "JSONField":
            return dumps(value)
        if kind == "DateTimeField":
            local = value.astimezone(dt.timezone(dt.timedelta(hours=8)))
            return self.stamp(local.date(), local.hour * 60 + local.minute)
        if kind == "DateField":
            return value.isoformat()
        if kind == "DecimalField":
            return str(value)
        return value

    # --- tables ---------------------------------------------------------------------------------

    def table(self, model: type[Model], supplied: Sequence[str]) -> Table:
        """The insert for ``model`` with the columns of ``supplied`` (field names or attnames)."""
        by_name = {}
        for f in model._meta.concrete_fields:
            by_name[f.name] = f
            by_name[f.attname] = f
        unknown = [name for name in supplied if name not in by_name]
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__} 没有字段：{', '.join(unknown)}")
        given = {by_name[name].attname for name in supplied}
        columns = [by_name[name].column for name in supplied]
        tail = []
        for f in model._meta.concrete_fields:
            if f.attname in given:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self._db_value(f, self.moment)
            else:
                value = self._db_value(f, f.get_default())
                if value is None and not f.null:
                    raise ImproperlyConfigured(
                        f"{model.__name__}.{f.name} 不能为空且没有默认值，合成数据生成器需要为它提供数据。"
                    )
            columns.append(f.column)
            tail.append(value)
        spec = Table(model=model, supplied=tuple(supplied), columns=tuple(columns), tail=tuple(tail))
        self.tables.setdefault(spec.name, spec)
        return self.tables[spec.name]

    def next_id(self, model: type[Model]) -> int:
        """The first free primary key of ``model``'s table."""
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT MAX("id") FROM "{model._meta.db_table}"')  # noqa: S608  # nosec B608  # names from _meta
            (top,) = cursor.fetchone()
        return (top or 0) + 1

    # --- writing --------------------------------------------------------------------------------

    def write(self, table: Table, rows: Iterable[tuple], *, complete: bool = False) -> int:
        """Append ``rows`` (tuples in the order of ``supplied``, or of ``columns`` when ``complete``);
        returns how many were written."""
        full = rows if complete else [row + table.tail for row in rows]
        if not full:
            return 0
        cols = ", ".join(f'"{c}"' for c in table.columns)
        if self.vendor == "sqlite":
            marks = ", ".join("?" * len(table.columns))
            raw = connection.connection
            raw.executemany(f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})', full)  # noqa: S608  # nosec B608  # names from _meta
        else:
            with (
                connection.connection.cursor() as cursor,
                cursor.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy,
            ):
                for row in full:
                    copy.write_row(row)
        table.written += len(full)
        return len(full)


@dataclass
class Step:
    """A labelled part of the load that reports its running count and speed.

    Used as a context manager: rows go in transactions of about :data:`COMMIT_ROWS` rows (fewer,
    larger transactions rewrite the same index pages less often); an error rolls back the open one.
    """

    writer: Writer
    label: str
    started: float = field(default_factory=time.perf_counter)
    rows: int = 0
    pending: int = 0
    atomic: Any = None

    def __enter__(self) -> Step:
        return self

    def __exit__(self, kind: Any, exc: Any, traceback: Any) -> bool:
        self._end(kind, exc, traceback)
        if kind is None and self.writer.progress is not None:
            self.writer.progress(self.label, self.rows, time.perf_counter() - self.started, True)
        return False

    def finish(self) -> None:
        """Commit what is written so far."""
        self._end()

    def _end(self, kind: Any = None, exc: Any = None, traceback: Any = None) -> None:
        atomic, self.atomic, self.pending = self.atomic, None, 0
        if atomic is not None:
            atomic.__exit__(kind, exc, traceback)

    def write(self, *pairs: tuple[Table, list[tuple]], complete: bool = False) -> None:
        """Write each (table, rows) pair; ``complete`` rows already carry the filled-in columns."""
        if not any(rows for _table, rows in pairs):
            return
        if self.atomic is None:
            connection.ensure_connection()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
        for table, rows in pairs:
            written = self.writer.write(table, rows, complete=complete)
            self.rows += written
            self.pending += written
        if self.pending >= COMMIT_ROWS:
            self._end()
        if self.writer.progress is not None:
            self.writer.progress(self.label, self.rows, time.perf_counter() - self.started, False)
