"""免申即享: the zone proposes, the enterprise confirms (or declines), the zone pays; every step audited."""

import pytest

from onezone.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.policies.models import GrantStatus, PolicyGrant, PolicyNotice
from onezone.policies.services import grant_confirm, grant_decline, grant_pay, notice_read, policy_match_run
from tests.policies.conftest import ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants(zone, users, enterprises, policies, members):
    policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=ON)
    return {
        g.enterprise.name: g for g in PolicyGrant.objects.select_related("enterprise").filter(policy=policies["jobs"])
    }


def _state(grant):
    grant.refresh_from_db()
    return (grant.status, grant.confirmed_at, grant.paid_at, grant.declined_at)


def test_enterprise_confirms_and_staff_pay(grants, members, users):
    grant = grants["金化科技"]
    confirmed = grant_confirm(actor=members["jinhua"], grant_id=grant.pk, bank_account_note="基本户")
    assert confirmed.status == GrantStatus.CONFIRMED
    assert confirmed.confirmed_by == members["jinhua"]
    assert confirmed.bank_account_note == "基本户"
    paid = grant_pay(actor=users["leader"], grant_id=grant.pk, payment_reference="拨2026-001")
    assert paid.status == GrantStatus.PAID
    assert (paid.paid_by, paid.payment_reference) == (users["leader"], "拨2026-001")
    actions = list(
        AuditEvent.objects.filter(object_type="policies.policygrant", object_id=str(grant.pk))
        .order_by("id")
        .values_list("action", "actor_name")
    )
    assert actions == [("policy_grant.confirm", "ent-jinhua"), ("policy_grant.pay", "u-leader")]


def test_enterprise_declines_with_a_reason(grants, members):
    grant = grants["金化科技"]
    with pytest.raises(InvalidInput, match="请填写放弃原因"):
        grant_decline(actor=members["jinhua"], grant_id=grant.pk, reason="  ")
    declined = grant_decline(actor=members["jinhua"], grant_id=grant.pk, reason="已享受同类补贴")
    assert (declined.status, declined.decline_reason) == (GrantStatus.DECLINED, "已享受同类补贴")
    with pytest.raises(TransitionNotAllowed, match="目前为“企业已放弃”，不能确认"):
        grant_confirm(actor=members["jinhua"], grant_id=grant.pk)


def test_another_enterprises_grant_is_not_found_and_unchanged(grants, members):
    grant = grants["金化科技"]
    before = _state(grant)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(NotFound, match="没有找到该兑现记录"):
        grant_confirm(actor=members["yongxin"], grant_id=grant.pk)
    with pytest.raises(NotFound):
        grant_decline(actor=members["yongxin"], grant_id=grant.pk, reason="不要")
    with pytest.raises(NotFound):
        grant_confirm(actor=members["yongxin"], grant_id=999_999)
    assert _state(grant) == before
    assert AuditEvent.objects.count() == audit_before


def test_staff_cannot_confirm_for_the_enterprise_and_the_enterprise_cannot_pay(grants, members, users):
    grant = grants["金化科技"]
    before = _state(grant)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="须由企业本身确认"):
        grant_confirm(actor=users["admin"], grant_id=grant.pk)
    with pytest.raises(TransitionNotAllowed, match="目前为“待企业确认”，不能批准拨付"):
        grant_pay(actor=users["leader"], grant_id=grant.pk)
    grant_confirm(actor=members["jinhua"], grant_id=grant.pk)
    confirmed = _state(grant)
    for actor in (members["jinhua"], users["clerk"], users["dept_head"], users["province_supervisor"]):
        with pytest.raises(PermissionDenied):
            grant_pay(actor=actor, grant_id=grant.pk)
    assert _state(grant) == confirmed
    assert confirmed[0] == GrantStatus.CONFIRMED and before[0] == GrantStatus.PROPOSED
    assert AuditEvent.objects.count() == audit_before + 1


def test_anonymous_is_asked_to_log_in(grants):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        grant_confirm(actor=AnonymousUser(), grant_id=grants["金化科技"].pk)


def test_a_paid_grant_is_final(grants, members, users):
    grant = grants["金化科技"]
    grant_confirm(actor=members["jinhua"], grant_id=grant.pk)
    grant_pay(actor=users["admin"], grant_id=grant.pk)
    with pytest.raises(TransitionNotAllowed, match="目前为“已拨付”，不能批准拨付"):
        grant_pay(actor=users["admin"], grant_id=grant.pk)
    with pytest.raises(TransitionNotAllowed):
        grant_decline(actor=members["jinhua"], grant_id=grant.pk, reason="晚了")


def test_notices_are_read_by_their_own_enterprise_only(grants, members, enterprises):
    notice = PolicyNotice.objects.filter(enterprise=enterprises["jinhua"]).first()
    with pytest.raises(NotFound):
        notice_read(actor=members["yongxin"], notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.read_at is None
    first = notice_read(actor=members["jinhua"], notice_id=notice.pk).read_at
    assert first is not None
    assert notice_read(actor=members["jinhua"], notice_id=notice.pk).read_at == first
    assert AuditEvent.objects.filter(action="policy_notice.read").count() == 1
