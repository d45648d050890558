"""The read replica, for real: a streaming standby of the test cluster (pg_basebackup on a second port), and
the router sending lag-tolerant reads there, transactions and a user who just wrote to the primary.

Runs when ``ONEZONE_DATABASE_URL`` is PostgreSQL and ``ONEZONE_REPLICA_URL`` is set (scripts/test.sh sets it in
its replica step). When nothing answers at the replica's address, the fixture makes the standby itself:
pg_basebackup of the primary into ``ONEZONE_TEST_REPLICA_DIR`` (as the postgres OS user when run as root),
started with pg_ctl on the replica's port, stopped and removed at the end. The primary is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import dj_database_url
import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from onezone.core.db_router import PIN_COOKIE, lag_tolerant
from onezone.core.roles import Role
from tests.conftest import PASSWORD, make_user

REPLICA_URL = os.environ.get("ONEZONE_REPLICA_URL", "")
pytestmark = [
    pytest.mark.skipif(
        not REPLICA_URL or not os.environ.get("ONEZONE_DATABASE_URL", "").startswith("postgres"),
        reason="needs ONEZONE_DATABASE_URL on PostgreSQL and ONEZONE_REPLICA_URL (scripts/test.sh's replica step)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


_AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _answers(host: str, port: int) -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", host, "-p", str(port)], check=False).returncode == 0


def _start_standby(primary: dict, host: str, port: int) -> Path:
    bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
    data = Path(os.environ.get("ONEZONE_TEST_REPLICA_DIR", Path(tempfile.gettempdir()) / f"onezone-replica-{port}"))
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True, mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    base = [str(bindir / "pg_basebackup"), "-h", primary["HOST"], "-p", str(primary["PORT"] or 5432)]
    base += ["-U", primary["USER"], "-D", str(data), "-R", "-X", "stream", "-c", "fast"]
    subprocess.run(_as_postgres(base), check=True, timeout=300)
    # A Debian cluster keeps its configuration outside the data directory: the standby gets its own, with the
    # limits a standby may not have lower than its primary.
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(_AT_LEAST_PRIMARY)])
        limits = "".join(f"{name} = {value}\n" for name, value in cursor.fetchall())
    (data / "postgresql.conf").write_text(f"hot_standby = on\nshared_buffers = 32MB\nfsync = off\n{limits}")
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        if os.geteuid() == 0:
            shutil.chown(data / name, "postgres", "postgres")
    options = f"-p {port} -c listen_addresses={host} -c unix_socket_directories={data}"
    start = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "standby.log"), "-o", options, "-w", "start"]
    subprocess.run(_as_postgres(start), check=True, timeout=120)
    return data


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker):
    """The replica alias pointed at the real standby, which follows the primary's test database."""
    target = dj_database_url.parse(REPLICA_URL)
    host, port = target["HOST"] or "127.0.0.1", int(target["PORT"] or 5432)
    primary = connections["default"].settings_dict
    with django_db_blocker.unblock():
        started = None if _answers(host, port) else _start_standby(primary, host, port)
    replica = connections["replica"]
    # The test runner made the alias a mirror of the primary's test database; read it on the standby's server.
    replica.close()
    replica.settings_dict = {**primary, "HOST": host, "PORT": port, "TEST": replica.settings_dict["TEST"]}
    with django_db_blocker.unblock():
        _caught_up()
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone() == (True,), f"{REPLICA_URL} is not a standby"
    yield replica
    replica.close()
    if started is not None:
        bindir = Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
        subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(started), "-m", "fast", "stop"]), check=False)
        shutil.rmtree(started, ignore_errors=True)


def _caught_up(seconds: float = 60) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("the standby did not catch up")


class _Paused:
    """The standby stops replaying: what the primary writes now is not on it until resumed."""

    def __enter__(self):
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        return self

    def __exit__(self, *exc):
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        _caught_up()


def _zone_exists(code: str) -> bool:
    from onezone.zones.models import Zone

    return Zone.objects.filter(code=code).exists()


def test_the_replica_is_a_streaming_standby_of_the_primary(standby):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        primary = cursor.fetchone()
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        replica = cursor.fetchone()
    assert primary[0] is False
    assert replica == (True, primary[1])


def test_lag_tolerant_reads_go_to_the_replica_and_transactions_to_the_primary(standby, zone):
    _caught_up()
    with lag_tolerant():
        assert _zone_exists(zone.code)  # on the replica once replayed
    with _Paused():
        from onezone.zones.models import Zone

        Zone.objects.filter(pk=zone.pk).update(code="moved")
        with lag_tolerant():
            assert not _zone_exists("moved")  # the replica has not replayed the change
            with transaction.atomic():
                assert _zone_exists("moved")  # a transaction reads what it writes against
        assert _zone_exists("moved")  # outside a lag-tolerant read: the primary
    with lag_tolerant():
        assert _zone_exists("moved")


def _domain_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if '"zones_' in q["sql"] or '"assessment_' in q["sql"]]


def _dashboard(client) -> tuple[int, list[str], list[str]]:
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get("/desk/assessment/", {"year": 2026})
    return response.status_code, _domain_queries(on_primary), _domain_queries(on_replica)


def test_the_dashboard_reads_the_replica_and_a_user_who_wrote_reads_the_primary(standby, zone, client):
    leader = make_user("replica-leader", zone=zone, role=Role.LEADER)
    other = make_user("replica-leader-2", zone=zone, role=Role.LEADER)
    _caught_up()
    client.login(username=leader.username, password=PASSWORD)
    status, primary, replica = _dashboard(client)
    assert status == 200
    assert replica and not primary  # the figures came from the replica

    with _Paused():
        # A write of the user's own (a POST): from now on, for the pin time, they read the primary.
        response = client.post("/zone/switch/", {"zone_id": zone.pk, "next": "/desk/assessment/"})
        assert response.status_code == 302
        assert PIN_COOKIE in response.cookies
        status, primary, replica = _dashboard(client)
        assert status == 200
        assert primary and not replica

        from django.test import Client

        someone_else = Client()
        someone_else.login(username=other.username, password=PASSWORD)
        status, primary, replica = _dashboard(someone_else)
        assert status == 200
        assert replica and not primary  # who did not write still reads the replica
