"""A province's working day against a real server: `python bench/load.py prepare|run|fault`.

Locust (``pip install -e '.[load]'``) drives the site over HTTP as its people use it; the site runs
as production does (``onezone serve``) on PostgreSQL with the synthetic province
(``onezone synth``). Nothing here reaches into the server: it sees only what a browser sees.

- ``prepare`` (run once, against the province's database): gives the synthetic users it plays a
  known password (they have none: see docs/synth.md) and picks what they look at (a zone's cases
  with their query codes, the zones) into a JSON file.
- ``run``: ramps through ``--steps`` concurrent users, ``--step-seconds`` each, and prints per step
  the users, requests per second, p50/p95/p99 per page and the errors; it stops at the first step
  where a page's p95 passes ``--p95-limit`` ms or any request fails. Meanwhile the worker's work
  runs beside it: ``onezone sweep`` every ``--sweep-every`` seconds and ``onezone worker --batch``
  (the notifications' deliveries) in between.
- ``fault``: one step at ``--users`` users during which the server's connections to its database
  are cut (``pg_terminate_backend`` on every backend of that database but this one, repeatedly for
  ``--outage`` seconds: the cluster is shared, so it is not restarted) and a worker task is killed
  mid-run (``SIGKILL`` of a running ``onezone sweep``). It counts the answers that were the Chinese
  503 page, checks that the site answers normally again afterwards, and that the sweep's next run
  completes by itself.

Docs: docs/performance.md, "Under load".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PASSWORD = "load-test-Passw0rd"  # noqa: S105  # nosec B105  # set by `prepare` on synthetic users only
PLAN = Path(os.environ.get("ONEZONE_LOAD_PLAN", Path(tempfile.gettempdir()) / "onezone-load-plan.json"))
ROLES = ("clerk1", "clerk2", "clerk3", "reviewer1", "reviewer2", "leader")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# --- prepare: runs inside Django, against the province's database --------------------------------


def prepare(zones: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User

    from onezone.synth.generator import ZONE_CODE_PREFIX
    from onezone.window.models import Case
    from onezone.zones.models import Zone

    plan: dict = {"zones": []}
    busiest = Zone.objects.filter(code__startswith=ZONE_CODE_PREFIX).order_by("id")[:zones]
    for zone in busiest:
        prefix = zone.code.removeprefix(ZONE_CODE_PREFIX)
        users = {}
        for role in ROLES:
            user = User.objects.filter(username=f"synth-{prefix}-{role}").first()
            if user is None:
                continue
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            users[role] = user.username
        cases = list(Case.objects.filter(zone=zone).order_by("-id").values_list("id", "number", "query_code")[:200])
        plan["zones"].append({"id": zone.pk, "code": zone.code, "users": users, "cases": cases})
    PLAN.write_text(json.dumps(plan, ensure_ascii=False))
    return plan


# --- the people ----------------------------------------------------------------------------------


def _users():
    from locust import HttpUser, between, task

    plan = json.loads(PLAN.read_text())
    zones = [z for z in plan["zones"] if z["users"]]
    year = 2026

    class Person(HttpUser):
        abstract = True
        wait_time = between(1, 5)  # a person reads a page before the next click

        def on_start(self) -> None:
            self.zone = random.choice(zones)

        def login(self, role: str) -> None:
            name = self.zone["users"].get(role) or next(iter(self.zone["users"].values()))
            page = self.client.get("/admin/login/", name="登录页")
            token = CSRF.search(page.text)
            self.client.post(
                "/admin/login/?next=/desk/window/queue/",
                data={"username": name, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
                headers={"Referer": f"{self.host}/admin/login/"},
                name="登录",
            )

        def case(self) -> list:
            return random.choice(self.zone["cases"])

    class Clerk(Person):
        weight = 6

        def on_start(self) -> None:
            super().on_start()
            self.login(random.choice(("clerk1", "clerk2", "clerk3")))

        @task(5)
        def queue(self) -> None:
            self.client.get("/desk/window/queue/?scope=mine", name="窗口待办")

        @task(3)
        def case_page(self) -> None:
            self.client.get(f"/desk/window/cases/{self.case()[0]}/", name="办件详情")

        @task(1)
        def queue_api(self) -> None:
            self.client.get(f"/api/v1/window/zones/{self.zone['id']}/cases?scope=zone", name="办件接口")

        @task(1)
        def hazards(self) -> None:
            self.client.get(f"/desk/safety/hazards/?zone={self.zone['id']}", name="隐患台账")

        @task(1)
        def work(self) -> None:
            self.client.get(f"/desk/safety/work/?zone={self.zone['id']}", name="特殊作业")

    class Reviewer(Clerk):
        weight = 2

        def on_start(self) -> None:
            Person.on_start(self)
            self.login(random.choice(("reviewer1", "reviewer2")))

    class Leader(Person):
        weight = 1

        def on_start(self) -> None:
            super().on_start()
            self.login("leader")

        @task(3)
        def dashboard(self) -> None:
            self.client.get(f"/desk/assessment/?year={year}", name="领导驾驶舱")

        @task(1)
        def figures(self) -> None:
            self.client.get(f"/desk/investment/figures/?year={year}", name="招商数据")

        @task(1)
        def needs(self) -> None:
            self.client.get(f"/desk/support/finance/needs/?zone={self.zone['id']}", name="融资需求")

    class Public(Person):
        weight = 6

        @task(3)
        def guides(self) -> None:
            self.client.get(f"/portal/powers/?zone={self.zone['code']}", name="办事指南")

        @task(2)
        def lookup(self) -> None:
            _id, number, code = self.case()
            page = self.client.get("/portal/window/lookup/", name="办件查询页")
            token = CSRF.search(page.text)
            self.client.post(
                "/portal/window/lookup/",
                data={"number": number, "code": code, "csrfmiddlewaretoken": token.group(1) if token else ""},
                headers={"Referer": f"{self.host}/portal/window/lookup/"},
                name="办件查询",
            )

        @task(1)
        def jobs(self) -> None:
            self.client.get("/portal/jobs/", name="招聘信息")

        @task(1)
        def home(self) -> None:
            self.client.get("/", name="门户首页")

    return [Clerk, Reviewer, Leader, Public]


# --- the worker beside the load ------------------------------------------------------------------


class Worker(threading.Thread):
    """Runs the sweep and the queued tasks (notifications) as the worker process would, meanwhile."""

    def __init__(self, every: float) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.stop = threading.Event()
        self.runs: list[tuple[str, int, float]] = []  # (command, exit code, seconds)
        self.current: subprocess.Popen | None = None

    def _run(self, *command: str) -> int:
        started = time.monotonic()
        self.current = subprocess.Popen(["onezone", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603, S607
        code = self.current.wait()
        self.runs.append((command[0], code, time.monotonic() - started))
        self.current = None
        return code

    def run(self) -> None:
        while not self.stop.is_set():
            self._run("sweep")
            self._run("worker", "--batch")
            self.stop.wait(self.every)


# --- measuring -----------------------------------------------------------------------------------


def _table(env, users: int, seconds: float) -> tuple[str, float, int]:
    rows, worst, failures = [], 0.0, 0
    total = env.stats.total
    for (name, method), entry in sorted(env.stats.entries.items()):
        if not entry.num_requests:
            continue
        p50, p95, p99 = (entry.get_response_time_percentile(q) for q in (0.5, 0.95, 0.99))
        worst = max(worst, p95)
        failures += entry.num_failures
        rows.append(
            f"| {users} | {method} {name} | {entry.num_requests / seconds:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} |"
            f" {entry.num_failures} |"
        )
    head = (
        f"\n### {users} users: {total.num_requests / seconds:.1f} requests/s, {total.num_failures} errors\n\n"
        "| users | page | req/s | p50 ms | p95 ms | p99 ms | errors |\n|---:|---|---:|---:|---:|---:|---:|"
    )
    errors = "".join(f"\n- {e.method} {e.name}: {e.error} × {e.occurrences}" for e in env.stats.errors.values())
    return head + "\n" + "\n".join(rows) + errors, worst, failures


def _step(env, users: int, seconds: float, spawn: float) -> tuple[str, float, int]:
    runner = env.runner
    runner.start(users, spawn_rate=spawn)
    while runner.user_count < users:  # ramp, not measured
        time.sleep(0.5)
    env.stats.reset_all()
    time.sleep(seconds)
    return _table(env, users, seconds)


def _environment(host: str):
    from locust.env import Environment

    env = Environment(user_classes=_users(), host=host)
    env.create_local_runner()
    return env


def run(args) -> None:
    env = _environment(args.host)
    worker = Worker(args.sweep_every)
    worker.start()
    print(f"# Load test against {args.host}, {time.strftime('%Y-%m-%d %H:%M')}, load average {os.getloadavg()}")
    try:
        for users in args.steps:
            text, worst, failures = _step(env, users, args.step_seconds, args.spawn_rate)
            print(text, flush=True)
            if worst > args.p95_limit or failures:
                print(f"\nStopped: p95 {worst:.0f} ms, {failures} errors at {users} users.")
                break
    finally:
        env.runner.quit()
        worker.stop.set()
        if worker.current is not None:
            worker.current.terminate()
        worker.join(timeout=30)
        print("\nWorker runs:", ", ".join(f"{c} rc={rc} {s:.1f}s" for c, rc, s in worker.runs))


def _cut_connections(database: str, until: float, admin_url: str) -> int:
    """Terminate every backend of ``database`` except our own, again and again until ``until``."""
    import psycopg

    cut = 0
    with psycopg.connect(admin_url, autocommit=True) as connection:
        while time.monotonic() < until:
            rows = connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            ).fetchall()
            cut += sum(1 for (ok,) in rows if ok)
            time.sleep(0.2)
    return cut


def fault(args) -> None:
    import requests

    env = _environment(args.host)
    unavailable = {"503": 0, "other": 0}
    probe_stop = threading.Event()

    def probe() -> None:  # what a visitor sees while the database is away
        while not probe_stop.is_set():
            try:
                answer = requests.get(f"{args.host}/portal/powers/", timeout=10)
                if answer.status_code == 503:
                    unavailable["503"] += 1
                    if not re.search(r"[\u4e00-\u9fff]", answer.text):  # the site's own Chinese page
                        unavailable["other"] += 1
                elif answer.status_code != 200:
                    unavailable["other"] += 1
            except requests.RequestException:
                unavailable["other"] += 1
            time.sleep(0.2)

    env.runner.start(args.users, spawn_rate=args.spawn_rate)
    time.sleep(args.warmup)
    env.stats.reset_all()
    sweep = subprocess.Popen(["onezone", "sweep"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S607
    time.sleep(1.0)
    sweep.send_signal(signal.SIGKILL)  # the worker killed mid-task
    sweep.wait()
    threading.Thread(target=probe, daemon=True).start()
    started = time.monotonic()
    cut = _cut_connections(args.database, started + args.outage, args.admin_url)
    probe_stop.set()
    text, _worst, _failures = _table(env, args.users, time.monotonic() - started)
    print(f"# Fault run: {args.users} users, connections of {args.database} cut {cut} times over {args.outage} s")
    print(text)
    print(f"\nProbe answers during the outage: {unavailable['503']} × 503, {unavailable['other']} other failures")
    env.stats.reset_all()
    time.sleep(args.recovery)
    text, _worst, failures_after = _table(env, args.users, args.recovery)
    print(f"\n## After the outage ({args.recovery} s)\n{text}")
    env.runner.quit()
    rerun = subprocess.run(["onezone", "sweep"], capture_output=True, text=True, timeout=1800)  # noqa: S607
    print(f"\nSweep after the killed one: exit {rerun.returncode}; {rerun.stdout.strip()[-300:]}")
    print(f"Errors after recovery: {failures_after}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--zones", type=int, default=10)
    for name in ("run", "fault"):
        p = sub.add_parser(name)
        p.add_argument("--host", default="http://127.0.0.1:8150")
        p.add_argument("--spawn-rate", type=float, default=10)
    r = sub.choices["run"]
    r.add_argument("--steps", type=lambda s: [int(x) for x in s.split(",")], default=[10, 25, 50, 100, 150, 200, 300])
    r.add_argument("--step-seconds", type=float, default=60)
    r.add_argument("--p95-limit", type=float, default=500)
    r.add_argument("--sweep-every", type=float, default=60)
    f = sub.choices["fault"]
    f.add_argument("--users", type=int, default=25)
    f.add_argument("--warmup", type=float, default=20)
    f.add_argument("--outage", type=float, default=20)
    f.add_argument("--recovery", type=float, default=30)
    f.add_argument("--database", default="h5synth")
    f.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        plan = prepare(args.zones)
        print(f"{len(plan['zones'])} zones prepared into {PLAN}")
    elif args.command == "run":
        run(args)
    else:
        fault(args)


if __name__ == "__main__":
    sys.exit(main())
