import pytest

from onezone.core.calendar import load_calendar
from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.core.workdays import add_working_days
from onezone.window.bundles import selectors as sel
from onezone.window.bundles import services as svc
from onezone.window.bundles.models import BundleCase, BundleSubCase
from onezone.window.models import Case, CaseState, Rating, Rectification, SupplementNotice
from tests.window.bundles.conftest import D, decide, finish, receive
from tests.window.conftest import ENTERPRISE

pytestmark = pytest.mark.django_db


def subcases(bundle_case):
    return [s.case for s in BundleSubCase.objects.filter(bundle_case=bundle_case).select_related("case")]


def test_receipt_fans_the_first_stage_out_into_cases_with_the_materials_once(zone, staff, bundle, items):
    bundle_case = receive(staff, zone, bundle)
    assert bundle_case.number.endswith("-YJS-2026-00001")
    # three member items, each with the same three materials: collected once
    assert [(m["name"], m["required"], m["presented"]) for m in bundle_case.materials] == [
        ("申请书", True, True),
        ("营业执照复印件", True, True),
        ("授权委托书", False, True),
    ]
    cases = subcases(bundle_case)
    assert sorted(c.item_id for c in cases) == sorted([items["promised"].pk, items["instant"].pk])
    assert all(c.state == CaseState.RECEIVED and all(m["presented"] for m in c.materials) for c in cases)
    assert all(c.applicant_uscc == "91512081MA62K0260E" for c in cases)
    assert bundle_case.stage == 1


def test_one_acceptance_starts_every_sub_case_clock_and_the_bundle_clock(zone, staff, bundle, items):
    bundle_case = receive(staff, zone, bundle)
    bundle_case = svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 2))
    by_item = {c.item_id: c for c in subcases(bundle_case)}
    promised = by_item[items["promised"].pk]
    assert (promised.state, promised.accepted_on) == (CaseState.ACCEPTED, D(2026, 9, 2))
    calendar = load_calendar()
    assert promised.legal_deadline == add_working_days(calendar, D(2026, 9, 2), 20).date
    d = sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk)
    assert d.state == "in_progress"
    # joint handling (Art. 26/42): 45 working days from the one acceptance; promised 30
    assert d.clock.legal_deadline == add_working_days(calendar, D(2026, 9, 2), 45).date
    assert d.clock.committed_deadline == add_working_days(calendar, D(2026, 9, 2), 30).date
    assert d.pending_items == ["第2阶段：建筑工程施工许可联合审批"]


def test_the_one_notice_covers_every_member_item_and_acceptance_needs_all_materials(zone, staff, bundle):
    bundle_case = receive(staff, zone, bundle, presented=["申请书"])
    with pytest.raises(InvalidInput, match="营业执照复印件"):
        svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    bundle_case = svc.bundle_supplement_request(
        actor=staff["clerk"], bundle_case_id=bundle_case.pk, missing=["营业执照复印件"], on=D(2026, 9, 1)
    )
    notices = SupplementNotice.objects.filter(case__in=subcases(bundle_case))
    assert sorted(n.materials for n in notices) == [["营业执照复印件"], ["营业执照复印件"]]
    with pytest.raises(TransitionNotAllowed, match="待补正"):
        svc.bundle_supplement_request(
            actor=staff["clerk"], bundle_case_id=bundle_case.pk, missing=["授权委托书"], on=D(2026, 9, 1)
        )
    svc.bundle_supplement_receive(
        actor=staff["clerk"], bundle_case_id=bundle_case.pk, presented=["营业执照复印件"], on=D(2026, 9, 7)
    )
    bundle_case = svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 8))
    assert {c.state for c in subcases(bundle_case)} == {CaseState.ACCEPTED}
    d = sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk)
    assert d.clock.accepted_on == D(2026, 9, 8)


