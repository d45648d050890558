"""Who qualifies for which policy, the idempotent match run, notices and the sweep."""

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.enterprises.services import enterprise_update, enterprise_year_save
from onezone.policies.models import GrantStatus, Policy, PolicyGrant, PolicyMatch, PolicyNotice
from onezone.policies.selectors import enterprise_facts, enterprise_policies, policy_qualifying
from onezone.policies.services import (
    policies_sweep,
    policy_expire,
    policy_match_run,
    policy_publish,
    policy_save,
)
from tests.policies.conftest import ON

pytestmark = pytest.mark.django_db

EXPECTED = {
    "scale": ["永新材料", "金化科技"],
    "zjtx": ["永新材料"],
    "jobs": ["永新材料", "祁连食品", "金化科技"],
    "power": ["新能光伏"],
    "rd": ["东寨生物", "永新材料", "金化科技"],
}


def _names(rows):
    return sorted(row.enterprise_name for row in rows)


def test_each_policy_finds_exactly_the_enterprises_that_qualify(zone, enterprises, policies):
    for key, names in EXPECTED.items():
        assert _names(policy_qualifying(zone.pk, policies[key], on=ON)) == sorted(names), key


def test_qualifying_enterprises_come_with_their_reasons(zone, enterprises, policies):
    rows = {
        r.enterprise_name: r for r in policy_qualifying(zone.pk, policies["scale"], on=ON, include_unqualified=True)
    }
    assert rows["金化科技"].reasons == ["规模以上工业企业 ✓", "2025年纳税额 320.00万元 ≥ 300万元 ✓"]
    assert rows["祁连食品"].eligible is False
    assert rows["祁连食品"].reasons == [
        "规模以上工业企业 ✓",
        "2025年纳税额 150.00万元 < 300万元（要求 ≥ 300万元）✗",
    ]
    assert rows["新能光伏"].reasons == ["规模以下企业，要求为规模以上工业企业 ✗", "缺少2025年度数据 ✗"]
    assert "旧厂" not in rows  # closed enterprises are never matched
    power = policy_qualifying(zone.pk, policies["power"], on=ON)
    assert power[0].reasons == [
        "行业代码 D4416 属于 D44 电力、热力生产和供应业 ✓",
        "项目“50MW光伏电站”2025年到位资金 6,000.00万元 ≥ 5,000万元 ✓",
    ]


def test_an_enterprise_sees_the_policies_it_qualifies_for(zone, enterprises, policies):
    fits, misses = enterprise_policies(zone.pk, enterprises["yongxin"].pk, on=ON)
    assert sorted(f.policy.title for f in fits) == [
        "专精特新企业奖励",
        "研发投入后补助",
        "稳岗补贴",
        "规上工业企业奖励",
    ]
    assert [f.policy.title for f in misses] == ["新能源项目用电补贴"]
    fits, _ = enterprise_policies(zone.pk, enterprises["dongzhai"].pk, on=ON)
    assert [(f.policy.title, f.reasons) for f in fits] == [("研发投入后补助", ["2025年研发投入强度 6.25% ≥ 3% ✓"])]


def test_draft_expired_and_future_policies_are_not_matched(zone, users, enterprises, policies):
    policy_expire(actor=users["dept_head"], policy=policies["zjtx"])
    later = policy_save(
        actor=users["dept_head"],
        policy=Policy(zone=zone, title="明年政策", issuer="管委会", valid_from=dt.date(2027, 1, 1), conditions=[]),
    )
    policy_publish(actor=users["dept_head"], policy=later)
    policy_save(actor=users["dept_head"], policy=Policy(zone=zone, title="草稿", issuer="管委会", valid_from=ON))
    fits, _ = enterprise_policies(zone.pk, enterprises["yongxin"].pk, on=ON)
    assert "专精特新企业奖励" not in {f.policy.title for f in fits}
    result = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert result.policies == 4
    assert not PolicyMatch.objects.filter(policy__title__in=["专精特新企业奖励", "明年政策", "草稿"]).exists()


