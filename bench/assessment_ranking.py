"""Benchmark: the dashboard selectors and a 100-zone ranking against raw SQL aggregates.

Run: ``.venv/bin/python bench/assessment_ranking.py [repeats]``. It builds a throw-away SQLite
database (or uses ONEZONE_DATABASE_URL), loads the demo (71 zones), adds zones up to 100, and prints
median and p95 times in milliseconds for each operation and its ratio to the raw SQL doing the
nearest equivalent aggregate.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
if "ONEZONE_DATABASE_URL" not in os.environ:
    os.environ["ONEZONE_DATA_DIR"] = tempfile.mkdtemp(prefix="oz-bench-")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from scenarios.pages import DASHBOARD_SQL, GRANTS_SQL, RANKING_SQL, SCHEME_SQL  # noqa: E402


def timed(fn, repeats: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def raw(sql: str, params: list | dict):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def raw_all(*statements: tuple[str, list | dict]):
    """The statements run one after the other: what a selector reading several row sets reads."""
    runs = [raw(sql, params) for sql, params in statements]
    return lambda: [run() for run in runs]


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User
    from django.utils import timezone

    from onezone.assessment import selectors
    from onezone.assessment.evaluation import evaluate
    from onezone.assessment.models import Evaluation, ZoneValue
    from onezone.assessment.services import evaluation_compute
    from onezone.core.calendar import calendar_seed
    from onezone.demo.loader import load_demo
    from onezone.zones.models import Zone

    calendar_seed()
    ctx = load_demo(only=["s10_foundation", "s80_assessment"])
    root = User.objects.get(username="demo-admin")
    leader = User.objects.get(username="demo-leader")
    supervisor = User.objects.get(username="demo-province")
    template = list(ZoneValue.objects.filter(zone__code="demo-gs-01", year=2025))
    now = timezone.now()
    for index in range(29):
        extra = Zone.objects.create(
            name=f"甘肃基准测试开发区{index:02d}（演示）",
            code=f"bench-{index:02d}",
            level="provincial",
            area_code="620102",
            province_code="620000",
            approved_area_km2=Decimal(5),
            planned_area_km2=Decimal(15),
            is_demo=True,
        )
        ZoneValue.objects.bulk_create(
            ZoneValue(
                zone=extra,
                year=2025,
                key=v.key,
                value=v.value * (Decimal(1) + Decimal(index - 14) / 100),
                origin="imported",
                recorded_at=now,
            )
            for v in template
        )
    Evaluation.objects.filter(year=2025).update(status="draft")
    evaluation = evaluation_compute(actor=root, scheme=Evaluation.objects.get(year=2025).scheme, year=2025)
    scheme = evaluation.scheme
    assert evaluation.zone_count == 100, evaluation.zone_count
    zone = ctx.zone
    z = zone.pk
    dashboard_params = {
        "z": z,
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "year": 2026,
        "today": dt.date(2026, 11, 25),
        "province": zone.province_code,
        "user": leader.pk,
        "next": 2027,
    }

    def ranking_view():
        supervisor.__dict__.pop("_onezone_role_cache", None)
        return selectors.ranking(evaluation, supervisor)

    def ranking_compute():
        tree = selectors.scheme_tree(scheme)
        return evaluate(tree, selectors.zone_values_for_evaluation(scheme, 2025, tree), missing_rule="zero")

    def dashboard():
        leader.__dict__.pop("_onezone_role_cache", None)
        return selectors.dashboard(zone, leader, year=2026)

    cases = [
        (
            "排名页（100个开发区，selectors.ranking）",
            ranking_view,
            raw_all(
                (GRANTS_SQL, [supervisor.pk]), (SCHEME_SQL, [evaluation.scheme_id]), (RANKING_SQL, [evaluation.pk])
            ),
        ),
        (
            "100个开发区综合评分与排名（读取指标值 + 纯函数计算）",
            ranking_compute,
            raw(
                "SELECT zone_id, key, SUM(value) FROM assessment_zonevalue WHERE year = %s GROUP BY zone_id, key",
                [2025],
            ),
        ),
        (
            "领导驾驶舱（selectors.dashboard）",
            dashboard,
            raw_all(*((sql, dashboard_params) for sql in DASHBOARD_SQL)),
        ),
    ]
    print(f"数据库：{connection.vendor}；重复 {repeats} 次；单位毫秒")
    print(f"{'操作':<44}{'中位数':>10}{'P95':>10}{'原始SQL中位数':>16}{'倍数':>8}")
    for label, fn, baseline in cases:
        fn()
        median, p95 = timed(fn, repeats)
        base_median, _ = timed(baseline, repeats)
        print(f"{label:<40}{median:>10.2f}{p95:>10.2f}{base_median:>16.3f}{median / base_median:>8.1f}")


if __name__ == "__main__":
    main()
