"""Benchmark: the public list in force with 20,000 items (search, filter, deep pages).

Run: .venv/bin/python bench/powers_list.py
Prints median / p95 of the selector against a raw-SQL baseline measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _powers_setup import django_in_tempdir, report, timed, zone_with_admin

ITEMS = 20_000
RUNS = 40
CATEGORIES = ["licensing", "penalty", "inspection", "coercion", "other", "public_service"]


def main() -> None:
    data_dir = django_in_tempdir()
    try:
        from django.db import connection

        from onezone.powers.models import PowerItem
        from onezone.powers.selectors import public_items
        from onezone.powers.services import list_publish

        zone, root, bodies = zone_with_admin()
        PowerItem.objects.bulk_create(
            [
                PowerItem(
                    zone=zone,
                    name=f"{'建设工程规划许可' if n % 7 == 0 else '对安全生产违法行为的处罚'}{n}",
                    implementation_code=f"BX-{n:06d}",
                    category=CATEGORIES[n % len(CATEGORIES)],
                    implementing_body=bodies[n % len(bodies)],
                    legal_limit=20,
                    committed_limit=10,
                    status_since=dt.date(2024, 1, 1),
                    order=n,
                    place="政务服务中心",
                )
                for n in range(ITEMS)
            ],
            batch_size=2000,
        )
        version = list_publish(actor=root, zone_id=zone.pk, title="基准", document="", effective_on=dt.date(2025, 1, 1))
        on = dt.date(2025, 6, 1)
        print(f"public list, {ITEMS} items in force (version of {version.item_count} items), {RUNS} runs each")

        def ours(**kw):
            return lambda: public_items(zone_id=zone.pk, on=on, per_page=20, **kw).rows

        def raw(where: str, params: list, offset: int):
            sql_count = f"SELECT COUNT(*) FROM powers_listversionitem WHERE version_id = %s {where}"
            sql_page = (
                f"SELECT item_id, snapshot FROM powers_listversionitem WHERE version_id = %s {where} "
                f'ORDER BY "order", code LIMIT 20 OFFSET {offset}'
            )

            def run():
                with connection.cursor() as c:
                    c.execute(sql_count, [version.pk, *params])
                    c.fetchone()
                    c.execute(sql_page, [version.pk, *params])
                    return c.fetchall()

            return run

        cases = [
            ("first page", ours(), raw("", [], 0)),
            ("page 500 (deep)", ours(page=500), raw("", [], 9980)),
            ("search 规划许可", ours(query="规划许可"), raw("AND name LIKE %s", ["%规划许可%"], 0)),
            (
                "category + body",
                ours(category="penalty", body_id=bodies[1].pk),
                raw("AND category = %s AND body_id = %s", ["penalty", bodies[1].pk], 0),
            ),
        ]
        for label, fn, base in cases:
            fn(), base()  # warm up
            report(label, timed(fn, RUNS), timed(base, RUNS))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
