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

ROWS = int(__import__("os").environ.get("BENCH_ROWS", "10000"))
RUNS = int(__import__("os").environ.get("BENCH_RUNS", "3"))


def main() -> None:
    data_dir = django_in_tempdir()
    try:
        from django.db import connection, transaction

        from onezone.powers.importers import read_workbook, write_workbook
        from onezone.powers.services import powers_import

        snaps = [
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
            for n in range(ROWS)
        ]
        data = write_workbook(snaps)
        print(f"import of {ROWS} rows ({len(data) // 1024} KiB .xlsx, {2 * ROWS} materials), {RUNS} runs each")
        runs = iter(range(100))

        def ours():
            zone, root, _ = zone_with_admin(f"im{next(runs)}")
            rows = read_workbook(data, zone_id=zone.pk)
            powers_import(actor=root, zone_id=zone.pk, rows=rows, reason="基准导入", effective_on=dt.date(2025, 1, 1))

        def raw():
            zone, _, bodies = zone_with_admin(f"raw{next(runs)}")
            now = "2025-01-01 00:00:00"
            with transaction.atomic(), connection.cursor() as c:
                c.executemany(
                    "INSERT INTO powers_poweritem (created_at, updated_at, zone_id, name, basic_code, "
                    "implementation_code, category, status, status_since, legal_basis, implementing_body_id, "
                    "source_department, power_source, exercise_level, legal_limit, legal_limit_unit, "
                    "legal_limit_note, committed_limit, committed_limit_unit, committed_limit_note, handling_type, "
                    "joint_handling, acceptance_conditions, procedure, handling_form, special_procedures, "
                    "service_objects, has_fee, fee_basis, visits, online, online_depth, joint_bodies, place, hours, "
                    "contact, complaint_channel, \"order\") VALUES (%s, %s, %s, %s, '', %s, 'licensing', "
                    "'in_force', '2025-01-01', '', %s, '', 'statutory', 'zone', 20, 'working', '', 10, 'working', "
                    "'', 'promised', 0, '', '', '', '[]', '', 0, '', 1, 0, '', '', '政务服务中心', '', '', '', 0)",
                    [(now, now, zone.pk, s["name"], s["implementation_code"], bodies[1].pk) for s in snaps],
                )
                c.execute("SELECT id FROM powers_poweritem WHERE zone_id = %s ORDER BY id", [zone.pk])
                ids = [r[0] for r in c.fetchall()]
                c.executemany(
                    "INSERT INTO powers_itemmaterial (created_at, updated_at, zone_id, item_id, name, necessity, "
                    'form, copies, source, blank_form, sample, standard, basis, "order") VALUES '
                    "(%s, %s, %s, %s, %s, 'required', 'paper', 1, '', '', '', '', '', %s)",
                    [(now, now, zone.pk, i, name, k) for i in ids for k, name in enumerate(("申请表", "营业执照"))],
                )

        report(f"read + validate + write {ROWS} rows", timed(ours, RUNS), timed(raw, RUNS))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
