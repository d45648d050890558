import datetime as dt

import pytest

from onezone.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    StaleObject,
    TransitionNotAllowed,
)
from onezone.core.models import AuditEvent
from onezone.window import services as svc
from onezone.window.models import Alert, Case, CaseEvent, CaseState, Complaint, Rating, Rectification, SupplementNotice
from onezone.window.services import TRANSITIONS, Applicant, zone_prefix
from onezone.window.sweep import window_sweep
from tests.window.conftest import ENTERPRISE, PERSON

pytestmark = pytest.mark.django_db
D = dt.date


def receive(staff, zone, items, material_ids, *, item="promised", on=None, presented=None, applicant=ENTERPRISE):
    return svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items[item].pk,
        applicant=applicant,
        presented=material_ids[item][:2] if presented is None else presented,
        on=on or D(2026, 9, 28),
    )


def test_full_lifecycle_with_stored_deadlines(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids)
    assert case.number == f"{zone_prefix(zone.code)}-2026-000001"
    assert len(case.query_code) == 8
    assert case.state == CaseState.RECEIVED
    # 09-28 + 5 working days: 29 30, 10-01..07 rest, 08 09 Sat 10 → 10-10 (passed by today 10-12: deemed)
    assert case.supplement_deadline == D(2026, 10, 10)
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 9, 30))
    assert (case.accepted_on, case.deemed_accepted) == (D(2026, 9, 30), False)
    assert case.legal_deadline == D(2026, 11, 3)
    assert case.committed_deadline == D(2026, 10, 20)
    assert case.due_on == case.queue_on == D(2026, 10, 20)
    case = svc.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=D(2026, 10, 8))
    svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="同意。", on=D(2026, 10, 12))
    case = svc.case_decide(
        actor=staff["reviewer"],
        case_id=case.pk,
        granted=True,
        text="同意。",
        licence_number="环审〔2026〕8号",
        on=D(2026, 10, 12),
    )
    # decided 10-12: 10-08 09 10 12 = 4 working days used; on time; delivery 10 working days: 13..16(4)
    # 19..23(9) 26(10)
    assert (case.on_time, case.within_legal, case.working_days_used) == (True, True, 4)
    assert case.delivery_deadline == D(2026, 10, 26)
    assert case.due_on == D(2026, 10, 26)
    case = svc.case_deliver(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 12))
    case = svc.case_close(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 12))
    assert case.state == CaseState.CLOSED and not case.is_open and case.due_on is None
    kinds = list(CaseEvent.objects.filter(case=case).order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["received", "accepted", "review_started", "review_confirmed", "decided", "delivered", "closed"]
    assert AuditEvent.objects.filter(action__startswith="case.", object_id=str(case.pk)).count() == 7


def test_numbers_count_per_zone_and_year(zone, staff, items, material_ids):
    a = receive(staff, zone, items, material_ids, on=D(2025, 12, 31))
    b = receive(staff, zone, items, material_ids, on=D(2026, 1, 5))
    c = receive(staff, zone, items, material_ids, on=D(2026, 1, 6))
    assert [a.number[-11:], b.number[-11:], c.number[-11:]] == ["2025-000001", "2026-000001", "2026-000002"]
    assert a.query_code != b.query_code


def test_zone_prefix_from_pinyin():
    assert zone_prefix("yongchang") == "YC"
    assert zone_prefix("jinchang") == "JC"
    assert zone_prefix("testzone") == "TESTZO"


def test_applicant_codes_are_validated(zone, staff, items, material_ids):
    bad = Applicant(kind="enterprise", name="某公司", uscc="91350100M000100Y4Z")
    with pytest.raises(InvalidInput) as err:
        receive(staff, zone, items, material_ids, applicant=bad)
    assert "applicant_uscc" in err.value.fields
    bad_person = Applicant(kind="person", name="王五", id_number="110105194912310021")
    with pytest.raises(InvalidInput) as err:
        receive(staff, zone, items, material_ids, applicant=bad_person)
    assert "applicant_id_number" in err.value.fields
    assert Case.objects.count() == 0
    person = receive(staff, zone, items, material_ids, applicant=PERSON)
    assert person.applicant_id_masked == "110105********002X"
    assert person.contact_mobile_masked == "138****8000"


def test_accept_needs_every_required_material(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, presented=material_ids["promised"][:1], on=D(2026, 10, 9))
    with pytest.raises(InvalidInput, match="缺：营业执照复印件"):
        svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 9))
    assert Case.objects.get(pk=case.pk).state == CaseState.RECEIVED


