"""Jobs, applications, shared labour and talent needs: the services, their rules and their authority."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.support.models import JobApplication, JobPosting, LabourSharing, TalentNeed, TalentPlacement
from onezone.support.selectors.labour import applications_of_job, fill_rate, talent_needs
from onezone.support.services.labour import (
    application_open,
    application_rate_check,
    job_apply,
    job_post,
    job_transition,
    job_update,
)
from onezone.support.services.labour_sharing import (
    sharing_cancel,
    sharing_confirm,
    sharing_decline,
    sharing_propose,
    talent_need_save,
    talent_place,
)
from tests.support.labour_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _job(actor, enterprise, **overrides):
    values = {
        "title": "电解工",
        "places": 5,
        "pay_min": "5000",
        "pay_max": "8000",
        "requirements": "高中以上学历，能倒班。",
        "place": "河西堡工业园",
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(overrides)
    return job_post(actor=actor, enterprise=enterprise, **values)


# --- jobs ----------------------------------------------------------------------------------------


def test_enterprise_posts_a_job_with_exact_terms_and_an_audit_entry(firms):
    job = _job(firms["copper_user"], firms["copper"])
    job.refresh_from_db()
    assert (job.title, job.places, job.pay_min, job.pay_max, job.status) == (
        "电解工",
        5,
        Decimal("5000.00"),
        Decimal("8000.00"),
        "published",
    )
    assert job.zone_id == firms["copper"].zone_id
    assert AuditEvent.objects.filter(action="support.job.post", object_id=str(job.pk)).count() == 1


def test_an_enterprise_cannot_post_for_another_and_nothing_is_written(firms):
    with pytest.raises(NotFound):
        _job(firms["food_user"], firms["copper"])
    assert JobPosting.objects.count() == 0
    assert not AuditEvent.objects.filter(action="support.job.post").exists()


def test_desk_on_the_body_posts_for_an_enterprise_and_another_body_may_not(firms, desk, outsider):
    _job(desk, firms["food"])
    with pytest.raises(PermissionDenied, match="经济发展局"):
        _job(outsider, firms["food"])
    assert JobPosting.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "工" * 61}, "title", "岗位名称最多 60 个字，收到 61 个字"),
        ({"requirements": "要" * 2001}, "requirements", "任职要求最多 2,000 个字，收到 2,001 个字"),
        ({"places": 0}, "places", "1 到 999"),
        ({"pay_min": "9000"}, "pay_min", "月薪下限不能高于上限"),
        ({"pay_max": "abc"}, "pay_max", "应为数字"),
        ({"valid_until": dt.date(2000, 1, 1)}, "valid_until", "不能早于今天"),
        ({"title": "  "}, "title", "请填写岗位名称"),
    ],
)
def test_job_terms_are_checked_with_chinese_messages(firms, overrides, field, message):
    with pytest.raises(InvalidInput) as caught:
        _job(firms["copper_user"], firms["copper"], **overrides)
    assert message in caught.value.message
    assert field in caught.value.fields
    assert JobPosting.objects.count() == 0


def test_close_and_reopen_follow_the_transition_table(firms):
    job = _job(firms["copper_user"], firms["copper"])
    job = job_transition(actor=firms["copper_user"], job=job, to="closed")
    assert job.status == "closed"
    with pytest.raises(TransitionNotAllowed):
        job_transition(actor=firms["copper_user"], job=job, to="closed")
    assert job_transition(actor=firms["copper_user"], job=job, to="published").status == "published"


def test_update_records_what_changed(firms):
    job = _job(firms["copper_user"], firms["copper"])
    job_update(
        actor=firms["copper_user"],
        job=job,
        title="电解工（倒班）",
        places=6,
        pay_min="5000",
        pay_max="8000",
        requirements="高中以上学历，能倒班。",
        place="河西堡工业园",
        valid_until=job.valid_until,
    )
    event = AuditEvent.objects.get(action="support.job.update")
    assert event.changes == {"title": ["电解工", "电解工（倒班）"], "places": ["5", "6"]}


# --- applications --------------------------------------------------------------------------------


def test_a_person_applies_and_the_phone_is_masked_until_opened(firms):
    job = _job(firms["copper_user"], firms["copper"])
    application = job_apply(actor=None, job=job, name="张三", phone="139 0935 1234", note="有电工证")
    assert application.phone == "13909351234"
    [row] = applications_of_job(job)
    assert row.phone == "139****1234"
    opened = application_open(actor=firms["copper_user"], application=application)
    assert opened.status == "opened"
    [row] = applications_of_job(job, revealed=opened.pk)
    assert row.phone == "13909351234"
    reveal = AuditEvent.objects.get(action="support.application.reveal")
    assert reveal.changes == {"fields": ["phone"], "job": job.pk}
    assert reveal.actor_id == firms["copper_user"].pk


def test_another_enterprise_cannot_open_an_application(firms):
    job = _job(firms["copper_user"], firms["copper"])
    application = job_apply(actor=None, job=job, name="张三", phone="13909351234")
    with pytest.raises(NotFound):
        application_open(actor=firms["food_user"], application=application)
    application.refresh_from_db()
    assert application.status == "new"
    assert not AuditEvent.objects.filter(action="support.application.reveal").exists()


def test_one_application_per_phone_and_none_to_a_closed_job(firms):
    job = _job(firms["copper_user"], firms["copper"])
    job_apply(actor=None, job=job, name="张三", phone="13909351234")
    with pytest.raises(Conflict):
        job_apply(actor=None, job=job, name="张三", phone="+86 139 0935 1234")
    job_transition(actor=firms["copper_user"], job=job, to="closed")
    with pytest.raises(TransitionNotAllowed):
        job_apply(actor=None, job=job, name="李四", phone="13909351235")
    assert JobApplication.objects.count() == 1


def test_application_inputs_are_checked(firms):
    job = _job(firms["copper_user"], firms["copper"])
    with pytest.raises(InvalidInput, match="手机"):
        job_apply(actor=None, job=job, name="张三", phone="12345")
    with pytest.raises(InvalidInput, match="自我介绍最多 300 个字，收到 301 个字"):
        job_apply(actor=None, job=job, name="张三", phone="13909351234", note="介" * 301)
    assert JobApplication.objects.count() == 0


def test_the_public_is_rate_limited(settings):
    settings.ONEZONE_SUPPORT_APPLICATIONS_PER_HOUR = 2
    application_rate_check(client="10.0.0.1")
    application_rate_check(client="10.0.0.1")
    with pytest.raises(RateLimited, match="每小时最多 2 份"):
        application_rate_check(client="10.0.0.1")
    application_rate_check(client="10.0.0.2")


# --- shared labour -------------------------------------------------------------------------------


def _sharing(actor, firms, **overrides):
    values = {
        "lender": firms["food"],
        "borrower": firms["copper"],
        "workers": 8,
        "start": dt.date(2026, 3, 1),
        "end": dt.date(2026, 5, 31),
        "work": "旺季包装",
    }
    values.update(overrides)
    return sharing_propose(actor=actor, **values)


def test_a_sharing_takes_effect_when_both_enterprises_confirm(firms):
    sharing = _sharing(firms["food_user"], firms)
    assert sharing.status == "proposed"
    assert sharing.lender_confirmed_at is not None and sharing.borrower_confirmed_at is None
    assert "劳动合同和社会保险关系保留在调出企业（永昌牧业食品有限公司）" in sharing.employer_rule
    sharing = sharing_confirm(actor=firms["copper_user"], sharing=sharing)
    assert sharing.status == "confirmed"
    assert [e.changes for e in AuditEvent.objects.filter(action="support.sharing.confirm")] == [
        {"side": "borrower", "status": "confirmed"}
    ]


def test_the_desk_registers_a_sharing_that_both_still_confirm(firms, desk):
    sharing = _sharing(desk, firms)
    assert sharing.lender_confirmed_at is None and sharing.borrower_confirmed_at is None
    sharing = sharing_confirm(actor=firms["food_user"], sharing=sharing)
    assert sharing.status == "proposed"
    assert sharing_confirm(actor=firms["copper_user"], sharing=sharing).status == "confirmed"


def test_a_third_party_cannot_confirm_and_nothing_changes(firms, stranger, desk):
    sharing = _sharing(desk, firms)
    with pytest.raises(PermissionDenied):
        sharing_confirm(actor=stranger["user"], sharing=sharing)
    sharing.refresh_from_db()
    assert (sharing.status, sharing.lender_confirmed_at, sharing.borrower_confirmed_at) == ("proposed", None, None)


def test_sharing_rules(firms):
    with pytest.raises(InvalidInput, match="同一家企业"):
        _sharing(firms["food_user"], firms, borrower=firms["food"])
    with pytest.raises(InvalidInput, match="结束日期不能早于开始日期"):
        _sharing(firms["food_user"], firms, end=dt.date(2026, 2, 1))
    with pytest.raises(InvalidInput, match="最长 366 天"):
        _sharing(firms["food_user"], firms, end=dt.date(2027, 3, 2))
    with pytest.raises(InvalidInput, match="工作内容最多 200 个字，收到 201 个字"):
        _sharing(firms["food_user"], firms, work="包" * 201)
    assert LabourSharing.objects.count() == 0


def test_decline_and_cancel_close_a_proposal(firms, desk):
    declined = sharing_decline(actor=firms["copper_user"], sharing=_sharing(firms["food_user"], firms), reason="人手够")
    assert (declined.status, declined.closed_reason) == ("declined", "人手够")
    with pytest.raises(TransitionNotAllowed):
        sharing_confirm(actor=firms["copper_user"], sharing=declined)
    cancelled = sharing_cancel(actor=desk, sharing=_sharing(firms["food_user"], firms), reason="企业另有安排")
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidInput, match="请填写撤回原因"):
        sharing_cancel(actor=desk, sharing=_sharing(firms["food_user"], firms), reason="")


# --- talent needs --------------------------------------------------------------------------------


def test_talent_needs_and_fill_rate_from_placements(zone, desk, firms):
    safety = talent_need_save(actor=desk, zone_id=zone.pk, field="safety", title="注册安全工程师", needed=4, year=2026)
    chemical = talent_need_save(
        actor=desk, zone_id=zone.pk, field="chemical", title="化工工艺工程师", needed=2, year=2026
    )
    for name in ("甲", "乙", "丙"):
        talent_place(
            actor=desk, need=safety, person_name=name, placed_on=dt.date(2026, 3, 1), enterprise=firms["copper"]
        )
    for name in ("丁", "戊", "己"):  # one more than needed: the rate stops at 100%
        talent_place(actor=desk, need=chemical, person_name=name, placed_on=dt.date(2026, 4, 1))
    rows, fields, total = talent_needs(zone.pk, 2026)
    assert [(r.need.title, r.filled, r.rate) for r in rows] == [
        ("注册安全工程师", 3, Decimal("75.0")),
        ("化工工艺工程师", 3, Decimal("100.0")),
    ]
    by_field = {f.field: (f.needed, f.filled, f.rate) for f in fields}
    assert by_field["safety"] == (4, 3, Decimal("75.0"))
    assert by_field["chemical"] == (2, 2, Decimal("100.0"))
    assert by_field["emergency"] == (0, 0, None)
    assert (total.needed, total.filled, total.rate) == (6, 5, Decimal("83.3"))


def test_talent_desk_authority_and_nothing_written(zone, outsider, firms):
    with pytest.raises(PermissionDenied):
        talent_need_save(actor=outsider, zone_id=zone.pk, field="safety", title="安全员", needed=1, year=2026)
    with pytest.raises(PermissionDenied):
        talent_need_save(
            actor=firms["copper_user"], zone_id=zone.pk, field="safety", title="安全员", needed=1, year=2026
        )
    assert TalentNeed.objects.count() == 0 and TalentPlacement.objects.count() == 0


def test_talent_inputs(zone, desk):
    with pytest.raises(InvalidInput, match="领域应为"):
        talent_need_save(actor=desk, zone_id=zone.pk, field="medicine", title="医生", needed=1, year=2026)
    need = talent_need_save(actor=desk, zone_id=zone.pk, field="emergency", title="应急救援员", needed=3, year=2026)
    with pytest.raises(InvalidInput, match="同名"):
        talent_need_save(actor=desk, zone_id=zone.pk, field="emergency", title="应急救援员", needed=3, year=2026)
    with pytest.raises(InvalidInput, match="不能晚于今天"):
        talent_place(actor=desk, need=need, person_name="甲", placed_on=timezone.localdate() + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("filled", "needed", "rate"),
    [(0, 1, Decimal("0.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (5, 4, Decimal("100.0")), (1, 0, None)],
)
def test_fill_rate(filled, needed, rate):
    assert fill_rate(filled, needed) == rate
