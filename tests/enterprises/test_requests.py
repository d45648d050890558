import datetime as dt

import pytest

from onezone.core.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from onezone.enterprises.models import EnterpriseRequest, RequestAlert, RequestCategory
from onezone.enterprises.rules import REQUEST_TRANSITIONS, RequestAction, period_bounds, request_next_status
from onezone.enterprises.selectors import open_requests_count, request_get, requests_list, requests_waiting_for
from onezone.enterprises.services import (
    request_acknowledge,
    request_category_confirm,
    request_confirm,
    request_reopen,
    request_resolve,
    request_respond,
    request_submit,
    requests_sweep,
)
from onezone.org.models import Appointment, Person, Post
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)  # a plain working week: no holidays near


def submit(firms, text="企业流动资金紧张，希望协调银行贷款", on=MONDAY, **kw):
    return request_submit(actor=firms["user_a"], enterprise=firms["a"], title="资金困难", description=text, on=on, **kw)


def test_submit_suggests_routes_and_sets_working_day_deadlines(firms, bodies):
    request = submit(firms)
    assert request.number == "SQ2026-00001"
    assert request.category.code == "funding"
    assert request.suggested_category.code == "funding"
    assert request.suggestion_words == ["贷款", "资金", "银行"]
    assert request.handling_body == bodies["economy"]
    assert request.domain == "economic"
    # funding: acknowledge 1, respond 5, resolve 20 working days, the start day not counted
    assert request.ack_due == dt.date(2026, 3, 3)
    assert request.respond_due == dt.date(2026, 3, 9)
    assert request.resolve_due == dt.date(2026, 3, 30)
    assert request.deadlines_provisional is False
    assert [e.kind for e in request.events.all()] == ["submitted"]
    assert submit(firms).number == "SQ2026-00002"


def test_deadlines_skip_the_national_day_holiday(firms):
    request = submit(firms, on=dt.date(2026, 9, 30))
    # 2026-10-01..07 are holidays; 2026-10-10 (Saturday) is a make-up working day
    assert request.ack_due == dt.date(2026, 10, 8)


def test_the_enterprise_given_category_wins_over_the_suggestion(firms, bodies):
    request = submit(firms, category="approvals")
    assert request.category.code == "approvals"
    assert request.suggested_category.code == "funding"
    assert request.handling_body == bodies["service"]


def test_missing_routing_rule_gives_a_clear_message(firms, setup):
    RequestCategory.objects.filter(zone=setup, code="land").update(routing_category="land_supervision")
    with pytest.raises(InvalidInput) as err:
        submit(firms, category="land")
    assert err.value.message.startswith(
        "诉求类别“用地与厂房”对应的归口规则“land_supervision”在本开发区尚未设置，无法分派承办机构"
    )
    assert EnterpriseRequest.objects.count() == 0


def test_empty_text_is_refused(firms):
    with pytest.raises(InvalidInput) as err:
        request_submit(actor=firms["user_a"], enterprise=firms["a"], title="", description=" ")
    assert set(err.value.fields) == {"title", "description"}


def test_full_lifecycle_needs_the_enterprise_confirmation(firms, users):
    request = submit(firms)
    clerk = users["clerk"]
    request = request_acknowledge(actor=clerk, request=request)
    request = request_respond(actor=clerk, request=request, response="已对接县农商行，下周上门。")
    request = request_resolve(actor=clerk, request=request, resolution="农商行授信300万元已到账。")
    assert request.status == "resolved"
    assert open_requests_count(zone_id=request.zone_id) == 1
    # staff cannot close it for the enterprise
    with pytest.raises(PermissionDenied):
        request_confirm(actor=clerk, request=request)
    request = request_confirm(actor=firms["user_a"], request=request, satisfaction="满意")
    assert request.status == "closed"
    assert request.confirmed_by == firms["user_a"]
    assert open_requests_count(zone_id=request.zone_id) == 0
    assert [e.kind for e in request.events.order_by("id")] == [
        "submitted",
        "acknowledged",
        "responded",
        "resolved",
        "confirmed",
    ]


def test_cannot_skip_the_response(firms, users):
    request = request_acknowledge(actor=users["clerk"], request=submit(firms))
    with pytest.raises(TransitionNotAllowed) as err:
        request_resolve(actor=users["clerk"], request=request, resolution="已解决")
    assert err.value.message == "该诉求当前为“已签收”，不能办结；当前只能答复。"
    with pytest.raises(TransitionNotAllowed):
        request_confirm(actor=firms["user_a"], request=request)
    request.refresh_from_db()
    assert request.status == "acknowledged"


