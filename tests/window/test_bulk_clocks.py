"""``clocks_save`` (``core.bulk.update_columns``) writes what ``save(update_fields=...)`` writes."""

import datetime as dt

import pytest

from onezone.window.models import Case
from onezone.window.services import CLOCK_FIELDS, clocks_save
from tests.window.conftest import TODAY, under_review

pytestmark = pytest.mark.django_db


def _case(zone, items, staff, n: int) -> Case:
    case = under_review(zone, items, staff, f"B-{n:03d}", due_in=0, legal_after=5)
    case.save()
    return case


def test_clocks_save_writes_every_clock_field_of_each_case_and_nothing_else(zone, items, staff):
    moved, kept = _case(zone, items, staff, 1), _case(zone, items, staff, 2)
    other = _case(zone, items, staff, 3)
    stamp = other.updated_at
    moved.due_on = TODAY + dt.timedelta(days=3)
    moved.legal_due_on = None
    moved.deemed_accepted = True
    moved.is_open = False
    moved.on_time = True
    moved.suspended_days = 7
    moved.applicant_name = "不是时限字段"  # not written: only the clock's fields are
    kept.queue_on = TODAY + dt.timedelta(days=1)

    assert clocks_save([moved, kept]) == 2
    assert clocks_save([]) == 0

    fresh = Case.objects.get(pk=moved.pk)
    assert [getattr(fresh, f) for f in CLOCK_FIELDS] == [getattr(moved, f) for f in CLOCK_FIELDS]
    assert fresh.applicant_name == "企业"
    assert fresh.updated_at == moved.updated_at > stamp
    assert Case.objects.get(pk=kept.pk).queue_on == TODAY + dt.timedelta(days=1)
    untouched = Case.objects.get(pk=other.pk)
    assert untouched.updated_at == stamp and untouched.due_on == TODAY