def test_stages_follow_each_other_and_the_state_follows_the_sub_cases(zone, staff, bundle, items):
    bundle_case = receive(staff, zone, bundle)
    svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    with pytest.raises(TransitionNotAllowed, match="尚未全部作出决定"):
        svc.bundle_advance(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 2))
    first = subcases(bundle_case)
    for case in first:
        decide(staff, case, D(2026, 9, 3))
    bundle_case = svc.bundle_advance(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 4))
    joint = Case.objects.get(bundle_link__bundle_case=bundle_case, item=items["joint"])
    # the later stage's case has its own clock from its own acceptance (joint item: 45 working days)
    assert (joint.state, joint.accepted_on) == (CaseState.ACCEPTED, D(2026, 9, 4))
    assert joint.legal_deadline == add_working_days(load_calendar(), D(2026, 9, 4), 45).date
    assert sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk).state == "in_progress"
    decide(staff, joint, D(2026, 9, 10))
    for case in Case.objects.filter(bundle_link__bundle_case=bundle_case):
        finish(staff, case, D(2026, 9, 11))
    d = sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk)
    assert (d.state, d.state_label) == ("done", "已办结")
    assert d.result == "全部办成（3 个事项均已准予）"
    assert d.clock.decided_on == D(2026, 9, 10)
    public = sel.public_bundle_status(number=bundle_case.number, query_code=bundle_case.query_code)
    assert public.state_label == "已办结" and public.can_rate
    assert "金昌" not in str(public) and "13909351234" not in str(public)


def test_a_refused_item_blocks_the_next_stage_and_ends_the_bundle(zone, staff, bundle, items):
    bundle_case = receive(staff, zone, bundle)
    svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    by_item = {c.item_id: c for c in subcases(bundle_case)}
    decide(staff, by_item[items["instant"].pk], D(2026, 9, 2))
    decide(staff, by_item[items["promised"].pk], D(2026, 9, 3), granted=False)
    with pytest.raises(TransitionNotAllowed, match="未获准予"):
        svc.bundle_advance(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 4))
    d = sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk)
    assert d.state == "done"
    assert d.result == "未全部办成：1 个事项准予，1 个事项未准予或未办理"
    assert not d.can_advance


def test_the_bundle_is_rated_once_and_the_rating_reaches_every_item(zone, staff, bundle, items):
    bundle_case = receive(staff, zone, bundle)
    svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    with pytest.raises(TransitionNotAllowed, match="尚未办结"):
        svc.bundle_rate(number=bundle_case.number, query_code=bundle_case.query_code, level=5)
    for case in subcases(bundle_case):
        decide(staff, case, D(2026, 9, 2))
    svc.bundle_advance(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 3))
    joint = Case.objects.get(bundle_link__bundle_case=bundle_case, item=items["joint"])
    decide(staff, joint, D(2026, 9, 4))
    for case in Case.objects.filter(bundle_link__bundle_case=bundle_case):
        finish(staff, case, D(2026, 9, 7))
    svc.bundle_rate(
        number=bundle_case.number.lower(), query_code=bundle_case.query_code, level=2, comment="跑了两次窗口。"
    )
    ratings = Rating.objects.filter(case__bundle_link__bundle_case=bundle_case)
    assert sorted(r.level for r in ratings) == [2, 2, 2]
    assert Rectification.objects.filter(rating__in=ratings).count() == 3
    assert BundleCase.objects.get(pk=bundle_case.pk).rating_level == 2
    with pytest.raises(Conflict, match="已评价"):
        svc.bundle_rate(number=bundle_case.number, query_code=bundle_case.query_code, level=5)