def test_one_time_notice_lists_everything_once(zone, staff, items, material_ids):
    ids = material_ids["promised"]
    case = receive(staff, zone, items, material_ids, presented=[], on=D(2026, 9, 28))
    case = svc.case_supplement_request(
        actor=staff["clerk"], case_id=case.pk, missing=ids[:2], note="加盖公章", on=D(2026, 9, 29)
    )
    notice = SupplementNotice.objects.get(case=case)
    assert notice.materials == ["申请书", "营业执照复印件"]
    assert case.state == CaseState.SUPPLEMENT_REQUESTED and case.due_on is None
    with pytest.raises(Conflict, match="已于 2026-09-29 一次性告知补正，依法不能再次告知"):
        svc.case_supplement_request(actor=staff["clerk"], case_id=case.pk, missing=ids[2:], on=D(2026, 9, 30))
    case = svc.case_supplement_receive(actor=staff["clerk"], case_id=case.pk, presented=ids[:2], on=D(2026, 10, 9))
    # the answer on the complete materials is due 5 working days after 10-09: Sat 10(1) 12 13 14 15(5)
    assert case.state == CaseState.SUPPLEMENTED and case.due_on == D(2026, 10, 15)
    with pytest.raises(Conflict):
        svc.case_supplement_request(actor=staff["clerk"], case_id=case.pk, missing=ids[:1], on=D(2026, 10, 9))
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 12))
    # 20 working days from 10-12: 13..16(4) 19..23(9) 26..30(14) 11-02..06(19) 09(20)
    assert case.legal_deadline == D(2026, 11, 9)
    assert SupplementNotice.objects.count() == 1


def test_notice_after_five_days_is_refused_as_deemed_accepted(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, presented=[], on=D(2026, 9, 28))
    # receipt 09-28 with nothing done by 10-10: today 10-12 the case counts as accepted from 09-28
    assert case.deemed_accepted and case.accepted_on == D(2026, 9, 28)
    with pytest.raises(TransitionNotAllowed, match="视为受理"):
        svc.case_supplement_request(
            actor=staff["clerk"], case_id=case.pk, missing=material_ids["promised"][:1], on=D(2026, 10, 12)
        )
    with pytest.raises(TransitionNotAllowed, match="已视为受理"):
        svc.case_refuse(actor=staff["clerk"], case_id=case.pk, reason="材料不全", on=D(2026, 10, 12))
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 12))
    assert case.deemed_accepted and case.accepted_on == D(2026, 9, 28)


def test_refusal_outside_powers_names_the_competent_office(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    with pytest.raises(InvalidInput) as err:
        svc.case_refuse(actor=staff["clerk"], case_id=case.pk, reason="不属于本机关职权", outside_powers=True)
    assert "competent_office" in err.value.fields
    case = svc.case_refuse(
        actor=staff["clerk"],
        case_id=case.pk,
        reason="不属于本机关职权",
        outside_powers=True,
        competent_office="金昌市生态环境局",
    )
    assert case.state == CaseState.REFUSED and case.competent_office == "金昌市生态环境局"
    assert case.legal_deadline is None


def _to_review(staff, zone, items, material_ids, item="promised"):
    case = receive(staff, zone, items, material_ids, item=item)
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 9, 30))
    return svc.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=D(2026, 9, 30))


