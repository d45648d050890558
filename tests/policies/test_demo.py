"""The policies demo step loads, and what it shows is what the records compute."""

import pytest

from onezone.demo.loader import load_demo
from onezone.enterprises.models import Enterprise
from onezone.policies.models import GrantStatus, Policy, PolicyGrant, PolicyMatch, PolicyNotice
from onezone.policies.selectors import policy_qualifying

pytestmark = pytest.mark.django_db

STEPS = ["s10_foundation", "s30_enterprises", "s60_investment", "s70_policies"]


def test_demo_policies_load_and_match_the_demo_enterprises(calendar_seeded):
    ctx = load_demo(only=STEPS)
    zone = ctx.zone
    policies = Policy.objects.filter(zone=zone)
    assert policies.count() == 10
    assert set(policies.values_list("is_demo", flat=True)) == {True}
    assert policies.filter(status=Policy.Status.PUBLISHED).count() == 9
    assert policies.filter(auto_grant=True).count() == 3
    # Every stored match is what the engine computes from the records now.
    for policy in policies.filter(status=Policy.Status.PUBLISHED):
        expected = {row.enterprise_id for row in policy_qualifying(zone.pk, policy)}
        stored = set(PolicyMatch.objects.filter(policy=policy, eligible=True).values_list("enterprise_id", flat=True))
        assert stored == expected, policy.title
    assert PolicyNotice.objects.filter(zone=zone).count() == PolicyMatch.objects.filter(zone=zone).count()
    if Enterprise.objects.filter(zone=zone).exists():
        statuses = set(PolicyGrant.objects.filter(zone=zone).values_list("status", flat=True))
        assert {GrantStatus.PROPOSED, GrantStatus.CONFIRMED, GrantStatus.PAID} <= statuses
    assert any(line.startswith("惠企政策：10 项") for line in ctx.log)


def test_the_demo_enterprise_user_has_a_grant_to_confirm(calendar_seeded):
    from onezone.core.roles import Role
    from onezone.policies.selectors import enterprise_of_member, grants_of_enterprise

    ctx = load_demo(only=STEPS)
    enterprise = enterprise_of_member(ctx.users[Role.ENTERPRISE.value])
    if enterprise is None:
        pytest.skip("企业演示数据未载入")
    statuses = [g.status for g in grants_of_enterprise(enterprise)]
    assert statuses
    assert set(statuses) == {GrantStatus.PROPOSED}
