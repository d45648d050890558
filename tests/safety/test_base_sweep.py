"""The safety sweep: warnings before the time limit, escalation after it, licences and checks; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.models import AuditEvent
from onezone.notify.models import Notification
from onezone.safety.models import HazardAlert
from onezone.safety.services import base as services
from onezone.safety.services import base_hazards as hazards
from onezone.safety.sweep import sweep
from tests.safety._base import TODAY, chlorine_tanks, report, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _state():
    return (
        sorted(HazardAlert.objects.values_list("key", flat=True)),
        sorted(Notification.objects.values_list("event", "recipient__username")),
    )


def test_warning_escalation_and_a_second_run_adds_nothing(world):
    near = report(world, deadline=TODAY + dt.timedelta(days=2))
    late = report(world, deadline=TODAY - dt.timedelta(days=1))
    services.licence_save(
        actor=world["officer"],
        enterprise=world["a"],
        kind="production",
        number="（甘）WH安许证字〔2024〕000001",
        issuer="甘肃省应急管理厅",
        valid_from=dt.date(2024, 1, 1),
        valid_to=TODAY + dt.timedelta(days=60),
    )
    summary = sweep(TODAY)
    assert summary == "安全提醒：隐患整改临期 1 条，隐患整改逾期升级 1 条，许可证临期 1 条，包保检查逾期 0 条"
    keys, told = _state()
    licence_id = services.Licence.objects.get().pk
    assert keys == sorted(
        [
            f"hazard:{near.pk}:warning:{near.deadline.isoformat()}",
            f"hazard:{late.pk}:overdue:{late.deadline.isoformat()}",
            f"licence:{licence_id}:{(TODAY + dt.timedelta(days=60)).isoformat()}",
        ]
    )
    # The warning goes to the body's staff and the enterprise, the escalation to the body's head and the leaders.
    assert told == sorted(
        [
            ("safety.hazard_warning", "u-emergency-head"),
            ("safety.hazard_warning", "u-safety_officer"),
            ("safety.hazard_warning_enterprise", "ent-a"),
            ("safety.hazard_overdue", "u-emergency-head"),
            ("safety.hazard_overdue", "u-leader"),
            ("safety.licence_expiring", "ent-a"),
        ]
    )
    audits = AuditEvent.objects.filter(action="safety.sweep").count()
    assert sweep(TODAY) == "安全提醒：隐患整改临期 0 条，隐患整改逾期升级 0 条，许可证临期 0 条，包保检查逾期 0 条"
    assert _state() == (keys, told)
    assert AuditEvent.objects.filter(action="safety.sweep").count() == audits


def test_a_new_time_limit_warns_again_and_rectified_hazards_are_left_alone(world):
    hazard = report(world, deadline=TODAY + dt.timedelta(days=1))
    sweep(TODAY)
    hazards.hazard_transition(
        actor=world["officer"], hazard=hazard, action="assign", deadline=TODAY + dt.timedelta(days=3)
    )
    hazards.hazard_transition(actor=world["user_a"], hazard=hazard, action="start")
    sweep(TODAY)
    assert HazardAlert.objects.filter(hazard=hazard).count() == 2
    hazards.hazard_transition(actor=world["user_a"], hazard=hazard, action="complete", note="完成")
    assert sweep(TODAY + dt.timedelta(days=5)).startswith("安全提醒：隐患整改临期 0 条，隐患整改逾期升级 0 条")


def test_an_overdue_responsibility_check_is_told_to_the_enterprise(world):
    tanks = chlorine_tanks(world, quantity="40")
    person = services.responsible_save(
        actor=world["officer"], installation=tanks, duty="operations", name="王五", post="班长", phone="13900001111"
    )
    services.responsibility_check_record(
        actor=world["officer"], responsible=person, checked_on=TODAY - dt.timedelta(days=10), findings="正常"
    )
    assert sweep(TODAY).endswith("包保检查逾期 1 条")
    assert list(Notification.objects.values_list("event", "recipient__username")) == [("safety.check_overdue", "ent-a")]
    assert sweep(TODAY).endswith("包保检查逾期 0 条")