def test_extension_once_with_head_approval(zone, staff, items, material_ids):
    case = _to_review(staff, zone, items, material_ids)
    with pytest.raises(PermissionDenied):
        svc.case_extend(actor=staff["reviewer"], case_id=case.pk, reason="需现场核查")
    with pytest.raises(InvalidInput):
        svc.case_extend(actor=staff["head"], case_id=case.pk, reason=" ")
    case = svc.case_extend(actor=staff["head"], case_id=case.pk, reason="需现场核查", on=D(2026, 10, 12))
    # 11-03 + 10 working days: 04 05 06(3) 09..13(8) 16 17(10)
    assert case.legal_deadline == D(2026, 11, 17) and case.extended
    assert case.committed_deadline == D(2026, 10, 20)
    with pytest.raises(Conflict, match="只能延期一次"):
        svc.case_extend(actor=staff["head"], case_id=case.pk, reason="再延")


def test_joint_extension_needs_the_leader(zone, staff, items, material_ids):
    case = _to_review(staff, zone, items, material_ids, item="joint")
    with pytest.raises(PermissionDenied):
        svc.case_extend(actor=staff["head"], case_id=case.pk, reason="联合审查")
    case = svc.case_extend(actor=staff["leader"], case_id=case.pk, reason="联合审查", on=D(2026, 10, 12))
    # 45 from 09-30 → 12-08, + 15 → 12-29 (counted in test_clock)
    assert case.legal_deadline == D(2026, 12, 29)


def test_special_procedure_stops_the_clock(zone, staff, items, material_ids):
    case = _to_review(staff, zone, items, material_ids, item="joint")
    with pytest.raises(InvalidInput, match="不含所选程序"):
        svc.case_suspend(
            actor=staff["reviewer"],
            case_id=case.pk,
            procedure="auction",
            expected_days=5,
            notice="x",
            on=D(2026, 10, 8),
        )
    case = svc.case_suspend(
        actor=staff["reviewer"],
        case_id=case.pk,
        procedure="expert_review",
        expected_days=3,
        notice="组织专家评审，预计3个工作日",
        on=D(2026, 10, 8),
    )
    assert case.state == CaseState.SUSPENDED
    case = svc.case_resume(actor=staff["reviewer"], case_id=case.pk, result="评审通过", on=D(2026, 10, 12))
    # 10-09, Sat 10, 12 not counted (3): 45 + 3 from 09-30 → 12-08 + 3: 09 10 11 → 12-11
    assert case.suspended_days == 3 and case.legal_deadline == D(2026, 12, 11)


def test_decision_needs_the_second_reviewer_to_confirm_personally(zone, staff, items, material_ids):
    case = _to_review(staff, zone, items, material_ids)
    with pytest.raises(TransitionNotAllowed, match="尚未经第二审查人确认"):
        svc.case_decide(actor=staff["reviewer"], case_id=case.pk, granted=True, text="同意")
    # the reviewer cannot confirm their own review, nor can a clerk
    with pytest.raises(InvalidInput, match="另一名审查人员"):
        svc.case_review_confirm(actor=staff["reviewer"], case_id=case.pk, opinion="同意")
    with pytest.raises(PermissionDenied):
        svc.case_review_confirm(actor=staff["clerk2"], case_id=case.pk, opinion="同意")
    with pytest.raises(InvalidInput, match="审查意见"):
        svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion=" ")
    assert Case.objects.get(pk=case.pk).second_reviewer_id is None
    case = svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="核查无误，同意。")
    assert case.second_reviewer == staff["reviewer2"] and case.state == CaseState.UNDER_REVIEW
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.reason) == ("review_confirmed", staff["reviewer2"], "核查无误，同意。")
    with pytest.raises(Conflict, match="已由第二审查人确认"):
        svc.case_review_confirm(actor=staff["admin"], case_id=case.pk, opinion="同意")
    # the second reviewer does not decide alone
    with pytest.raises(InvalidInput, match="第二审查人不同"):
        svc.case_decide(actor=staff["reviewer2"], case_id=case.pk, granted=True, text="同意")
    case = svc.case_decide(actor=staff["reviewer"], case_id=case.pk, granted=True, text="同意")
    assert case.state == CaseState.DECIDED