def test_match_run_records_matches_notices_and_grants_once(zone, users, enterprises, policies):
    result = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert (result.policies, result.new_matches, result.notices, result.grants) == (5, 10, 10, 4)
    recorded = {
        key: sorted(PolicyMatch.objects.filter(policy=policies[key]).values_list("enterprise__name", flat=True))
        for key in EXPECTED
    }
    assert recorded == {key: sorted(names) for key, names in EXPECTED.items()}
    assert PolicyNotice.objects.count() == 10
    grants = {
        (g.policy.title, g.enterprise.name): (g.amount, g.status, g.basis)
        for g in PolicyGrant.objects.select_related("policy", "enterprise")
    }
    assert grants == {
        ("稳岗补贴", "金化科技"): (
            Decimal("60000.00"),
            GrantStatus.PROPOSED,
            "2025年从业人数 120人 × 500元/人 = 6.00万元",
        ),
        ("稳岗补贴", "永新材料"): (
            Decimal("100000.00"),
            GrantStatus.PROPOSED,
            "2025年从业人数 300人 × 500元/人 = 15.00万元，超过封顶 10万元，按 10.00万元 计",
        ),
        ("稳岗补贴", "祁连食品"): (
            Decimal("100000.00"),
            GrantStatus.PROPOSED,
            "2025年从业人数 210人 × 500元/人 = 10.50万元，超过封顶 10万元，按 10.00万元 计",
        ),
        ("新能源项目用电补贴", "新能光伏"): (Decimal("300000.00"), GrantStatus.PROPOSED, "定额 30.00万元"),
    }
    notice = PolicyNotice.objects.get(policy=policies["jobs"], enterprise=enterprises["jinhua"])
    assert notice.title == "贵企业符合《稳岗补贴》的条件"
    assert notice.body.splitlines() == [
        "经平台根据登记信息核对，贵企业符合测试工业园区管委会《稳岗补贴》（测园发〔2025〕3号）的条件：",
        "2025年从业人数 120人 ≥ 50人 ✓",
        "支持标准：稳岗补贴标准",
        "本政策免申即享，已为贵企业核定 6.00万元（2025年从业人数 120人 × 500元/人 = 6.00万元），请登录企业门户确认。",
    ]
    assert AuditEvent.objects.filter(action="policy.match_run").count() == 1

    again = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert (again.new_matches, again.notices, again.grants, again.lapsed) == (0, 0, 0, 0)
    assert (PolicyMatch.objects.count(), PolicyNotice.objects.count(), PolicyGrant.objects.count()) == (10, 10, 4)


def test_only_newly_qualifying_enterprises_get_a_notice(zone, users, enterprises, policies):
    policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    admin = users["admin"]
    # 祁连食品 pays more tax: it now qualifies for the scale reward too.
    enterprise_year_save(actor=admin, enterprise=enterprises["qilian"], year=2025, tax="3500000")
    # 永新材料 loses its 专精特新 title: its match lapses, nobody is told twice.
    enterprise_update(actor=admin, enterprise=enterprises["yongxin"], tags=["高新技术企业"])
    result = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert (result.new_matches, result.notices, result.grants, result.lapsed) == (1, 1, 0, 1)
    assert PolicyNotice.objects.filter(enterprise=enterprises["qilian"], policy=policies["scale"]).count() == 1
    lapsed = PolicyMatch.objects.get(policy=policies["zjtx"], enterprise=enterprises["yongxin"])
    assert lapsed.eligible is False
    # Regaining the title does not send the notice again.
    enterprise_update(actor=admin, enterprise=enterprises["yongxin"], tags=["专精特新", "高新技术企业"])
    result = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert (result.new_matches, result.notices) == (0, 0)
    lapsed.refresh_from_db()
    assert lapsed.eligible is True
    assert PolicyNotice.objects.count() == 11


def test_auto_grant_without_computable_amount_is_noticed_but_not_granted(zone, users, enterprises, policies):
    policy = policy_save(
        actor=users["dept_head"],
        policy=Policy(
            zone=zone,
            title="出口奖励",
            issuer="管委会",
            valid_from=dt.date(2025, 1, 1),
            conditions=[{"field": "industry", "op": "in", "value": ["D44"]}],
            amount_rule={"kind": "rate", "metric": "exports", "year": 2025, "rate": "0.01"},
            auto_grant=True,
        ),
    )
    policy_publish(actor=users["dept_head"], policy=policy)
    result = policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    assert result.not_computable == 1
    assert not PolicyGrant.objects.filter(policy=policy).exists()
    notice = PolicyNotice.objects.get(policy=policy)
    assert notice.body.splitlines()[-1] == "本政策免申即享，但贵企业的登记数据不足以核定金额，请联系园区补充年度数据。"


