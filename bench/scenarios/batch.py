"""The batch scenarios: the nightly sweep over all open cases, and the import of 10,000 list rows."""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from typing import Any

from .measure import Result, percentile, rss_bytes

SWEEP_GOAL_CASES = 1_000_000
SWEEP_GOAL_SECONDS = 60.0
# Bounded chunks keep the sweep's memory flat; more growth than this over its run is called a leak.
SWEEP_FLAT_MIB = 64.0
IMPORT_ROWS = 10_000


def _sql(sql: str, params: list | tuple = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def open_more_cases(count: int, today: dt.date) -> int:
    """Reopen closed cases until ``count`` are open (under review, due within -30..+60 days).

    Returns the number open."""
    from django.db import connection, transaction

    have = _sql("SELECT COUNT(*) FROM window_case WHERE is_open")[0][0]
    missing = count - have
    if missing <= 0:
        return have
    ids = [row[0] for row in _sql("SELECT id FROM window_case WHERE is_open = FALSE ORDER BY id LIMIT %s", [missing])]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            rows = []
            for pk in chunk:
                due = today + dt.timedelta(days=pk % 91 - 30)
                rows.append((due, due + dt.timedelta(days=14), due, pk))
            cursor.executemany(
                "UPDATE window_case SET is_open = %s, state = 'under_review', due_on = %s, legal_due_on = %s, "
                "queue_on = %s WHERE id = %s",
                [(True, *row) for row in rows],
            )
    return have + len(ids)


class RssSampler(threading.Thread):
    """Samples this process's resident memory every 50 ms while the sweep runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[int] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append(rss_bytes())
            self._halt.wait(0.05)

    def stop(self) -> list[int]:
        self._halt.set()
        self.join()
        return self.samples


def sweep(*, sweep_cases: int = 0) -> Result:
    """``window_sweep`` over every open case: seconds, open cases per second, resident memory over the run.

    Baseline: the raw SQL reading the same cases in reach (the columns the alerts are made of) in one
    query, streamed in chunks; the sweep itself reads only their ids and leaves the rest to the database.
    Goal: 1,000,000 open cases in under 60 s with flat memory, extrapolated from the measured rate.
    """
    from django.db import DatabaseError
    from django.utils import timezone

    from onezone.core.calendar import load_calendar
    from onezone.core.workdays import add_working_days
    from onezone.window.services import warning_days
    from onezone.window.sweep import CHUNK, window_sweep

    result = Result(name="sweep", label="Sweep over all open cases (window_sweep)", kind="sweep")
    today = timezone.localdate()
    if sweep_cases:
        open_more_cases(sweep_cases, today)
    open_cases = _sql("SELECT COUNT(*) FROM window_case WHERE is_open")[0][0]
    if not open_cases:
        result.skipped = "no open case"
        return result
    horizon = add_working_days(load_calendar(), today, warning_days()).date
    in_reach = _sql(
        "SELECT COUNT(*) FROM window_case "
        "WHERE is_open AND due_on IS NOT NULL AND due_on <= %s AND state <> 'suspended'",
        [horizon],
    )[0][0]

    def baseline() -> int:
        """The cases in reach with the columns the alerts are made of, streamed in chunks."""
        from django.db import connection

        seen = 0
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                "SELECT id, zone_id, number, item_name, due_on, legal_due_on, clerk_id, reviewer_id, body_id "
                "FROM window_case WHERE is_open AND due_on IS NOT NULL AND due_on <= %s AND state <> 'suspended'",
                [horizon],
            )
            while rows := cursor.fetchmany(CHUNK):
                seen += len(rows)
        return seen

    start_rss = rss_bytes()
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    try:
        created = window_sweep(today=today)
    except DatabaseError as exc:
        sampler.stop()
        seconds = time.perf_counter() - started
        result.goal_met, result.misses = False, [f"the sweep failed after {seconds:.1f} s: {exc!r}"[:500]]
        result.notes = [f"{open_cases:,} open cases ({in_reach:,} with a deadline in reach)"]
        return result
    seconds = time.perf_counter() - started
    samples = sampler.stop() or [start_rss]
    started = time.perf_counter()
    baseline()
    base_seconds = time.perf_counter() - started

    growth_mib = (max(samples) - start_rss) / 2**20
    half = samples[len(samples) // 2 :] or samples
    late_growth_mib = (max(half) - half[0]) / 2**20
    rate = open_cases / seconds if seconds else float("inf")
    projected = SWEEP_GOAL_CASES / rate if rate else float("inf")
    result.runs = 1
    result.median_ms = result.p95_ms = seconds * 1000
    result.baseline_median_ms = result.baseline_p95_ms = base_seconds * 1000
    result.ratio = seconds / base_seconds if base_seconds else None
    result.notes = [
        f"{open_cases:,} open cases ({in_reach:,} with a deadline in reach) swept in {seconds:.2f} s: "
        f"{rate:,.0f} open cases/s; created {created}",
        f"projected for {SWEEP_GOAL_CASES:,} open cases at this rate: {projected:.1f} s "
        f"(goal < {SWEEP_GOAL_SECONDS:.0f} s)",
        f"resident memory: {start_rss / 2**20:.0f} MiB before, peak {max(samples) / 2**20:.0f} MiB "
        f"(+{growth_mib:.1f} MiB; +{late_growth_mib:.1f} MiB over the second half of the run; {len(samples)} samples)",
    ]
    if open_cases < SWEEP_GOAL_CASES:
        result.notes.append(
            f"only {open_cases:,} open cases here: the 1,000,000 figure is an extrapolation "
            "(run with --sweep-cases 1000000 to measure it)"
        )
    result.misses = []
    if projected >= SWEEP_GOAL_SECONDS:
        result.misses.append(f"projected {projected:.0f} s for 1,000,000 open cases ≥ {SWEEP_GOAL_SECONDS:.0f} s")
    if growth_mib > SWEEP_FLAT_MIB:
        result.misses.append(f"memory grew {growth_mib:.0f} MiB (> {SWEEP_FLAT_MIB:.0f} MiB: not flat)")
    result.goal_met = not result.misses
    return result


def import_snapshots(rows: int) -> list[dict[str, Any]]:
    """``rows`` item snapshots with two materials each, in the import layout."""
    return [
        {
            "name": f"企业投资项目备案{n}",
            "implementation_code": f"IM-{n:06d}",
            "category": "licensing",
            "legal_limit": 20,
            "legal_limit_unit": "working",
            "committed_limit": 10,
            "committed_limit_unit": "working",
            "handling_type": "promised",
            "special_procedures": [],
            "implementing_body_name": "机构1",
            "place": "政务服务中心",
            "visits": 1,
            "has_fee": False,
            "joint_handling": False,
            "online": False,
            "online_depth": "",
            "power_source": "statutory",
            "exercise_level": "zone",
            "status": "in_force",
            "materials": [
                {"name": "申请表", "necessity": "required", "form": "paper", "copies": 1},
                {"name": "营业执照", "necessity": "required", "form": "electronic", "copies": 1},
            ],
        }
        for n in range(rows)
    ]


def raw_insert(zone_id: int, body_id: int, snaps: list[dict[str, Any]]) -> None:
    """The raw SQL baseline of the import: the same item and material rows with executemany."""
    from django.db import connection

    now = "2025-01-01 00:00:00"
    with connection.cursor() as c:
        c.executemany(
            "INSERT INTO powers_poweritem (created_at, updated_at, zone_id, name, basic_code, "
            "implementation_code, category, status, status_since, legal_basis, implementing_body_id, "
            "source_department, power_source, exercise_level, legal_limit, legal_limit_unit, "
            "legal_limit_note, committed_limit, committed_limit_unit, committed_limit_note, handling_type, "
            "joint_handling, acceptance_conditions, procedure, handling_form, special_procedures, "
            "service_objects, has_fee, fee_basis, visits, online, online_depth, joint_bodies, place, hours, "
            "contact, complaint_channel, \"order\") VALUES (%s, %s, %s, %s, '', %s, 'licensing', "
            "'in_force', '2025-01-01', '', %s, '', 'statutory', 'zone', 20, 'working', '', 10, 'working', "
            "'', 'promised', %s, '', '', '', '[]', '', %s, '', 1, %s, '', '', '政务服务中心', '', '', '', 0)",
            [(now, now, zone_id, s["name"], s["implementation_code"], body_id, False, False, False) for s in snaps],
        )
        c.execute("SELECT id FROM powers_poweritem WHERE zone_id = %s ORDER BY id", [zone_id])
        ids = [r[0] for r in c.fetchall()]
        c.executemany(
            "INSERT INTO powers_itemmaterial (created_at, updated_at, zone_id, item_id, name, necessity, "
            'form, copies, source, blank_form, sample, standard, basis, "order") VALUES '
            "(%s, %s, %s, %s, %s, 'required', 'paper', 1, '', '', '', '', '', %s)",
            [(now, now, zone_id, i, name, k) for i in ids for k, name in enumerate(("申请表", "营业执照"))],
        )


def powers_import(*, repeat: int = 3, rows: int = IMPORT_ROWS) -> Result:
    """Read, validate and write ``rows`` items from .xlsx into a new zone, against raw executemany of the
    same rows. Each run happens in a transaction rolled back afterwards, so the database stays as it was."""
    from _powers_setup import zone_with_admin
    from django.db import transaction

    from onezone.powers.importers import read_workbook, write_workbook
    from onezone.powers.services import powers_import as import_service

    result = Result(name="import", label=f"Import of {rows:,} list rows (.xlsx)", kind="import")
    snaps = import_snapshots(rows)
    data = write_workbook(snaps)
    ours_ms, raw_ms = [], []
    for run in range(repeat):
        with transaction.atomic():
            zone, root, _ = zone_with_admin(f"bench-im{run}")
            started = time.perf_counter()
            parsed = read_workbook(data, zone_id=zone.pk)
            import_service(
                actor=root, zone_id=zone.pk, rows=parsed, reason="基准导入", effective_on=dt.date(2025, 1, 1)
            )
            ours_ms.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        with transaction.atomic():
            zone, _, bodies = zone_with_admin(f"bench-raw{run}")
            started = time.perf_counter()
            raw_insert(zone.pk, bodies[1].pk, snaps)
            raw_ms.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    result.runs = repeat
    result.median_ms, result.p95_ms = statistics.median(ours_ms), percentile(ours_ms, 0.95)
    result.baseline_median_ms, result.baseline_p95_ms = statistics.median(raw_ms), percentile(raw_ms, 0.95)
    result.ratio = result.median_ms / result.baseline_median_ms
    result.notes = [
        f"{rows:,} items and {2 * rows:,} materials from a {len(data) // 1024} KiB workbook; "
        f"{rows / (result.median_ms / 1000):,.0f} rows/s; the baseline skips reading and validating the file"
    ]
    return result
