"""A zone's value typed in the back office is the zone's report, set by ``zone_value_set``."""

import pytest

from onezone.assessment.models import ZoneValue
from onezone.core.models import AuditEvent
from tests.conftest import zone_client

pytestmark = pytest.mark.django_db


def test_a_value_added_and_corrected_in_the_form_goes_through_the_service(zone, users):
    web = zone_client(users["leader"], zone)
    form = {"year": "2025", "key": "fdi_used", "value": "1234.5", "source": "统计年报"}
    assert web.post("/admin/assessment/zonevalue/add/", form).status_code == 302
    row = ZoneValue.objects.get(zone=zone, year=2025, key="fdi_used")
    assert (row.origin, str(row.value), row.source) == ("reported", "1234.5000", "统计年报")
    assert web.post(f"/admin/assessment/zonevalue/{row.pk}/change/", {**form, "value": "1300"}).status_code == 302
    events = AuditEvent.objects.filter(action="assessment.value.set", object_id=str(row.pk)).order_by("id")
    assert [e.changes["value"] for e in events] == [[None, "1234.5"], ["1234.5000", "1300"]]
    assert ZoneValue.objects.get(pk=row.pk).value == 1300
    # Someone who may not report values changes nothing.
    assert (
        zone_client(users["clerk"], zone).post(f"/admin/assessment/zonevalue/{row.pk}/change/", form).status_code == 403
    )
    assert ZoneValue.objects.get(pk=row.pk).value == 1300


def test_a_target_set_in_the_form_keeps_the_scoring_rule_and_is_audited(zone, users):
    from onezone.assessment.models import Indicator, Target
    from onezone.assessment.services import indicators_load_catalogue

    indicators_load_catalogue()
    indicator = Indicator.objects.order_by("order", "pk").first()
    web = zone_client(users["leader"], zone)
    form = {
        "year": "2026",
        "indicator": str(indicator.pk),
        "level": "zone",
        "park": "",
        "body": "",
        "value": "100",
        "weight": "10",
        "rule": '{"kind": "linear", "cap": 0}',
        "note": "",
    }
    response = web.post("/admin/assessment/target/add/", form)
    # The rule is the model's own: the form is shown again with it.
    assert response.status_code == 200
    assert "线性计分的封顶分应大于 0" in response.content.decode()
    assert not Target.objects.exists()
    assert (
        web.post("/admin/assessment/target/add/", {**form, "rule": '{"kind": "linear", "cap": 120}'}).status_code == 302
    )
    target = Target.objects.get()
    assert AuditEvent.objects.filter(action="assessment.target.set", object_id=str(target.pk)).exists()
