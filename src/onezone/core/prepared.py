"""Queries compiled once per process and run many times: the hot reads of the pages.

Django turns a queryset into SQL on every evaluation. For a case with its item, body, park and three
users that is over a millisecond of Python per request, more than the database takes to answer. A
``Prepared`` query is built by the ORM once per process (twice, with two sets of stand-in values
for its parameters); the SQL text, the places where the stand-ins landed, the column converters and
the row-to-instance mapping are kept; every later call only binds the new values, runs the
statement through Django's cursor (so it is still logged and counted) and builds the rows as the
queryset would have.

What it accepts is checked when it is first compiled, and refused loudly rather than run wrong:
each parameter must reach the SQL as a bound parameter (not inlined, not wrapped as ``%x%``, not
changing the SQL text), the queryset may not prefetch, and only models, values, values lists and
flat lists are made. Parameters are ints, strings or dates; ``None`` would change the SQL
(``IS NULL``) and is refused at call time.

    CASE = Prepared(lambda zone_id, case_id: Case.objects.filter(zone_id=zone_id, pk=case_id)[:1],
                    zone_id=int, case_id=int)
    rows = CASE(zone_id=1, case_id=5)   # a list, as list(queryset) would give
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Count, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

KINDS = (int, str, dt.date)
MAX_SHAPES = 256  # compilations kept per query; past that the cache starts afresh


def _marker(kind: type, n: int, take: int) -> Any:
    """The ``n``-th parameter's stand-in in compilation ``take`` (0 or 1). Each parameter is compiled
    with two values, so a constant of the query that happens to equal one is never mistaken for it.
    Integers stay within a small integer column's range: Django compiles an out-of-range value into
    an empty result, not into a parameter."""
    if kind is int:
        return 32_700 - 200 * take - n
    if kind is str:
        return f"\x1fprepared-{take}-{n}\x1f"
    return dt.date(1111 + take, 1, 1 + n)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # the compiled parameters, markers included
    slots: tuple[tuple[int, str, type | None], ...]  # (position, parameter name, the type it is bound as)
    make_rows: Callable[[list[tuple]], list]


class PreparedQueryError(Exception):
    """The queryset cannot be run from a cached compilation (a programming error, found on first use)."""


class Prepared:
    """``build(**params)`` returns a queryset; calling the instance returns its rows as a list."""

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        for name, kind in kinds.items():
            if kind not in KINDS:
                raise PreparedQueryError(f"parameter {name}: only int, str and date are supported")
        self.build = build
        self.kinds = kinds
        self._compiled: dict[tuple[str, tuple], _Compiled] = {}
        self._model_class: type | None = None
        self._lock = threading.Lock()

    def __call__(self, *shape: Hashable, using: str | None = None, **params: Any) -> list:
        """The rows for ``params``. ``shape`` (page bounds, which filters apply) is passed to ``build``
        as it is: each distinct shape is compiled once, as its SQL text differs. The database is the one
        the routers choose for reading the query's model (core.db_router), unless ``using`` names one."""
        if params.keys() != self.kinds.keys():
            raise PreparedQueryError(f"expected parameters {sorted(self.kinds)}, got {sorted(params)}")
        if using is None:
            using = router.db_for_read(self._model(shape))
        compiled = self._compiled.get((using, shape)) or self._compile(using, shape)
        bound = list(compiled.params)
        for position, name, wrap in compiled.slots:
            value = self._adapt(using, name, params[name])
            bound[position] = value if wrap is None else wrap(value)
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        return compiled.make_rows(rows)

    def first(self, *shape: Hashable, using: str | None = None, **params: Any) -> Any:
        rows = self(*shape, using=using, **params)
        return rows[0] if rows else None

    def _model(self, shape: tuple) -> type:
        """The model the query reads, learnt when it is first compiled (for the default database)."""
        if self._model_class is None:
            self._compiled.get(("default", shape)) or self._compile("default", shape)
        return self._model_class

    def _adapt(self, using: str, name: str, value: Any) -> Any:
        kind = self.kinds[name]
        if value is None or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise PreparedQueryError(f"parameter {name} must be {kind.__name__}, got {value!r}")
        if kind is dt.date:
            if isinstance(value, dt.datetime):
                raise PreparedQueryError(f"parameter {name} must be a date, got a datetime")
            return connections[using].ops.adapt_datefield_value(value)
        return value

    def _compile(self, using: str, shape: tuple) -> _Compiled:
        with self._lock:
            if (using, shape) in self._compiled:
                return self._compiled[(using, shape)]
            if len(self._compiled) >= MAX_SHAPES:
                self._compiled.clear()
            connection = connections[using]
            compilations = []
            for take in (0, 1):
                markers = {name: _marker(kind, n, take) for n, (name, kind) in enumerate(self.kinds.items())}
                queryset = self.build(*shape, **markers)
                self._model_class = queryset.model
                if queryset._prefetch_related_lookups or queryset._known_related_objects:
                    raise PreparedQueryError("a prepared query cannot prefetch or carry known related objects")
                compiler = queryset.query.get_compiler(using=using)
                sql, params = compiler.as_sql()
                compilations.append((markers, sql, tuple(params)))
            (first, sql, params), (second, other_sql, other_params) = compilations
            if sql != other_sql or len(params) != len(other_params):
                raise PreparedQueryError("the SQL changes with the parameters' values; it cannot be prepared")
            slots = []
            for name in self.kinds:
                a, b = (self._adapt(using, name, m[name]) for m in (first, second))
                # The backend may bind a value typed (psycopg's Int2 for a small integer column): the
                # same type then wraps every value bound there.
                found = [
                    (i, name, None if type(p) is type(a) else type(p))
                    for i, (p, q) in enumerate(zip(params, other_params, strict=True))
                    if isinstance(p, type(a)) and type(p) is type(q) and (p, q) == (a, b)
                ]
                if not found:
                    raise PreparedQueryError(f"parameter {name} does not reach the SQL as a bound parameter")
                slots.extend(found)
                if str(first[name]) in sql:
                    raise PreparedQueryError(f"parameter {name} is written into the SQL text")
            changed = {i for i, (p, q) in enumerate(zip(params, other_params, strict=True)) if p != q}
            if changed != {i for i, _, _ in slots}:
                raise PreparedQueryError("a parameter reaches the SQL transformed; it cannot be prepared")
            compiled = _Compiled(sql, params, tuple(slots), _row_maker(queryset, compiler, connection.alias))
            self._compiled[(using, shape)] = compiled
            return compiled


