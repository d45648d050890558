"""Special work filings, spot checks, emergency records and the park's risk level through their services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.safety.models import DrillRecord, EmergencyPlan, Incident, RiskAssessment, SpecialWork, SpotCheck
from onezone.safety.services import operations as svc
from onezone.safety.services import operations_emergency as em
from tests.safety._ops import local, ops_fixture  # noqa: F401

MONDAY = (2026, 12, 7)
SATURDAY = (2026, 12, 12)


def _file(ops, actor=None, **over):
    values = {
        "actor": actor or ops["user_a"],
        "enterprise": ops["a"],
        "kind": "hot",
        "level": "second",
        "permit_number": "DH-001",
        "place": "氯碱车间二楼管廊",
        "content": "更换法兰垫片后焊接",
        "starts_at": local(*MONDAY, 8),
        "ends_at": local(*MONDAY, 17),
        "guardians": "李监护、王监护",
        "approver": "赵厂长",
    }
    values.update(over)
    return svc.special_work_file(**values)


def test_enterprise_files_day_hot_work_with_its_level_kept(ops):
    work = _file(ops)
    assert (work.number, work.managed_level, work.at_night, work.on_rest_day, work.status) == (
        f"TS{timezone.localdate().year}-00001",
        "second",
        False,
        False,
        "filed",
    )
    event = AuditEvent.objects.get(action="safety.specialwork.file")
    assert event.actor_name == "ent-a"
    assert event.changes["managed_level"] == "second"
    assert _file(ops, permit_number="DH-002").number.endswith("-00002")


def test_night_hot_work_is_raised_and_refused_past_8_hours_with_nothing_written(ops):
    work = _file(ops, starts_at=local(*MONDAY, 18), ends_at=local(*MONDAY, 23))
    assert (work.managed_level, work.at_night, work.level) == ("first", True, "second")
    with pytest.raises(InvalidInput) as caught:
        _file(ops, starts_at=local(*MONDAY, 14), ends_at=local(2026, 12, 8, 2))
    assert caught.value.message.startswith(
        "一级动火作业（夜间作业，按规定升级为一级管理）作业票有效期最长 8 小时，本次作业 12 小时"
    )
    assert "ends_at" in caught.value.fields
    assert SpecialWork.objects.count() == 1


def test_saturday_hot_work_is_a_rest_day_by_the_calendar(ops):
    work = _file(ops, level="first", starts_at=local(*SATURDAY, 9), ends_at=local(*SATURDAY, 12))
    assert (work.managed_level, work.on_rest_day, work.is_special_hot) == ("special", True, True)


def test_confined_space_over_24_hours_is_refused(ops):
    with pytest.raises(InvalidInput, match="受限空间作业作业票有效期最长 1 天，本次作业 1 天 1 小时"):
        _file(ops, kind="confined", level="", starts_at=local(*MONDAY, 8), ends_at=local(2026, 12, 8, 9))


def test_wrong_level_and_too_long_text_are_refused_in_chinese(ops):
    with pytest.raises(InvalidInput, match="受限空间作业的级别应为：不分级"):
        _file(ops, kind="confined", level="first")
    with pytest.raises(InvalidInput) as caught:
        _file(ops, place="地" * 201)
    assert caught.value.message == "作业地点最多 200 个字，收到 201 个字，请精简后再提交。"
    assert caught.value.fields == {"place": caught.value.message}
    assert SpecialWork.objects.count() == 0


def test_another_enterprise_cannot_file_for_a_and_nothing_changes(ops, users):
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        _file(ops, actor=ops["user_b"])
    with pytest.raises(PermissionDenied):
        _file(ops, actor=users["clerk"])
    assert SpecialWork.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_close_and_cancel_follow_the_transition_table(ops):
    work = _file(ops)
    closed = svc.special_work_close(actor=ops["user_a"], work=work)
    assert closed.status == "closed"
    with pytest.raises(TransitionNotAllowed, match="当前为“已完工关闭”，不能改为“已取消”"):
        svc.special_work_cancel(actor=ops["user_a"], work=work, reason="改期")
    other = _file(ops, permit_number="DH-002")
    with pytest.raises(InvalidInput, match="请填写说明"):
        svc.special_work_cancel(actor=ops["user_a"], work=other, reason="")
    assert svc.special_work_cancel(actor=ops["user_a"], work=other, reason="设备未停车").closed_note == "设备未停车"


def test_spot_check_by_the_officer_records_the_body_and_a_fail_needs_findings(ops):
    work = _file(ops)
    with pytest.raises(InvalidInput, match="请填写发现的问题"):
        svc.special_work_spot_check(actor=ops["officer"], work=work, result="fail")
    check = svc.special_work_spot_check(
        actor=ops["officer"], work=work, result="fail", findings="监护人不在现场，气体检测记录缺失"
    )
    assert (check.body, check.result, check.checked_by) == (ops["bureau"], "fail", ops["officer"])
    assert AuditEvent.objects.filter(action="safety.specialwork.spot_check").count() == 1


def test_enterprise_and_clerk_cannot_spot_check_and_nothing_changes(ops, users):
    work = _file(ops)
    before = AuditEvent.objects.count()
    for actor in (ops["user_a"], users["clerk"]):
        with pytest.raises(PermissionDenied):
            svc.special_work_spot_check(actor=actor, work=work, result="pass")
    assert SpotCheck.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_officer_without_a_post_cannot_check_in_the_name_of_a_body(ops, users):
    from onezone.org.models import Appointment

    Appointment.objects.all().delete()
    work = _file(ops)
    with pytest.raises(PermissionDenied, match="没有任职机构"):
        svc.special_work_spot_check(actor=ops["officer"], work=work, result="pass")
    assert SpotCheck.objects.count() == 0


# --- emergency --------------------------------------------------------------------------------


def test_plans_of_the_park_and_of_an_enterprise(ops, users):
    park_plan = em.emergency_plan_file(
        actor=ops["officer"],
        zone_id=ops["zone"].pk,
        title="园区危险化学品事故综合应急预案",
        kind="comprehensive",
        version="2023版",
        issued_on=dt.date(2023, 3, 1),
    )
    assert (park_plan.enterprise, park_plan.drill_every_months, park_plan.revised_on) == (None, 12, dt.date(2023, 3, 1))
    own = em.emergency_plan_file(
        actor=ops["user_a"],
        zone_id=ops["zone"].pk,
        enterprise=ops["a"],
        title="液氯泄漏现场处置方案",
        kind="on_site",
        version="V2",
        issued_on=dt.date(2024, 5, 1),
    )
    assert own.drill_every_months == 6
    with pytest.raises(InvalidInput, match="现场处置方案至少每 6 个月演练一次"):
        em.emergency_plan_file(
            actor=ops["user_a"],
            zone_id=ops["zone"].pk,
            enterprise=ops["a"],
            title="x",
            kind="on_site",
            version="V1",
            issued_on=dt.date(2024, 5, 1),
            drill_every_months=12,
        )
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        em.emergency_plan_file(
            actor=ops["user_a"],
            zone_id=ops["zone"].pk,
            title="园区预案",
            kind="specific",
            version="1",
            issued_on=dt.date(2024, 1, 1),
        )
    with pytest.raises(NotFound):
        em.emergency_plan_revise(actor=ops["user_b"], plan=own, version="V3", revised_on=dt.date(2025, 1, 1))
    assert AuditEvent.objects.count() == before
    assert EmergencyPlan.objects.count() == 2
    revised = em.emergency_plan_revise(actor=ops["user_a"], plan=own, version="V3", revised_on=dt.date(2025, 1, 1))
    assert (revised.version, revised.revised_on) == ("V3", dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match="不能早于上次修订日期 2025-01-01"):
        em.emergency_plan_revise(actor=ops["user_a"], plan=own, version="V4", revised_on=dt.date(2024, 12, 1))


def test_drill_and_incident(ops):
    plan = em.emergency_plan_file(
        actor=ops["user_a"],
        zone_id=ops["zone"].pk,
        enterprise=ops["a"],
        title="液氯泄漏现场处置方案",
        kind="on_site",
        version="V2",
        issued_on=dt.date(2024, 5, 1),
    )
    drill = em.drill_record(
        actor=ops["user_a"], plan=plan, held_on=dt.date(2025, 6, 1), form="live", participants=35, summary="响应及时"
    )
    assert DrillRecord.objects.get() == drill
    with pytest.raises(InvalidInput, match="参演人数"):
        em.drill_record(
            actor=ops["user_a"], plan=plan, held_on=dt.date(2025, 6, 1), form="live", participants=0, summary="x"
        )
    incident = em.incident_report(
        actor=ops["user_a"],
        enterprise=ops["a"],
        title="氯气管线法兰泄漏",
        place="氯碱车间",
        occurred_at=local(2026, 12, 1, 9, 0),
        reported_at=local(2026, 12, 1, 10, 30),
        injuries=1,
        cause="法兰垫片老化",
    )
    assert incident.report_delay == dt.timedelta(minutes=90)
    assert incident.number.startswith("SG")
    with pytest.raises(InvalidInput, match="报告时间不能早于发生时间"):
        em.incident_report(
            actor=ops["user_a"],
            enterprise=ops["a"],
            title="t",
            place="p",
            occurred_at=local(2026, 12, 1, 9),
            reported_at=local(2026, 12, 1, 8),
            cause="c",
        )
    with pytest.raises(NotFound):
        em.incident_report(
            actor=ops["user_b"], enterprise=ops["a"], title="t", place="p", occurred_at=local(2026, 12, 1, 9), cause="c"
        )
    assert Incident.objects.count() == 1


# --- the park's risk level --------------------------------------------------------------------

ITEMS = [
    {"code": "1", "name": "园区规划与布局", "full": 20, "score": "16"},
    {"code": "2", "name": "安全管理体系", "full": 30, "score": "24.5"},
    {"code": "3", "name": "封闭化管理与应急能力", "full": 50, "score": "44"},
]


def test_self_assessment_level_and_the_provinces_review(ops, users):
    assessment = svc.risk_assessment_submit(actor=ops["officer"], park=ops["hexipu"], year=2025, items=ITEMS)
    assert (assessment.total, assessment.level, assessment.items.count()) == (Decimal("84.5"), "C", 3)
    again = svc.risk_assessment_submit(
        actor=ops["officer"], park=ops["hexipu"], year=2025, items=[{**ITEMS[0], "score": "16.5"}, *ITEMS[1:]]
    )
    assert (again.pk, again.total, again.level) == (assessment.pk, Decimal("85"), "D")
    with pytest.raises(PermissionDenied):
        svc.risk_assessment_review(
            actor=ops["officer"],
            assessment=again,
            level="C",
            reviewed_on=dt.date(2026, 3, 1),
            document="甘应急〔2026〕1号",
        )
    reviewed = svc.risk_assessment_review(
        actor=users["province_supervisor"],
        assessment=again,
        level="C",
        reviewed_on=dt.date(2026, 3, 1),
        document="甘应急〔2026〕1号",
    )
    assert (reviewed.level, reviewed.reviewed_level) == ("D", "C")
    assert RiskAssessment.objects.get().reviewed_level == "C"


def test_self_assessment_with_wrong_scores_is_refused_and_nothing_written(ops, users):
    with pytest.raises(InvalidInput, match="满分合计应为 100 分，现为 50 分"):
        svc.risk_assessment_submit(actor=ops["officer"], park=ops["hexipu"], year=2025, items=ITEMS[2:])
    with pytest.raises(PermissionDenied):
        svc.risk_assessment_submit(actor=users["clerk"], park=ops["hexipu"], year=2025, items=ITEMS)
    assert RiskAssessment.objects.count() == 0
