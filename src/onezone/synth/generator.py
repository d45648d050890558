"""A deterministic synthetic province: zones, parks, enterprises, cases, requests, projects, staff.

``generate(sizes, seed)`` fills the configured database. The same seed and sizes give the same
rows (one ``random.Random(seed)``, a fixed reference day, no clock). Every zone's name carries
``（合成）`` and its code starts with ``synth-``; users are named ``synth-…`` and cannot log in until
an administrator sets a password. :func:`remove_synthetic` deletes all of it again.

Rows go in through :mod:`onezone.synth.writer` (``executemany`` on SQLite, ``COPY`` on
PostgreSQL), table by table, one transaction per batch. A failed or interrupted run removes what
it wrote; if even that is cut off, ``onezone synth --reset`` removes the rest before generating.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import random
from dataclasses import dataclass, fields

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Model

from onezone.core.calendar import calendar_seed, load_calendar
from onezone.core.models import RoleGrant
from onezone.enterprises.models import Enterprise, EnterpriseRequest, RequestCategory
from onezone.investment.models import FundsEntry, Project, ProjectStageChange
from onezone.notify.models import Notification
from onezone.org.models import Appointment, Body, Person, Post
from onezone.personnel.models import EmploymentContract
from onezone.powers.models import ItemMaterial, PowerItem
from onezone.safety.models import Gate, GatePassage, Hazard, HazardEvent, Installation, SpecialWork
from onezone.support.models import FinancingNeed, JobPosting, Listing, MonthlyReport
from onezone.synth.base import (
    DEFERRED_TABLE,
    FIRST_YEAR,
    MOMENT,
    REFERENCE_DAY,
    USER_PREFIX,
    ZONE_CODE_PREFIX,
    Rows,
    ZoneData,
)
from onezone.synth.calendar import WorkTable
from onezone.synth.steps_investment import InvestmentSteps
from onezone.synth.steps_org import OrgSteps
from onezone.synth.steps_safety import SafetySteps
from onezone.synth.steps_support import SupportSteps
from onezone.synth.steps_window import WindowSteps
from onezone.synth.writer import Progress, Step, Writer
from onezone.window.models import Case, CaseCounter, CaseEvent, SupplementNotice
from onezone.zones.models import Park, Zone


@dataclass(frozen=True)
class Sizes:
    zones: int = 100
    parks: int = 300
    enterprises: int = 200_000
    cases: int = 2_000_000
    requests: int = 500_000
    projects: int = 50_000
    staff: int = 20_000

    @classmethod
    def scaled(cls, scale: float = 1.0, **explicit: int | None) -> Sizes:
        """Every default size times ``scale`` (at least one zone and park), then the explicit ones."""
        if scale <= 0:
            raise ValueError(f"--scale 应为正数，收到 {scale}。")
        base = cls()
        values = {f.name: max(0, round(getattr(base, f.name) * scale)) for f in fields(cls)}
        values.update({k: v for k, v in explicit.items() if v is not None})
        if explicit.get("zones") is None:
            values["zones"] = max(1, values["zones"])
        if explicit.get("parks") is None:
            values["parks"] = max(values["zones"], values["parks"])
        sizes = cls(**values)
        sizes.check()
        return sizes

    def check(self) -> None:
        negative = [f.name for f in fields(self) if getattr(self, f.name) < 0]
        if negative:
            raise ValueError(f"数量不能为负数：{', '.join(negative)}。")
        if self.zones < 1:
            raise ValueError("至少需要 1 个开发区（--zones 1 或更多）。")
        if self.parks < self.zones:
            raise ValueError(f"园区数（{self.parks}）不能少于开发区数（{self.zones}）：每个开发区至少有一个园区。")
        if self.zones > 9999:
            raise ValueError("开发区数不能超过 9999。")

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Tables in the order they are written; removal runs backwards.
MODELS: tuple[type[Model], ...] = (
    User,
    Zone,
    RoleGrant,
    Park,
    Body,
    Post,
    PowerItem,
    ItemMaterial,
    Enterprise,
    RequestCategory,
    Person,
    Appointment,
    EmploymentContract,
    Case,
    CaseEvent,
    SupplementNotice,
    CaseCounter,
    EnterpriseRequest,
    Project,
    ProjectStageChange,
    FundsEntry,
    Installation,
    Hazard,
    HazardEvent,
    SpecialWork,
    Gate,
    GatePassage,
    Listing,
    JobPosting,
    FinancingNeed,
    MonthlyReport,
    Notification,
)


def synthetic_zone_ids() -> list[int]:
    return list(Zone.objects.filter(code__startswith=ZONE_CODE_PREFIX).values_list("pk", flat=True))


def has_synthetic_data() -> bool:
    return bool(synthetic_zone_ids()) or User.objects.filter(username__startswith=USER_PREFIX).exists()


_INDEXES_SQL = {
    "sqlite": "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
    # not the indexes behind primary keys and unique constraints: those go with their constraint
    "postgresql": (
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
        " AND i.schemaname = current_schema()"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
    ),
}


def defer_indexes(models: tuple[type[Model], ...]) -> None:
    """Drop the secondary indexes of ``models``, noting their definitions in a table of their own
    in the same transaction, so that :func:`restore_indexes` can always build them again (also
    after a run that was killed: every ``onezone synth`` starts by restoring)."""
    if not models:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE IF NOT EXISTS "{DEFERRED_TABLE}" (name TEXT PRIMARY KEY, sql TEXT NOT NULL)')
        for model in models:
            cursor.execute(_INDEXES_SQL[connection.vendor], [model._meta.db_table])
            for name, sql in cursor.fetchall():
                cursor.execute(f'INSERT INTO "{DEFERRED_TABLE}" (name, sql) VALUES (%s, %s)', [name, sql])  # noqa: S608  # nosec B608  # constant name
                cursor.execute(f'DROP INDEX "{name}"')


def restore_indexes() -> int:
    """Build again every index :func:`defer_indexes` dropped; returns how many."""
    with transaction.atomic(), connection.cursor() as cursor:
        if DEFERRED_TABLE not in connection.introspection.table_names(cursor):
            return 0
        cursor.execute(f'SELECT sql FROM "{DEFERRED_TABLE}" ORDER BY name')  # noqa: S608  # nosec B608  # constant name
        statements = [sql for (sql,) in cursor.fetchall()]
        if connection.vendor == "postgresql":
            # fire the deferred foreign-key checks now: PostgreSQL builds no index on a table
            # with checks pending (inside a caller's transaction)
            connection.check_constraints()
        for sql in statements:
            cursor.execute(sql)
        cursor.execute(f'DROP TABLE "{DEFERRED_TABLE}"')
    return len(statements)


def remove_synthetic() -> int:
    """Delete every synthetic row (zones coded ``synth-…``, their data and ``synth-…`` users).

    When the database holds no other zone, whole tables are emptied, which SQLite does without
    visiting each row."""
    restore_indexes()
    zone_ids = synthetic_zone_ids()
    everything = not Zone.objects.exclude(code__startswith=ZONE_CODE_PREFIX).exists()
    removed = 0
    toggle = connection.vendor == "sqlite" and not connection.in_atomic_block
    if toggle:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys=OFF")  # the rows go table by table, children first
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for model in reversed(MODELS):
                table = model._meta.db_table
                if model is User:
                    # the ORM, not raw SQL: it also clears the users' grants, sessions and permissions
                    removed += User.objects.filter(username__startswith=USER_PREFIX).delete()[1].get("auth.User", 0)
                    continue
                if not zone_ids:
                    continue
                if everything:
                    cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608  # nosec B608  # name from _meta
                    removed += max(cursor.rowcount, 0)
                    continue
                column = "id" if model is Zone else "zone_id"
                for start in range(0, len(zone_ids), 500):
                    chunk = zone_ids[start : start + 500]
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" IN ({marks})', chunk)  # noqa: S608  # nosec B608  # names from _meta, values bound
                    removed += max(cursor.rowcount, 0)
    finally:
        if toggle:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys=ON")
    return removed


def generate(
    sizes: Sizes, seed: int = 1, progress: Progress | None = None, *, parallel: bool | None = None
) -> dict[str, int]:
    """Write a synthetic province of ``sizes`` with ``seed``; returns rows written per table.

    ``parallel`` (default: when there are two or more cores) generates the big tables in a forked
    process while this one writes; the rows are the same either way.

    On any error (or Ctrl-C) the rows written so far are removed again before the error goes on.
    """
    sizes.check()
    restore_indexes()
    calendar_seed()
    writer = Writer(moment=MOMENT, progress=progress)
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()
    generator = _Generator(sizes=sizes, seed=seed, writer=writer, parallel=parallel)
    fast = _fast_writes(True)
    try:
        generator.run()
    except BaseException:
        _fast_writes(False, fast)
        remove_synthetic()
        raise
    _fast_writes(False, fast)
    _reset_sequences()
    _refresh_statistics()
    return {t.name: t.written for t in writer.tables.values()}


def _fast_writes(on: bool, previous: str | None = None) -> str | None:
    """SQLite only: no fsync and a big page cache while loading; the old setting back afterwards.

    Left alone inside a caller's transaction, where SQLite does not allow changing them."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        if on:
            cursor.execute("PRAGMA synchronous")
            (old,) = cursor.fetchone()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
            cursor.execute("PRAGMA temp_store=MEMORY")
            return str(old)
        cursor.execute(f"PRAGMA synchronous={int(previous or 1)}")
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.execute("PRAGMA foreign_keys=ON")
    return None


