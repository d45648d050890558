import datetime as dt

import pytest

from onezone.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.enterprises.models import Inspection
from onezone.enterprises.selectors import inspections_month, inspections_of_enterprise, joint_offers
from onezone.enterprises.services import (
    InspectionBlocked,
    JointInspectionOffered,
    inspection_cancel,
    inspection_complete,
    inspection_plan,
    inspection_rule_save,
    inspections_merge,
)

pytestmark = pytest.mark.django_db


def plan(firms, users, body, day, kind="routine", enterprise="a", **kw):
    return inspection_plan(
        actor=users["dept_head"],
        enterprise=firms[enterprise],
        body=body,
        kind=kind,
        planned_on=day,
        purpose=kw.pop("purpose", "安全生产例行检查"),
        **kw,
    )


def test_second_routine_inspection_in_a_quarter_is_blocked_and_recorded(firms, users, bodies):
    first = plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12))
    assert first.status == "planned"
    with pytest.raises(InspectionBlocked) as err:
        plan(firms, users, bodies["enforcement"], dt.date(2026, 12, 1))
    assert err.value.message == (
        "“金昌甲新材料有限公司”2026年第4季度已安排例行检查1次（执法大队 2026-10-12），已达每季度1次的上限；"
        "请与已有检查合并，或改在下一周期安排。"
    )
    blocked = err.value.inspection
    assert blocked.status == "blocked"
    assert Inspection.objects.filter(status="planned").count() == 1
    # the next quarter is free again
    assert plan(firms, users, bodies["enforcement"], dt.date(2027, 1, 5)).status == "planned"


def test_the_limit_is_data(firms, users, bodies, setup):
    inspection_rule_save(actor=users["admin"], zone_id=setup.pk, max_routine=2, period="year")
    plan(firms, users, bodies["enforcement"], dt.date(2026, 1, 12))
    plan(firms, users, bodies["enforcement"], dt.date(2026, 6, 12))
    with pytest.raises(InspectionBlocked, match=r"2026年已安排例行检查2次.*已达每年2次的上限"):
        plan(firms, users, bodies["enforcement"], dt.date(2026, 11, 12))


def test_low_risk_enterprise_is_exempt_from_routine_checks(firms, users, bodies):
    with pytest.raises(InspectionBlocked, match="低风险企业，按本开发区规则免于例行检查"):
        plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12), enterprise="c")
    assert not Inspection.objects.filter(enterprise=firms["c"], status="planned").exists()


def test_triggered_inspection_is_always_allowed_and_recorded_as_such(firms, users, bodies):
    plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12))
    with pytest.raises(InvalidInput, match="须写明来由"):
        plan(firms, users, bodies["environment"], dt.date(2026, 11, 30), kind="complaint")
    triggered = plan(
        firms, users, bodies["environment"], dt.date(2026, 11, 30), kind="complaint", trigger_note="12345热线投诉"
    )
    assert triggered.status == "planned"
    assert triggered.triggered is True
    low = plan(
        firms,
        users,
        bodies["enforcement"],
        dt.date(2026, 11, 2),
        kind="accident",
        enterprise="c",
        trigger_note="灼伤事故",
    )
    assert low.kind == "accident"


def test_overlapping_plans_of_two_bodies_are_offered_as_one_joint_inspection(firms, users, bodies):
    first = plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12))
    with pytest.raises(JointInspectionOffered) as err:
        plan(firms, users, bodies["environment"], dt.date(2026, 10, 20), purpose="环保设施运行检查")
    assert err.value.candidates == [first]
    assert "综合查一次" in err.value.message
    assert Inspection.objects.count() == 1
    joint = plan(firms, users, bodies["environment"], dt.date(2026, 10, 20), purpose="环保设施运行检查", join=True)
    assert joint.kind == "joint"
    assert joint.planned_on == dt.date(2026, 10, 12)
    assert {b.name for b in joint.participants.all()} == {"执法大队", "生态环境分局"}
    assert joint.purpose == "执法大队：安全生产例行检查；环境分局：环保设施运行检查"
    first.refresh_from_db()
    assert (first.status, first.joint) == ("merged", joint)
    # one visit counts against the quarter's limit
    counted = Inspection.objects.filter(status="planned", kind__in=["routine", "joint"]).count()
    assert counted == 1
    # a third body joins the same joint inspection
    same = plan(firms, users, bodies["economy"], dt.date(2026, 10, 14), purpose="统计数据核查", join=True)
    assert same == joint
    assert joint.participants.count() == 3


