"""The pages of 找市场 and 找资金: the enterprise's portal pages show its own only, the desk's pages
show the zone's figures from the records, the admin adds through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from onezone.core.models import AuditEvent
from onezone.support.models import Deal, Listing, MarketMatch, MatchmakingEvent
from onezone.support.services.finance import institution_register, loan_record, product_save
from onezone.support.services.markets import chain_leader_mark, deal_record, event_create, listing_publish
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _offer(firms, chain):
    return listing_publish(
        actor=firms["user_gas"],
        enterprise=firms["gas"],
        kind="offer",
        title="合成气",
        industry_code="C2522",
        contact_name="王经理",
        contact_mobile="13909355678",
        link_id=chain["syngas"].pk,
    )


def test_an_enterprise_publishes_a_need_and_sees_its_match_with_reasons(firms, chain):
    _offer(firms, chain)
    client = client_for(firms["user_methanol"])
    page = client.get("/portal/support/markets/new/?kind=need")
    assert page.status_code == 200
    assert f'value="{chain["methanol"].pk}">煤化工·甲醇' in page.content.decode()
    answer = client.post(
        "/portal/support/markets/new/",
        {
            "kind": "need",
            "subject": "product",
            "title": "甲醇原料合成气",
            "quantity": "1200",
            "unit": "万立方米",
            "industry_code": "C2614",
            "link_id": str(chain["methanol"].pk),
            "contact_name": "李经理",
            "contact_mobile": "13909351234",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/portal/support/markets/"
    html = client.get("/portal/support/markets/").content.decode()
    assert "甲醇原料合成气" in html
    assert "上游供给：煤化工·煤制合成气" in html and "同在园区内" in html
    assert "王**　139****5678" in html and "13909355678" not in html


def test_a_refused_listing_shows_the_reason_beside_the_field(firms):
    client = client_for(firms["user_gas"])
    answer = client.post(
        "/portal/support/markets/new/",
        {
            "kind": "offer",
            "subject": "product",
            "title": "气" * 101,
            "industry_code": "C2522",
            "contact_name": "王",
            "contact_mobile": "13909355678",
        },
    )
    assert answer.status_code == 200
    assert "名称最多100个字，现为101个字" in answer.content.decode()
    assert not Listing.objects.exists()


def test_consent_on_the_portal_then_the_full_contact_is_shown_and_audited(firms, chain):
    _offer(firms, chain)
    listing_publish(
        actor=firms["user_methanol"],
        enterprise=firms["methanol"],
        kind="need",
        title="原料气",
        industry_code="C2614",
        contact_name="李经理",
        contact_mobile="13909351234",
        link_id=chain["methanol"].pk,
    )
    match = MarketMatch.objects.get()
    buyer, seller = client_for(firms["user_methanol"]), client_for(firms["user_gas"])
    assert buyer.post("/portal/support/markets/", {"action": "agree", "match": match.pk}).status_code == 302
    assert seller.post("/portal/support/markets/", {"action": "agree", "match": match.pk}).status_code == 302
    html = buyer.post("/portal/support/markets/", {"action": "contact", "match": match.pk}).content.decode()
    assert "王经理 13909355678" in html
    assert AuditEvent.objects.filter(action="support.match.view_contact").count() == 1


def test_another_enterprise_cannot_act_on_a_match(firms, chain, other_firm):
    _offer(firms, chain)
    listing_publish(
        actor=firms["user_methanol"],
        enterprise=firms["methanol"],
        kind="need",
        title="原料气",
        industry_code="C2614",
        contact_name="李",
        contact_mobile="13909351234",
        link_id=chain["methanol"].pk,
    )
    match = MarketMatch.objects.get()
    outsider = client_for(other_firm["user"])
    assert outsider.post("/portal/support/markets/", {"action": "agree", "match": match.pk}).status_code == 404
    assert "原料气" not in outsider.get("/portal/support/markets/").content.decode()
    match.refresh_from_db()
    assert match.need_agreed_at is None and match.offer_agreed_at is None


def test_the_desk_shows_listings_events_and_the_supply_rate_from_the_records(firms, chain, desk, bodies, users):
    _offer(firms, chain)
    event = event_create(
        actor=desk["officer"],
        zone_id=firms["gas"].zone_id,
        title="煤化工供需对接会",
        held_on=D(2026, 5, 20),
        chain_id=chain["chain"].pk,
        organiser=bodies["investment"],
        participants=[firms["methanol"], firms["gas"]],
    )
    chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    deal_record(
        actor=desk["officer"],
        event=event,
        buyer=firms["methanol"],
        seller=firms["gas"],
        subject="合成气",
        amount=Decimal("12000000"),
        signed_on=D(2026, 5, 20),
    )
    deal_record(
        actor=desk["officer"],
        event=event,
        buyer=firms["methanol"],
        seller_name="宁夏某公司",
        subject="原料煤",
        amount=Decimal("4000000"),
        signed_on=D(2026, 5, 20),
    )
    client = client_for(users["investment_officer"])
    assert "合成气" in client.get("/desk/support/markets/").content.decode()
    events = client.get("/desk/support/markets/events/").content.decode()
    assert "1,600.00万元" in events
    detail = client.get(f"/desk/support/markets/events/{event.pk}/").content.decode()
    assert "宁夏某公司" in detail and "园区外" in detail and "1,200.00万元" in detail
    supply = client.get("/desk/support/markets/supply-rate/").content.decode()
    assert "75.00%" in supply and "1,600.00万元" in supply and "1,200.00万元" in supply
    assert client_for(users["clerk"]).get("/desk/support/markets/").status_code == 403
    assert client_for(firms["user_gas"]).get("/desk/support/markets/").status_code in (302, 403)


def test_the_finance_pages_show_products_for_the_need_and_the_figure(firms, desk, bodies, users):
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
    client = client_for(firms["user_gas"])
    answer = client.post(
        "/portal/support/finance/",
        {"action": "submit", "amount": "2000000", "term_months": "12", "purpose": "流动资金", "collateral": "property"},
    )
    assert answer.status_code == 302
    html = client.get("/portal/support/finance/").content.decode()
    assert "甘肃银行永昌支行 · 园区贷" in html and "金额在产品额度内：10.00万元至500.00万元" in html
    loan_record(
        actor=desk["officer"],
        institution=bank,
        enterprise=firms["gas"],
        amount=Decimal("2000000"),
        granted_on=timezone.localdate(),
    )
    staff = client_for(users["investment_officer"])
    desk_html = staff.get("/desk/support/finance/").content.decode()
    assert 'id="financing-all">200.00万元' in desk_html
    assert "200.00万元" in staff.get("/desk/support/finance/loans/").content.decode()
    assert "园区贷" in staff.get("/desk/support/finance/needs/").content.decode()
    assert staff.get("/desk/support/finance/?year=99999").status_code == 400


def test_the_admin_adds_an_event_and_a_deal_through_the_services(firms, chain, desk, bodies):
    client = client_for(desk["officer"])
    answer = client.post(
        "/admin/support/matchmakingevent/add/",
        {
            "title": "对接会",
            "held_on": "2026-05-20",
            "chain_id": str(chain["chain"].pk),
            "organiser": str(bodies["investment"].pk),
            "participants": [str(firms["methanol"].pk)],
            "note": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    event = MatchmakingEvent.objects.get()
    assert event.chain_name == "煤化工" and list(event.participants.all()) == [firms["methanol"]]
    assert AuditEvent.objects.filter(action="support.event.create").count() == 1
    answer = client.post(
        "/admin/support/deal/add/",
        {
            "event": str(event.pk),
            "buyer": str(firms["methanol"].pk),
            "seller": str(firms["gas"].pk),
            "seller_name": "",
            "subject": "合成气",
            "amount": "100000",
            "signed_on": "2026-05-20",
        },
    )
    assert answer.status_code == 302
    assert Deal.objects.get().seller_in_zone is True
