"""A worker killed in the middle of an import or a sweep leaves nothing half-done, and the job runs again.

Each test runs the real ``onezone`` command in a subprocess against a scratch database of its own
(a clone of the migrated test database: a file next to the test's tmp dir on SQLite, a database
created from the test database as template on PostgreSQL), kills it with SIGKILL once it has
visibly started work, and then checks that

- what the killed run left is consistent: an import is all or nothing; the sweep leaves only whole
  committed chunks, each with the audit entry that records it;
- ``onezone audit verify`` still passes;
- running the job again finishes and leaves exactly what an uninterrupted run on a copy of the same
  starting data leaves (compared field by field, ids and timestamps aside).

The seeding and dumping helpers below run inside the subprocesses (``python -c`` importing this
module), so they use the project's models and services with the scratch database's settings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
ONEZONE = [sys.executable, "-m", "onezone"]
SWEEP_CASES = 10_000  # open cases in reach of the sweep: five chunks
IMPORT_ROWS = 800  # rows of the second import, every one a modification of the first import's item
ZONE_CODE = "faultzone"
# The tests themselves never touch the test database; the mark makes pytest-django create it so
# the scratch databases can be cloned from it.
pytestmark = pytest.mark.django_db
USERNAME = "fault-admin"


# --- Scratch databases ----------------------------------------------------------------------------


class ScratchDb:
    """One scratch database: the environment a subprocess needs to use it, a raw reader, a clone."""

    def __init__(self, vendor: str, name: str, settings_dict: dict[str, Any], data_dir: Path | None):
        self.vendor, self.name, self.settings_dict, self.data_dir = vendor, name, settings_dict, data_dir

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onezone.settings", "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "src"), env.get("PYTHONPATH", "")])
        if self.vendor == "sqlite":
            env.pop("ONEZONE_DATABASE_URL", None)
            env["ONEZONE_DATA_DIR"] = str(self.data_dir)
        else:
            s = self.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            env["ONEZONE_DATABASE_URL"] = (
                f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{self.name}"
            )
        return env

    def count(self, table: str) -> int:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.data_dir / "onezone.sqlite3", timeout=20) as conn:
                return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        with _pg_connect(self.settings_dict, self.name) as conn:
            return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608

    def clone(self, suffix: str, tmp: Path) -> ScratchDb:
        if self.vendor == "sqlite":
            target = tmp / suffix
            target.mkdir()
            _sqlite_copy(sqlite3.connect(self.data_dir / "onezone.sqlite3"), target / "onezone.sqlite3")
            return ScratchDb("sqlite", suffix, self.settings_dict, target)
        name = f"{self.name}_{suffix}"
        _pg_create(self.settings_dict, name, template=self.name)
        return ScratchDb("postgresql", name, self.settings_dict, None)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            with _pg_connect(self.settings_dict, "postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> None:
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()


def _pg_connect(settings_dict: dict[str, Any], dbname: str, autocommit: bool = False):
    import psycopg

    return psycopg.connect(
        dbname=dbname,
        user=settings_dict["USER"],
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        autocommit=autocommit,
    )


def _pg_create(settings_dict: dict[str, Any], name: str, *, template: str) -> None:
    with _pg_connect(settings_dict, "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


@pytest.fixture(scope="module")
def migrated(django_db_setup, django_db_blocker, tmp_path_factory):
    """A scratch copy of the migrated (empty) test database, for the subprocesses."""
    from django.db import connection

    tmp = tmp_path_factory.mktemp("faults")
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            (tmp / "base").mkdir()
            _sqlite_copy(connection.connection, tmp / "base" / "onezone.sqlite3")
            base = ScratchDb("sqlite", "base", dict(connection.settings_dict), tmp / "base")
        else:
            settings_dict = dict(connection.settings_dict)
            connection.close()  # a template database must have no other session:
            with _pg_connect(settings_dict, "postgres", autocommit=True) as conn:  # nor one left by a thread
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    [settings_dict["NAME"]],
                )
            name = f"{settings_dict['NAME']}_faults"
            _pg_create(settings_dict, name, template=settings_dict["NAME"])
            base = ScratchDb("postgresql", name, settings_dict, None)
    made = [base]

    def clone(source: ScratchDb, suffix: str) -> ScratchDb:
        db = source.clone(suffix, tmp)
        made.append(db)
        return db

    yield base, clone
    for db in reversed(made):
        db.drop()


def run(db: ScratchDb, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*ONEZONE, *args], env=db.env(), cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"onezone {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def call(db: ScratchDb, function: str, *args: str) -> Any:
    """Run ``function(*args)`` of this module in a subprocess on ``db``; return what it printed as JSON."""
    code = (
        "import sys, json, django; django.setup(); import tests.test_faults as m; "
        f"print(json.dumps(m.{function}(*sys.argv[1:]), ensure_ascii=False, sort_keys=True))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=db.env(), cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def start(db: ScratchDb, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*ONEZONE, *args], env=db.env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kill(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"the job ended by itself before the kill:\n{out}\n{err}"
    return out


def assert_audit_chain_intact(db: ScratchDb) -> None:
    done = run(db, "audit", "verify")
    assert "审计日志完整" in done.stdout


# --- Seeding and dumping (run inside the subprocesses) -------------------------------------------


def seed_zone() -> dict[str, int]:
    """A zone with an administrator, the calendar and a service centre."""
    from decimal import Decimal

    from django.contrib.auth.models import User

    from onezone.core.calendar import calendar_seed
    from onezone.core.models import RoleGrant
    from onezone.org.models import Body
    from onezone.zones.services import zone_create

    calendar_seed()
    root = User.objects.create(username=USERNAME, is_superuser=True, is_staff=True)
    zone = zone_create(
        actor=root,
        name="故障演练园区",
        code=ZONE_CODE,
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=Decimal("10"),
        planned_area_km2=Decimal("50"),
    )
    RoleGrant.objects.create(user=root, zone=zone, role="admin")
    body = Body.objects.create(zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    return {"zone": zone.pk, "body": body.pk}


def seed_cases(count: str) -> int:
    """The zone and ``count`` open cases under review whose deadlines are near, past, or past the legal limit."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from onezone.org.models import Body
    from onezone.powers.models import PowerItem
    from onezone.window.models import Case
    from onezone.zones.models import Zone

    seed_zone()
    zone = Zone.objects.get(code=ZONE_CODE)
    body = Body.objects.get(zone=zone, name="政务服务中心")
    clerk = User.objects.get(username=USERNAME)
    item = PowerItem.objects.create(zone=zone, implementation_code="FAULT-1", name="故障演练事项", category="licensing")
    today = timezone.localdate()
    cases = []
    for n in range(int(count)):
        due = today + dt.timedelta(days=n % 9 - 6)  # six days late to two days ahead
        legal = due + dt.timedelta(days=3)
        cases.append(
            Case(
                zone=zone,
                number=f"FZ-{n:07d}",
                year=today.year,
                query_code="FAULT000",
                item=item,
                item_code=item.implementation_code,
                item_name=item.name,
                terms={},
                body=body,
                applicant_kind="enterprise",
                applicant_name=f"企业{n % 500}",
                clerk=clerk,
                state="under_review",
                is_open=True,
                received_on=today - dt.timedelta(days=30),
                supplement_deadline=today - dt.timedelta(days=25),
                accepted_on=today - dt.timedelta(days=28),
                committed_deadline=due,
                legal_deadline=legal,
                due_on=due,
                legal_due_on=legal,
                queue_on=due,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    return len(cases)


def dump_sweep() -> dict[str, Any]:
    """The alerts by case number, the cases' clock fields, the chunks the sweep reads, the sweep's
    audit entries in order, and where the audit chain breaks (None: it verifies)."""
    from onezone.core.models import AuditEvent
    from onezone.window.models import Alert, Case

    alerts = sorted(
        Alert.objects.values_list(
            "case__number", "kind", "deadline", "raised_on", "recipient_id", "recipient_name", "message", "zone_id"
        )
    )
    cases = list(Case.objects.order_by("number").values_list("number", "state", "due_on", "legal_due_on", "is_open"))
    audits = list(AuditEvent.objects.filter(action="window.sweep").order_by("id").values_list("actor_name", "changes"))
    return {
        "alerts": [[str(v) for v in a] for a in alerts],
        "cases": [[str(v) for v in c] for c in cases],
        "chunks": sweep_chunks(),
        "audits": audits,
        "audit_chain_broken_at": _audit_broken_at(),
    }


def sweep_chunks() -> list[list[str]]:
    """Case numbers of each chunk the sweep reads, in its order."""
    from onezone.window.models import Case
    from onezone.window.sweep import CHUNK

    numbers = list(Case.objects.filter(is_open=True).order_by("pk").values_list("number", flat=True))
    return [numbers[i : i + CHUNK] for i in range(0, len(numbers), CHUNK)]


def _audit_broken_at() -> int | None:
    from onezone.core.audit import audit_verify

    return getattr(audit_verify()[1], "pk", None)


def seed_powers(first: str, second: str, rows: str) -> int:
    """The zone and the two files of the import test."""
    seed_zone()
    write_powers_file(first, rows, "a")
    return write_powers_file(second, rows, "b")


def write_powers_file(path: str, rows: str, variant: str) -> int:
    """An .xlsx of ``rows`` items with two materials each; ``variant`` changes every item's terms."""
    from onezone.powers.importers import write_workbook

    snaps = [
        {
            "name": f"企业投资项目备案{n}",
            "implementation_code": f"FI-{n:06d}",
            "category": "licensing",
            "legal_limit": 20,
            "legal_limit_unit": "working",
            "committed_limit": 10 if variant == "a" else 8,
            "committed_limit_unit": "working",
            "handling_type": "promised",
            "special_procedures": [],
            "implementing_body_name": "政务服务中心",
            "place": "政务服务中心" if variant == "a" else f"政务服务中心{n % 7 + 1}号窗口",
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
                {
                    "name": "营业执照" if variant == "a" else "营业执照副本",
                    "necessity": "required",
                    "form": "electronic",
                },
            ],
        }
        for n in range(int(rows))
    ]
    Path(path).write_bytes(write_workbook(snaps))
    return len(snaps)


def dump_powers() -> dict[str, Any]:
    """The zone's items, materials and adjustments by code, and the import audit entries, without ids or times."""
    from onezone.core.models import AuditEvent
    from onezone.powers.models import Adjustment, ItemMaterial, PowerItem

    skip = {"id", "created_at", "updated_at", "item_id"}

    def plain(qs) -> list[str]:
        rows = [{k: v for k, v in row.items() if k not in skip} for row in qs.values()]
        return sorted(json.dumps(row, ensure_ascii=False, sort_keys=True, default=str) for row in rows)

    return {
        "items": plain(PowerItem.objects.all()),
        "materials": plain(ItemMaterial.objects.annotate(code=_code())),
        "adjustments": plain(Adjustment.objects.annotate(code=_code())),
        "audits": list(
            AuditEvent.objects.filter(action="powers.import").order_by("id").values_list("object_repr", "changes")
        ),
        "audit_chain_broken_at": _audit_broken_at(),
    }


def _code():
    from django.db.models import F

    return F("item__implementation_code")


# --- The sweep -------------------------------------------------------------------------------------


def test_sweep_killed_midway_leaves_whole_chunks_and_a_rerun_completes_it(migrated):
    from onezone.window.models import Alert

    base, clone = migrated
    seeded = clone(base, "sweep")
    assert call(seeded, "seed_cases", str(SWEEP_CASES)) == SWEEP_CASES
    reference, victim = clone(seeded, "sweep_ref"), clone(seeded, "sweep_victim")
    run(reference, "sweep")
    expected = call(reference, "dump_sweep")
    assert len(expected["alerts"]) > SWEEP_CASES  # every case warned or escalated, many also past the legal limit
    assert expected["audit_chain_broken_at"] is None

    proc = start(victim, "sweep")
    deadline = time.monotonic() + 120
    while victim.count(Alert._meta.db_table) == 0:  # the first chunk is committed
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the sweep wrote nothing in two minutes"
        time.sleep(0.02)
    kill(proc)

    left = call(victim, "dump_sweep")
    assert 0 < len(left["alerts"]) < len(expected["alerts"]), "the kill did not land in the middle of the sweep"
    assert all(alert in expected["alerts"] for alert in left["alerts"])
    # Only whole chunks: each chunk's cases have all of their alerts or none.
    by_case = Counter(alert[0] for alert in left["alerts"])
    wanted = Counter(alert[0] for alert in expected["alerts"])
    for chunk in left["chunks"]:
        written = [by_case[number] for number in chunk]
        assert written == [wanted[number] for number in chunk] or not any(written), "a chunk was left half-written"
    # The audit trail accounts for exactly the alerts that were committed.
    audited: Counter[str] = Counter()
    for _actor, changes in left["audits"]:
        audited.update({kind: changes.get(kind, 0) for kind in ("warning", "escalation", "violation")})
    assert +audited == Counter(alert[1] for alert in left["alerts"])
    assert_audit_chain_intact(victim)

    run(victim, "sweep")
    assert call(victim, "dump_sweep") == expected


# --- The powers import ----------------------------------------------------------------------------


def test_powers_import_killed_while_writing_changes_nothing_and_a_rerun_completes_it(migrated, tmp_path):
    base, clone = migrated
    seeded = clone(base, "powers")
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    call(seeded, "seed_powers", str(first), str(second), str(IMPORT_ROWS))
    args = ["--zone", ZONE_CODE, "--user", USERNAME, "--reason", "年度清单调整", "--effective-on", "2026-01-01"]
    run(seeded, "import", "powers", str(first), *args)
    before = call(seeded, "dump_powers")
    assert len(before["items"]) == IMPORT_ROWS

    reference, victim = clone(seeded, "powers_ref"), clone(seeded, "powers_victim")
    run(reference, "import", "powers", str(second), *args)
    expected = call(reference, "dump_powers")
    assert expected["items"] != before["items"]
    assert len(expected["audits"]) == len(before["audits"]) + 1
    assert expected["audit_chain_broken_at"] is None

    proc = start(victim, "import", "powers", str(second), *args)
    assert proc.stdout is not None
    for line in proc.stdout:  # the writing has begun, in its transaction, with 500 rows changed so far
        if line.startswith("写入："):
            break
    else:
        pytest.fail(f"no progress line from the import: {proc.communicate()}")
    kill(proc)

    assert call(victim, "dump_powers") == before
    assert_audit_chain_intact(victim)
    run(victim, "import", "powers", str(second), *args)
    assert call(victim, "dump_powers") == expected
