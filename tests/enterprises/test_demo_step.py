import pytest

from onezone.demo.loader import load_demo
from onezone.enterprises.models import Enterprise, EnterpriseRequest, EnterpriseYear, Inspection, RequestStatus
from onezone.enterprises.selectors import enterprise_figures, enterprise_of_user, enterprises_list

pytestmark = pytest.mark.django_db


def test_demo_step_loads(calendar_seeded):
    ctx = load_demo(only=["s10_foundation", "s30_enterprises"])
    zone_id = ctx.zone.pk
    assert len(ctx.extra["enterprises"]) == 200
    assert Enterprise.objects.filter(zone_id=zone_id).count() == 200
    assert set(Enterprise.objects.values_list("park__code", flat=True)) == {"hexipu", "dongzhai"}
    assert enterprise_of_user(ctx.users["enterprise"]) == ctx.extra["enterprise"]
    assert enterprises_list(zone_id=zone_id, misfit=True).total == 5
    assert set(EnterpriseYear.objects.values_list("year", flat=True)) == set(range(2019, 2027))
    statuses = set(EnterpriseRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert EnterpriseRequest.objects.filter(round=2).count() == 1
    assert Inspection.objects.filter(status="blocked").count() == 2
    assert Inspection.objects.filter(kind="joint").count() == 1
    assert Inspection.objects.filter(kind__in=["complaint", "accident"]).count() == 2
    figures = enterprise_figures(zone_id=zone_id, year=2025)
    assert figures.enterprises == Enterprise.objects.exclude(status="closed").count()
    assert figures.output_value > 0
