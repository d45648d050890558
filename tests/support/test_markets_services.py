"""Supply and demand: publishing, matching along the chain, consent and contact masking, authority."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.support.models import Listing, MarketMatch
from onezone.support.services.markets import (
    listing_publish,
    listing_set_status,
    match_agree,
    match_contact,
    match_decline,
)
from tests.support.markets_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def publish(user, enterprise, kind, **kw):
    data = {
        "title": "甲醇原料合成气",
        "industry_code": enterprise.industry_code,
        "contact_name": "王经理",
        "contact_mobile": "13909351234",
    }
    return listing_publish(actor=user, enterprise=enterprise, kind=kind, **(data | kw))


def test_a_need_matches_an_upstream_offer_in_the_zone_with_reasons(firms, chain):
    offer = publish(
        firms["user_gas"],
        firms["gas"],
        "offer",
        title="合成气",
        link_id=chain["syngas"].pk,
        contact_mobile="13909355678",
    )
    need = publish(
        firms["user_methanol"],
        firms["methanol"],
        "need",
        quantity=Decimal("1200"),
        unit="万立方米",
        link_id=chain["methanol"].pk,
    )
    assert need.link_label == "煤化工·甲醇" and need.chain_id == chain["chain"].pk
    match = MarketMatch.objects.get()
    assert (match.need_id, match.offer_id, match.zone_id) == (need.pk, offer.pk, need.zone_id)
    assert match.reasons == ["上游供给：煤化工·煤制合成气", "同在园区内"]
    assert match.score == 60
    assert match.status == MarketMatch.Status.PROPOSED
    event = AuditEvent.objects.filter(action="support.listing.publish", object_id=str(need.pk)).get()
    assert event.changes["contact_mobile"] == "139****1234"


def test_an_offer_in_another_zone_of_the_province_matches_the_need(firms, chain, other_firm):
    need = publish(firms["user_methanol"], firms["methanol"], "need", industry_code="C2522")
    publish(other_firm["user"], other_firm["firm"], "offer", title="合成气", industry_code="C2522")
    match = MarketMatch.objects.get()
    assert match.need_id == need.pk and match.zone_id == need.zone_id
    assert match.reasons == ["行业代码相同", "省内其他园区：另一工业园区"]
    assert match.score == 15


def test_contacts_show_only_when_both_agree_and_each_view_is_audited(firms, chain):
    publish(
        firms["user_gas"],
        firms["gas"],
        "offer",
        title="合成气",
        link_id=chain["syngas"].pk,
        contact_mobile="13909355678",
    )
    publish(firms["user_methanol"], firms["methanol"], "need", link_id=chain["methanol"].pk)
    match = MarketMatch.objects.get()
    match_agree(actor=firms["user_methanol"], match=match)
    with pytest.raises(Conflict):
        match_contact(actor=firms["user_methanol"], match=match)
    with pytest.raises(Conflict):
        match_agree(actor=firms["user_methanol"], match=match)
    assert not AuditEvent.objects.filter(action="support.match.view_contact").exists()
    shared = match_agree(actor=firms["user_gas"], match=match)
    assert shared.status == MarketMatch.Status.SHARED and shared.both_agreed
    got = match_contact(actor=firms["user_methanol"], match=match)
    assert got == {"enterprise": "河西堡煤气化有限公司", "name": "王经理", "mobile": "13909355678"}
    assert match_contact(actor=firms["user_gas"], match=match)["mobile"] == "13909351234"
    views = AuditEvent.objects.filter(action="support.match.view_contact", object_id=str(match.pk))
    assert views.count() == 2


def test_someone_outside_the_match_learns_nothing_and_changes_nothing(firms, chain, other_firm):
    publish(firms["user_gas"], firms["gas"], "offer", title="合成气", link_id=chain["syngas"].pk)
    publish(firms["user_methanol"], firms["methanol"], "need", link_id=chain["methanol"].pk)
    match = MarketMatch.objects.get()
    before = AuditEvent.objects.count()
    for action in (match_agree, match_decline, match_contact):
        with pytest.raises(NotFound):
            action(actor=other_firm["user"], match=match)
    match.refresh_from_db()
    assert (match.status, match.need_agreed_at, match.offer_agreed_at) == (MarketMatch.Status.PROPOSED, None, None)
    assert AuditEvent.objects.count() == before


def test_a_declined_match_cannot_be_agreed(firms, chain):
    publish(firms["user_gas"], firms["gas"], "offer", title="合成气", link_id=chain["syngas"].pk)
    publish(firms["user_methanol"], firms["methanol"], "need", link_id=chain["methanol"].pk)
    match = MarketMatch.objects.get()
    assert match_decline(actor=firms["user_gas"], match=match).status == MarketMatch.Status.DECLINED
    with pytest.raises(TransitionNotAllowed):
        match_agree(actor=firms["user_methanol"], match=match)


def test_an_enterprise_user_cannot_publish_for_another_enterprise(firms):
    with pytest.raises(PermissionDenied):
        publish(firms["user_gas"], firms["methanol"], "need")
    assert not Listing.objects.exists()


def test_desk_staff_may_publish_for_an_enterprise_others_not(firms, users):
    assert publish(users["investment_officer"], firms["coal"], "offer").enterprise == firms["coal"]
    with pytest.raises(PermissionDenied):
        publish(users["clerk"], firms["coal"], "offer")
    assert Listing.objects.count() == 1


def test_too_long_text_is_refused_with_the_limit_and_the_length(firms):
    with pytest.raises(InvalidInput) as exc:
        publish(firms["user_gas"], firms["gas"], "offer", title="气" * 101)
    assert exc.value.fields == {"title": "名称最多100个字，现为101个字，请删减后再提交。"}
    with pytest.raises(InvalidInput) as exc:
        publish(firms["user_gas"], firms["gas"], "offer", description="说" * 501)
    assert exc.value.fields["description"] == "说明最多500个字，现为501个字，请删减后再提交。"
    assert not Listing.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "swap"}, "kind"),
        ({"contact_mobile": "12345"}, "contact_mobile"),
        ({"industry_code": "Z99"}, "industry_code"),
        ({"quantity": Decimal("5")}, "unit"),
        ({"quantity": Decimal("1.005"), "unit": "吨"}, "quantity"),
        ({"starts": dt.date(2026, 5, 1), "ends": dt.date(2026, 4, 1)}, "ends"),
        ({"link_id": 999999}, "link_id"),
    ],
)
def test_bad_input_is_refused_beside_its_field(firms, chain, changes, field):
    kind = changes.pop("kind", "need")
    with pytest.raises(InvalidInput) as exc:
        publish(firms["user_gas"], firms["gas"], kind, **changes)
    assert field in exc.value.fields
    assert not Listing.objects.exists()


def test_a_link_of_another_zone_is_refused(firms, other_zone, root):
    from onezone.investment.services import chain_create, chain_node_add

    foreign_chain = chain_create(actor=root, zone_id=other_zone.pk, name="煤化工")
    foreign = chain_node_add(actor=root, chain=foreign_chain, name="甲醇", stage="midstream", industry_code="C2614")
    with pytest.raises(InvalidInput) as exc:
        publish(firms["user_methanol"], firms["methanol"], "need", link_id=foreign.pk)
    assert exc.value.fields == {"link_id": "所选产业链环节不属于本开发区，请从本开发区的产业链中选择。"}


def test_closing_and_reopening_follow_the_transitions_and_reopening_matches_again(firms, chain):
    need = publish(firms["user_methanol"], firms["methanol"], "need", link_id=chain["methanol"].pk)
    closed = listing_set_status(actor=firms["user_methanol"], listing=need, status=Listing.Status.CLOSED)
    with pytest.raises(TransitionNotAllowed):
        listing_set_status(actor=firms["user_methanol"], listing=closed, status=Listing.Status.CLOSED)
    publish(firms["user_gas"], firms["gas"], "offer", title="合成气", link_id=chain["syngas"].pk)
    assert not MarketMatch.objects.exists()  # a closed need is not matched
    listing_set_status(actor=firms["user_methanol"], listing=closed, status=Listing.Status.OPEN)
    assert MarketMatch.objects.filter(need=need).count() == 1
    with pytest.raises(PermissionDenied):
        listing_set_status(actor=firms["user_gas"], listing=need, status=Listing.Status.CLOSED)
    need.refresh_from_db()
    assert need.status == Listing.Status.OPEN


def test_the_zones_own_offers_are_read_first_when_the_candidates_are_capped(firms, other_firm, monkeypatch):
    from onezone.support import matching

    monkeypatch.setattr(matching, "MAX_CANDIDATES", 2)
    for i in range(3):
        publish(other_firm["user"], other_firm["firm"], "offer", title=f"外区合成气{i}", industry_code="C2522")
    own = publish(firms["user_gas"], firms["gas"], "offer", title="本区合成气", industry_code="C2522")
    need = publish(firms["user_methanol"], firms["methanol"], "need", industry_code="C2522")
    matched = list(MarketMatch.objects.filter(need=need).order_by("-score").values_list("offer__title", flat=True))
    assert matched == [own.title, "外区合成气2"]
