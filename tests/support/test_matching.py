"""The pure matching rules of supply and demand, financing and the local supply rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from onezone.support import matching as m
from onezone.support.chains import ChainLink, upstream_keys

D = dt.date


def side(id_, *, enterprise=None, zone=1, province="620000", industry="C2614", link="", label="", up=(), **kw):
    return m.Side(
        id=id_,
        enterprise_id=enterprise if enterprise is not None else id_,
        zone_id=zone,
        province_code=province,
        industry_code=industry,
        link_key=link,
        link_label=label or link,
        upstream_keys=frozenset(up),
        **kw,
    )


# --- supply and demand ------------------------------------------------------------------------


def test_same_link_in_the_zone_scores_link_industry_and_place():
    need = side(1, link="煤化工·甲醇", industry="C2614")
    offer = side(2, link="煤化工·甲醇", industry="C2614")
    got = m.market_match(need, offer)
    assert got == m.MarketMatch(1, 2, 80, ("同一产业链环节：煤化工·甲醇", "行业代码相同", "同在园区内"), True)


def test_upstream_offer_answers_a_downstream_need():
    need = side(1, link="煤化工·甲醇", industry="C2614", up={"煤化工·煤制合成气", "煤化工·原料煤"})
    offer = side(2, link="煤化工·煤制合成气", industry="C2522")
    got = m.market_match(need, offer)
    assert got.reasons == ("上游供给：煤化工·煤制合成气", "同在园区内")
    assert got.score == m.SCORE_UPSTREAM + m.SCORE_SAME_ZONE


def test_downstream_offer_does_not_answer_an_upstream_need():
    need = side(1, link="煤化工·煤制合成气", industry="C2522")
    offer = side(2, link="煤化工·甲醇", industry="C2614", up={"煤化工·煤制合成气"})
    assert m.market_match(need, offer) is None


def test_industry_code_alone_matches_and_place_alone_does_not():
    assert m.market_match(side(1, industry="C3211"), side(2, industry="C3211")).reasons == (
        "行业代码相同",
        "同在园区内",
    )
    assert m.market_match(side(1, industry="C3211"), side(2, industry="C3213")) is None


def test_other_zone_of_the_province_matches_with_a_lower_score_other_province_not():
    need = side(1, industry="C3211")
    near = side(2, industry="C3211", zone=2, zone_name="金川园区")
    far = side(3, industry="C3211", zone=3, province="650000")
    assert m.market_match(need, near) == m.MarketMatch(1, 2, 15, ("行业代码相同", "省内其他园区：金川园区"), False)
    assert m.market_match(need, far) is None


def test_own_offer_and_periods_that_do_not_meet_are_no_match():
    assert m.market_match(side(1, enterprise=9), side(2, enterprise=9)) is None
    need = side(1, starts=D(2026, 1, 1), ends=D(2026, 3, 31))
    assert m.market_match(need, side(2, starts=D(2026, 4, 1))) is None
    assert m.market_match(need, side(3, ends=D(2025, 12, 31))) is None
    assert m.market_match(need, side(4, starts=D(2026, 3, 31), ends=D(2026, 6, 30))) is not None


def test_offers_for_puts_the_zone_first_then_score_then_id():
    need = side(1, link="L", industry="C2614")
    offers = [
        side(5, industry="C2614", zone=2),  # province, 15
        side(4, link="L", industry="C2614", zone=2),  # province, 65
        side(3, industry="C2614"),  # zone, 30
        side(2, link="L"),  # zone, 70
        side(6, industry="C9999"),  # none
    ]
    assert [x.offer_id for x in m.offers_for(need, offers)] == [2, 3, 4, 5]
    assert [x.need_id for x in m.needs_for(side(9, link="L"), [side(1, link="L"), side(7, link="L", zone=2)])] == [1, 7]


def test_results_and_candidates_are_capped():
    need = side(0, industry="C2614")
    offers = [side(i, industry="C2614") for i in range(1, m.MAX_CANDIDATES + 50)]
    got = m.offers_for(need, offers, limit=1000)
    assert len(got) == m.MAX_RESULTS
    assert [x.offer_id for x in got] == list(range(1, m.MAX_RESULTS + 1))


_links = st.sampled_from(["", "A", "B", "C"])
_sides = st.builds(
    side,
    st.integers(1, 10_000),
    enterprise=st.integers(1, 5),
    zone=st.integers(1, 3),
    industry=st.sampled_from(["C2614", "C3211", "B06"]),
    link=_links,
    up=st.frozensets(st.sampled_from(["A", "B", "C"]), max_size=2),
)


@settings(max_examples=200, deadline=None)
@given(need=_sides, offers=st.lists(_sides, max_size=40, unique_by=lambda s: s.id), data=st.data())
def test_matching_does_not_depend_on_the_candidates_order(need, offers, data):
    shuffled = data.draw(st.permutations(offers))
    got = m.offers_for(need, offers)
    assert got == m.offers_for(need, shuffled)
    assert len(got) <= m.MAX_RESULTS
    for match in got:
        assert match.reasons and match.score > 0
        offer = next(o for o in offers if o.id == match.offer_id)
        assert offer.enterprise_id != need.enterprise_id


# --- chain links ------------------------------------------------------------------------------


def _link(id_, name, parent=None):
    return ChainLink(id=id_, zone_id=1, chain_id=1, chain_name="煤化工", name=name, parent_id=parent)


def test_upstream_keys_walk_the_parents_and_stop_on_a_loop():
    links = {1: _link(1, "原料煤"), 2: _link(2, "煤制合成气", 1), 3: _link(3, "甲醇", 2)}
    assert upstream_keys(links, 3) == {"煤化工·煤制合成气", "煤化工·原料煤"}
    assert upstream_keys(links, 1) == frozenset()
    assert upstream_keys(links, None) == frozenset()
    loop = {1: _link(1, "甲", 2), 2: _link(2, "乙", 1)}
    assert upstream_keys(loop, 1) == {"煤化工·乙", "煤化工·甲"}


# --- financing --------------------------------------------------------------------------------


def product(id_=1, **kw):
    base = {
        "id": id_,
        "name": f"产品{id_}",
        "amount_min": Decimal("100000"),
        "amount_max": Decimal("5000000"),
        "term_min": 6,
        "term_max": 36,
    }
    return m.Product(**(base | kw))


ASK = m.FinancingAsk(
    amount=Decimal("2000000"), term_months=12, collateral="property", size="above", industry_code="C2614"
)


def test_product_that_fits_says_why():
    got = m.product_match(
        ASK,
        product(collaterals=frozenset({"property"}), sizes=frozenset({"above"}), industry_prefixes=("C26",)),
    )
    assert got == m.ProductMatch(
        1,
        40,
        (
            "金额在产品额度内：10.00万元至500.00万元",
            "期限在产品期限内：6至36个月",
            "企业规模符合产品支持对象",
            "行业符合产品支持方向：C26",
            "接受企业提供的担保方式",
        ),
    )


def test_credit_need_scores_the_no_collateral_reason():
    ask = m.FinancingAsk(Decimal("100000"), 6, m.CREDIT, "below", "C1351")
    got = m.product_match(ask, product(collaterals=frozenset({m.CREDIT})))
    assert got.score == 25
    assert got.reasons[-1] == "信用方式，无需抵押担保"


def test_each_condition_refuses_on_its_own():
    assert m.product_match(ASK, product(amount_max=Decimal("1999999.99"))) is None
    assert m.product_match(ASK, product(amount_min=Decimal("2000000.01"), amount_max=Decimal("9000000"))) is None
    assert m.product_match(ASK, product(term_max=11)) is None
    assert m.product_match(ASK, product(term_min=13)) is None
    assert m.product_match(ASK, product(sizes=frozenset({"below"}))) is None
    assert m.product_match(ASK, product(industry_prefixes=("C32", "B"))) is None
    assert m.product_match(ASK, product(collaterals=frozenset({m.CREDIT}))) is None
    # the bounds themselves are inside
    assert m.product_match(
        ASK, product(amount_min=Decimal("2000000"), amount_max=Decimal("2000000"), term_min=12, term_max=12)
    )


def test_products_for_orders_by_score_then_rate_then_id():
    products = [
        product(1, rate_min=Decimal("4.2")),
        product(2, rate_min=Decimal("3.6")),
        product(3, sizes=frozenset({"above"}), rate_min=Decimal("5")),
        product(4, term_max=6),
        product(5),
    ]
    assert [x.product_id for x in m.products_for(ASK, products)] == [3, 2, 1, 5]


@settings(max_examples=200, deadline=None)
@given(
    amounts=st.lists(st.integers(1, 10_000_000), min_size=1, max_size=30),
    ask_amount=st.integers(1, 10_000_000),
    data=st.data(),
)
def test_products_for_is_order_independent_and_every_answer_holds_the_amount(amounts, ask_amount, data):
    products = [product(i + 1, amount_min=Decimal(1), amount_max=Decimal(a)) for i, a in enumerate(amounts)]
    ask = m.FinancingAsk(Decimal(ask_amount), 12, "property", "above", "C2614")
    got = m.products_for(ask, products)
    assert got == m.products_for(ask, data.draw(st.permutations(products)))
    by_id = {p.id: p for p in products}
    assert all(by_id[x.product_id].amount_max >= ask.amount for x in got)
    assert len(got) == min(m.MAX_RESULTS, sum(1 for a in amounts if a >= ask_amount))


# --- local supply rate ------------------------------------------------------------------------


def test_local_supply_rate_counts_leaders_purchases_only():
    rates = m.local_supply_rates(
        [
            m.Purchase(1, Decimal("3000000"), True, True),
            m.Purchase(1, Decimal("1000000"), True, False),
            m.Purchase(1, Decimal("9000000"), False, True),  # not a leader: left out
            m.Purchase(2, Decimal("500000"), True, False),
        ]
    )
    assert rates[1] == m.SupplyRate(1, Decimal("4000000"), Decimal("3000000"))
    assert rates[1].rate == Decimal("0.7500")
    assert rates[2].rate == Decimal("0.0000")
    assert m.SupplyRate(3, Decimal(0), Decimal(0)).rate is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 10**9), st.booleans(), st.booleans()), max_size=50))
def test_local_supply_rate_is_a_share_between_zero_and_one(rows):
    purchases = [m.Purchase(c, Decimal(a) / 100, leader, local) for c, a, leader, local in rows]
    for rate in m.local_supply_rates(purchases).values():
        assert Decimal(0) <= rate.local_total <= rate.leaders_total
        assert Decimal(0) <= rate.rate <= Decimal(1)
    assert m.local_supply_rates(purchases) == m.local_supply_rates(list(reversed(purchases)))