def _reset_sequences() -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
            cursor.execute(sql)


def _refresh_statistics() -> None:
    """Planner statistics for the freshly loaded tables: without them PostgreSQL plans the big
    joins as if the tables were empty (nested loops over millions of rows) until autovacuum runs.

    On PostgreSQL a ``VACUUM (ANALYZE)``, which also marks the loaded pages all-visible, as autovacuum
    does on a running site: until then no index-only scan is possible and every count visits the
    table. Inside a caller's transaction (tests), where VACUUM cannot run, only ANALYZE on
    PostgreSQL and nothing on SQLite, where it would only cost time."""
    if connection.vendor == "sqlite" and connection.in_atomic_block:
        return
    postgres_outside_transaction = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if postgres_outside_transaction else "ANALYZE")


# The steps in order: method, progress label. Each draws from its own random stream, so a step's
# rows depend only on the seed, the sizes and the steps before it, not on where it runs.
STEPS = (
    ("foundation", "开发区、园区、机构、岗位与账号"),
    ("powers", "权力事项与申请材料"),
    ("enterprises", "企业与诉求类别"),
    ("staff", "人员、任职与聘用合同"),
    ("cases", "办件、办件事件与补正告知"),
    ("requests", "企业诉求"),
    ("projects", "招商项目、阶段变更与到位资金"),
    ("safety", "危险化学品单元、隐患、特殊作业与卡口通行"),
    ("support", "供需、招聘、融资需求、月度统计与通知"),
)
# Tables whose secondary indexes are dropped while a step loads them and built again at its end:
# building an index once from sorted keys costs far less than updating it row by row.
DEFERRED_INDEXES = {"cases": (Case,), "requests": (EnterpriseRequest,)}
# Steps whose rows, once set up, depend on nothing they write: they may be generated in a second
# process while this one writes (the two cores each do half the work).
FORKABLE = frozenset({"cases", "requests", "projects", "safety", "support"})