def test_closed_request_cannot_change(firms, users):
    clerk = users["clerk"]
    request = submit(firms)
    for step in (
        lambda r: request_acknowledge(actor=clerk, request=r),
        lambda r: request_respond(actor=clerk, request=r, response="答复"),
        lambda r: request_resolve(actor=clerk, request=r, resolution="结果"),
        lambda r: request_confirm(actor=firms["user_a"], request=r),
    ):
        request = step(request)
    with pytest.raises(TransitionNotAllowed, match="已关闭"):
        request_reopen(actor=firms["user_a"], request=request, reason="又不行了")


def test_unsatisfied_enterprise_reopens_with_new_deadlines(firms, users):
    clerk = users["clerk"]
    request = submit(firms)
    request = request_acknowledge(actor=clerk, request=request)
    request = request_respond(actor=clerk, request=request, response="答复")
    request = request_resolve(actor=clerk, request=request, resolution="结果")
    with pytest.raises(InvalidInput):
        request_reopen(actor=firms["user_a"], request=request, reason="")
    request = request_reopen(actor=firms["user_a"], request=request, reason="贷款仍未落实", on=dt.date(2026, 4, 1))
    assert request.status == "acknowledged"
    assert request.round == 2
    assert request.responded_at is None
    assert request.respond_due == dt.date(2026, 4, 9)  # 5 working days; 4-6 is 清明 holiday
    # it needs a new response before it can be resolved and closed
    with pytest.raises(TransitionNotAllowed):
        request_resolve(actor=clerk, request=request, resolution="再次结果")


def test_stale_status_is_refused(firms, users):
    request = submit(firms)
    request_acknowledge(actor=users["clerk"], request=request)
    with pytest.raises(Exception) as err:
        request_acknowledge(actor=users["clerk"], request=request, expected_status="submitted")
    assert "刚被他人办理" in err.value.message


def test_another_enterprise_cannot_touch_the_request_and_nothing_changes(firms, users):
    clerk = users["clerk"]
    request = submit(firms)
    for step in (
        lambda r: request_acknowledge(actor=clerk, request=r),
        lambda r: request_respond(actor=clerk, request=r, response="答复"),
        lambda r: request_resolve(actor=clerk, request=r, resolution="结果"),
    ):
        request = step(request)
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        request_confirm(actor=firms["user_b"], request=request)
    with pytest.raises(NotFound):
        request_reopen(actor=firms["user_b"], request=request, reason="捣乱")
    with pytest.raises(PermissionDenied):
        request_submit(actor=firms["user_b"], enterprise=firms["a"], title="冒名", description="冒名提交")
    request.refresh_from_db()
    assert request.status == "resolved"
    assert AuditEvent.objects.count() == before
    assert EnterpriseRequest.objects.count() == 1


def test_enterprise_user_cannot_do_staff_steps(firms):
    request = submit(firms)
    with pytest.raises(PermissionDenied):
        request_acknowledge(actor=firms["user_a"], request=request)
    with pytest.raises(PermissionDenied):
        request_category_confirm(actor=firms["user_a"], request=request, category="policy")


def test_correction_reroutes_and_recomputes_deadlines(firms, users, bodies):
    request = submit(firms)
    request = request_category_confirm(actor=users["leader"], request=request, category="approvals")
    assert request.handling_body == bodies["service"]
    assert request.respond_due == dt.date(2026, 3, 5)  # approvals: respond in 3 working days
    assert [e.kind for e in request.events.order_by("id")][-1] == "category_corrected"
    with pytest.raises(TransitionNotAllowed, match="已确认"):
        request_category_confirm(actor=users["leader"], request=request, category="policy")


