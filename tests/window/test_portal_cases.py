"""The enterprise's own cases in its portal: listed and opened without a query code, and only its own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.roles import Role
from onezone.enterprises.services import enterprise_register, member_link
from onezone.window import services as svc
from tests.conftest import make_user
from tests.window.conftest import ENTERPRISE, PERSON

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm(zone, users, root):
    from onezone.zones.services import park_create

    park = park_create(
        actor=root,
        zone=zone,
        name="测试园",
        code="test",
        planned_area_km2=Decimal("5"),
        built_area_km2=Decimal("1"),
        industry_codes=["C32"],
    )
    enterprise = enterprise_register(
        actor=users["admin"],
        zone_id=zone.pk,
        uscc=ENTERPRISE.uscc,
        name=ENTERPRISE.name,
        industry_code="C3211",
        park=park,
    )
    user = make_user("firm-user", zone=zone, role=Role.ENTERPRISE)
    member_link(actor=users["admin"], user=user, enterprise=enterprise)
    client = Client()
    client.force_login(user)
    return client


def _case(staff, zone, items, material_ids, applicant):
    return svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=applicant,
        presented=material_ids["promised"][:2],
        on=dt.date(2026, 9, 28),
    )


def test_the_enterprise_opens_its_own_case_without_a_query_code(firm, staff, zone, items, material_ids):
    case = _case(staff, zone, items, material_ids, ENTERPRISE)
    home = firm.get("/portal/enterprise/").content.decode()
    assert f'href="/portal/enterprise/cases/{case.number}/"' in home
    page = firm.get(f"/portal/enterprise/cases/{case.number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert case.number in text and case.item_name in text and "查询码" not in text
    assert '<form method="post" action="/portal/logout/"' in text


def test_another_applicants_case_is_not_found(firm, staff, zone, items, material_ids):
    case = _case(staff, zone, items, material_ids, PERSON)
    assert firm.get(f"/portal/enterprise/cases/{case.number}/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_enterprise_sign_in(client):
    response = client.get("/portal/enterprise/cases/X/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/enterprise/login/?next=%2Fportal%2Fenterprise%2Fcases%2FX%2F"


def test_the_rating_form_starts_with_no_level_chosen(firm, staff, zone, items, material_ids):
    case = _case(staff, zone, items, material_ids, ENTERPRISE)
    svc.case_refuse(actor=staff["clerk"], case_id=case.pk, reason="不符合条件", on=dt.date(2026, 9, 28))
    text = firm.get(f"/portal/enterprise/cases/{case.number}/").content.decode()
    assert 'id="rate-form"' in text
    assert "checked" not in text


def test_signing_out_of_the_portal(firm):
    response = firm.post("/portal/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert firm.get("/portal/enterprise/").status_code == 302
