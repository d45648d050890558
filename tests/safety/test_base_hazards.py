"""Hidden hazards: the state machine, the 五落实 plan, 挂牌督办, authority by body with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.safety import base_rules
from onezone.safety.models import Hazard, HazardEvent, HazardSupervision
from onezone.safety.services import base_hazards as svc
from tests.safety._base import TODAY, plan, report, today_fixture, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _unchanged(hazard):
    """The hazard's state, its steps and the audit trail as they are now."""
    hazard.refresh_from_db()
    return (hazard.status, hazard.body_id, hazard.deadline, HazardEvent.objects.count(), AuditEvent.objects.count())


def test_every_pair_of_state_and_action_follows_the_table():
    states = ["reported", "assigned", "rectifying", "rectified", "accepted"]
    allowed = {(s.source, s.action): s.target for s in base_rules.TRANSITIONS}
    for state in states:
        for action in base_rules.ACTIONS:
            step = base_rules.step_for(state, action)
            assert (step.target if step else None) == allowed.get((state, action))
    assert base_rules.actions_from("accepted") == []


def test_an_enterprise_report_goes_to_the_safety_body_and_walks_to_accepted(world):
    hazard = report(world)
    assert (hazard.number, hazard.source, hazard.body, hazard.status) == (
        "YH2026-0001",
        "enterprise",
        world["emergency"],
        "reported",
    )
    officer, user = world["officer"], world["user_a"]
    svc.hazard_transition(actor=officer, hazard=hazard, action="assign", deadline=TODAY + dt.timedelta(days=20))
    svc.hazard_transition(actor=user, hazard=hazard, action="start")
    svc.hazard_transition(actor=user, hazard=hazard, action="complete", note="已更换报警器并标定。")
    svc.hazard_transition(actor=officer, hazard=hazard, action="reject", note="3号报警器仍不响应。")
    svc.hazard_transition(actor=user, hazard=hazard, action="complete", note="3号报警器已更换。")
    done = svc.hazard_transition(actor=officer, hazard=hazard, action="accept")
    assert (done.status, done.accepted_on, done.rectified_on, done.deadline) == (
        "accepted",
        TODAY,
        TODAY,
        TODAY + dt.timedelta(days=20),
    )
    steps = list(hazard.events.order_by("at", "id").values_list("from_status", "to_status", "actor__username"))
    assert steps == [
        ("", "reported", "ent-a"),
        ("reported", "assigned", "u-safety_officer"),
        ("assigned", "rectifying", "ent-a"),
        ("rectifying", "rectified", "ent-a"),
        ("rectified", "rectifying", "u-safety_officer"),
        ("rectifying", "rectified", "ent-a"),
        ("rectified", "accepted", "u-safety_officer"),
    ]
    assert AuditEvent.objects.filter(object_type="safety.hazard", object_id=str(hazard.pk)).count() == 7


def test_a_step_the_table_does_not_allow_is_refused_and_nothing_changes(world):
    hazard = report(world)
    before = _unchanged(hazard)
    with pytest.raises(TransitionNotAllowed) as exc:
        svc.hazard_transition(actor=world["officer"], hazard=hazard, action="accept")
    assert exc.value.message == "隐患YH2026-0001当前为“已上报”，不能“验收销号”；当前可以：交办整改。"
    assert _unchanged(hazard) == before


def test_staff_of_another_body_may_not_act_and_nothing_changes(world):
    hazard = report(world)
    before = _unchanged(hazard)
    with pytest.raises(PermissionDenied) as exc:
        svc.hazard_transition(actor=world["other_officer"], hazard=hazard, action="assign")
    assert "该隐患由“应急管理局”监管" in exc.value.message
    assert _unchanged(hazard) == before


def test_a_leader_acts_on_any_body_and_the_head_on_their_own(world):
    hazard = report(world)
    svc.hazard_transition(actor=world["head"], hazard=hazard, action="assign", body=world["economy"])
    hazard.refresh_from_db()
    assert hazard.body == world["economy"]
    # Handed to 经发局: the emergency bureau's officer no longer acts on it, its own officer does.
    svc.hazard_transition(actor=world["other_officer"], hazard=hazard, action="start")
    with pytest.raises(PermissionDenied):
        svc.hazard_transition(actor=world["officer"], hazard=hazard, action="complete", note="完成")
    svc.hazard_transition(actor=world["leader"], hazard=hazard, action="complete", note="完成")
    assert Hazard.objects.get(pk=hazard.pk).status == "rectified"


