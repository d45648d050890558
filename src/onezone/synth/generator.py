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
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Model

from onezone.core.calendar import calendar_seed, load_calendar
from onezone.core.codes import USCC_ALPHABET, resident_id_check_char, uscc_check_char
from onezone.core.models import RoleGrant
from onezone.enterprises.models import Enterprise, EnterpriseRequest, RequestCategory, RequestStatus
from onezone.investment import rules as stages
from onezone.investment.models import FundsEntry, FundsSource, Project, ProjectStageChange
from onezone.org.models import Appointment, Body, Person, Post
from onezone.personnel.models import EmploymentContract
from onezone.powers.models import ItemMaterial, PowerItem
from onezone.powers.selectors import SEARCH_LIMIT, items_in_force
from onezone.synth import names
from onezone.synth.calendar import WorkTable
from onezone.synth.cases import EVENT_STATE, OPEN, ItemLimits, case_path, fast_clock, full_clock, target_state
from onezone.synth.writer import BATCH, Progress, Step, Table, Writer, dumps
from onezone.window.clock import ClockTerms
from onezone.window.models import Case, CaseCounter, CaseEvent, SupplementNotice
from onezone.window.services import FAR_DAY, terms_snapshot, zone_prefix
from onezone.zones.models import Park, Zone

REFERENCE_DAY = dt.date(2026, 6, 30)  # "today" for the generated data; never the clock
FIRST_YEAR = 2021  # cases and requests start here
CHINA = ZoneInfo("Asia/Shanghai")
MOMENT = dt.datetime(2026, 6, 30, 18, 0, tzinfo=CHINA)  # created_at/updated_at where no date applies
ZONE_CODE_PREFIX = "synth-"
DEFERRED_TABLE = "synth_deferred_index"  # index definitions while a load has them dropped
USER_PREFIX = "synth-"
UNUSABLE_PASSWORD = "!synthetic"  # noqa: S105  # nosec B105  # Django's unusable-password form: nobody can log in with it
QUERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CASE_FLUSH = 10_000


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


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainders), summing exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def money(value: float) -> str:
    return str(Decimal(int(value * 100)) / 100)


@dataclass
class ZoneData:
    """What later tables need to know about one generated zone."""

    id: int
    index: int
    code: str
    name: str
    area: str
    prefix: str
    parks: list[tuple[int, int]] = field(default_factory=list)  # (park id, theme index)
    bodies: dict[str, int] = field(default_factory=dict)
    posts: list[tuple[int, str]] = field(default_factory=list)  # (post id, body key)
    users: dict[str, int] = field(default_factory=dict)
    user_names: dict[int, str] = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)
    enterprises: tuple[int, int] = (0, 0)  # id range [start, stop)
    categories: list[tuple[int, int, int, int]] = field(default_factory=list)  # (id, ack, respond, resolve)

    def users_with(self, prefix: str) -> list[int]:
        return [uid for key, uid in self.users.items() if key.startswith(prefix)]


Rows = Iterator[list[tuple[Table, list[tuple]]]]

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
)
# Tables whose secondary indexes are dropped while a step loads them and built again at its end:
# building an index once from sorted keys costs far less than updating it row by row.
DEFERRED_INDEXES = {"cases": (Case,), "requests": (EnterpriseRequest,)}
# Steps whose rows, once set up, depend on nothing they write: they may be generated in a second
# process while this one writes (the two cores each do half the work).
FORKABLE = frozenset({"cases", "requests", "projects"})


