"""The API of 找市场 and 找资金: own records only, contacts masked until both agree, errors in the one shape."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from onezone.support.models import Listing, MarketMatch
from onezone.support.services.finance import institution_register, loan_record, product_save
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
URL = "/api/v1/support"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, path, payload):
    return client.post(f"{URL}{path}", payload, content_type="application/json")


def test_an_enterprise_publishes_and_both_sides_agree_over_the_api(firms, chain):
    seller, buyer = client_for(firms["user_gas"]), client_for(firms["user_methanol"])
    offer = _post(
        seller,
        "/markets/listings",
        {
            "kind": "offer",
            "title": "合成气",
            "industry_code": "C2522",
            "link_id": chain["syngas"].pk,
            "contact_name": "王经理",
            "contact_mobile": "13909355678",
        },
    )
    assert offer.status_code == 201
    assert offer.json()["contact_mobile"] == "139****5678"
    need = _post(
        buyer,
        "/markets/listings",
        {
            "kind": "need",
            "title": "原料气",
            "industry_code": "C2614",
            "link_id": chain["methanol"].pk,
            "contact_name": "李经理",
            "contact_mobile": "13909351234",
        },
    )
    assert need.status_code == 201
    [match] = buyer.get(f"{URL}/markets/matches").json()
    assert match["reasons"] == ["上游供给：煤化工·煤制合成气", "同在园区内"]
    assert "contact_mobile" not in match["offer"]
    early = buyer.get(f"{URL}/markets/matches/{match['id']}/contact")
    assert early.status_code == 409 and early.json()["code"] == "conflict"
    assert _post(buyer, f"/markets/matches/{match['id']}/agree", {}).json()["need_agreed"] is True
    assert _post(seller, f"/markets/matches/{match['id']}/agree", {}).json()["status"] == "shared"
    contact = buyer.get(f"{URL}/markets/matches/{match['id']}/contact").json()
    assert contact == {"enterprise": "河西堡煤气化有限公司", "name": "王经理", "mobile": "13909355678"}
    assert [x["title"] for x in seller.get(f"{URL}/markets/listings").json()] == ["合成气"]


def test_a_bad_listing_answers_the_error_shape_and_nothing_is_saved(firms):
    answer = _post(
        client_for(firms["user_gas"]),
        "/markets/listings",
        {
            "kind": "offer",
            "title": "气" * 101,
            "industry_code": "C2522",
            "contact_name": "王",
            "contact_mobile": "13909355678",
        },
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "invalid",
        "message": "名称最多100个字，现为101个字，请删减后再提交。",
        "fields": {"title": "名称最多100个字，现为101个字，请删减后再提交。"},
    }
    assert not Listing.objects.exists()


def test_staff_cannot_publish_without_an_enterprise_and_an_outsider_sees_no_match(firms, chain, users, other_firm):
    assert (
        _post(
            client_for(users["investment_officer"]),
            "/markets/listings",
            {
                "kind": "offer",
                "title": "x",
                "industry_code": "C2522",
                "contact_name": "王",
                "contact_mobile": "13909355678",
            },
        ).status_code
        == 403
    )
    _post(
        client_for(firms["user_gas"]),
        "/markets/listings",
        {
            "kind": "offer",
            "title": "合成气",
            "industry_code": "C2522",
            "link_id": chain["syngas"].pk,
            "contact_name": "王",
            "contact_mobile": "13909355678",
        },
    )
    _post(
        client_for(firms["user_methanol"]),
        "/markets/listings",
        {
            "kind": "need",
            "title": "原料气",
            "industry_code": "C2614",
            "link_id": chain["methanol"].pk,
            "contact_name": "李",
            "contact_mobile": "13909351234",
        },
    )
    match = MarketMatch.objects.get()
    outsider = client_for(other_firm["user"])
    assert outsider.get(f"{URL}/markets/matches").json() == []
    assert _post(outsider, f"/markets/matches/{match.pk}/agree", {}).status_code == 404
    match.refresh_from_db()
    assert match.need_agreed_at is None
    staff = client_for(users["investment_officer"])
    assert len(staff.get(f"{URL}/markets/matches").json()) == 1
    assert staff.get(f"{URL}/markets/supply-rate").json() == []
    assert client_for(firms["user_gas"]).get(f"{URL}/markets/supply-rate").status_code == 403


def test_financing_needs_products_and_the_figure_over_the_api(firms, desk, users):
    bank = institution_register(
        actor=desk["officer"], zone_id=firms["gas"].zone_id, name="甘肃银行永昌支行", kind="bank"
    )
    product_save(
        actor=desk["officer"],
        institution=bank,
        name="园区贷",
        loan_kind="working",
        amount_min=Decimal("100000"),
        amount_max=Decimal("5000000"),
        term_min=6,
        term_max=36,
        rate_min=Decimal("3.45"),
        rate_max=Decimal("5.2"),
    )
    ent = client_for(firms["user_gas"])
    made = _post(
        ent, "/finance/needs", {"amount": "2000000", "term_months": 12, "purpose": "流动资金", "collateral": "property"}
    )
    assert made.status_code == 201
    assert [p["product"]["name"] for p in made.json()["products"]] == ["园区贷"]
    assert [p["name"] for p in ent.get(f"{URL}/finance/products").json()] == ["园区贷"]
    assert ent.get(f"{URL}/finance/figure").status_code == 403
    loan_record(
        actor=desk["officer"],
        institution=bank,
        enterprise=firms["gas"],
        amount=Decimal("2000000"),
        granted_on=dt.date(2026, 3, 1),
    )
    staff = client_for(users["investment_officer"])
    assert staff.get(f"{URL}/finance/figure?year=2026").json() == {
        "year": 2026,
        "total": "2000000.00",
        "loans": 1,
        "enterprises": 1,
    }
    bad = staff.get(f"{URL}/finance/figure?year=99999")
    assert bad.status_code == 422 and set(bad.json()) == {"code", "message", "fields"}
    [loan] = staff.get(f"{URL}/finance/loans").json()
    assert (loan["institution"], loan["enterprise"], loan["amount"]) == (
        "甘肃银行永昌支行",
        "河西堡煤气化有限公司",
        "2000000.00",
    )
    assert len(staff.get(f"{URL}/finance/needs").json()) == 1
    assert client_for(firms["user_methanol"]).get(f"{URL}/finance/needs").json() == []
