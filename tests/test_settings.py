"""The settings refuse to run production with the development key; the console command works."""

import os
import subprocess
import sys


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, timeout=60
    )


def test_production_refuses_the_default_secret_key():
    env = {"ONEZONE_DEBUG": "false", "DJANGO_SETTINGS_MODULE": "onezone.settings"}
    env.pop("ONEZONE_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        capture_output=True,
        text=True,
        env={k: v for k, v in {**os.environ, **env}.items() if k != "ONEZONE_SECRET_KEY"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "生产环境必须设置 ONEZONE_SECRET_KEY" in result.stderr


def test_production_starts_with_a_key(tmp_path):
    result = _run(
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.TIME_ZONE)",
        ONEZONE_DEBUG="false",
        ONEZONE_SECRET_KEY="k" * 60,
        ONEZONE_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="onezone.settings",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False Asia/Shanghai"


def test_console_command_runs_django_commands(tmp_path):
    env = {**os.environ, "ONEZONE_DATA_DIR": str(tmp_path)}
    env.pop("ONEZONE_DATABASE_URL", None)

    def onezone(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "onezone", *args], capture_output=True, text=True, env=env, timeout=300
        )

    assert onezone("migrate", "--verbosity", "0").returncode == 0
    assert onezone("calendar", "seed").returncode == 0
    result = onezone("calendar", "deadline", "2026-09-30", "5", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"start": "2026-09-30", "days": 5, "unit": "working", "deadline": "2026-10-13", "provisional": false}'
    )
    assert (tmp_path / "onezone.sqlite3").is_file()
