"""Benchmark: importing 10,000 rows (items with two materials each) from .xlsx.

Run: .venv/bin/python bench/powers_import.py
Prints median / p95 of read + validate + write against a raw-SQL baseline (inserting the same item
and material rows with executemany) measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _powers_setup import django_in_tempdir, report, timed, zone_with_admin
from scenarios.batch import import_snapshots, raw_insert

ROWS = int(__import__("os").environ.get("BENCH_ROWS", "10000"))
RUNS = int(__import__("os").environ.get("BENCH_RUNS", "3"))


def main() -> None:
    data_dir = django_in_tempdir()
    try:
        from django.db import transaction

        from onezone.powers.importers import read_workbook, write_workbook
        from onezone.powers.services import powers_import

        snaps = import_snapshots(ROWS)
        data = write_workbook(snaps)
        print(f"import of {ROWS} rows ({len(data) // 1024} KiB .xlsx, {2 * ROWS} materials), {RUNS} runs each")
        runs = iter(range(100))

        def ours():
            zone, root, _ = zone_with_admin(f"im{next(runs)}")
            rows = read_workbook(data, zone_id=zone.pk)
            powers_import(actor=root, zone_id=zone.pk, rows=rows, reason="基准导入", effective_on=dt.date(2025, 1, 1))

        def raw():
            zone, _, bodies = zone_with_admin(f"raw{next(runs)}")
            with transaction.atomic():
                raw_insert(zone.pk, bodies[1].pk, snaps)

        report(f"read + validate + write {ROWS} rows", timed(ours, RUNS), timed(raw, RUNS))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