class _Generator(OrgSteps, WindowSteps, InvestmentSteps, SafetySteps, SupportSteps):
    def __init__(self, *, sizes: Sizes, seed: int, writer: Writer, parallel: bool) -> None:
        self.sizes = sizes
        self.seed = seed
        self.rng = random.Random(f"{seed}:zones")
        self.weights = [self.rng.lognormvariate(0, 0.6) for _ in range(sizes.zones)]
        self.writer = writer
        self.parallel = parallel
        self.zones: list[ZoneData] = []
        self.enterprise_names: list[str] = []
        self.enterprise_usccs: list[str] = []
        self.wt = WorkTable(load_calendar(), dt.date(FIRST_YEAR - 1, 1, 1), dt.date(REFERENCE_DAY.year + 2, 12, 31))
        self.today = REFERENCE_DAY.toordinal()
        self.i_ref = self.wt.index(self.today)

    def run(self) -> None:
        for method, label in STEPS:
            self.rng = random.Random(f"{self.seed}:{method}")
            with Step(self.writer, label) as step:
                defer_indexes(DEFERRED_INDEXES.get(method, ()))
                rows = getattr(self, method)()
                if self.parallel and method in FORKABLE:
                    self._forked(step, rows)
                else:
                    for pairs in rows:
                        step.write(*pairs)
                step.finish()
                restore_indexes()

    def _forked(self, step: Step, rows: Rows) -> None:
        """Write the rows of ``rows`` as a child process generates them.

        The step's set-up (reading ids) runs here up to its first, empty batch; the fork then
        takes a copy of the half-run generator and finishes it, sending batches back by table name.
        """
        next(rows)
        context = multiprocessing.get_context("fork")
        channel = context.Queue(maxsize=3)

        def produce() -> None:
            try:
                for pairs in rows:
                    channel.put([(table.name, [row + table.tail for row in batch]) for table, batch in pairs])
                channel.put(None)
            except BaseException as exc:  # the parent re-raises it
                channel.put(f"{type(exc).__name__}: {exc}")

        child = context.Process(target=produce, daemon=True)
        child.start()
        try:
            while True:
                try:
                    item = channel.get(timeout=2)
                except queue.Empty:
                    if child.is_alive():
                        continue
                    try:  # it may have sent its last batch just before it ended
                        item = channel.get(timeout=5)
                    except queue.Empty:
                        raise RuntimeError("生成合成数据的子进程意外退出。") from None
                if item is None:
                    break
                if isinstance(item, str):
                    raise RuntimeError(f"生成合成数据的子进程出错：{item}")
                step.write(*[(self.writer.tables[name], batch) for name, batch in item], complete=True)
            child.join()
        finally:
            if child.is_alive():
                child.terminate()
                child.join()


def summary_lines(counts: dict[str, int], seconds: float) -> list[str]:
    total = sum(counts.values())
    lines = [f"  {table:<40} {rows:>12,}" for table, rows in counts.items()]
    rate = total / seconds if seconds > 0 else 0
    lines.append(f"  {'合计':<40} {total:>12,} 行，用时 {seconds:.1f} 秒，{rate:,.0f} 行/秒")
    return lines


__all__ = ["Sizes", "generate", "has_synthetic_data", "remove_synthetic", "summary_lines"]
