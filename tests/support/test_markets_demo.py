"""The demo's supply and demand and financing: its figures agree with its records, and the sidebar,
landing panels and the enterprise's portal sections show them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from onezone.support.models import Deal, LoanGranted, MarketMatch
from onezone.support.selectors import finance, markets

pytestmark = pytest.mark.django_db
WAN = Decimal(10_000)


@pytest.fixture
def demo(db, calendar_seeded):
    from onezone.demo.loader import load_demo

    return load_demo(only=["s10_foundation", "s30_enterprises", "s60_investment", "s65_support_markets"])


def test_the_demo_rates_and_figures_come_from_its_records(demo):
    zone_id = demo.zone.pk
    rates = {row.chain_name: row for row in markets.local_supply(zone_id)}
    assert set(rates) == {"有色冶金", "新能源"}
    metals = rates["有色冶金"]
    assert (metals.rate.leaders_total, metals.rate.local_total) == (9100 * WAN, 2300 * WAN)
    assert metals.rate_percent == "25.27%"
    assert rates["新能源"].rate_percent == "33.33%"
    leaders = sum(d.amount for row in rates.values() for d in row.deals)
    assert leaders == metals.rate.leaders_total + rates["新能源"].rate.leaders_total
    assert markets.deals_total(zone_id) == sum(d.amount for d in Deal.objects.filter(zone_id=zone_id))
    helped = finance.financing_helped(zone_id=zone_id, year=2026)
    assert helped == finance.FinancingFigure(4700 * WAN, 3, 3)
    assert (
        finance.financing_helped(zone_id=zone_id).total
        == 5900 * WAN
        == sum(loan.amount for loan in LoanGranted.objects.filter(zone_id=zone_id))
    )


def test_the_demo_enterprise_sees_its_matches_and_one_contact_shared(demo):
    enterprise = demo.extra["enterprise"]
    views = [markets.match_view(m, enterprise) for m in markets.matches_of_enterprise(enterprise)]
    assert sorted((v.mine.title, v.match.status) for v in views) == [
        ("电积钴（三元材料配料）", MarketMatch.Status.PROPOSED),
        ("电解镍（1号镍）", MarketMatch.Status.SHARED),
    ]
    assert all(v.i_agreed for v in views)
    battery = MarketMatch.objects.get(need__title="储能电芯生产用绿色电力")
    assert battery.reasons == ["上游供给：新能源·光伏发电", "行业代码相同", "同在园区内"]


def test_the_hooks_show_the_demo_to_staff_and_to_the_enterprise(demo):
    from onezone.demo.loader import DEMO_PASSWORD

    staff = Client()
    assert staff.login(username="demo-investment", password=DEMO_PASSWORD)
    answer = staff.get("/admin/")
    assert answer.status_code == 200, answer.get("Location")
    landing = answer.content.decode()
    assert "链主企业本地配套率" in landing and "25.27%" in landing
    assert "助力企业融资" in landing and "4,700.00万元" in landing
    assert 'href="/desk/support/markets/supply-rate/"' in landing
    portal = Client()
    assert portal.login(username="demo-enterprise", password=DEMO_PASSWORD)
    home = portal.get("/portal/enterprise/").content.decode()
    assert "为我匹配的供需对接方" in home and "我的融资需求" in home
    assert "镍钴湿法冶炼线技术改造" in home