def test_instant_item_is_decided_at_the_window(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, item="instant", on=D(2026, 10, 10))
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 10))
    assert case.legal_deadline == case.committed_deadline == D(2026, 10, 10)
    case = svc.case_decide(actor=staff["clerk"], case_id=case.pk, granted=True, text="予以备案", on=D(2026, 10, 10))
    assert case.state == CaseState.DECIDED and case.on_time


def test_promised_item_cannot_skip_review(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids)
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 9, 30))
    with pytest.raises(TransitionNotAllowed, match="须先“开始审查”"):
        svc.case_decide(actor=staff["reviewer"], case_id=case.pk, granted=True, text="同意")


ON = D(2026, 9, 28)


def _call(action, staff, case, ids):
    common = {"case_id": case.pk, "on": ON}
    calls = {
        "supplement_request": lambda: svc.case_supplement_request(actor=staff["clerk"], missing=ids[:1], **common),
        "supplement_receive": lambda: svc.case_supplement_receive(actor=staff["clerk"], presented=ids, **common),
        "accept": lambda: svc.case_accept(actor=staff["clerk"], **common),
        "refuse": lambda: svc.case_refuse(actor=staff["clerk"], reason="理由", **common),
        "review_start": lambda: svc.case_review_start(actor=staff["reviewer"], **common),
        "suspend": lambda: svc.case_suspend(
            actor=staff["reviewer"], procedure="hearing", expected_days=2, notice="听证", **common
        ),
        "resume": lambda: svc.case_resume(actor=staff["reviewer"], **common),
        "extend": lambda: svc.case_extend(actor=staff["head"], reason="理由", **common),
        "review_confirm": lambda: svc.case_review_confirm(actor=staff["reviewer2"], opinion="同意", **common),
        "decide": lambda: svc.case_decide(actor=staff["reviewer"], granted=True, text="同意", **common),
        "deliver": lambda: svc.case_deliver(actor=staff["clerk"], **common),
        "close": lambda: svc.case_close(actor=staff["clerk"], **common),
        "withdraw": lambda: svc.case_withdraw(actor=staff["clerk"], reason="申请人撤回", **common),
    }
    return calls[action]()


@pytest.mark.parametrize("state", list(CaseState.values))
def test_every_illegal_transition_is_refused(zone, staff, items, material_ids, state):
    ids = material_ids["promised"]
    case = receive(staff, zone, items, material_ids, on=ON)
    Case.objects.filter(pk=case.pk).update(state=state, legal_deadline=D(2026, 12, 31))
    refused = [a for a, t in TRANSITIONS.items() if state not in t.sources]
    for action in refused:
        version = Case.objects.get(pk=case.pk).version
        with pytest.raises(TransitionNotAllowed) as err:
            _call(action, staff, case, ids)
        label = CaseState(state).label
        assert f"当前状态为“{label}”" in err.value.message or action in ("supplement_request", "decide")
        after = Case.objects.get(pk=case.pk)
        assert (after.state, after.version) == (state, version)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_the_message_names_the_allowed_actions(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    with pytest.raises(TransitionNotAllowed) as err:
        svc.case_deliver(actor=staff["clerk"], case_id=case.pk)
    assert err.value.message == (
        f"办件 {case.number} 当前状态为“已收件”，不能“送达决定”。"
        "当前状态可进行的操作：一次性告知补正、受理、不予受理、撤回申请。"
    )


def test_stale_version_is_refused(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    seen = case.version
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, expected_version=seen)
    with pytest.raises(StaleObject, match="已被他人更新"):
        svc.case_refuse(actor=staff["clerk2"], case_id=case.pk, reason="不符合", expected_version=seen)
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED


def test_permissions_change_nothing(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    before = (AuditEvent.objects.count(), CaseEvent.objects.count(), Case.objects.get(pk=case.pk).version)
    for actor in (staff["enterprise"], staff["reviewer"], staff["investment_officer"]):
        with pytest.raises(PermissionDenied):
            svc.case_accept(actor=actor, case_id=case.pk)
    with pytest.raises(PermissionDenied):
        receive({**staff, "clerk": staff["reviewer"]}, zone, items, material_ids)
    assert (AuditEvent.objects.count(), CaseEvent.objects.count(), Case.objects.get(pk=case.pk).version) == before
    assert Case.objects.count() == 1


def test_other_zone_cannot_act(zone, other_zone, staff, items, material_ids):
    from onezone.core.roles import Role
    from tests.conftest import make_user

    stranger = make_user("u-stranger", zone=other_zone, role=Role.CLERK)
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    with pytest.raises(PermissionDenied):
        svc.case_accept(actor=stranger, case_id=case.pk)
    with pytest.raises(NotFound):
        svc.case_accept(actor=stranger, case_id=999999)


def test_dates_cannot_run_backwards_or_ahead(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 9))
    with pytest.raises(InvalidInput, match="早于上一步"):
        svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 8))
    with pytest.raises(InvalidInput, match="晚于今天"):
        svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 13))


