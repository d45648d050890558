"""Timing, percentiles, the slowest query and its plan, and the machine a run came from."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PAGE_P95_MS = 150.0
MAX_RATIO = 1.5


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile of ``values`` (``p`` in 0..1)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


@dataclass
class Result:
    """One scenario's figures (milliseconds unless said otherwise)."""

    name: str
    label: str
    kind: str  # "page" (goal: p95 and ratio) | "sweep" | "import" (no stated goal)
    median_ms: float | None = None
    p95_ms: float | None = None
    read_median_ms: float | None = None
    baseline_median_ms: float | None = None
    baseline_p95_ms: float | None = None
    ratio: float | None = None
    runs: int = 0
    goal_met: bool | None = None
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    queries: int | None = None
    sql_ms: float | None = None
    slow_sql: str = ""
    slow_sql_ms: float | None = None
    plan: str = ""
    skipped: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def interleaved(calls: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Call each function once to warm it, then ``repeat`` rounds of all of them; times in ms.

    The first call (the page) opens every round, and the others follow it in turn: forwards in even
    rounds, backwards in odd ones. Whatever runs straight after a page render runs slower (the
    render leaves the processor's caches and the database backend cold), so a fixed order would
    charge that to the selector every time and never to its baseline.
    """
    for fn in calls.values():
        fn()
    samples: dict[str, list[float]] = {key: [] for key in calls}
    first, *rest = calls
    for round_ in range(repeat):
        for key in [first, *(rest if round_ % 2 == 0 else reversed(rest))]:
            fn = calls[key]
            start = time.perf_counter()
            fn()
            samples[key].append((time.perf_counter() - start) * 1000)
    return samples


def judge_page(result: Result) -> None:
    """A page or endpoint meets its goal at p95 < 150 ms and within 1.5x of its raw SQL baseline."""
    result.misses = []
    if result.p95_ms is not None and result.p95_ms >= PAGE_P95_MS:
        result.misses.append(f"p95 {result.p95_ms:.1f} ms ≥ {PAGE_P95_MS:.0f} ms")
    if result.ratio is not None and result.ratio > MAX_RATIO:
        result.misses.append(f"ratio {result.ratio:.2f} > {MAX_RATIO}")
    result.goal_met = not result.misses


def fill_timings(result: Result, samples: dict[str, list[float]]) -> None:
    page, base = samples["page"], samples["baseline"]
    result.runs = len(page)
    result.median_ms, result.p95_ms = statistics.median(page), percentile(page, 0.95)
    result.baseline_median_ms, result.baseline_p95_ms = statistics.median(base), percentile(base, 0.95)
    if "read" in samples:
        result.read_median_ms = statistics.median(samples["read"])
    reference = result.read_median_ms if result.read_median_ms is not None else result.median_ms
    result.ratio = reference / result.baseline_median_ms if result.baseline_median_ms else None


def slowest_query(fn: Callable[[], object], result: Result) -> None:
    """Run ``fn`` once timing each of its queries; keep the slowest SELECT and its plan on ``result``,
    and note a statement run more than three times (an N+1)."""
    from collections import Counter

    from django.db import connection

    seen: list[tuple[str, Any, float]] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((sql, None if many else params, (time.perf_counter() - start) * 1000))

    with connection.execute_wrapper(timed):
        fn()
    result.queries = len(seen)
    result.sql_ms = sum(ms for _, _, ms in seen)
    repeated = [(sql, n) for sql, n in Counter(sql for sql, _, _ in seen).most_common(3) if n > 3]
    for sql, n in repeated:
        result.notes.append(f"a statement ran {n} times in one request: {sql[:200]}")
    selects = [q for q in seen if q[0].lstrip().upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return
    sql, params, ms = max(selects, key=lambda q: q[2])
    result.slow_sql_ms = ms
    result.slow_sql = sql + (f"\n-- params: {list(params)}" if params else "")
    result.plan = explain(sql, params)


def explain(sql: str, params: Any = None) -> str:
    """EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL; the error text if the SQL will not replay."""
    from django.db import connection, transaction

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
    except Exception as exc:  # a plan we cannot get is reported, not fatal
        return f"(no plan: {exc})"
    if connection.vendor == "sqlite":
        return "\n".join(f"{row[0]:>4} {row[1]:>4}  {row[-1]}" for row in rows)
    return "\n".join(str(row[0]) for row in rows)


def rss_bytes() -> int:
    """Resident set size of this process (Linux /proc; 0 where unavailable)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, OS and Python of this machine, and the database's version."""
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    ram = ""
    try:
        with open("/proc/meminfo") as fh:
            kib = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
            ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
        else:
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0]}"
    import django

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db,
        # Other processes on the machine inflate the figures; the load says how much was going on.
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
