"""The desk's and map's selectors: exact rows, zone scoping, and pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.safety import base_rules
from onezone.safety.selectors import base as selectors
from onezone.safety.services import base as services
from onezone.safety.services import base_hazards as hazards
from tests.safety._base import TODAY, chlorine_tanks, report, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(name="filled")
def filled_fixture(world):
    a, b = world["a"], world["b"]
    services.profile_save(
        actor=world["officer"], enterprise=a, x_m=Decimal("100"), y_m=Decimal("200"), hazardous_chemicals=True
    )
    services.profile_save(
        actor=world["officer"], enterprise=b, x_m=Decimal("300"), y_m=Decimal("50"), hazardous_chemicals=True
    )
    tanks = chlorine_tanks(world, quantity="40", people=120)  # 二级
    chlorine_tanks(world, quantity="10", people=0, enterprise=b)  # 四级
    for kind, valid_to in (("production", TODAY + dt.timedelta(days=30)), ("use", TODAY + dt.timedelta(days=400))):
        services.licence_save(
            actor=world["officer"],
            enterprise=a,
            kind=kind,
            number=f"证-{kind}",
            issuer="甘肃省应急管理厅",
            valid_from=dt.date(2024, 1, 1),
            valid_to=valid_to,
        )
    # An expired licence replaced by a later one is not warned of.
    for number, valid_to in (("旧证", TODAY - dt.timedelta(days=10)), ("新证", TODAY + dt.timedelta(days=1000))):
        services.licence_save(
            actor=world["officer"],
            enterprise=b,
            kind="production",
            number=number,
            issuer="甘肃省应急管理厅",
            valid_from=dt.date(2023, 1, 1),
            valid_to=valid_to,
        )
    late = report(world, deadline=TODAY - dt.timedelta(days=2))
    major = report(world, level="major")
    hazards.hazard_supervise(
        actor=world["leader"], hazard=major, body=world["committee"], leader="李主任", started_on=TODAY
    )
    report(world, enterprise=b, user=world["user_b"])
    for level in ("major", "low"):
        services.risk_point_save(
            actor=world["officer"],
            enterprise=a,
            installation=tanks,
            name=f"点-{level}",
            level=level,
            controls="措施",
            owner="甲",
        )
    return {**world, "tanks": tanks, "late": late, "major": major}


def test_hazards_overdue(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.hazards_overdue(zone_id=filled["zone"].pk, today=TODAY)
    assert [(r.number, r.days_left, r.overdue, r.enterprise_name) for r in rows] == [
        ("YH2026-0001", -2, True, "永昌甲氯碱化工有限公司")
    ]


def test_hazards_supervised(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.hazards_supervised(zone_id=filled["zone"].pk, today=TODAY)
    assert [(r.hazard.number, r.hazard.supervised, r.supervising_body, r.leader) for r in rows] == [
        ("YH2026-0002", True, "管委会", "李主任")
    ]


def test_licences_expiring(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.licences_expiring(zone_id=filled["zone"].pk, today=TODAY)
    assert [(r.number, r.days_left, r.expired) for r in rows] == [("证-production", 30, False)]


def test_licence_warning_days_is_a_setting(filled, settings):
    settings.ONEZONE_SAFETY_LICENCE_WARNING_DAYS = 500
    rows = selectors.licences_expiring(zone_id=filled["zone"].pk, today=TODAY)
    assert [r.number for r in rows] == ["证-production", "证-use"]


def test_installations_for_map(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.installations_for_map(zone_id=filled["zone"].pk)
    assert [(r.name, r.enterprise_name, r.level, r.x_m, r.y_m) for r in rows] == [
        ("液氯储罐区", "永昌甲氯碱化工有限公司", 2, Decimal("100"), Decimal("200")),
        ("液氯储罐区", "永昌乙氟化工有限公司", 4, Decimal("300"), Decimal("50")),
    ]


def test_enterprise_sites_for_map(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.enterprise_sites_for_map(zone_id=filled["zone"].pk)
    assert [(r.enterprise_name, r.major_installations, r.highest_level) for r in rows] == [
        ("永昌乙氟化工有限公司", 1, 4),
        ("永昌甲氯碱化工有限公司", 1, 2),
    ]


def test_enterprise_safety(filled, django_assert_num_queries):
    zone = filled["zone"].pk
    with django_assert_num_queries(12):
        base = selectors.enterprise_safety(zone_id=zone, enterprise_id=filled["a"].pk, today=TODAY)
    assert base.profile.x_m == Decimal("100")
    assert [i.name for i in base.installations] == ["液氯储罐区"]
    assert [r.name for r in base.risk_points] == ["点-major", "点-low"]
    assert [h.number for h in base.open_hazards] == ["YH2026-0001", "YH2026-0002"]
    assert [lic.number for lic in base.licences] == ["证-production", "证-use"]


def test_safety_figures(filled):
    figures = selectors.safety_figures(zone_id=filled["zone"].pk, today=TODAY)
    assert figures.major_installations == {1: 0, 2: 1, 3: 0, 4: 1}
    assert (figures.major_total, figures.open_hazards, figures.open_total) == (2, {"general": 2, "major": 1}, 3)
    assert (figures.overdue, figures.supervised, figures.licences_expiring) == (1, 1, 1)


def test_hazards_page_filters_and_counts(filled, django_assert_num_queries):
    zone = filled["zone"].pk
    with django_assert_num_queries(2):
        page = selectors.hazards_page(zone_id=zone, today=TODAY, level="major")
    assert [r.number for r in page.rows] == ["YH2026-0002"]
    assert selectors.hazards_page(zone_id=zone, today=TODAY, overdue=True).total == 1
    assert selectors.hazards_page(zone_id=zone, today=TODAY, enterprise_id=filled["b"].pk).total == 1
    assert selectors.hazards_page(zone_id=zone, today=TODAY).total == 3


def test_selectors_see_only_their_zone(filled, other_zone):
    assert selectors.hazards_overdue(zone_id=other_zone.pk, today=TODAY) == []
    assert selectors.installations_for_map(zone_id=other_zone.pk) == []
    assert selectors.licences_expiring(zone_id=other_zone.pk, today=TODAY) == []


def test_installation_detail_shows_the_grading_and_overdue_checks(filled, django_assert_num_queries):
    tanks = filled["tanks"]
    person = services.responsible_save(
        actor=filled["officer"], installation=tanks, duty="operations", name="王五", post="班长", phone="13900001111"
    )
    services.responsibility_check_record(
        actor=filled["officer"], responsible=person, checked_on=TODAY - dt.timedelta(days=9), findings="正常"
    )
    detail = selectors.installation_detail(zone_id=filled["zone"].pk, installation_id=tanks.pk, today=TODAY)
    assert detail.grading.steps[-1] == "50 ≤ R < 100，定为二级重大危险源"
    assert [(r.name, r.due, r.overdue) for r in detail.responsibles] == [("王五", TODAY - dt.timedelta(days=2), True)]
    rows = selectors.responsibility_overdue(zone_id=filled["zone"].pk, today=TODAY)
    assert [(r.name, r.installation_name, r.overdue) for r in rows] == [("王五", "液氯储罐区", True)]


def test_check_status_before_a_holiday():
    holidays = [dt.date(2027, 1, 1)]
    status = base_rules.check_status(
        duty="main",
        since=dt.date(2026, 1, 1),
        periodic=[dt.date(2026, 12, 1)],
        holiday_checks=[],
        holidays=holidays,
        today=dt.date(2026, 12, 28),
    )
    assert (status.due, status.overdue, status.holiday, status.holiday_overdue) == (
        dt.date(2027, 3, 1),
        False,
        dt.date(2027, 1, 1),
        False,
    )
    missed = base_rules.check_status(
        duty="main",
        since=dt.date(2026, 1, 1),
        periodic=[dt.date(2026, 12, 1)],
        holiday_checks=[],
        holidays=holidays,
        today=dt.date(2027, 1, 2),
    )
    assert (missed.holiday, missed.holiday_overdue) == (dt.date(2027, 1, 1), True)
    done = base_rules.check_status(
        duty="main",
        since=dt.date(2026, 1, 1),
        periodic=[dt.date(2026, 12, 1)],
        holiday_checks=[dt.date(2026, 12, 30)],
        holidays=holidays,
        today=dt.date(2027, 1, 2),
    )
    assert (done.holiday, done.holiday_overdue) == (None, False)


def test_holiday_runs_join_across_a_weekend():
    days = [dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 5), dt.date(2027, 1, 1)]
    assert base_rules.holiday_starts(days) == [dt.date(2026, 10, 1), dt.date(2027, 1, 1)]