def test_sweep_warns_escalates_to_the_head_and_is_idempotent(firms, staff, bodies):
    request = submit(firms, text="专精特新奖补政策兑现")  # policy: ack 03-03, respond 03-05, resolve 03-23
    assert request.handling_body == bodies["investment"]
    assert (request.ack_due, request.respond_due) == (dt.date(2026, 3, 3), dt.date(2026, 3, 5))
    assert requests_sweep(today=dt.date(2026, 3, 2)) == "企业诉求：新预警 1 条，新超期上报 0 条"
    assert requests_sweep(today=dt.date(2026, 3, 2)) == "企业诉求：新预警 0 条，新超期上报 0 条"
    assert requests_sweep(today=dt.date(2026, 3, 4)) == "企业诉求：新预警 1 条，新超期上报 1 条"
    overdue = RequestAlert.objects.get(kind="ack_overdue")
    assert overdue.escalated_to == [{"id": staff["head"].pk, "name": "钱局长"}]
    assert overdue.body == bodies["investment"]
    assert requests_sweep(today=dt.date(2026, 3, 4)) == "企业诉求：新预警 0 条，新超期上报 0 条"
    assert sorted(RequestAlert.objects.values_list("kind", flat=True)) == [
        "ack_overdue",
        "ack_warning",
        "respond_warning",
    ]
    assert [e.kind for e in request.events.order_by("id")].count("alert") == 3


def test_sweep_ignores_resolved_and_closed(firms, users):
    clerk = users["clerk"]
    request = submit(firms)
    request = request_acknowledge(actor=clerk, request=request)
    request = request_respond(actor=clerk, request=request, response="答复")
    request_resolve(actor=clerk, request=request, resolution="结果")
    assert requests_sweep(today=dt.date(2026, 12, 31)).endswith("新预警 0 条，新超期上报 0 条")


def test_landing_shows_requests_of_the_users_body(firms, users, staff, bodies):
    mine = request_submit(
        actor=firms["user_a"], enterprise=firms["a"], title="政策", description="专精特新奖补政策兑现", on=MONDAY
    )
    submit(firms)  # funding → 经济发展局, not the officer's body
    assert mine.handling_body == bodies["investment"]
    officer = make_user("u-investment-only", zone=mine.zone, role=Role.CLERK)
    post = Post.objects.create(zone=mine.zone, body=bodies["investment"], title="招商专员")
    person = Person.objects.create(zone=mine.zone, name="刘专员", user=officer)
    Appointment.objects.create(zone=mine.zone, person=person, post=post, start=dt.date(2020, 1, 1))
    assert requests_waiting_for(officer, mine.zone_id) == [mine]
    assert requests_waiting_for(users["leader"], mine.zone_id) == []


def test_request_list_and_detail_queries_are_pinned(firms, django_assert_num_queries):
    for _ in range(5):
        submit(firms)
    zone_id = firms["a"].zone_id
    with django_assert_num_queries(2):
        page = requests_list(zone_id=zone_id, open_only=True)
        assert [r.enterprise.name for r in page.items][:1] == ["金昌甲新材料有限公司"]
        assert page.items[0].category.name == "融资与资金"
        assert page.items[0].handling_body.name == "经济发展局"
    request = page.items[0]
    with django_assert_num_queries(3):
        detail = request_get(zone_id=zone_id, request_id=request.pk)
        assert len(detail.events.all()) == 1


def test_pipeline_table_is_closed_only_by_confirmation():
    closing = [(s, a) for (s, a), t in REQUEST_TRANSITIONS.items() if t == "closed"]
    assert closing == [("resolved", RequestAction.CONFIRM)]
    assert request_next_status("submitted", "resolve") is None
    assert request_next_status("responded", "resolve") == "resolved"


def test_period_bounds():
    assert period_bounds(dt.date(2026, 11, 15), "quarter") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert period_bounds(dt.date(2026, 2, 15), "month") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert period_bounds(dt.date(2026, 7, 1), "half_year") == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert period_bounds(dt.date(2026, 7, 1), "year") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_submit_refuses_a_description_over_its_limit_and_stores_nothing(firms):
    with pytest.raises(InvalidInput) as caught:
        submit(firms, text="电" * 100_000)
    assert caught.value.fields == {"description": "诉求内容最多 5,000 个字，收到 100,000 个字，请删减后再提交。"}
    assert not EnterpriseRequest.objects.exists()


def test_submit_refuses_a_long_title_instead_of_cutting_it(firms):
    with pytest.raises(InvalidInput) as caught:
        request_submit(actor=firms["user_a"], enterprise=firms["a"], title="题" * 101, description="贷款", on=MONDAY)
    assert caught.value.fields == {"title": "诉求标题最多 100 个字，收到 101 个字，请删减后再提交。"}
    assert not EnterpriseRequest.objects.exists()
