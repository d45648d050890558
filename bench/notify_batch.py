"""Benchmark: notifications through the worker, and a back-office page while the worker sends.

    .venv/bin/python bench/notify_batch.py [--n 10000] [--pages 200] [--data-dir DIR]
    ONEZONE_DATABASE_URL=postgres://.../onezone_bench_notify .venv/bin/python bench/notify_batch.py

Builds a throw-away zone with ``--n`` users that have e-mail addresses, records one notification each
(``notify_event_bulk``, e-mail deliveries enqueued on the database task backend), then runs the real
worker (``onezone db_worker --batch`` in a subprocess) against a local SMTP server (aiosmtpd) this
script starts, and prints the recording rate and the delivery rate per second. Then it records a second
batch, starts the worker again and, while it sends, times the staff inbox page (``/desk/notify/``, the
Django test client signed in as a clerk) and prints its median and p95, beside the same page timed with
no worker running. Figures only; nothing is asserted. Without ``ONEZONE_DATABASE_URL`` it uses a fresh
SQLite file under ``--data-dir``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess  # nosec B404: runs the project's own worker command
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.count += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="notifications per batch")
    parser.add_argument("--pages", type=int, default=200, help="page requests timed per measurement (at most)")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "onezone-bench-notify"))
    args = parser.parse_args()
    if args.n < 1 or args.pages < 1:
        parser.error("--n and --pages must be positive")

    from aiosmtpd.controller import Controller

    port = _free_port()
    sink = _Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()

    data_dir = Path(args.data_dir)
    if not os.environ.get("ONEZONE_DATABASE_URL"):
        if data_dir.exists():
            for old in data_dir.glob("onezone.sqlite3*"):
                old.unlink()
        data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onezone.settings",
        "ONEZONE_DATA_DIR": str(data_dir),
        "ONEZONE_DEBUG": "0",
        "ONEZONE_BEHIND_TLS": "0",
        "ONEZONE_SECRET_KEY": os.environ.get("ONEZONE_SECRET_KEY", "bench-notify-" + "k" * 50),
        "ONEZONE_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "ONEZONE_EMAIL_HOST": "127.0.0.1",
        "ONEZONE_EMAIL_PORT": str(port),
        "ONEZONE_SMS_QUIET_HOURS": "",
    }
    env.pop("ONEZONE_REDIS_URL", None)  # the database task backend: the worker below runs it
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from onezone.core.models import RoleGrant
    from onezone.core.roles import Role
    from onezone.notify.events import register_event
    from onezone.notify.models import Delivery, DeliveryStatus, Notification
    from onezone.notify.services import Message, notify_event_bulk
    from onezone.zones.models import Zone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # DEBUG is off: the pages need the manifest
    register_event(
        "bench.notice",
        label="基准测试通知",
        subject="基准测试通知 {{ n }}",
        body="这是第 {{ n }} 批基准测试通知（演示数据）。",
    )
    zone, _ = Zone.objects.get_or_create(
        code="benchnotify",
        defaults={
            "name": "通知基准测试开发区",
            "level": "provincial",
            "area_code": "620321",
            "province_code": "620000",
            "approved_area_km2": 1,
            "planned_area_km2": 1,
        },
    )
    have = User.objects.filter(username__startswith="bench-n-").count()
    User.objects.bulk_create(
        [User(username=f"bench-n-{i:06d}", email=f"bench{i}@example.cn") for i in range(have, args.n)],
        batch_size=2000,
    )
    people = list(User.objects.filter(username__startswith="bench-n-").order_by("pk")[: args.n])
    clerk, _ = User.objects.get_or_create(username="bench-clerk", defaults={"is_staff": True})
    RoleGrant.objects.get_or_create(user=clerk, zone=zone, role=Role.CLERK)

    def record(batch: str) -> float:
        t0 = time.perf_counter()
        for start in range(0, len(people), 1000):
            with transaction.atomic():
                notify_event_bulk(
                    zone_id=zone.pk,
                    event="bench.notice",
                    messages=[
                        Message(key=f"{batch}:{start}", recipients=people[start : start + 1000], context={"n": batch})
                    ],
                )
        return time.perf_counter() - t0

    def worker() -> subprocess.Popen:
        return subprocess.Popen(  # nosec B603  the project's own command
            [sys.executable, "-m", "onezone", "db_worker", "--batch", "--no-startup-delay", "--interval", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    # Notifications for the inbox page to list.
    for i in range(60):
        Notification.objects.get_or_create(
            zone=zone,
            event="bench.notice",
            key=f"page:{i}",
            recipient=clerk,
            defaults={"subject": f"通知{i}", "body": "演示数据"},
        )
    client = Client()
    client.force_login(clerk)

    def page_times(while_running: subprocess.Popen | None) -> list[float]:
        times: list[float] = []
        client.get("/desk/notify/")
        for _ in range(args.pages):
            if while_running is not None and while_running.poll() is not None:
                break
            t = time.perf_counter()
            response = client.get("/desk/notify/")
            times.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"/desk/notify/ answered {response.status_code}: no figure for a broken page")
        return times

    print(f"database: {connection.vendor}; notifications per batch: {args.n}")
    seconds = record("a")
    tasks = DBTaskResult.objects.count()
    print(f"recorded {args.n} notifications in {seconds:.2f} s: {args.n / seconds:,.0f}/s ({tasks} worker tasks)")
    t0 = time.perf_counter()
    worker().wait()
    seconds = time.perf_counter() - t0
    sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
    print(f"worker sent {sent} e-mails (SMTP server received {sink.count}) in {seconds:.2f} s: {sent / seconds:,.0f}/s")

    idle = page_times(None)
    record("b")
    running = worker()
    busy = page_times(running)
    running.wait()
    smtp.stop()
    for label, times in (("no worker", idle), ("worker sending", busy)):
        if times:
            print(
                f"/desk/notify/ {label}: {len(times)} requests, median {statistics.median(times):.1f} ms, "
                f"p95 {_pct(times, 0.95):.1f} ms"
            )
        else:
            print(f"/desk/notify/ {label}: the worker finished before a request was timed")


if __name__ == "__main__":
    main()
