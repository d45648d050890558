"""A zone's value typed in the back office is the zone's report, set by ``zone_value_set``."""

import pytest
from django.test import Client

from onezone.assessment.models import ZoneValue
from onezone.core.middleware import SESSION_ZONE_KEY
from onezone.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _client(user, zone) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    return client


def test_a_value_added_and_corrected_in_the_form_goes_through_the_service(zone, users):
    web = _client(users["leader"], zone)
    form = {"year": "2025", "key": "fdi_used", "value": "1234.5", "source": "统计年报"}
    assert web.post("/admin/assessment/zonevalue/add/", form).status_code == 302
    row = ZoneValue.objects.get(zone=zone, year=2025, key="fdi_used")
    assert (row.origin, str(row.value), row.source) == ("reported", "1234.5000", "统计年报")
    assert web.post(f"/admin/assessment/zonevalue/{row.pk}/change/", {**form, "value": "1300"}).status_code == 302
    events = AuditEvent.objects.filter(action="assessment.value.set", object_id=str(row.pk)).order_by("id")
    assert [e.changes["value"] for e in events] == [[None, "1234.5"], ["1234.5000", "1300"]]
    assert ZoneValue.objects.get(pk=row.pk).value == 1300
    # Someone who may not report values changes nothing.
    assert _client(users["clerk"], zone).post(f"/admin/assessment/zonevalue/{row.pk}/change/", form).status_code == 403
    assert ZoneValue.objects.get(pk=row.pk).value == 1300