def test_extension_once_by_the_leadership_moves_the_bundle_deadline_by_15(zone, staff, bundle):
    bundle_case = receive(staff, zone, bundle)
    svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        svc.bundle_extend(actor=staff["dept_head"], bundle_case_id=bundle_case.pk, reason="需现场核查。")
    assert AuditEvent.objects.count() == before
    svc.bundle_extend(actor=staff["leader"], bundle_case_id=bundle_case.pk, reason="需现场核查。", on=D(2026, 9, 10))
    d = sel.bundle_case_detail(zone_id=zone.pk, bundle_case_id=bundle_case.pk)
    base = add_working_days(load_calendar(), D(2026, 9, 1), 45).date
    assert d.clock.legal_deadline == add_working_days(load_calendar(), base, 15).date
    with pytest.raises(Conflict, match="只能延期一次"):
        svc.bundle_extend(actor=staff["leader"], bundle_case_id=bundle_case.pk, reason="再延。", on=D(2026, 9, 11))


def test_refusal_refuses_every_item_and_a_failure_leaves_nothing_half_written(zone, staff, bundle):
    bundle_case = receive(staff, zone, bundle)
    with pytest.raises(InvalidInput):
        svc.bundle_refuse(actor=staff["clerk"], bundle_case_id=bundle_case.pk, reason=" ")
    svc.bundle_refuse(actor=staff["clerk"], bundle_case_id=bundle_case.pk, reason="不符合产业定位。", on=D(2026, 9, 1))
    assert {c.state for c in subcases(bundle_case)} == {CaseState.REFUSED}
    # an intake whose refusal fails leaves no bundle case and no sub-case behind
    count = (BundleCase.objects.count(), Case.objects.count())
    with pytest.raises(InvalidInput):
        svc.bundle_intake(
            actor=staff["clerk"],
            zone_id=zone.pk,
            bundle_id=bundle.pk,
            applicant=ENTERPRISE,
            presented=["申请书"],
            outcome="accept",
            on=D(2026, 9, 1),
        )
    assert (BundleCase.objects.count(), Case.objects.count()) == count


def test_only_clerks_receive_and_only_applied_for_items_make_a_bundle(zone, staff, bundle, items, penalty):
    before = BundleCase.objects.count()
    with pytest.raises(PermissionDenied):
        svc.bundle_receive(actor=staff["reviewer"], zone_id=zone.pk, bundle_id=bundle.pk, applicant=ENTERPRISE)
    assert BundleCase.objects.count() == before
    with pytest.raises(InvalidInput, match="依职权"):
        svc.bundle_define(
            actor=staff["admin"],
            zone_id=zone.pk,
            code="bad",
            name="错误的一件事",
            members=[(items["promised"].pk, 1), (penalty.pk, 1)],
        )


def test_efficiency_compares_the_bundle_with_the_items_one_by_one(zone, staff, bundle, items, material_ids):
    from onezone.window import services as window

    # the promised item applied for alone: accepted 09-01, decided 09-15 → 10 working days
    alone = window.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["promised"],
        on=D(2026, 9, 1),
    )
    window.case_accept(actor=staff["clerk"], case_id=alone.pk, on=D(2026, 9, 1))
    decide(staff, Case.objects.get(pk=alone.pk), D(2026, 9, 15))
    bundle_case = receive(staff, zone, bundle)
    svc.bundle_accept(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 1))
    for case in subcases(bundle_case):
        decide(staff, case, D(2026, 9, 3))
    svc.bundle_advance(actor=staff["clerk"], bundle_case_id=bundle_case.pk, on=D(2026, 9, 3))
    decide(staff, Case.objects.get(bundle_link__bundle_case=bundle_case, item=items["joint"]), D(2026, 9, 8))
    (row,) = sel.bundle_efficiency(zone_id=zone.pk, start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert (row.cases, row.done) == (1, 1)
    assert row.bundle_days == 5.0  # 09-01 → 09-08
    # one by one: promised 10 (its own case), instant and joint without cases of their own: 0 + 30 promised
    assert row.one_by_one_days == 40.0
    assert row.missing_records == ["企业投资项目备案", "建筑工程施工许可联合审批"]
    assert (row.bundle_visits, row.one_by_one_visits) == (1, 3)
    assert (row.bundle_materials, row.one_by_one_materials) == (3, 9)
    assert row.days_saved == 35.0