# --- sweep ---------------------------------------------------------------------------------------------


def test_sweep_warns_escalates_once(zone, staff, items, material_ids):
    near = _to_review(staff, zone, items, material_ids)  # committed 10-20, legal 11-03
    late = _to_review(staff, zone, items, material_ids)
    first = window_sweep(today=D(2026, 10, 15))  # 16 19 20: 3 left → warning for both
    assert (first["warning"], first["escalation"]) == (2, 0)
    assert window_sweep(today=D(2026, 10, 15))["warning"] == 0
    svc.case_review_confirm(actor=staff["reviewer2"], case_id=near.pk, opinion="同意")
    svc.case_decide(actor=staff["reviewer"], case_id=near.pk, granted=False, text="不符合")
    result = window_sweep(today=D(2026, 10, 21))
    assert (result["escalation"], result["violation"]) == (1, 0)
    escalation = Alert.objects.get(kind=Alert.Kind.ESCALATION)
    assert escalation.case_id == late.pk and escalation.recipient == staff["head"]
    assert escalation.recipient_name == "韩梅"
    assert window_sweep(today=D(2026, 10, 21)) == {"warning": 0, "escalation": 0, "violation": 0, "recomputed": 0}
    assert window_sweep(today=D(2026, 11, 4))["violation"] == 1
    assert Alert.objects.count() == 4


def test_sweep_deems_unanswered_cases_accepted(zone, staff, items, material_ids, monkeypatch):
    monkeypatch.setattr(svc, "_today", lambda: D(2026, 9, 28))
    case = receive(staff, zone, items, material_ids, on=D(2026, 9, 28))
    assert case.due_on == D(2026, 10, 10) and not case.deemed_accepted
    monkeypatch.setattr(svc, "_today", lambda: D(2026, 10, 12))
    assert window_sweep(today=D(2026, 10, 12))["recomputed"] == 1
    case.refresh_from_db()
    assert case.deemed_accepted and case.accepted_on == D(2026, 9, 28) and case.legal_deadline == D(2026, 10, 30)