class _Generator:
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

    # --- helpers ------------------------------------------------------------------------------

    def ids(self, model: type[Model]) -> int:
        return self.writer.next_id(model)

    def person_name(self) -> str:
        return self.rng.choice(names.SURNAMES) + self.rng.choice(names.GIVEN)

    def mobile(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def resident_id(self, area: str) -> str:
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=self.rng.randrange(35 * 365))
        first17 = f"{area}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + resident_id_check_char(first17)

    def uscc(self, area: str, taken: set[str]) -> str:
        while True:
            first17 = "91" + area + "".join(self.rng.choices(USCC_ALPHABET, k=9))
            code = first17 + uscc_check_char(first17)
            if code not in taken:
                taken.add(code)
                return code

    def day_text(self, ordinal: int | None) -> str | None:
        return self.wt.text(ordinal)

    def year_range(self, year: int) -> tuple[int, int]:
        """Indexes of the first and last working day of ``year`` up to the reference day."""
        lo = self.wt.index(dt.date(year - 1, 12, 31).toordinal()) + 1
        hi = min(self.wt.index(dt.date(year, 12, 31).toordinal()), self.i_ref)
        return lo, hi

    # --- zones, parks, bodies, users ------------------------------------------------------------

    def foundation(self) -> Rows:
        rng, w = self.rng, self.writer
        t_user = w.table(User, ("id", "username", "password", "first_name", "last_name", "is_staff", "date_joined"))
        t_zone = w.table(
            Zone,
            (
                "id",
                "name",
                "code",
                "level",
                "area_code",
                "province_code",
                "approved_area_km2",
                "planned_area_km2",
                "established",
                "reform_date",
                "is_demo",
            ),
        )
        t_grant = w.table(RoleGrant, ("id", "user_id", "zone_id", "role"))
        t_park = w.table(
            Park,
            (
                "id",
                "zone_id",
                "name",
                "code",
                "positioning",
                "industry_labels",
                "planned_area_km2",
                "built_area_km2",
                "address",
            ),
        )
        t_body = w.table(
            Body,
            ("id", "zone_id", "name", "short_name", "kind", "parent_id", "functions", "headcount_quota", "order"),
        )
        t_post = w.table(Post, ("id", "zone_id", "body_id", "title", "category", "grade", "is_head", "headcount"))
        zone_id, user_id, grant_id = self.ids(Zone), self.ids(User), self.ids(RoleGrant)
        park_id, body_id, post_id = self.ids(Park), self.ids(Body), self.ids(Post)
        parks_per_zone = [1 + n for n in split(self.sizes.parks - self.sizes.zones, self.weights)]
        zones, users, grants, parks, bodies, posts = [], [], [], [], [], []
        used_names: set[str] = set()
        joined = w.stamp(dt.date(2021, 1, 4))
        for index in range(self.sizes.zones):
            area, county = names.COUNTIES[index % len(names.COUNTIES)]
            kind, level = names.ZONE_KINDS[(index // len(names.COUNTIES)) % len(names.ZONE_KINDS)]
            base = f"{county}{kind}"
            if base in used_names:
                base = f"{county}{kind}{index // (len(names.COUNTIES) * len(names.ZONE_KINDS)) + 1}区"
            used_names.add(base)
            code = f"{ZONE_CODE_PREFIX}{index + 1:03d}"
            zone = ZoneData(
                id=zone_id, index=index, code=code, name=base + names.SYNTH_MARK, area=area, prefix=zone_prefix(code)
            )
            zone_id += 1
            approved = rng.uniform(5, 60)
            established = dt.date(rng.randint(1992, 2012), rng.randint(1, 12), rng.randint(1, 28))
            zones.append(
                (
                    zone.id,
                    zone.name,
                    code,
                    level,
                    area,
                    names.PROVINCE_CODE,
                    money(approved),
                    money(approved * rng.uniform(1.2, 3)),
                    established.isoformat(),
                    "2021-03-01",
                    1,
                )
            )
            themes = rng.sample(range(len(names.PARK_THEMES)), k=min(len(names.PARK_THEMES), parks_per_zone[index]))
            for n in range(parks_per_zone[index]):
                theme = themes[n % len(themes)]
                label, positioning = names.PARK_THEMES[theme]
                suffix = "" if n < len(themes) else str(n // len(themes) + 1)
                planned = rng.uniform(2, 30)
                parks.append(
                    (
                        park_id,
                        zone.id,
                        f"{county}{label}产业园{suffix}",
                        f"p{n + 1:02d}",
                        positioning,
                        label,
                        money(planned),
                        money(planned * rng.uniform(0.2, 0.9)),
                        f"甘肃省{county}{label}产业园",
                    )
                )
                zone.parks.append((park_id, theme))
                park_id += 1
            for key, body_name, short, body_kind, parent, headcount in names.BODIES:
                zone.bodies[key] = body_id
                bodies.append(
                    (
                        body_id,
                        zone.id,
                        f"{base}{body_name}",
                        short,
                        body_kind,
                        zone.bodies.get(parent) if parent else None,
                        "",
                        headcount,
                        len(zone.bodies),
                    )
                )
                body_id += 1
            for key, title, category, grade, head in names.POSTS:
                posts.append((post_id, zone.id, zone.bodies[key], title, category, grade, int(head), 1))
                zone.posts.append((post_id, key))
                post_id += 1
            for key, role in names.USERS:
                surname, given = rng.choice(names.SURNAMES), rng.choice(names.GIVEN)
                username = f"{USER_PREFIX}{index + 1:03d}-{key}"
                users.append((user_id, username, UNUSABLE_PASSWORD, given, surname, 1, joined))
                grants.append((grant_id, user_id, zone.id, role))
                zone.users[key] = user_id
                zone.user_names[user_id] = surname + given
                user_id += 1
                grant_id += 1
            self.zones.append(zone)
        yield [(t_user, users), (t_zone, zones), (t_grant, grants), (t_park, parks), (t_body, bodies)]
        yield [(t_post, posts)]

    # --- the implementation list ------------------------------------------------------------------

    def powers(self) -> Rows:
        w = self.writer
        t_item = w.table(
            PowerItem,
            (
                "id",
                "zone_id",
                "name",
                "basic_code",
                "implementation_code",
                "category",
                "legal_basis",
                "implementing_body_id",
                "legal_limit",
                "legal_limit_unit",
                "committed_limit",
                "committed_limit_unit",
                "handling_type",
                "joint_handling",
                "special_procedures",
                "service_objects",
                "online",
                "online_depth",
                "place",
                "hours",
                "order",
            ),
        )
        t_material = w.table(ItemMaterial, ("id", "zone_id", "item_id", "name", "necessity", "order"))
        if len(names.ITEMS) > SEARCH_LIMIT:  # items_in_force below must return them all
            raise ImproperlyConfigured("合成事项数超过窗口事项检索上限。")
        item_id, material_id = self.ids(PowerItem), self.ids(ItemMaterial)
        items, materials = [], []
        for zone in self.zones:
            for order, (name, body, legal, unit, committed, instant, joint, special, docs) in enumerate(names.ITEMS):
                online = self.rng.random() < 0.6
                items.append(
                    (
                        item_id,
                        zone.id,
                        name,
                        f"XK{order + 1:04d}",
                        f"{zone.area}-{zone.index + 1:04d}-XK-{order + 1:03d}",
                        "licensing",
                        "《中华人民共和国行政许可法》及相关法律法规（合成数据）",
                        zone.bodies[body],
                        legal,
                        unit,
                        committed,
                        "working" if instant else unit,
                        "instant" if instant else "promised",
                        int(joint),
                        dumps(list(special)),
                        "企业法人、个体工商户",
                        int(online),
                        "full" if online else "",
                        f"{zone.name}政务服务中心",
                        "工作日 9:00–12:00，14:30–18:00",
                        order + 1,
                    )
                )
                for position, doc in enumerate(docs):
                    necessity = "required" if position == 0 else "conditional"
                    materials.append((material_id, zone.id, item_id, doc, necessity, position + 1))
                    material_id += 1
                item_id += 1
        yield [(t_item, items), (t_material, materials)]
        # The terms snapshot a case stores, from the project's own selector.
        for zone in self.zones:
            for terms in items_in_force(zone_id=zone.id, on=REFERENCE_DAY):
                snapshot = terms_snapshot(terms)
                mats = [(m["material_id"], m["name"], m["required"]) for m in snapshot["materials"]]
                all_presented = [{"material_id": i, "name": n, "required": r, "presented": True} for i, n, r in mats]
                missing = [{**m, "presented": m["presented"] and not m["required"]} for m in all_presented]
                zone.items.append(
                    {
                        "id": terms.item_id,
                        "code": terms.code,
                        "name": terms.name,
                        "body": terms.implementing_body_id,
                        "terms": dumps(snapshot),
                        "limits": ItemLimits(ClockTerms.from_snapshot(snapshot), tuple(terms.special_procedures)),
                        "materials": dumps(all_presented),
                        "materials_missing": dumps(missing),
                        "presented": dumps({"presented": [i for i, _n, _r in mats]}),
                        "presented_missing": dumps({"presented": [i for i, _n, r in mats if not r]}),
                        "missing": [i for i, _n, r in mats if r],
                        "missing_names": [n for _i, n, r in mats if r],
                    }
                )

    # --- enterprises ----------------------------------------------------------------------------

    def enterprises(self) -> Rows:
        rng, w = self.rng, self.writer
        t_ent = w.table(
            Enterprise,
            (
                "id",
                "zone_id",
                "uscc",
                "name",
                "legal_representative",
                "registered_capital",
                "industry_code",
                "park_id",
                "address",
                "size",
                "status",
                "established",
                "risk_level",
            ),
        )
        t_cat = w.table(
            RequestCategory,
            ("id", "zone_id", "code", "name", "routing_category", "ack_days", "respond_days", "resolve_days", "order"),
        )
        ent_id, cat_id = self.ids(Enterprise), self.ids(RequestCategory)
        self.enterprise_base = ent_id
        counts = split(self.sizes.enterprises, self.weights)
        rows: list[tuple] = []
        categories = []
        taken: set[str] = set()
        first_day = dt.date(1995, 1, 1).toordinal()
        span = REFERENCE_DAY.toordinal() - first_day
        sizes = ("above",) + ("below",) * 4
        statuses = ("operating",) * 16 + ("building", "building", "suspended", "closed")
        risks = ("low", "low", "medium", "medium", "medium", "high")
        for zone, count in zip(self.zones, counts, strict=True):
            start = ent_id
            for _ in range(count):
                park, theme = rng.choice(zone.parks)
                name = (
                    f"{rng.choice(names.FIRM_WORDS)}{rng.choice(names.FIRM_WORDS)}"
                    f"{rng.choice(names.FIRM_TRADES)}{rng.choice(names.FIRM_FORMS)}{names.SYNTH_MARK}"
                )
                uscc = self.uscc(zone.area, taken)
                self.enterprise_names.append(name)
                self.enterprise_usccs.append(uscc)
                rows.append(
                    (
                        ent_id,
                        zone.id,
                        uscc,
                        name,
                        self.person_name(),
                        money(rng.choice((1, 3, 5, 10, 50, 100, 500, 1000, 5000)) * 1e6 / 10),
                        rng.choice(names.INDUSTRIES[theme]),
                        park,
                        f"甘肃省{zone.name}{rng.randint(1, 300)}号",
                        rng.choice(sizes),
                        rng.choice(statuses),
                        dt.date.fromordinal(first_day + rng.randrange(span)).isoformat(),
                        rng.choice(risks),
                    )
                )
                ent_id += 1
                if len(rows) >= BATCH:
                    yield [(t_ent, rows)]
                    rows = []
            zone.enterprises = (start, ent_id)
            for order, (code, cname, routing, ack, respond, resolve) in enumerate(names.REQUEST_CATEGORIES):
                categories.append((cat_id, zone.id, code, cname, routing, ack, respond, resolve, order + 1))
                zone.categories.append((cat_id, ack, respond, resolve))
                cat_id += 1
        yield [(t_ent, rows), (t_cat, categories)]

    def enterprise(self, zone: ZoneData) -> tuple[int, str, str] | None:
        start, stop = zone.enterprises
        if start == stop:
            return None
        ent = self.rng.randrange(start, stop)
        index = ent - self.enterprise_base
        return ent, self.enterprise_names[index], self.enterprise_usccs[index]

    # --- staff ----------------------------------------------------------------------------------

    def staff(self) -> Rows:
        rng, w = self.rng, self.writer
        t_person = w.table(Person, ("id", "zone_id", "name", "id_number", "mobile", "user_id"))
        t_appt = w.table(Appointment, ("id", "zone_id", "person_id", "post_id", "start", "document"))
        t_contract = w.table(
            EmploymentContract,
            (
                "id",
                "zone_id",
                "number",
                "person_id",
                "post_id",
                "term_type",
                "start",
                "end",
                "probation_months",
                "status",
            ),
        )
        person_id, appt_id, contract_id = self.ids(Person), self.ids(Appointment), self.ids(EmploymentContract)
        counts = split(self.sizes.staff, self.weights)
        people, appts, contracts = [], [], []
        ref = self.today
        for zone, count in zip(self.zones, counts, strict=True):
            user_ids = list(zone.users.values())
            for n in range(count):
                user = user_ids[n] if n < len(user_ids) else None
                name = zone.user_names[user] if user else self.person_name()
                people.append((person_id, zone.id, name, self.resident_id(zone.area), self.mobile(), user))
                post, _body = rng.choice(zone.posts)
                start = ref - rng.randrange(3 * 365 - 1)
                appts.append(
                    (
                        appt_id,
                        zone.id,
                        person_id,
                        post,
                        self.wt.text(start),
                        f"{zone.name[:4]}任〔{self.wt.year(start)}〕{n + 1}号",
                    )
                )
                open_ended = rng.random() < 0.2
                end = None if open_ended else start + 3 * 365
                contracts.append(
                    (
                        contract_id,
                        zone.id,
                        f"HT-{self.wt.year(start)}-{n + 1:05d}",
                        person_id,
                        post,
                        "open_ended" if open_ended else "fixed",
                        self.wt.text(start),
                        None if end is None else dt.date.fromordinal(end).isoformat(),
                        rng.choice((0, 1, 3, 6)),
                        "active",
                    )
                )
                person_id += 1
                appt_id += 1
                contract_id += 1
                if len(people) >= BATCH // 2:
                    yield [(t_person, people), (t_appt, appts), (t_contract, contracts)]
                    people, appts, contracts = [], [], []
        yield [(t_person, people), (t_appt, appts), (t_contract, contracts)]

    # --- window cases ----------------------------------------------------------------------------

    def cases(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_case = w.table(
            Case,
            (
                "id",
                "zone_id",
                "number",
                "year",
                "query_code",
                "item_id",
                "item_code",
                "item_name",
                "terms",
                "body_id",
                "park_id",
                "channel",
                "applicant_kind",
                "applicant_name",
                "applicant_uscc",
                "applicant_id_number",
                "contact_name",
                "contact_mobile",
                "enterprise_id",
                "state",
                "is_open",
                "version",
                "materials",
                "clerk_id",
                "reviewer_id",
                "second_reviewer_id",
                "received_on",
                "supplement_deadline",
                "accepted_on",
                "deemed_accepted",
                "legal_deadline",
                "committed_deadline",
                "delivery_deadline",
                "due_on",
                "queue_on",
                "legal_due_on",
                "deadlines_provisional",
                "extended",
                "suspended_days",
                "decided_on",
                "granted",
                "delivered_on",
                "closed_on",
                "on_time",
                "within_legal",
                "working_days_used",
                "refusal_reason",
                "decision_text",
                "licence_number",
                "created_at",
                "updated_at",
            ),
        )
        t_event = w.table(
            CaseEvent,
            (
                "id",
                "zone_id",
                "case_id",
                "kind",
                "on",
                "at",
                "actor_id",
                "actor_name",
                "state_from",
                "state_to",
                "reason",
                "data",
                "created_at",
                "updated_at",
            ),
        )
        t_notice = w.table(SupplementNotice, ("id", "zone_id", "case_id", "issued_on", "materials", "note"))
        t_counter = w.table(CaseCounter, ("id", "zone_id", "series", "year", "last"))
        case_id, event_id, notice_id = self.ids(Case), self.ids(CaseEvent), self.ids(SupplementNotice)
        counter_id = self.ids(CaseCounter)
        yield []  # set-up done: the rows below may come from another process
        years = list(range(FIRST_YEAR, REFERENCE_DAY.year + 1))
        year_weights = [0.6 + 0.2 * n for n in range(len(years))]
        year_weights[-1] *= (REFERENCE_DAY.timetuple().tm_yday) / 365
        counts = split(self.sizes.cases, self.weights)
        case_rows: list[tuple] = []
        event_rows: list[tuple] = []
        notice_rows: list[tuple] = []
        counters = []
        far = FAR_DAY.isoformat()
        text = wt.text
        channels = ("window",) * 5 + ("online",) * 4 + ("agent",)
        for zone, zone_count in zip(self.zones, counts, strict=True):
            clerks = zone.users_with("clerk")
            reviewers = zone.users_with("reviewer")
            head = zone.users["head"]
            leader = zone.users["leader"]
            people = [(self.person_name(), self.resident_id(zone.area), self.mobile()) for _ in range(200)]
            parks = [p for p, _t in zone.parks]
            for year, count in zip(years, split(zone_count, year_weights), strict=True):
                if not count:
                    continue
                lo, hi = self.year_range(year)
                starts = sorted(rng.randint(lo, hi) for _ in range(count))
                for seq, i0 in enumerate(starts, start=1):
                    item = rng.choice(zone.items)
                    limits = item["limits"]
                    age = self.i_ref - i0
                    target = target_state(rng, age)
                    path = case_path(rng, wt, limits, i0, target, self.i_ref, self.today)
                    events = path.events
                    state = path.state
                    clock = (full_clock if path.full else fast_clock)(wt, events, limits, self.today)
                    clerk = rng.choice(clerks)
                    reviewer = second = None
                    kinds = [e[0] for e in events]
                    if "review_started" in kinds:
                        reviewer = rng.choice(reviewers)
                        if "decided" in kinds:
                            second = reviewers[0] if reviewer != reviewers[0] else reviewers[-1]
                    elif "decided" in kinds:
                        reviewer = clerk  # an instant item is decided at the window
                    supplement = "supplement_requested" in kinds
                    if rng.random() < 0.7 and zone.enterprises[0] != zone.enterprises[1]:
                        ent, applicant, uscc = self.enterprise(zone)
                        kind, id_number = "enterprise", ""
                        contact, mobile = self.person_name(), self.mobile()
                    else:
                        ent, uscc, kind = None, "", "person"
                        applicant, id_number, mobile = rng.choice(people)
                        contact = applicant
                    decided = next((e for e in events if e[0] == "decided"), None)
                    granted = None if decided is None else int(decided[2]["granted"])
                    day_of = {e[0]: e[1] for e in events}
                    received = events[0][1]
                    last = events[-1][1]
                    case_rows.append(
                        (
                            case_id,
                            zone.id,
                            f"{zone.prefix}-{year}-{seq:06d}",
                            year,
                            "".join(rng.choices(QUERY_ALPHABET, k=8)),
                            item["id"],
                            item["code"],
                            item["name"],
                            item["terms"],
                            item["body"],
                            rng.choice(parks) if rng.random() < 0.8 else None,
                            rng.choice(channels),
                            kind,
                            applicant,
                            uscc,
                            id_number,
                            contact,
                            mobile,
                            ent,
                            state,
                            int(state in OPEN),
                            len(events) - 1,
                            item["materials_missing"] if supplement else item["materials"],
                            clerk,
                            reviewer,
                            second,
                            text(received),
                            text(clock.supplement_deadline),
                            text(clock.accepted_on),
                            int(clock.deemed),
                            text(clock.legal),
                            text(clock.committed),
                            text(clock.delivery),
                            text(clock.due),
                            far if clock.due is None else text(clock.due),
                            text(clock.legal_due),
                            int(clock.provisional),
                            int(clock.extended),
                            clock.suspended_days,
                            text(day_of.get("decided")),
                            granted,
                            text(day_of.get("delivered")),
                            text(day_of.get("closed")),
                            None if clock.on_time is None else int(clock.on_time),
                            None if clock.within_legal is None else int(clock.within_legal),
                            clock.working_days_used,
                            "补正后申请材料仍不齐全，不符合法定形式。" if "refused" in kinds else "",
                            ""
                            if granted is None
                            else ("准予行政许可。" if granted else "不符合法定条件，不予行政许可。"),
                            f"{zone.prefix}XK{year}{seq:06d}" if granted else "",
                            w.stamp_ordinal(received, 9 * 60),
                            w.stamp_ordinal(last, 9 * 60 + 5 * len(events)),
                        )
                    )
                    state_from = ""
                    for k, (event_kind, day, data) in enumerate(events):
                        if event_kind in ("review_started", "suspended", "resumed", "decided") and reviewer:
                            actor = reviewer
                        elif event_kind == "extended":
                            actor = leader if limits.terms.joint else head
                        else:
                            actor = clerk
                        if event_kind == "received":
                            payload = item["presented_missing"] if supplement else item["presented"]
                        elif event_kind == "supplement_requested":
                            payload = dumps({"missing": item["missing"]})
                        elif event_kind == "decided":
                            payload = dumps({"granted": data["granted"], "second_reviewer": second})
                        elif data:
                            payload = dumps(data)
                        else:
                            payload = "{}"
                        state_to = EVENT_STATE[event_kind] or state_from
                        moment = w.stamp_ordinal(day, 9 * 60 + 5 * (k + 1))
                        event_rows.append(
                            (
                                event_id,
                                zone.id,
                                case_id,
                                event_kind,
                                text(day),
                                moment,
                                actor,
                                zone.user_names[actor],
                                state_from,
                                str(state_to),
                                "经批准延长审查期限。" if event_kind == "extended" else "",
                                payload,
                                moment,
                                moment,
                            )
                        )
                        state_from = str(state_to)
                        event_id += 1
                    if supplement:
                        notice_day = day_of["supplement_requested"]
                        notice_rows.append(
                            (
                                notice_id,
                                zone.id,
                                case_id,
                                text(notice_day),
                                dumps(item["missing_names"]),
                                "请一次性补齐上述材料。",
                            )
                        )
                        notice_id += 1
                    case_id += 1
                    if len(case_rows) >= CASE_FLUSH:
                        yield [(t_case, case_rows), (t_event, event_rows), (t_notice, notice_rows)]
                        case_rows, event_rows, notice_rows = [], [], []
                counters.append((counter_id, zone.id, "case", year, count))
                counter_id += 1
        yield [(t_case, case_rows), (t_event, event_rows), (t_notice, notice_rows), (t_counter, counters)]

    # --- enterprise requests -----------------------------------------------------------------------

    def requests(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_req = w.table(
            EnterpriseRequest,
            (
                "id",
                "zone_id",
                "number",
                "enterprise_id",
                "title",
                "description",
                "category_id",
                "category_confirmed",
                "domain",
                "handling_body_id",
                "status",
                "submitted_on",
                "ack_due",
                "respond_due",
                "resolve_due",
                "deadlines_provisional",
                "acknowledged_at",
                "responded_at",
                "response",
                "resolved_at",
                "resolution",
                "confirmed_at",
                "satisfaction",
                "closed_at",
                "created_at",
                "updated_at",
            ),
        )
        req_id = self.ids(EnterpriseRequest)
        yield []  # set-up done: the rows below may come from another process
        counts = split(self.sizes.requests, self.weights)
        years = list(range(FIRST_YEAR, REFERENCE_DAY.year + 1))
        year_weights = [0.5 + 0.25 * n for n in range(len(years))]
        year_weights[-1] *= (REFERENCE_DAY.timetuple().tm_yday) / 365
        rows: list[tuple] = []
        order = (RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED, RequestStatus.RESPONDED, RequestStatus.RESOLVED)
        stamp = w.stamp_ordinal
        for zone, zone_count in zip(self.zones, counts, strict=True):
            if zone.enterprises[0] == zone.enterprises[1]:
                continue
            bodies = (zone.bodies["economy"], zone.bodies["investment"], zone.bodies["service"])
            for year, count in zip(years, split(zone_count, year_weights), strict=True):
                lo, hi = self.year_range(year)
                for seq, index in enumerate(sorted(rng.randint(lo, hi) for _ in range(count)), start=1):
                    submitted = wt.days[index]
                    cat, ack, respond, resolve = rng.choice(zone.categories)
                    ent = self.enterprise(zone)[0]
                    age = self.i_ref - index
                    if age > 30:
                        status = rng.choices(
                            (RequestStatus.CLOSED, RequestStatus.RESOLVED, RequestStatus.RESPONDED), (90, 6, 4)
                        )[0]
                    else:
                        status = rng.choice((*order, RequestStatus.CLOSED))
                    ack_due, respond_due, resolve_due = (wt.add(submitted, d) for d in (ack, respond, resolve))
                    rank = 4 if status == RequestStatus.CLOSED else order.index(status)
                    # acknowledged, responded, resolved, confirmed, closed: as far as the status has come
                    moments: list[int | None] = [None] * 5
                    day = index
                    for n in range((0, 1, 2, 3, 5)[rank]):
                        limit = (ack, respond, resolve, resolve + 2, resolve + 2)[n]
                        day = min(max(day, index + rng.randint(0, limit + 1)), self.i_ref)
                        moments[n] = wt.days[day]
                    title = rng.choice(names.REQUEST_TITLES)
                    provisional = resolve_due > wt.official_until
                    rows.append(
                        (
                            req_id,
                            zone.id,
                            f"SQ{year}{seq:06d}",
                            ent,
                            title,
                            f"{title}，请园区协调解决。（合成数据）",
                            cat,
                            int(rank >= 1),
                            "economic",
                            rng.choice(bodies),
                            str(status),
                            wt.text(submitted),
                            wt.text(ack_due),
                            wt.text(respond_due),
                            wt.text(resolve_due),
                            int(provisional),
                            None if moments[0] is None else stamp(moments[0], 10 * 60),
                            None if moments[1] is None else stamp(moments[1], 15 * 60),
                            "已研究并答复企业。" if moments[1] else "",
                            None if moments[2] is None else stamp(moments[2], 16 * 60),
                            "已协调解决。" if moments[2] else "",
                            None if moments[3] is None else stamp(moments[3], 17 * 60),
                            rng.choice(("满意", "非常满意", "基本满意")) if moments[3] else "",
                            None if moments[4] is None else stamp(moments[4], 17 * 60 + 30),
                            stamp(submitted, 9 * 60),
                            stamp(next(m for m in (*reversed(moments), submitted) if m is not None), 18 * 60),
                        )
                    )
                    req_id += 1
                    if len(rows) >= BATCH:
                        yield [(t_req, rows)]
                        rows = []
        yield [(t_req, rows)]

    # --- investment projects --------------------------------------------------------------------------

    def projects(self) -> Rows:
        rng, w, wt = self.rng, self.writer, self.wt
        t_project = w.table(
            Project,
            (
                "id",
                "zone_id",
                "name",
                "investor_name",
                "enterprise_id",
                "industry_code",
                "park_id",
                "planned_investment",
                "is_key",
                "planned_start_year",
                "officer_id",
                "agent_id",
                "referrer",
                "stage",
                "stage_since",
                "signed_on",
                "started_on",
                "completed_on",
                "dropped_reason",
                "version",
                "created_at",
                "updated_at",
            ),
        )
        t_change = w.table(
            ProjectStageChange, ("id", "zone_id", "project_id", "from_stage", "to_stage", "on", "actor_id", "reason")
        )
        t_funds = w.table(
            FundsEntry,
            (
                "id",
                "zone_id",
                "project_id",
                "amount",
                "received_on",
                "source",
                "evidence_reference",
                "note",
                "recorded_by_id",
            ),
        )
        project_id, change_id, funds_id = self.ids(Project), self.ids(ProjectStageChange), self.ids(FundsEntry)
        yield []  # set-up done: the rows below may come from another process
        counts = split(self.sizes.projects, self.weights)
        projects, changes, funds = [], [], []
        pipeline = stages.PIPELINE
        reach = (15, 15, 15, 10, 15, 10, 20)  # how many stop at each pipeline stage, per hundred
        sources = [str(s) for s in FundsSource.values]
        first = dt.date(FIRST_YEAR, 1, 1).toordinal()
        span = self.today - first
        for zone, count in zip(self.zones, counts, strict=True):
            officer, agent = zone.users["investment"], zone.users["agent"]
            for _ in range(count):
                last_stage = rng.choices(range(len(pipeline)), reach)[0]
                dropped = last_stage < len(pipeline) - 1 and rng.random() < 0.1
                day = first + rng.randrange(span)
                entered: list[tuple[str, int]] = [(pipeline[0], day)]
                for stage in pipeline[1 : last_stage + 1]:
                    day = min(day + rng.randint(15, 240), self.today)
                    entered.append((stage, day))
                if dropped:
                    day = min(day + rng.randint(15, 240), self.today)
                    entered.append((stages.DROPPED, day))
                park, theme = rng.choice(zone.parks)
                planned = rng.choice((5, 10, 20, 50, 100, 300, 1000, 5000)) * 1e6
                dates = dict(entered)
                rank = stages.stage_rank(pipeline[last_stage])
                ent = self.enterprise(zone)
                enterprise = ent[0] if ent and rank >= stages.stage_rank(stages.REGISTERED) else None
                firm = f"{rng.choice(names.FIRM_WORDS)}{rng.choice(names.FIRM_WORDS)}集团{names.SYNTH_MARK}"
                label = names.PARK_THEMES[theme][0]
                projects.append(
                    (
                        project_id,
                        zone.id,
                        f"年产{rng.choice((1, 2, 5, 10, 20, 30))}万吨{label}项目{names.SYNTH_MARK}",
                        firm,
                        enterprise,
                        rng.choice(names.INDUSTRIES[theme]),
                        park,
                        money(planned),
                        int(planned >= 5e8),
                        wt.year(dates[pipeline[0]]) + 1,
                        officer,
                        agent if rng.random() < 0.5 else None,
                        self.person_name() if rng.random() < 0.3 else "",
                        entered[-1][0],
                        dt.date.fromordinal(entered[-1][1]).isoformat(),
                        _iso(dates.get(stages.SIGNED)),
                        _iso(dates.get(stages.CONSTRUCTION_STARTED)),
                        _iso(dates.get(stages.COMPLETED)),
                        "投资方调整投资计划" if dropped else "",
                        len(entered),
                        w.stamp_ordinal(entered[0][1], 10 * 60),
                        w.stamp_ordinal(entered[-1][1], 11 * 60),
                    )
                )
                previous = ""
                for stage, on in entered:
                    changes.append((change_id, zone.id, project_id, previous, stage, _iso(on), officer, ""))
                    previous = stage
                    change_id += 1
                signed = dates.get(stages.SIGNED)
                if signed is not None:
                    remaining = planned * rng.uniform(0.1, 0.9)
                    for n in range(rng.randint(1, 6)):
                        amount = remaining * rng.uniform(0.2, 0.6)
                        remaining -= amount
                        on = signed + rng.randrange(max(1, self.today - signed + 1))
                        funds.append(
                            (
                                funds_id,
                                zone.id,
                                project_id,
                                money(amount),
                                _iso(on),
                                rng.choice(sources),
                                f"PZ{project_id}-{n + 1}",
                                rng.choice(names.FUNDS_NOTES),
                                officer,
                            )
                        )
                        funds_id += 1
                project_id += 1
                if len(projects) >= BATCH // 4:
                    yield [(t_project, projects), (t_change, changes), (t_funds, funds)]
                    projects, changes, funds = [], [], []
        yield [(t_project, projects), (t_change, changes), (t_funds, funds)]


def _iso(ordinal: int | None) -> str | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal).isoformat()


def summary_lines(counts: dict[str, int], seconds: float) -> list[str]:
    total = sum(counts.values())
    lines = [f"  {table:<40} {rows:>12,}" for table, rows in counts.items()]
    rate = total / seconds if seconds > 0 else 0
    lines.append(f"  {'合计':<40} {total:>12,} 行，用时 {seconds:.1f} 秒，{rate:,.0f} 行/秒")
    return lines


__all__ = ["Sizes", "generate", "has_synthetic_data", "remove_synthetic", "summary_lines"]
