"""#18: ``onezone migrate`` leaves the holiday calendar seeded; a command on a database not yet migrated says
in Chinese to run ``onezone migrate``, never a traceback."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from django.core.management.sql import emit_post_migrate_signal

from onezone.core.calendar import SEED_YEARS, deadline
from onezone.core.models import CalendarDay, CalendarYear
from onezone.core.workdays import LimitUnit


def test_migrate_seeds_every_year_chinesecalendar_knows(db, settings):
    settings.ONEZONE_SEED_CALENDAR_ON_MIGRATE = True
    assert not CalendarYear.objects.exists()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert sorted(CalendarYear.objects.values_list("year", flat=True)) == list(SEED_YEARS)
    assert CalendarDay.objects.get(date=dt.date(2025, 1, 28)).kind == "holiday"  # 除夕, Spring Festival 2025
    assert CalendarDay.objects.get(date=dt.date(2025, 1, 26)).kind == "workday"  # the Sunday worked instead
    # A second migrate adds nothing and changes nothing.
    days = CalendarDay.objects.count()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert (CalendarYear.objects.count(), CalendarDay.objects.count()) == (len(SEED_YEARS), days)


def test_a_deadline_over_the_2025_spring_festival_is_right_after_migrate(db, settings):
    settings.ONEZONE_SEED_CALENDAR_ON_MIGRATE = True
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    result = deadline(dt.date(2025, 1, 24), 5, LimitUnit.WORKING)
    # 26 Jan (Sun) is worked, 28 Jan – 4 Feb are the holiday (plain weekends would give 31 Jan).
    assert (result.date, result.provisional) == (dt.date(2025, 2, 7), False)


def test_the_seed_can_be_left_to_the_operator(db, settings):
    settings.ONEZONE_SEED_CALENDAR_ON_MIGRATE = False
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not CalendarYear.objects.exists()


def _onezone(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ONEZONE_DATABASE_URL"}
    env.update(ONEZONE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="onezone.settings")
    return subprocess.run(
        [sys.executable, "-m", "onezone", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_a_command_on_a_new_database_says_to_run_migrate(tmp_path):
    for command in (["calendar", "status"], ["audit", "verify"], ["calendar", "deadline", "2026-09-30", "5"]):
        result = _onezone(tmp_path, *command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "请先运行 onezone migrate" in result.stderr, command
        assert "个迁移未执行，第一个是 contenttypes.0001_initial" in result.stderr
        assert "Traceback" not in result.stderr, command
