"""Chain leaders, matchmaking events and deals, the local supply rate, and the reads' query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.support.models import ChainLeader, Deal, MatchmakingEvent
from onezone.support.selectors import markets as s
from onezone.support.services.markets import (
    chain_leader_mark,
    deal_record,
    event_add_participants,
    event_create,
    listing_publish,
)
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def event(firms, chain, desk, bodies):
    return event_create(
        actor=desk["officer"],
        zone_id=firms["methanol"].zone_id,
        title="煤化工产业链供需对接会",
        held_on=D(2026, 5, 20),
        chain_id=chain["chain"].pk,
        organiser=bodies["investment"],
        participants=[firms["methanol"], firms["gas"], firms["coal"]],
    )


def test_an_event_keeps_its_chain_organiser_and_participants(event, chain):
    assert event.chain_name == "煤化工"
    assert event.chain_id == chain["chain"].pk
    assert sorted(e.name for e in event.participants.all()) == [
        "永昌甲醇有限公司",
        "永昌能源煤业有限公司",
        "河西堡煤气化有限公司",
    ]
    assert AuditEvent.objects.filter(action="support.event.create", object_id=str(event.pk)).exists()


def test_only_the_organisers_staff_or_a_leader_act_on_an_event(event, desk, firms, users):
    # the head of 经济发展局 holds a desk role but is not on 招商服务局
    with pytest.raises(PermissionDenied):
        deal_record(
            actor=desk["head"],
            event=event,
            buyer=firms["methanol"],
            seller=firms["gas"],
            subject="合成气",
            amount=Decimal("1000000"),
            signed_on=D(2026, 5, 20),
        )
    with pytest.raises(PermissionDenied):
        event_add_participants(actor=users["clerk"], event=event, enterprises=[])
    assert not Deal.objects.exists()
    deal = deal_record(
        actor=users["leader"],
        event=event,
        buyer=firms["methanol"],
        seller=firms["gas"],
        subject="合成气",
        amount=Decimal("1000000"),
        signed_on=D(2026, 5, 20),
    )
    assert deal.seller_in_zone is True and deal.seller_name == "河西堡煤气化有限公司"


def test_an_event_organised_by_another_body_is_refused_to_the_officer(firms, chain, desk, bodies):
    with pytest.raises(PermissionDenied):
        event_create(
            actor=desk["officer"],
            zone_id=firms["gas"].zone_id,
            title="对接会",
            held_on=D(2026, 5, 1),
            chain_id=chain["chain"].pk,
            organiser=bodies["economy"],
        )
    assert not MatchmakingEvent.objects.exists()


def test_a_deal_needs_a_participating_buyer_and_a_date_not_before_the_event(event, desk, firms, other_firm):
    event.participants.remove(firms["coal"])
    with pytest.raises(InvalidInput) as exc:
        deal_record(
            actor=desk["officer"],
            event=event,
            buyer=firms["coal"],
            seller_name="外地供应商",
            subject="煤",
            amount=Decimal("10"),
            signed_on=D(2026, 5, 20),
        )
    assert "buyer" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        deal_record(
            actor=desk["officer"],
            event=event,
            buyer=firms["gas"],
            seller_name="外地供应商",
            subject="煤",
            amount=Decimal("10"),
            signed_on=D(2026, 5, 19),
        )
    assert "signed_on" in exc.value.fields
    with pytest.raises(InvalidInput) as exc:
        deal_record(
            actor=desk["officer"],
            event=event,
            buyer=firms["gas"],
            seller_name="外地供应商",
            subject="煤",
            amount=Decimal("0"),
            signed_on=D(2026, 5, 20),
        )
    assert "amount" in exc.value.fields
    outside = deal_record(
        actor=desk["officer"],
        event=event,
        buyer=firms["gas"],
        seller=other_firm["firm"],
        subject="合成气",
        amount=Decimal("5"),
        signed_on=D(2026, 5, 20),
    )
    assert outside.seller_in_zone is False
    assert Deal.objects.count() == 1


def test_a_chain_leader_is_marked_once(firms, chain, desk, users):
    chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    with pytest.raises(Conflict):
        chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    with pytest.raises(PermissionDenied):
        chain_leader_mark(actor=users["clerk"], enterprise=firms["gas"], chain_id=chain["chain"].pk)
    with pytest.raises(InvalidInput):
        chain_leader_mark(actor=desk["officer"], enterprise=firms["gas"], chain_id=999999)
    assert list(ChainLeader.objects.values_list("enterprise__name", "chain_name")) == [("永昌甲醇有限公司", "煤化工")]


def test_local_supply_rate_is_the_leaders_purchases_bought_inside_the_zone(event, desk, firms, chain, other_firm):
    chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    officer = desk["officer"]
    # the leader buys 300万 from the zone and 100万 outside; a non-leader's 900万 does not count
    deal_record(
        actor=officer,
        event=event,
        buyer=firms["methanol"],
        seller=firms["gas"],
        subject="合成气",
        amount=Decimal("3000000"),
        signed_on=D(2026, 5, 20),
    )
    deal_record(
        actor=officer,
        event=event,
        buyer=firms["methanol"],
        seller=other_firm["firm"],
        subject="合成气",
        amount=Decimal("600000"),
        signed_on=D(2026, 5, 21),
    )
    deal_record(
        actor=officer,
        event=event,
        buyer=firms["methanol"],
        seller_name="宁夏某煤业公司",
        subject="原料煤",
        amount=Decimal("400000"),
        signed_on=D(2026, 5, 21),
    )
    deal_record(
        actor=officer,
        event=event,
        buyer=firms["gas"],
        seller=firms["coal"],
        subject="原料煤",
        amount=Decimal("9000000"),
        signed_on=D(2026, 5, 21),
    )
    [row] = s.local_supply(firms["methanol"].zone_id)
    assert row.chain_name == "煤化工"
    assert row.leaders == ["永昌甲醇有限公司"]
    assert row.rate.leaders_total == Decimal("4000000.00")
    assert row.rate.local_total == Decimal("3000000.00")
    assert row.rate.rate == Decimal("0.7500")
    assert row.rate_percent == "75.00%"
    assert [d.subject for d in row.deals] == ["合成气", "合成气", "原料煤"]
    assert s.deals_total(firms["methanol"].zone_id) == Decimal("13000000.00")


def test_a_chain_leader_without_deals_shows_no_rate(firms, chain, desk):
    chain_leader_mark(actor=desk["officer"], enterprise=firms["gas"], chain_id=chain["chain"].pk)
    [row] = s.local_supply(firms["gas"].zone_id)
    assert row.rate.rate is None and row.rate_percent == "—" and row.deals == []


# --- query counts -----------------------------------------------------------------------------


def _publish_many(firms, chain, n):
    for i in range(n):
        listing_publish(
            actor=firms["user_gas"],
            enterprise=firms["gas"],
            kind="offer",
            title=f"合成气{i}",
            industry_code="C2522",
            contact_name="王",
            contact_mobile="13909355678",
            link_id=chain["syngas"].pk,
        )
        listing_publish(
            actor=firms["user_methanol"],
            enterprise=firms["methanol"],
            kind="need",
            title=f"原料{i}",
            industry_code="C2614",
            contact_name="李",
            contact_mobile="13909351234",
            link_id=chain["methanol"].pk,
        )


@pytest.mark.parametrize("n", [1, 4])
def test_the_enterprise_and_desk_reads_cost_the_same_queries_for_few_and_many(
    firms, chain, n, django_assert_num_queries
):
    _publish_many(firms, chain, n)
    zone_id = firms["gas"].zone_id
    with django_assert_num_queries(1):
        assert len(s.listings_of_enterprise(firms["gas"])) == n
    with django_assert_num_queries(1):
        matches = s.matches_of_enterprise(firms["gas"])
        views = [s.match_view(m, firms["gas"]) for m in matches]
        assert [v.contact_masked for v in views][:1] == ["李**　139****1234"]
    assert len(matches) == n * n
    with django_assert_num_queries(2):
        page = s.listings_list(zone_id=zone_id)
        assert [x.enterprise.name for x in page.object_list][:1]
    with django_assert_num_queries(2):
        assert len(s.matches_list(zone_id=zone_id).object_list) == len(matches)


@pytest.mark.parametrize("deals", [1, 5])
def test_local_supply_and_events_cost_fixed_queries(event, desk, firms, chain, deals, django_assert_num_queries):
    chain_leader_mark(actor=desk["officer"], enterprise=firms["methanol"], chain_id=chain["chain"].pk)
    for i in range(deals):
        deal_record(
            actor=desk["officer"],
            event=event,
            buyer=firms["methanol"],
            seller=firms["gas"],
            subject=f"合成气{i}",
            amount=Decimal("100"),
            signed_on=D(2026, 5, 20),
        )
    zone_id = firms["gas"].zone_id
    with django_assert_num_queries(2):
        [row] = s.local_supply(zone_id)
        assert len(row.deals) == deals
    with django_assert_num_queries(4):
        page = s.events_list(zone_id=zone_id)
        assert [len(e.deals.all()) for e in page.object_list] == [deals]