def _row_maker(queryset: QuerySet, compiler: Any, db: str) -> Callable[[list[tuple]], list]:
    """What evaluating ``queryset`` does with the fetched rows, with everything row-independent done once."""
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)
    trim = compiler.col_count if compiler.has_extra_select else None

    def converted(rows: list[tuple]):
        if trim is not None:
            rows = [row[:trim] for row in rows]
        return compiler.apply_converters(rows, converters) if converters else rows

    iterable = queryset._iterable_class
    query = queryset.query
    if iterable is ModelIterable:
        klass_info, select = compiler.klass_info, compiler.select
        annotations = list((compiler.annotation_col_map or {}).items())
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        populators = get_related_populators(klass_info, select, db)

        def models(rows: list[tuple]) -> list:
            objs = []
            for row in converted(rows):
                obj = model.from_db(db, init_list, row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                for name, position in annotations:
                    setattr(obj, name, row[position])
                objs.append(obj)
            return objs

        return models
    # The columns in the order the SQL returns them, as Django's own values iterable names them.
    names = (
        list(query.selected)
        if query.selected
        else [*query.extra_select, *query.values_select, *query.annotation_select]
    )
    if iterable is ValuesIterable:
        return lambda rows: [dict(zip(names, row, strict=True)) for row in converted(rows)]
    if iterable is ValuesListIterable:
        return lambda rows: [tuple(row) for row in converted(rows)]
    if iterable is FlatValuesListIterable:
        return lambda rows: [row[0] for row in converted(rows)]
    raise PreparedQueryError(f"unsupported result kind {iterable.__name__}")


def counted(queryset: QuerySet, over: str) -> QuerySet:
    """``queryset``'s count as a query that can be prepared (``count()`` runs at once): grouped on
    ``over``, a column the query filters to one value, counting that column (never null; an index
    holding it serves the count alone). One row, or none when nothing matches: sum the result."""
    return queryset.order_by().values(over).annotate(n=Count(over)).values_list("n", flat=True)


class PreparedRows(Sequence):
    """A page source for Django's ``Paginator`` from two prepared calls: ``count()`` and
    ``rows(offset, limit)``. The paginator counts once and slices once, as with a queryset;
    ``bounds`` is then the (offset, limit) read, for another read of the same page."""

    def __init__(self, count: Callable[[], int], rows: Callable[[int, int], list]) -> None:
        self._count_fn = count
        self._rows = rows
        self._count: int | None = None
        self.bounds: tuple[int, int] | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self._count_fn()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("PreparedRows is read by slices (a paginator's page)")
        start = index.start or 0
        stop = self.count() if index.stop is None else index.stop
        if stop <= start:
            return []
        self.bounds = (start, stop - start)
        return self._rows(*self.bounds)
