"""Backup → change → restore gives back every table exactly."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onezone.core.backup import table_fingerprints
from onezone.demo.loader import load_demo
from onezone.zones.models import Park


@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_table(tmp_path, calendar_seeded):
    load_demo(only=["s10_foundation"])
    before = table_fingerprints()
    target = tmp_path / "onezone.backup"
    call_command("backup", str(target))
    assert target.stat().st_size > 0
    Park.objects.filter(code="dongzhai").update(name="改过的名字")
    assert table_fingerprints() != before
    call_command("restore", str(target), "--yes")
    after = table_fingerprints()
    assert after == before
    assert sum(count for count, _ in after.values()) > 300


@pytest.mark.django_db
def test_restore_refuses_without_confirmation_and_wrong_files(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"not a backup at all")
    with pytest.raises(CommandError, match="加 --yes"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="不是"):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing"), "--yes")