def test_calendar_import_recomputes_provisional_deadlines(zone, staff, items, material_ids, monkeypatch):
    from onezone.core.calendar import calendar_import

    monkeypatch.setattr(svc, "_today", lambda: D(2026, 12, 15))
    case = receive(staff, zone, items, material_ids, on=D(2026, 12, 15))
    case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 12, 15))
    assert case.legal_deadline == D(2027, 1, 12) and case.deadlines_provisional
    with pytest.MonkeyPatch.context():
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            calendar_import(
                actor=None,
                data={
                    "year": 2027,
                    "holidays": [{"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}],
                    "workdays": [],
                },
            )
    case.refresh_from_db()
    # 12-16..18(3) 21..25(8) 28..31(12), Fri 01-01 now a holiday, 04..08(17) 11 12 13(20)
    assert case.legal_deadline == D(2027, 1, 13) and not case.deadlines_provisional


# --- ratings and complaints -------------------------------------------------------------------------------


def _closed(staff, zone, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    return svc.case_refuse(actor=staff["clerk"], case_id=case.pk, reason="不符合条件", on=D(2026, 10, 12))


def test_bad_rating_opens_rectification_and_appeal(zone, staff, items, material_ids, org):
    case = _closed(staff, zone, items, material_ids)
    with pytest.raises(NotFound):
        svc.rating_submit(case_number=case.number, query_code="WRONG123", level=5)
    with pytest.raises(InvalidInput, match="差评请写明"):
        svc.rating_submit(case_number=case.number, query_code=case.query_code, level=1)
    rating = svc.rating_submit(
        case_number=case.number, query_code=case.query_code, level=2, comment="等候太久", on=D(2026, 10, 12)
    )
    rect = Rectification.objects.get(rating=rating)
    # 15 working days from 10-12: 13..16(4) 19..23(9) 26..30(14) 11-02(15)
    assert rect.due_on == D(2026, 11, 2) and rect.body == org["service"]
    with pytest.raises(Conflict, match="只能评价一次"):
        svc.rating_submit(case_number=case.number, query_code=case.query_code, level=5)
    svc.rating_appeal(actor=staff["clerk"], rating_id=rating.pk, reason="评价人误操作")
    with pytest.raises(PermissionDenied):
        svc.rating_appeal_decide(actor=staff["clerk"], rating_id=rating.pk, upheld=True, outcome="成立")
    svc.rating_appeal_decide(actor=staff["leader"], rating_id=rating.pk, upheld=True, outcome="核实为误评")
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VOID
    assert Rating.objects.get(pk=rating.pk).appeal == Rating.Appeal.UPHELD


def test_rectification_follow_up(zone, staff, items, material_ids):
    case = _closed(staff, zone, items, material_ids)
    rating = svc.rating_submit(case_number=case.number, query_code=case.query_code, level=1, comment="态度差")
    rect = svc.rectification_record(
        actor=staff["head"],
        rectification_id=rating.rectification.pk,
        measures="约谈窗口人员",
        follow_up="已电话回访，申请人认可",
    )
    assert rect.status == Rectification.Status.DONE and rect.done_on == D(2026, 10, 12)


def test_good_rating_only_after_closing(zone, staff, items, material_ids):
    case = receive(staff, zone, items, material_ids, on=D(2026, 10, 12))
    with pytest.raises(TransitionNotAllowed, match="办结后才能评价"):
        svc.rating_submit(case_number=case.number, query_code=case.query_code, level=5)
    closed = _closed(staff, zone, items, material_ids)
    rating = svc.rating_submit(case_number=closed.number.lower(), query_code=closed.query_code.lower(), level=5)
    assert not Rectification.objects.filter(rating=rating).exists()


def test_complaint_routed_and_answered(zone, staff, items, material_ids, org):
    case = _closed(staff, zone, items, material_ids)
    complaint = svc.complaint_register(
        actor=None, zone_id=zone.pk, complainant="王先生", mobile="13909350099", content="窗口推诿", case_id=case.pk
    )
    assert complaint.number == "TS-2026-00001" and complaint.body == org["service"]
    # 10 working days from 10-12: 13..16(4) 19..23(9) 26(10)
    assert complaint.due_on == D(2026, 10, 26)
    assert complaint.mobile_masked == "139****0099"
    with pytest.raises(PermissionDenied):
        svc.complaint_answer(actor=staff["clerk"], complaint_id=complaint.pk, answer="x", outcome="upheld")
    complaint = svc.complaint_answer(
        actor=staff["head"], complaint_id=complaint.pk, answer="已批评教育", outcome="upheld"
    )
    assert complaint.status == Complaint.Status.ANSWERED
    with pytest.raises(TransitionNotAllowed):
        svc.complaint_answer(actor=staff["head"], complaint_id=complaint.pk, answer="x", outcome="upheld")


def test_a_long_complaint_is_refused_with_its_length_not_cut(zone, staff, org):
    with pytest.raises(InvalidInput) as caught:
        svc.complaint_register(actor=None, zone_id=zone.pk, complainant="王先生", content="推" * 100_000)
    assert caught.value.fields == {"content": "投诉内容最多 5,000 个字，收到 100,000 个字，请删减后再提交。"}
    assert not Complaint.objects.exists()
