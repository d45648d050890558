"""The administrator imports next year's arrangement from a page; only they are told it is missing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onezone.core.models import AuditEvent, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

ARRANGEMENT = """year: 2027
document: 国务院办公厅关于2027年部分节假日安排的通知
holidays:
  - {name: 元旦, start: 2027-01-01, end: 2027-01-03}
workdays:
  - {name: 元旦调休, date: 2027-01-09}
""".encode()


@pytest.fixture
def today_in_december(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 8))


def _upload(client, content: bytes, name: str = "2027.yaml"):
    return client.post("/desk/calendar/import/", {"file": SimpleUploadedFile(name, content)})


def test_the_administrator_imports_the_year_from_the_page(client, root, today_in_december):
    client.force_login(root)
    page = client.get("/desk/calendar/import/").content.decode()
    assert "尚未导入 2027 年的节假日安排" in page
    response = _upload(client, ARRANGEMENT)
    assert response.status_code == 302
    entry = CalendarYear.objects.get(year=2027)
    assert entry.document == "国务院办公厅关于2027年部分节假日安排的通知"
    assert CalendarDay.objects.filter(date=dt.date(2027, 1, 9), kind="workday").exists()
    assert AuditEvent.objects.filter(action="calendar.import").count() == 1
    assert "已导入 2027 年节假日安排" in client.get("/desk/calendar/import/").content.decode()


def test_a_file_that_is_not_an_arrangement_changes_nothing(client, root):
    client.force_login(root)
    response = _upload(client, b"year: [2027", "bad.yaml")
    assert response.status_code == 200
    assert "无法解析，请确认是 UTF-8 编码的 YAML 或 JSON" in response.content.decode()
    response = _upload(client, b"- 2027\n", "list.yaml")
    assert "不是一年的节假日安排" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_zone_administrator_may_not_import_the_sites_calendar(client, users):
    client.force_login(users["admin"])
    response = _upload(client, ARRANGEMENT)
    assert response.status_code == 403
    assert "只有本站的系统管理员可以导入" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_who_can_import_is_told_on_the_workbench(client, root, users, zone, today_in_december):
    client.force_login(root)
    text = client.get("/admin/").content.decode()
    assert 'id="calendar-missing"' in text and "/desk/calendar/import/" in text and "onezone calendar" not in text
    client.force_login(users["clerk"])
    assert 'id="calendar-missing"' not in client.get("/admin/").content.decode()
