"""The window's events reach the right people: the applicant's portal users, the clerk, the heads."""

from __future__ import annotations

import datetime as dt

import pytest

from onezone.core.roles import Role
from onezone.enterprises.services import enterprise_register, member_link
from onezone.notify.models import Notification
from onezone.window import services as svc
from onezone.window.models import CaseState, RatingLevel
from onezone.window.sweep import window_sweep
from tests.conftest import make_user
from tests.enterprises.conftest import parks  # noqa: F401  a fixture
from tests.window.conftest import (  # noqa: F401  fixtures
    ENTERPRISE,
    TODAY,
    fixed_today,
    items,
    material_ids,
    org,
    staff,
    under_review,
)

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def portal(zone, users, parks):  # noqa: F811
    firm = enterprise_register(
        actor=users["admin"],
        zone_id=zone.pk,
        uscc=ENTERPRISE.uscc,
        name=ENTERPRISE.name,
        industry_code="C3211",
        park=parks["hexipu"],
    )
    second = make_user("ent-second", zone=zone, role=Role.ENTERPRISE)
    member_link(actor=users["admin"], user=users["enterprise"], enterprise=firm)
    member_link(actor=users["admin"], user=second, enterprise=firm)
    return [users["enterprise"], second]


def _told(event):
    return sorted(Notification.objects.filter(event=event).values_list("recipient__username", flat=True))


def test_the_applicant_hears_of_acceptance_decision_and_delivery(zone, staff, items, material_ids, portal):  # noqa: F811
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["promised"][:2],
        on=D(2026, 9, 28),
    )
    assert Notification.objects.count() == 0
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 9, 30))
    assert _told("window.case_accepted") == ["ent-second", "u-enterprise"]
    accepted = Notification.objects.filter(event="window.case_accepted").first()
    assert accepted.subject == "您的申请“建设项目环境影响评价审批”已受理"
    assert accepted.body == (
        f"办件编号 {case.number}\n受理日期：2026年9月30日\n承诺办结时限：2026年10月20日\n法定办结时限：2026年11月3日"
    )
    assert accepted.link == f"/portal/window/lookup/?number={case.number}"
    svc.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=D(2026, 10, 8))
    assert Notification.objects.count() == 2
    svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="同意。", on=D(2026, 10, 12))
    svc.case_decide(
        actor=staff["reviewer"],
        case_id=case.pk,
        granted=True,
        text="同意。",
        licence_number="环审〔2026〕8号",
        on=D(2026, 10, 12),
    )
    assert _told("window.licence_ready") == ["ent-second", "u-enterprise"]
    ready = Notification.objects.filter(event="window.licence_ready").first()
    assert "证照编号：环审〔2026〕8号" in ready.body
    assert "依法于 2026年10月26日 前送达。" in ready.body
    svc.case_deliver(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 12))
    assert _told("window.licence_delivered") == ["ent-second", "u-enterprise"]


def test_one_time_notice_lists_the_materials(zone, staff, items, material_ids, portal):  # noqa: F811
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["promised"][:1],
        on=D(2026, 10, 12),
    )
    svc.case_supplement_request(
        actor=staff["clerk"], case_id=case.pk, missing=material_ids["promised"][1:2], note="请加盖公章。", on=TODAY
    )
    notice = Notification.objects.get(event="window.supplement_requested", recipient=portal[0])
    assert notice.body == f"办件编号 {case.number}\n请一次性补正以下材料：营业执照复印件\n请加盖公章。"


def test_refusal_of_a_licence_is_a_decision_notice(zone, staff, items, material_ids, portal):  # noqa: F811
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["instant"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["instant"][:2],
        on=TODAY,
    )
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=TODAY)
    svc.case_decide(actor=staff["clerk"], case_id=case.pk, granted=False, text="不符合产业政策。", on=TODAY)
    assert _told("window.case_decided") == ["ent-second", "u-enterprise"]
    assert _told("window.licence_ready") == []


def test_an_applicant_outside_the_register_is_told_nobody(zone, staff, items, material_ids):  # noqa: F811
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["promised"][:2],
        on=D(2026, 9, 28),
    )
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=D(2026, 9, 30))
    assert Notification.objects.count() == 0


def test_sweep_warns_the_reviewer_and_escalates_to_the_head_once(zone, staff, items):  # noqa: F811
    warned = under_review(
        zone, items, staff, "YC-W-1", due_in=1, reviewer=staff["reviewer"], body=items["promised"].implementing_body
    )
    warned.save()
    late = under_review(zone, items, staff, "YC-W-2", due_in=-2, body=items["promised"].implementing_body)
    late.save()
    first = window_sweep(today=TODAY)
    assert first["warning"] == 1 and first["escalation"] == 1
    assert _told("window.deadline_warning") == ["u-reviewer"]
    warning = Notification.objects.filter(event="window.deadline_warning").first()
    assert warning.subject == "办件临期预警：2026年10月13日 到期"
    assert warning.body == "办件 YC-W-1（建设项目环境影响评价审批）将于 2026-10-13 到期，请抓紧办理。"
    assert warning.link == f"/desk/window/cases/{warned.pk}/"
    assert _told("window.deadline_escalation") == ["u-centre-head"]
    escalation = Notification.objects.get(event="window.deadline_escalation")
    assert escalation.subject == "办件超过承诺时限（2026年10月10日），请督办"
    before = Notification.objects.count()
    window_sweep(today=TODAY)
    assert Notification.objects.count() == before


def test_a_bad_rating_asks_the_body_heads_to_rectify(zone, staff, items, material_ids):  # noqa: F811
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["instant"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["instant"][:2],
        on=TODAY,
    )
    svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=TODAY)
    svc.case_decide(actor=staff["clerk"], case_id=case.pk, granted=True, text="同意。", on=TODAY)
    svc.case_deliver(actor=staff["clerk"], case_id=case.pk, on=TODAY)
    case.refresh_from_db()
    assert case.state == CaseState.DELIVERED
    svc.rating_submit(
        case_number=case.number,
        query_code=case.query_code,
        level=RatingLevel.values[-1],
        comment="等了很久。",
        on=TODAY,
    )
    assert _told("window.rectification_opened") == ["u-centre-head", "u-clerk"]
    n = Notification.objects.filter(event="window.rectification_opened").first()
    assert n.subject.startswith(f"办件 {case.number} 收到差评，请于 ")
