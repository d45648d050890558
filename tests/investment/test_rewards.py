import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.investment.rewards import (
    MARGINAL,
    WHOLE,
    ClaimFacts,
    RewardTerms,
    Tier,
    add_months,
    award_compute,
    claim_deadline,
    reward_amount,
    tiers_validate,
)

TIERS = (
    Tier(Decimal("10000000"), Decimal("0.003")),
    Tier(Decimal("100000000"), Decimal("0.004")),
    Tier(None, Decimal("0.005")),
)
CAP = Decimal("1000000")


def terms(mode=MARGINAL, **kw):
    return RewardTerms(
        tiers=TIERS, mode=mode, cap=CAP, exclusions=frozenset({"real_estate", "loan_funded", "ppp"}), **kw
    )


@pytest.mark.parametrize(
    ("funds", "expected"),
    [
        ("0", "0.00"),
        ("-5", "0.00"),
        ("1234.56", "3.70"),
        ("1235", "3.71"),  # 3.705 rounds half up
        ("5000000", "15000.00"),
        ("10000000", "30000.00"),
        ("10000000.01", "30000.00"),
        ("50000000", "190000.00"),
        ("100000000", "390000.00"),
        ("200000000", "890000.00"),
        ("222000000", "1000000.00"),  # exactly at the cap
        ("300000000", "1000000.00"),
    ],
)
def test_marginal_tiers(funds, expected):
    assert reward_amount(Decimal(funds), terms()) == Decimal(expected)


@pytest.mark.parametrize(
    ("funds", "expected"),
    [
        ("5000000", "15000.00"),
        ("10000000", "30000.00"),  # the upper bound belongs to its tier
        ("10000000.01", "40000.00"),
        ("100000000", "400000.00"),
        ("100000000.01", "500000.00"),
        ("199999999.99", "1000000.00"),
        ("250000000", "1000000.00"),
    ],
)
def test_whole_amount_tiers(funds, expected):
    assert reward_amount(Decimal(funds), terms(WHOLE)) == Decimal(expected)


def test_no_cap_means_no_cap():
    uncapped = RewardTerms(tiers=TIERS, mode=MARGINAL, cap=None)
    assert reward_amount(Decimal("300000000"), uncapped) == Decimal("1390000.00")


def good_facts(**kw):
    base = {
        "funds_in_place": Decimal("50000000"),
        "referrer": "张三",
        "first_referrer": "张三",
        "investor_confirmed": True,
        "zone_confirmed": True,
        "invoice_count": 3,
        "completed_on": dt.date(2025, 3, 31),
        "claimed_on": dt.date(2025, 6, 1),
    }
    base.update(kw)
    return ClaimFacts(**base)


def test_eligible_claim():
    result = award_compute(terms(), good_facts())
    assert result.eligible and result.amount == Decimal("190000.00") and result.base == Decimal("50000000")


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"project_tags": frozenset({"real_estate"})}, "房地产项目不在奖励范围内。"),
        ({"project_tags": frozenset({"loan_funded"})}, "以银行贷款等债务资金投入的项目不在奖励范围内。"),
        ({"project_tags": frozenset({"ppp"})}, "政府和社会资本合作（PPP）项目不在奖励范围内。"),
        ({"referrer": "李四"}, "只奖励首位引荐人（张三）。"),
        ({"referrer": " "}, "未登记引荐人。"),
        ({"investor_confirmed": False}, "引荐关系尚未经投资方书面确认。"),
        ({"zone_confirmed": False}, "引荐关系尚未经园区确认。"),
        ({"invoice_count": 0}, "缺少证明资金到位的发票或凭证。"),
        ({"completed_on": None}, "项目尚未竣工，暂不能申领奖励。"),
        ({"claimed_on": dt.date(2025, 3, 30)}, "申领日期早于项目竣工日期。"),
        ({"claimed_on": dt.date(2026, 4, 1)}, "已超过申领期限（竣工后12个月内，截至2026年03月31日）。"),
        ({"funds_in_place": Decimal(0)}, "项目没有到位资金。"),
    ],
)
def test_each_refusal(facts, message):
    result = award_compute(terms(), good_facts(**facts))
    assert result.refusals == (message,)
    assert result.amount == Decimal("0.00")


def test_last_day_of_window_is_in_time():
    assert award_compute(terms(), good_facts(claimed_on=dt.date(2026, 3, 31))).eligible


def test_requirements_that_the_policy_waives():
    lax = RewardTerms(
        tiers=TIERS,
        cap=CAP,
        claim_window_months=None,
        require_investor_confirmation=False,
        require_zone_confirmation=False,
        require_invoices=False,
    )
    facts = good_facts(investor_confirmed=False, zone_confirmed=False, invoice_count=0, completed_on=None)
    assert award_compute(lax, facts).amount == Decimal("190000.00")
    # An exclusion the policy does not name is no exclusion.
    assert award_compute(lax, good_facts(project_tags=frozenset({"ppp"}))).eligible


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 11, 15), 3) == dt.date(2025, 2, 15)
    assert claim_deadline(dt.date(2025, 3, 31), 12) == dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ((), "至少需要一个档次"),
        ((Tier(Decimal(10), Decimal("0.1")),), "最后一档不能设上限"),
        ((Tier(None, Decimal("0.1")), Tier(None, Decimal("0.2"))), "只有最后一档可以不设上限"),
        ((Tier(Decimal(10), Decimal("0.1")), Tier(Decimal(5), Decimal("0.1")), Tier(None, Decimal(0))), "逐档递增"),
        ((Tier(None, Decimal("-0.1")),), "不能为负数"),
    ],
)
def test_tiers_validate(tiers, message):
    with pytest.raises(ValueError, match=message):
        tiers_validate(tiers)


amounts = st.decimals(min_value=0, max_value=Decimal("1000000000"), places=2, allow_nan=False, allow_infinity=False)
modes = st.sampled_from([MARGINAL, WHOLE])


@given(a=amounts, b=amounts, mode=modes)
def test_award_is_monotone_in_funds(a, b, mode):
    low, high = sorted([a, b])
    assert reward_amount(low, terms(mode)) <= reward_amount(high, terms(mode))


@given(a=amounts, mode=modes)
def test_award_never_above_cap_and_never_negative(a, mode):
    assert Decimal(0) <= reward_amount(a, terms(mode)) <= CAP


@given(a=amounts)
def test_marginal_never_above_whole(a):
    assert reward_amount(a, terms(MARGINAL)) <= reward_amount(a, terms(WHOLE))


@given(a=amounts, tags=st.sets(st.sampled_from(["real_estate", "loan_funded", "ppp"]), min_size=1))
def test_excluded_projects_get_nothing(a, tags):
    result = award_compute(terms(), good_facts(funds_in_place=a, project_tags=frozenset(tags)))
    assert result.amount == Decimal("0.00") and not result.eligible