def test_only_policy_staff_run_the_matching_and_nothing_changes(zone, users, enterprises, policies):
    before = AuditEvent.objects.count()
    for role in ("clerk", "enterprise", "province_supervisor"):
        with pytest.raises(PermissionDenied):
            policy_match_run(actor=users[role], zone_id=zone.pk, on=ON)
    assert PolicyMatch.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_sweep_matches_every_zone_and_is_idempotent(zone, users, enterprises, policies):
    first = policies_sweep()
    assert "新增符合" in first
    count = (PolicyMatch.objects.count(), PolicyNotice.objects.count(), PolicyGrant.objects.count())
    assert count[0] >= 10
    policies_sweep()
    assert (PolicyMatch.objects.count(), PolicyNotice.objects.count(), PolicyGrant.objects.count()) == count
    event = AuditEvent.objects.filter(action="policy.match_run").first()
    assert event.actor_name == "sweep"


def test_policy_conditions_are_validated_when_saved_and_nothing_is_kept(zone, users):
    with pytest.raises(InvalidInput) as err:
        policy_save(
            actor=users["dept_head"],
            policy=Policy(
                zone=zone,
                title="坏政策",
                issuer="管委会",
                valid_from=ON,
                conditions=[
                    {"field": "industry", "op": "in", "value": "C26"},
                    {"field": "taxes", "op": ">", "value": 1},
                ],
            ),
        )
    assert err.value.fields["conditions"].startswith("资格条件有误：第2条条件：未知的字段“taxes”")
    with pytest.raises(InvalidInput) as err:
        policy_save(
            actor=users["dept_head"],
            policy=Policy(zone=zone, title="免申", issuer="管委会", valid_from=ON, auto_grant=True),
        )
    assert err.value.fields["auto_grant"] == "免申即享政策须设置金额规则（定额或按比例），系统才能核定兑现金额。"
    with pytest.raises(InvalidInput) as err:
        policy_save(
            actor=users["dept_head"],
            policy=Policy(zone=zone, title="反", issuer="管委会", valid_from=ON, valid_to=dt.date(2026, 1, 1)),
        )
    assert "有效期止不能早于有效期起" in err.value.message
    assert Policy.objects.count() == 0


def test_policy_status_moves_only_along_its_pipeline(zone, users):
    editor = users["dept_head"]
    policy = policy_save(actor=editor, policy=Policy(zone=zone, title="政", issuer="管委会", valid_from=ON))
    with pytest.raises(TransitionNotAllowed, match="目前为“草稿”，不能停止执行"):
        policy_expire(actor=editor, policy=policy)
    policy = policy_publish(actor=editor, policy=policy)
    assert policy.status == Policy.Status.PUBLISHED and policy.published_at is not None
    with pytest.raises(TransitionNotAllowed, match="目前为“已发布”，不能发布"):
        policy_publish(actor=editor, policy=policy)
    assert policy_expire(actor=editor, policy=policy).status == Policy.Status.EXPIRED
    with pytest.raises(PermissionDenied):
        policy_publish(actor=users["clerk"], policy=policy)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.EXPIRED


def test_facts_follow_the_records(zone, enterprises):
    facts = enterprise_facts(zone.pk, on=ON)
    assert sorted(f.name for f in facts.values()) == ["东寨生物", "新能光伏", "永新材料", "祁连食品", "金化科技"]
    yongxin = facts[enterprises["yongxin"].pk]
    assert yongxin.tags == {"专精特新", "zjtx", "高新技术企业", "hightech"}
    assert yongxin.above_designated_size is True
    assert yongxin.park_code == "hexipu"
    assert yongxin.years[2025].exports == Decimal("12000000.00")
    xinneng = facts[enterprises["xinneng"].pk]
    assert [(p.name, p.status, dict(p.funds_in_place)) for p in xinneng.projects] == [
        ("50MW光伏电站", "signed", {2025: Decimal("60000000.00")})
    ]
