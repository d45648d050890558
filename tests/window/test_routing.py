"""Routing for every matter: complaints and rating follow-ups go where the routing rule says."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.errors import InvalidInput
from onezone.org.models import Body, MatterDomain, RoutingRule
from onezone.window import services as svc
from onezone.window.models import Complaint, Rectification
from tests.window.conftest import closed_instant_case

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def market(zone, org):
    body = Body.objects.create(zone=zone, name="县市场监督管理局", kind=Body.Kind.SECTOR)
    RoutingRule.objects.create(
        zone=zone, category="market_supervision", category_name="市场监管", domain=MatterDomain.SUPERVISION, body=body
    )
    return body


def test_a_complaint_goes_to_the_body_of_its_category(zone, staff, market):
    complaint = svc.complaint_register(
        actor=staff["clerk"],
        zone_id=zone.pk,
        complainant="王五",
        content="超市销售过期食品。",
        category="market_supervision",
    )
    assert (complaint.body, complaint.category) == (market, "market_supervision")
    window = svc.complaint_register(actor=staff["clerk"], zone_id=zone.pk, complainant="王五", content="窗口推诿。")
    assert window.body.name == "园区政务服务中心"
    with pytest.raises(InvalidInput, match="没有归口规则"):
        svc.complaint_register(actor=staff["clerk"], zone_id=zone.pk, complainant="王五", content="x", category="nope")
    assert Complaint.objects.count() == 2


def test_a_rating_follow_up_is_routed_by_the_rule_not_the_case_body(zone, staff, org, items, material_ids):
    RoutingRule.objects.filter(zone=zone, category="window_service").update(body=org["economy"])
    case = closed_instant_case(staff, zone, items, material_ids, D(2026, 10, 9))
    svc.rating_submit(case_number=case.number, query_code=case.query_code, level=1, comment="态度差。")
    rect = Rectification.objects.get()
    assert case.body == org["service"] and rect.body == org["economy"]


@pytest.fixture
def second_zone(db, root):
    from onezone.zones.services import zone_create

    other = zone_create(
        actor=root,
        name="另一个工业园区",
        code="another",
        level="provincial",
        area_code="620302",
        province_code="620000",
        approved_area_km2=Decimal("5"),
        planned_area_km2=Decimal("20"),
        established=dt.date(2012, 1, 1),
    )
    body = Body.objects.create(zone=other, name="另一园区政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    RoutingRule.objects.create(
        zone=other, category="window_service", category_name="窗口服务投诉", domain=MatterDomain.ECONOMIC, body=body
    )
    return other


def test_a_public_complaint_without_a_case_goes_to_the_zone_chosen(zone, org, second_zone):
    client = Client()
    form = {"complainant": "赵六", "content": "窗口人员不在岗。", "category": "window_service"}
    refused = client.post("/portal/window/complaint/", form)
    assert refused.status_code == 400 and "请选择投诉所涉的开发区" in refused.content.decode()
    assert Complaint.objects.count() == 0
    done = client.post("/portal/window/complaint/", {**form, "zone": second_zone.pk})
    assert done.status_code == 200
    complaint = Complaint.objects.get()
    assert (complaint.zone_id, complaint.body.name) == (second_zone.pk, "另一园区政务服务中心")
