import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onezone.core.calendar import calendar_import, calendar_seed, deadline, load_calendar, missing_next_year
from onezone.core.errors import InvalidInput
from onezone.core.models import AuditEvent, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

ARRANGEMENT_2027 = {
    "year": 2027,
    "document": "国办发明电〔2026〕演示号",
    "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
        {"name": "春节", "start": "2027-02-06", "end": "2027-02-13"},
    ],
    "workdays": [{"name": "春节调休上班", "date": "2027-02-14"}],
}


def test_seed_loads_2004_to_2026_once():
    assert calendar_seed() == 23
    assert calendar_seed() == 0
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    # 2026-10-10 (Saturday) is a make-up working day; 2026-10-05 (Monday) a holiday.
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 10)).kind == "workday"
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 5)).kind == "holiday"


def test_deadline_uses_the_stored_calendar(calendar_seeded):
    # 5 working days from 2026-09-30: Oct 1–7 National Day rest, Oct 8 Thu=1, Oct 9 Fri=2,
    # Oct 10 Sat make-up=3, Oct 12 Mon=4, Oct 13 Tue=5.
    result = deadline(dt.date(2026, 9, 30), 5)
    assert result.date == dt.date(2026, 10, 13)
    assert result.provisional is False


def test_deadline_into_2027_is_provisional_until_imported(calendar_seeded):
    before = deadline(dt.date(2026, 12, 28), 5)
    assert before.provisional is True
    assert before.date == dt.date(2027, 1, 4)  # Dec 29,30,31, Jan 1 (Fri), Jan 4 (Mon) with plain weekends
    calendar_import(actor=None, data=ARRANGEMENT_2027)
    after = deadline(dt.date(2026, 12, 28), 5)
    assert after.provisional is False
    assert after.date == dt.date(2027, 1, 5)  # Jan 1 is now a holiday: Dec 29, 30, 31, Jan 4, Jan 5


def test_import_refuses_contradictions_and_changes_nothing(calendar_seeded):
    bad = dict(ARRANGEMENT_2027, workdays=[{"date": "2027-02-08"}, {"date": "2027-01-02"}])
    count = CalendarDay.objects.count()
    with pytest.raises(InvalidInput) as err:
        calendar_import(actor=None, data=bad)
    assert "2027-02-08 是周一至周五" in err.value.message
    assert "2027-01-02 既被列为放假又被列为上班" in err.value.message
    assert CalendarDay.objects.count() == count
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_refuses_dates_outside_the_year():
    with pytest.raises(InvalidInput, match="不在 2027 年内"):
        calendar_import(actor=None, data=dict(ARRANGEMENT_2027, workdays=[{"date": "2028-01-08"}]))


def test_import_replaces_the_year_and_is_audited(calendar_seeded):
    calendar_import(actor=None, data=ARRANGEMENT_2027)
    calendar_import(actor=None, data=dict(ARRANGEMENT_2027, workdays=[]))
    assert not CalendarDay.objects.filter(date=dt.date(2027, 2, 14)).exists()
    assert AuditEvent.objects.filter(action="calendar.import").count() == 2
    assert load_calendar().is_workday(dt.date(2027, 2, 14)) is False


def test_missing_next_year_warns_from_november(calendar_seeded):
    assert missing_next_year(dt.date(2026, 10, 31)) is None
    assert missing_next_year(dt.date(2026, 11, 1)) == 2027
    calendar_import(actor=None, data=ARRANGEMENT_2027)
    assert missing_next_year(dt.date(2026, 11, 1)) is None


def test_cli_deadline_json(calendar_seeded):
    out = StringIO()
    call_command("calendar", "deadline", "2026-09-30", "5", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "start": "2026-09-30",
        "days": 5,
        "unit": "working",
        "deadline": "2026-10-13",
        "provisional": False,
    }


def test_cli_deadline_calendar_days(calendar_seeded):
    out = StringIO()
    # 3 calendar days from 2026-09-29 is 2026-10-02, a holiday: moved to the next working day 2026-10-08.
    call_command("calendar", "deadline", "2026-09-29", "3", "--calendar-days", "--json", stdout=out)
    assert json.loads(out.getvalue())["deadline"] == "2026-10-08"


def test_cli_show_month(calendar_seeded):
    out = StringIO()
    call_command("calendar", "show", "2026-10", stdout=out)
    text = out.getvalue()
    assert text.startswith("2026年10月")
    assert " 1休" in text and "10  " in text


def test_cli_import_file(tmp_path, calendar_seeded):
    path = tmp_path / "2027.yaml"
    path.write_text("year: 2027\nholidays:\n  - {name: 元旦, start: 2027-01-01}\nworkdays: []\n", encoding="utf-8")
    out = StringIO()
    call_command("calendar", "import", str(path), stdout=out)
    assert "已导入 2027 年" in out.getvalue()


def test_cli_import_broken_file(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="无法解析"):
        call_command("calendar", "import", str(path))


def test_cli_bad_start_date():
    with pytest.raises(CommandError, match="格式 YYYY-MM-DD"):
        call_command("calendar", "deadline", "2026/09/30", "5")