def test_an_enterprise_acts_only_on_its_own_hazards_and_not_on_the_body_steps(world):
    hazard = report(world)
    svc.hazard_transition(actor=world["officer"], hazard=hazard, action="assign")
    before = _unchanged(hazard)
    with pytest.raises(NotFound):
        svc.hazard_transition(actor=world["user_b"], hazard=hazard, action="start")
    assert _unchanged(hazard) == before
    svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="start")
    svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="complete", note="已整改")
    before = _unchanged(hazard)
    with pytest.raises(TransitionNotAllowed) as exc:
        svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="accept")
    assert exc.value.message == "“验收销号”由监管机构办理，企业不能自行操作。"
    assert _unchanged(hazard) == before


def test_an_enterprise_may_not_report_for_another(world):
    count = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        report(world, enterprise=world["b"], user=world["user_a"])
    assert (Hazard.objects.count(), AuditEvent.objects.count()) == (0, count)


def test_a_major_hazard_needs_its_plan_before_rectification_starts(world):
    hazard = report(world, level="major")
    svc.hazard_transition(actor=world["officer"], hazard=hazard, action="assign")
    before = _unchanged(hazard)
    with pytest.raises(Conflict) as exc:
        svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="start")
    assert "须先制定治理方案（五落实" in exc.value.message
    assert _unchanged(hazard) == before
    plan(world, hazard)
    assert svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="start").status == "rectifying"


def test_a_general_hazard_has_no_plan(world):
    hazard = report(world)
    with pytest.raises(InvalidInput):
        plan(world, hazard)


def test_supervision_by_the_committee_lifted_on_acceptance(world):
    hazard = report(world, level="major")
    with pytest.raises(PermissionDenied):
        svc.hazard_supervise(
            actor=world["officer"], hazard=hazard, body=world["committee"], leader="李主任", started_on=TODAY
        )
    assert not HazardSupervision.objects.exists()
    row = svc.hazard_supervise(
        actor=world["leader"],
        hazard=hazard,
        body=world["committee"],
        leader="李主任",
        started_on=TODAY,
        document="永园安督〔2026〕3号",
    )
    with pytest.raises(Conflict):
        svc.hazard_supervise(
            actor=world["leader"], hazard=hazard, body=world["committee"], leader="李主任", started_on=TODAY
        )
    svc.hazard_transition(actor=world["officer"], hazard=hazard, action="assign")
    plan(world, hazard)
    svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="start")
    svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="complete", note="已完成")
    svc.hazard_transition(actor=world["officer"], hazard=hazard, action="accept")
    row.refresh_from_db()
    assert row.lifted_on == TODAY


def test_a_general_hazard_is_not_supervised(world):
    hazard = report(world)
    with pytest.raises(InvalidInput):
        svc.hazard_supervise(
            actor=world["leader"], hazard=hazard, body=world["committee"], leader="李主任", started_on=TODAY
        )


def test_deadline_before_finding_is_refused(world):
    with pytest.raises(InvalidInput) as exc:
        report(world, deadline=TODAY - dt.timedelta(days=30))
    assert exc.value.fields == {"deadline": "整改期限（2026-11-08）不能早于发现日期（2026-11-28）。"}


def test_completion_needs_what_was_done(world):
    hazard = report(world)
    svc.hazard_transition(actor=world["officer"], hazard=hazard, action="assign")
    svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="start")
    with pytest.raises(InvalidInput) as exc:
        svc.hazard_transition(actor=world["user_a"], hazard=hazard, action="complete", note=" ")
    assert exc.value.message == "请填写说明。"


def test_may_act_lists_the_buttons_of_each_actor(world):
    hazard = report(world)
    assert [s.action for s in svc.hazard_may_act(world["officer"], hazard)] == ["assign"]
    assert svc.hazard_may_act(world["user_a"], hazard) == []
    assert svc.hazard_may_act(world["other_officer"], hazard) == []
