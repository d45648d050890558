"""``onezone serve``: several gunicorn worker processes, hashed static files cached for years, sessions in
Redis when it is configured; waitress where gunicorn cannot run."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from onezone.core.gunicorn_app import gunicorn_options
from onezone.core.management.commands import serve

REDIS_URL = "redis://127.0.0.1:6379/11"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEZONE_") and k != "DJANGO_SETTINGS_MODULE"}
    return {
        **env,
        "ONEZONE_DEBUG": "false",
        "ONEZONE_BEHIND_TLS": "false",
        "ONEZONE_SECRET_KEY": "s" * 60,
        "ONEZONE_DATA_DIR": str(data_dir),
        **extra,
    }


def _onezone(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onezone", *args], capture_output=True, text=True, env=env, timeout=300
    )


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  # a local test server
        return response.status, dict(response.headers), response.read()


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read()}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_default_workers_follow_the_cores():
    assert serve.default_workers() == 2 * len(os.sched_getaffinity(0)) + 1


def test_auto_picks_gunicorn_for_several_workers_and_waitress_for_one():
    assert serve.choose_server("auto", 5) == "gunicorn"
    assert serve.choose_server("auto", 1) == "waitress"
    assert serve.choose_server("waitress", 5) == "waitress"


def test_gunicorn_refused_in_chinese_where_it_cannot_run(monkeypatch):
    monkeypatch.setattr(serve.sys, "platform", "win32")
    assert serve.choose_server("auto", 5) == "waitress"
    with pytest.raises(CommandError, match="本机无法运行 gunicorn"):
        serve.choose_server("gunicorn", 5)


def test_gunicorn_options_are_threaded_workers_on_the_address():
    options = gunicorn_options(host="0.0.0.0", port=8123, workers=3, threads=2, timeout=30)  # noqa: S104
    assert options["bind"] == "0.0.0.0:8123"
    chosen = (options["workers"], options["threads"], options["worker_class"], options["timeout"])
    assert chosen == (3, 2, "gthread", 30)


def test_production_serve_refuses_to_start_before_collectstatic(tmp_path):
    result = _onezone(_production_env(tmp_path), "serve", "--workers", "2", "--port", str(_free_port()))
    assert result.returncode != 0
    assert "静态文件尚未收集" in result.stderr
    assert "onezone collectstatic" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_runs_gunicorn_workers_and_caches_hashed_static_files_for_years(tmp_path):
    env = _production_env(tmp_path)  # no tables needed: /healthz asks the database for SELECT 1
    assert _onezone(env, "collectstatic", "--noinput", "--verbosity", "0").returncode == 0
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    hashed = re.search(r'"(unfold/css/styles\.[0-9a-f]{12}\.css)"', manifest).group(1)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "onezone", "serve", "--workers", "2", "--threads", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 2
        status, _headers, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')
        status, headers, _body = _get(f"http://127.0.0.1:{port}/static/{hashed}")
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    assert "gunicorn 2 个工作进程 × 2 线程" in process.stdout.read()


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not os.environ.get("CI") and not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_sessions_and_cache_in_redis_when_it_is_set(tmp_path):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.contrib.sessions.backends.cache import SessionStore\n"
        "from django.core.cache import cache\n"
        "s = SessionStore(); s['zone'] = 7; s.save(); cache.set('probe', 1)\n"
        "print(settings.SESSION_ENGINE, s.session_key)\n"
    )
    env = {**_production_env(tmp_path, ONEZONE_REDIS_URL=REDIS_URL), "DJANGO_SETTINGS_MODULE": "onezone.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    engine, key = result.stdout.split()
    assert engine == "django.contrib.sessions.backends.cache"
    keys = {k.decode() for k in client.keys("*")}
    assert any(k.startswith("onezone-session:") and k.endswith(key) for k in keys)
    assert any(k.startswith("onezone:") and k.endswith(":probe") for k in keys)
    client.flushdb()
