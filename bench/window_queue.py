"""Benchmark: the window queue against the raw SQL that fetches the same rows; the sweep.

    ONEZONE_DATABASE_URL=postgres://... .venv/bin/python bench/window_queue.py [--cases 1000000] [--sweep 100000]

Builds a throw-away zone with N cases (bulk-inserted, not through the services: the services are
measured by the tests; this measures reads), then times, over many random pages:

- ``queue_page`` (the selector behind the queue page and the list endpoint: the ORM query plus
  colours and days left), against the raw SQL keyset query returning the same rows;
- ``window_sweep`` over the open cases (``--sweep`` of them are open with deadlines in reach).

Prints median and p95 in milliseconds and the ratio selector / raw SQL. Run against a database of
its own: it creates its tables with ``migrate`` and leaves the data behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--sweep", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    from onezone.core.calendar import calendar_seed, load_calendar
    from onezone.org.models import Body
    from onezone.powers.models import PowerItem
    from onezone.window.models import Alert, Case
    from onezone.window.selectors import QUEUE_FIELDS, queue_page
    from onezone.window.sweep import window_sweep
    from onezone.zones.models import Zone

    calendar_seed()
    zone, _ = Zone.objects.get_or_create(
        code="benchzone",
        defaults={
            "name": "基准测试开发区",
            "level": "provincial",
            "area_code": "620321",
            "province_code": "620000",
            "approved_area_km2": 1,
            "planned_area_km2": 1,
        },
    )
    body, _ = Body.objects.get_or_create(zone=zone, name="基准政务中心", defaults={"kind": "service_centre"})
    item, _ = PowerItem.objects.get_or_create(
        zone=zone, implementation_code="BENCH-1", defaults={"name": "基准事项", "category": "licensing"}
    )
    clerk, _ = User.objects.get_or_create(username="bench-clerk")
    from django.utils import timezone

    today = timezone.localdate()
    have = Case.objects.filter(zone=zone).count()
    rnd = random.Random(1)
    t0 = time.perf_counter()
    batch: list[Case] = []
    for n in range(have, args.cases):
        is_open = n < args.sweep or rnd.random() < 0.05
        due = today + dt.timedelta(days=rnd.randint(-30, 60)) if is_open else None
        received = today - dt.timedelta(days=rnd.randint(0, 700))
        batch.append(
            Case(
                zone=zone,
                number=f"BZ-{n:09d}",
                year=received.year,
                query_code="BENCH000",
                item=item,
                item_code="BENCH-1",
                item_name="基准事项",
                terms={},
                body=body,
                applicant_kind="enterprise",
                applicant_name=f"企业{n % 5000}",
                clerk=clerk,
                state="under_review" if is_open else "closed",
                is_open=is_open,
                received_on=received,
                supplement_deadline=received,
                accepted_on=received,
                committed_deadline=due,
                legal_deadline=due and due + dt.timedelta(days=14),
                due_on=due,
                legal_due_on=due and due + dt.timedelta(days=14),
                queue_on=due or dt.date(9999, 12, 31),
            )
        )
        if len(batch) == 10_000:
            Case.objects.bulk_create(batch)
            batch.clear()
    if batch:
        Case.objects.bulk_create(batch)
    if args.cases > have:
        print(f"inserted {args.cases - have} cases in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    load_calendar()

    cursors = [None]
    page = queue_page(zone_id=zone.pk, scope="zone", size=50)
    for _ in range(min(args.pages, 50)):
        if page.next_cursor is None:
            break
        cursors.append(page.next_cursor)
        page = queue_page(zone_id=zone.pk, scope="zone", size=50, cursor=page.next_cursor)
    cols = ", ".join(f'"{c}"' for c in QUEUE_FIELDS)
    table = Case._meta.db_table
    orm_ms, raw_ms = [], []
    for i in range(args.pages):
        cursor = cursors[i % len(cursors)]
        t = time.perf_counter()
        queue_page(zone_id=zone.pk, scope="zone", size=50, cursor=cursor)
        orm_ms.append((time.perf_counter() - t) * 1000)
        where, params = '"zone_id" = %s AND "is_open"', [zone.pk]
        if cursor:
            day, pk = cursor.split("_")
            where += ' AND ("queue_on" > %s OR ("queue_on" = %s AND "id" > %s))'
            params += [day, day, int(pk)]
        sql = f'SELECT {cols} FROM "{table}" WHERE {where} ORDER BY "queue_on", "id" LIMIT 51'
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()
        raw_ms.append((time.perf_counter() - t) * 1000)
    om, rm = statistics.median(orm_ms), statistics.median(raw_ms)
    print(f"database: {connection.vendor}; cases: {Case.objects.filter(zone=zone).count()}; pages: {args.pages}")
    print(f"queue selector  median {om:.2f} ms  p95 {_pct(orm_ms, 0.95):.2f} ms")
    print(f"raw SQL         median {rm:.2f} ms  p95 {_pct(raw_ms, 0.95):.2f} ms")
    print(f"ratio selector/raw (median) {om / rm:.2f}")

    Alert.objects.filter(zone=zone).delete()
    open_cases = Case.objects.filter(zone=zone, is_open=True).count()
    for run in (1, 2):
        t = time.perf_counter()
        result = window_sweep(today=today)
        print(f"sweep run {run} over {open_cases} open cases: {time.perf_counter() - t:.1f} s, {result}")


if __name__ == "__main__":
    main()