def test_merge_separately_planned_triggered_visits(firms, users, bodies):
    a = plan(firms, users, bodies["environment"], dt.date(2026, 5, 6), kind="complaint", trigger_note="投诉A")
    b = plan(firms, users, bodies["enforcement"], dt.date(2026, 5, 8), kind="accident", trigger_note="事故B")
    offers = joint_offers(zone_id=a.zone_id, window_days=15, today=dt.date(2026, 5, 1))
    assert [o.plans for o in offers] == [[a, b]]
    joint = inspections_merge(actor=users["dept_head"], inspections=[a, b])
    assert joint.kind == "joint"
    assert joint.trigger_note == "投诉A；事故B"
    assert joint_offers(zone_id=a.zone_id, window_days=15, today=dt.date(2026, 5, 1)) == []


def test_merge_refuses_far_apart_same_body_and_done(firms, users, bodies):
    a = plan(firms, users, bodies["environment"], dt.date(2026, 5, 6), kind="complaint", trigger_note="A")
    far = plan(firms, users, bodies["enforcement"], dt.date(2026, 7, 6), kind="complaint", trigger_note="B")
    with pytest.raises(InvalidInput, match="相距超过15天"):
        inspections_merge(actor=users["dept_head"], inspections=[a, far])
    same = plan(firms, users, bodies["environment"], dt.date(2026, 5, 7), kind="complaint", trigger_note="C")
    with pytest.raises(InvalidInput, match="同一机构"):
        inspections_merge(actor=users["dept_head"], inspections=[a, same])
    inspection_complete(actor=users["dept_head"], inspection=same, done_on=dt.date(2026, 5, 7), result="无问题")
    with pytest.raises(TransitionNotAllowed):
        inspections_merge(actor=users["dept_head"], inspections=[a, same])
    assert Inspection.objects.filter(kind="joint").count() == 0


def test_cancel_frees_the_quarter(firms, users, bodies):
    first = plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12))
    inspection_cancel(actor=users["dept_head"], inspection=first, reason="企业停产检修")
    assert plan(firms, users, bodies["enforcement"], dt.date(2026, 11, 12)).status == "planned"
    with pytest.raises(TransitionNotAllowed):
        inspection_cancel(actor=users["dept_head"], inspection=first, reason="再取消")


def test_clerk_may_not_plan_and_nothing_changes(firms, users, bodies):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        inspection_plan(
            actor=users["clerk"],
            enterprise=firms["a"],
            body=bodies["enforcement"],
            kind="routine",
            planned_on=dt.date(2026, 10, 1),
            purpose="检查",
        )
    assert Inspection.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_history_and_calendar(firms, users, bodies):
    first = plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 12))
    with pytest.raises(InspectionBlocked):
        plan(firms, users, bodies["enforcement"], dt.date(2026, 10, 30))
    history = inspections_of_enterprise(firms["a"])
    assert [(i.planned_on, i.status) for i in history] == [
        (dt.date(2026, 10, 30), "blocked"),
        (dt.date(2026, 10, 12), "planned"),
    ]
    weeks = inspections_month(zone_id=first.zone_id, year=2026, month=10)
    assert weeks[0][0].day == dt.date(2026, 9, 28)  # Monday first
    days = {d.day: d.inspections for week in weeks for d in week}
    assert days[dt.date(2026, 10, 12)] == [first]
    assert days[dt.date(2026, 10, 30)] == []  # blocked plans are not visits


@pytest.mark.parametrize("count", [2, 12])
def test_inspection_list_query_count_is_pinned(firms, users, bodies, django_assert_num_queries, count):
    from onezone.enterprises.selectors import inspections_list

    for i in range(count):
        plan(
            firms,
            users,
            bodies["enforcement"],
            dt.date(2026, 1, 1) + dt.timedelta(days=i),
            kind="complaint",
            trigger_note="投诉",
        )
    with django_assert_num_queries(3):
        page = inspections_list(zone_id=firms["a"].zone_id)
        assert len(page.items) == count
        assert all(i.body.name == "执法大队" and i.enterprise.name for i in page.items)
        assert all(list(i.participants.all()) == [] for i in page.items)
