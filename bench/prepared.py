"""Benchmark: each prepared query (core.prepared) against evaluating the same queryset through the public ORM.

Run against a migrated database (ONEZONE_DATABASE_URL, or the SQLite file under ONEZONE_DATA_DIR):
    .venv/bin/python bench/prepared.py [--runs 300]
For every module-level ``Prepared`` of the selectors it times ``prepared(**params)`` and ``list(build(**params))``
with the same stand-in parameters and prints the median per call of each, and the ratio ORM / prepared. The
tables may be empty: what a prepared query saves is the ORM's compiling, which does not depend on the rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import statistics
import time

MODULES = [
    "onezone.core.permissions",
    "onezone.window.selectors",
    "onezone.assessment.selectors",
    "onezone.enterprises.selectors",
    "onezone.investment.selectors",
    "onezone.powers.selectors",
    "onezone.notify.selectors",
]
STAND_INS = {int: 1, str: "x", dt.date: dt.date(2026, 6, 30)}


def _median_ms(fn, runs: int) -> float:
    fn()  # compiled once (prepared) / warmed (ORM)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
    import django

    django.setup()
    from django.db import connection

    from onezone.core.prepared import Prepared, PreparedQueryError

    print(f"database: {connection.vendor}; median of {args.runs} calls each")
    print(f"{'query':60} {'ORM ms':>8} {'prepared ms':>12} {'ratio':>6}")
    ratios = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in sorted(vars(module).items()):
            prepared = [value] if isinstance(value, Prepared) else []
            if isinstance(value, dict):
                prepared = [v for v in value.values() if isinstance(v, Prepared)]
            for n, query in enumerate(prepared):
                params = {key: STAND_INS[kind] for key, kind in query.kinds.items()}
                try:
                    query(**params)
                except (PreparedQueryError, TypeError):
                    continue  # needs a shape (page bounds, a grouping): measured by the page benchmarks
                orm = _median_ms(lambda q=query, p=params: list(q.build(**p)), args.runs)
                fast = _median_ms(lambda q=query, p=params: q(**p), args.runs)
                ratios.append(orm / fast)
                label = f"{name.removeprefix('onezone.')}.{attr}" + (f"[{n}]" if len(prepared) > 1 else "")
                print(f"{label:60} {orm:8.3f} {fast:12.3f} {orm / fast:6.2f}")
    if ratios:
        print(f"median ratio ORM / prepared: {statistics.median(ratios):.2f} over {len(ratios)} queries")


if __name__ == "__main__":
    main()
