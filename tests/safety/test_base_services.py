"""Services of the safety base: records, grading stored, authority, input limits, the inspection quota."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.safety.models import EnterpriseProcess, Installation, Licence, SafetyInspection, SafetyProfile
from onezone.safety.services import base as services
from tests.safety._base import chlorine_tanks, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_installation_grading_is_stored_with_its_substances(world):
    inst = chlorine_tanks(world, quantity="40", people=120)
    inst.refresh_from_db()
    # S = 40/5 = 8; R = 2.0 × 4 × 8 = 64 → 二级
    assert (inst.s_value, inst.r_value, inst.major, inst.level) == (Decimal("8"), Decimal("64"), True, 2)
    assert [(s.name, s.quantity_t, s.category) for s in inst.substances.all()] == [("氯", Decimal("40.000"), "")]
    assert AuditEvent.objects.filter(action="safety.installation.save", object_id=str(inst.pk)).count() == 1


def test_installation_regrades_when_corrected(world):
    inst = chlorine_tanks(world, quantity="40", people=120)
    services.installation_save(
        actor=world["officer"],
        enterprise=world["a"],
        name="液氯储罐区",
        kind="storage",
        substances=[{"name": "氯", "quantity_t": "4"}],
        people_exposed=120,
        installation=inst,
    )
    inst.refresh_from_db()
    assert (inst.major, inst.level, inst.s_value) == (False, None, Decimal("0.8"))
    assert inst.substances.count() == 1


def test_an_unknown_substance_is_refused_in_chinese_and_nothing_is_saved(world):
    with pytest.raises(InvalidInput) as exc:
        services.installation_save(
            actor=world["officer"],
            enterprise=world["a"],
            name="未知罐区",
            kind="storage",
            substances=[{"name": "神秘物质", "quantity_t": 3}],
            people_exposed=0,
        )
    assert exc.value.fields == {"name": exc.value.message}
    assert "不在GB 18218-2018表1中" in exc.value.message
    assert Installation.objects.count() == 0


def test_an_enterprise_user_records_only_its_own_enterprise(world):
    services.profile_save(
        actor=world["user_a"], enterprise=world["a"], x_m=Decimal("120.5"), y_m=Decimal("80"), hazardous_chemicals=True
    )
    assert SafetyProfile.objects.get(enterprise=world["a"]).x_m == Decimal("120.5")
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.profile_save(
            actor=world["user_a"], enterprise=world["b"], x_m=None, y_m=None, hazardous_chemicals=True
        )
    assert not SafetyProfile.objects.filter(enterprise=world["b"]).exists()
    assert AuditEvent.objects.count() == before


def test_staff_without_a_safety_role_may_not_record(world):
    with pytest.raises(PermissionDenied):
        services.licence_save(
            actor=world["clerk"],
            enterprise=world["a"],
            kind="production",
            number="（甘）WH安许证字〔2024〕000123",
            issuer="甘肃省应急管理厅",
            valid_from=dt.date(2024, 1, 1),
            valid_to=dt.date(2027, 1, 1),
        )
    assert Licence.objects.count() == 0


def test_text_limits_name_the_limit_and_the_length(world):
    with pytest.raises(InvalidInput) as exc:
        services.licence_save(
            actor=world["officer"],
            enterprise=world["a"],
            kind="production",
            number="号" * 61,
            issuer="甘肃省应急管理厅",
            valid_from=dt.date(2024, 1, 1),
            valid_to=dt.date(2027, 1, 1),
        )
    assert exc.value.message == "证书编号最多60个字，收到61个字；请精简后再提交。"


def test_licence_dates_must_run_forwards(world):
    with pytest.raises(InvalidInput) as exc:
        services.licence_save(
            actor=world["officer"],
            enterprise=world["a"],
            kind="use",
            number="甘金危化使字〔2025〕001",
            issuer="金昌市应急管理局",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2024, 1, 1),
        )
    assert exc.value.fields == {"valid_to": "有效期至（2024-01-01）应晚于有效期起（2025-01-01）。"}


def test_processes_are_set_from_the_eighteen(world):
    services.processes_set(actor=world["officer"], enterprise=world["a"], processes=["chlor_alkali", "chlorination"])
    services.processes_set(actor=world["officer"], enterprise=world["a"], processes=["chlorination", "hydrogenation"])
    assert sorted(EnterpriseProcess.objects.values_list("process", flat=True)) == ["chlorination", "hydrogenation"]
    with pytest.raises(InvalidInput):
        services.processes_set(actor=world["officer"], enterprise=world["a"], processes=["baking"])
    assert EnterpriseProcess.objects.count() == 2


def test_responsible_people_only_for_a_major_hazard(world):
    small = chlorine_tanks(world, quantity="1")
    with pytest.raises(InvalidInput):
        services.responsible_save(
            actor=world["officer"], installation=small, duty="main", name="张三", post="总经理", phone="13800000000"
        )
    big = chlorine_tanks(world, quantity="40", enterprise=world["b"])
    r = services.responsible_save(
        actor=world["user_b"], installation=big, duty="main", name="张三", post="总经理", phone="13812345678"
    )
    assert r.phone_masked == "138****5678"


def test_a_safety_inspection_of_a_major_hazard_is_outside_the_quota(world):
    from onezone.enterprises.models import Inspection
    from onezone.enterprises.services.inspections import InspectionBlocked, inspection_plan

    inst = chlorine_tanks(world, quantity="40")
    head = world["head"]
    inspection_plan(
        actor=head,
        enterprise=world["a"],
        body=world["economy"],
        kind="routine",
        planned_on=dt.date(2026, 11, 2),
        purpose="经济运行调研",
    )
    # The quarter's one routine visit is used: a safety inspection of the major hazard still goes ahead.
    row = services.safety_inspection_plan(
        actor=head,
        enterprise=world["a"],
        body=world["emergency"],
        planned_on=dt.date(2026, 12, 20),
        purpose="重大危险源专项检查",
        installation=inst,
    )
    assert row.inspection.status == Inspection.Status.PLANNED
    assert row.inspection.trigger_note == "不计入例行检查次数：重大危险源“液氯储罐区”（二级）安全检查"
    # Not a major hazard: the quota applies as to any routine visit.
    small = services.installation_save(
        actor=world["officer"],
        enterprise=world["a"],
        name="甲醇中间罐",
        kind="storage",
        substances=[{"name": "甲醇", "quantity_t": 20}],
        people_exposed=10,
    )
    with pytest.raises(InspectionBlocked):
        services.safety_inspection_plan(
            actor=head,
            enterprise=world["a"],
            body=world["emergency"],
            planned_on=dt.date(2026, 12, 21),
            purpose="储罐检查",
            installation=small,
        )
    assert SafetyInspection.objects.count() == 1


def test_the_exempt_inspection_is_not_counted_for_the_next_routine_visit(world):
    from onezone.enterprises.models import Inspection
    from onezone.enterprises.services.inspections import inspection_plan

    inst = chlorine_tanks(world, quantity="40")
    services.safety_inspection_plan(
        actor=world["head"],
        enterprise=world["a"],
        body=world["emergency"],
        planned_on=dt.date(2026, 10, 5),
        purpose="重大危险源专项检查",
        installation=inst,
    )
    routine = inspection_plan(
        actor=world["head"],
        enterprise=world["a"],
        body=world["economy"],
        kind="routine",
        planned_on=dt.date(2026, 11, 20),
        purpose="经济运行调研",
    )
    assert routine.status == Inspection.Status.PLANNED
