"""Shared setup of the powers benchmarks: a temporary data directory with a migrated SQLite database."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable


def django_in_tempdir() -> str:
    data_dir = tempfile.mkdtemp(prefix="oz-bench-powers-")
    os.environ["ONEZONE_DATA_DIR"] = data_dir
    os.environ.pop("ONEZONE_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data_dir


def zone_with_admin(code: str = "bench"):
    from decimal import Decimal

    from django.contrib.auth.models import User

    from onezone.core.models import RoleGrant
    from onezone.org.models import Body
    from onezone.zones.services import zone_create

    root = User.objects.create(username=f"root-{code}", is_superuser=True, is_staff=True)
    zone = zone_create(
        actor=root,
        name=f"基准测试园区{code}",
        code=code,
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("10"),
        planned_area_km2=Decimal("50"),
    )
    RoleGrant.objects.create(user=root, zone=zone, role="admin")
    bodies = [Body.objects.create(zone=zone, name=f"机构{n}", kind=Body.Kind.DEPARTMENT) for n in range(8)]
    return zone, root, bodies


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def report(label: str, ours: list[float], raw: list[float]) -> None:
    def p95(xs: list[float]) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]

    med, base = statistics.median(ours), statistics.median(raw)
    print(
        f"{label:<34} median {med * 1000:8.2f} ms  p95 {p95(ours) * 1000:8.2f} ms  | raw SQL median "
        f"{base * 1000:8.2f} ms  p95 {p95(raw) * 1000:8.2f} ms  | ratio {med / base:5.1f}x"
    )
