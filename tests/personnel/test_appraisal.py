import datetime as dt
from decimal import Decimal

import pytest

from onezone.core.errors import Conflict, InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.org.models import AgendaItem, FollowUpTask, Meeting
from onezone.personnel.formula import FormulaError
from onezone.personnel.metrics import MetricUnavailable, metric_choices, metric_value
from onezone.personnel.models import Appraisal, AppraisalScheme, EmploymentContract, Rating
from onezone.personnel.selectors import appraisals_of, cycle_board
from onezone.personnel.services import (
    appeal_decide,
    appeal_review,
    appeal_submit,
    contract_activate,
    contract_create,
    cycle_close,
    cycle_open,
    indicator_inputs_record,
    ratings_record,
    scheme_define,
)
from tests.personnel.conftest import rate_all

pytestmark = pytest.mark.django_db
D = Decimal

# Office: 甲 乙 丙 丁 (management) + 戊 (support); 5 appraised → one 优秀 seat (20%, rounded down).
STRONG = {
    "甲主任": (95, 95, 95),
    "乙科员": (95, 93, 93),
    "丙科员": (80, 80, 80),
    "丁科员": (70, 65, 65),
    "戊师傅": (60, 50, 50),
    "己受理": (95, 95, 95),
    "庚审查": (85, 85, 85),
}


def _year(zone, hr, year=2025, name=None):
    return cycle_open(
        actor=hr,
        zone_id=zone.pk,
        name=name or f"{year}年度考核",
        period="yearly",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )


def test_weights_must_add_up_to_exactly_100(zone, users, staff):
    hr = users["hr_officer"]
    with pytest.raises(InvalidInput, match=r"权重合计应恰好为 100，现为 99\.5"):
        scheme_define(
            actor=hr,
            zone_id=zone.pk,
            name="错误方案",
            category="management",
            indicators=[{"name": "甲", "weight": "60"}, {"name": "乙", "weight": "39.5"}],
        )
    with pytest.raises(InvalidInput, match="现为 101"):
        scheme_define(
            actor=hr,
            zone_id=zone.pk,
            name="错误方案",
            category="management",
            indicators=[{"name": "甲", "weight": 61}, {"name": "乙", "weight": 40}],
        )
    with pytest.raises(FormulaError, match="指标“出勤”的公式有误"):
        scheme_define(
            actor=hr,
            zone_id=zone.pk,
            name="错误方案",
            category="management",
            indicators=[{"name": "出勤", "weight": 100, "source": "formula", "formula": "__import__('os')"}],
        )
    assert AppraisalScheme.objects.count() == 0


def test_a_new_scheme_replaces_the_active_one_of_its_category(zone, users, staff, schemes):
    hr = users["hr_officer"]
    newer = scheme_define(
        actor=hr,
        zone_id=zone.pk,
        name="管理岗位新方案",
        category="management",
        indicators=[{"name": "实绩", "weight": 100}],
    )
    schemes["management"].refresh_from_db()
    assert newer.is_active and not schemes["management"].is_active


def test_cycle_opens_one_appraisal_per_staff_member_with_a_scheme(zone, users, staff, schemes):
    cycle = _year(zone, users["hr_officer"])
    rows = {a.person.name: (a.body.name, a.category, a.scheme.name) for a in appraisals_of(cycle)}
    assert rows["甲主任"] == ("党政办公室", "management", "management方案")
    assert rows["戊师傅"] == ("党政办公室", "support", "support方案")
    assert rows["己受理"] == ("政务服务中心", "professional", "professional方案")
    assert len(rows) == 7


def test_final_formula_is_checked_when_opening(zone, users, staff, schemes):
    with pytest.raises(FormulaError, match="变量“bonus”未定义"):
        cycle_open(
            actor=users["hr_officer"],
            zone_id=zone.pk,
            name="x",
            period="monthly",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 1, 31),
            final_formula="self + bonus",
        )


def test_close_grades_by_score_and_enforces_the_quota(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    board = cycle_board(cycle)
    office = next(q for q in board.quotas if q.body.name == "党政办公室")
    assert (office.appraised, office.seats, office.excellent) == (5, 1, 1)  # preview already applies the quota
    cycle_close(actor=hr, cycle=cycle)
    got = {
        a.person.name: (a.final_score, a.score_grade, a.grade, a.quota_demoted)
        for a in Appraisal.objects.filter(cycle=cycle).select_related("person")
    }
    # 乙: 0.2*95 + 0.5*93 + 0.3*93 = 93.40 ≥ 90, but 甲 (95) takes the office's only seat
    assert got["甲主任"] == (D("95.00"), "excellent", "excellent", False)
    assert got["乙科员"] == (D("93.40"), "excellent", "competent", True)
    assert got["丙科员"] == (D("80.00"), "competent", "competent", False)
    assert got["丁科员"] == (D("66.00"), "basic", "basic", False)
    assert got["戊师傅"] == (D("52.00"), "unsatisfactory", "unsatisfactory", False)
    # the centre has 2 appraised → 0 seats at 20%: 己 is held to 称职
    assert got["己受理"] == (D("95.00"), "excellent", "competent", True)
    cycle.refresh_from_db()
    assert cycle.status == "closed" and cycle.excellent_quota_percent == D(20)
    event = AuditEvent.objects.get(action="cycle.close")
    assert event.changes["grades"] == {"excellent": 1, "competent": 4, "basic": 1, "unsatisfactory": 1}


def test_closing_refuses_missing_ratings_and_keeps_the_cycle_open(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    partial = {k: v for k, v in STRONG.items() if k != "丙科员"}
    for appraisal in cycle.appraisals.select_related("person", "scheme"):
        if appraisal.person.name in partial:
            rate_all_one(hr, appraisal, partial[appraisal.person.name])
    with pytest.raises(InvalidInput, match="丙科员：评分不完整，缺少“工作实绩”的自评"):
        cycle_close(actor=hr, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert not Appraisal.objects.filter(cycle=cycle).exclude(grade="").exists()


def rate_all_one(hr, appraisal, triple):
    marks = {}
    for indicator in appraisal.scheme.indicators.filter(source="manual"):
        for kind, value in zip(("self", "leader", "peer"), triple, strict=True):
            marks[(indicator.pk, kind)] = value
    ratings_record(actor=hr, appraisal=appraisal, scores=marks)


def test_a_completed_cycle_is_locked(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    cycle_close(actor=hr, cycle=cycle)
    appraisal = Appraisal.objects.get(cycle=cycle, person__name="丙科员")
    indicator = appraisal.scheme.indicators.first()
    before = list(Rating.objects.values_list("pk", "score"))
    with pytest.raises(Conflict, match="已完成并锁定") as err:
        ratings_record(actor=hr, appraisal=appraisal, scores={(indicator.pk, "leader"): 100})
    assert err.value.code == "locked"
    with pytest.raises(Conflict, match="已完成并锁定"):
        cycle_close(actor=hr, cycle=cycle)
    assert list(Rating.objects.values_list("pk", "score")) == before


def test_ratings_are_validated(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    appraisal = cycle.appraisals.first()
    indicator = appraisal.scheme.indicators.first()
    with pytest.raises(InvalidInput, match="0 至 100"):
        ratings_record(actor=hr, appraisal=appraisal, scores={(indicator.pk, "self"): 101})
    with pytest.raises(InvalidInput, match="评分类型"):
        ratings_record(actor=hr, appraisal=appraisal, scores={(indicator.pk, "boss"): 90})
    with pytest.raises(PermissionDenied):
        ratings_record(actor=users["clerk"], appraisal=appraisal, scores={(indicator.pk, "self"): 90})
    ratings_record(actor=hr, appraisal=appraisal, scores={(indicator.pk, "self"): 90})
    ratings_record(actor=hr, appraisal=appraisal, scores={(indicator.pk, "self"): 88})  # replaces
    assert list(Rating.objects.values_list("score", flat=True)) == [D("88.00")]


def test_two_unsatisfactory_years_flag_the_contract(zone, users, staff, schemes):
    hr = users["hr_officer"]
    driver = staff["people"]["戊师傅"]
    contract = contract_create(
        actor=hr,
        person=driver,
        post=staff["posts"]["driver"],
        number="HT-D",
        start=dt.date(2024, 1, 1),
        end=dt.date(2027, 12, 31),
    )
    contract_activate(actor=hr, contract=contract)
    for year in (2024, 2025):
        cycle = _year(zone, hr, year)
        rate_all(hr, cycle, STRONG)
        cycle_close(actor=hr, cycle=cycle)
        contract.refresh_from_db()
        assert contract.review_flag is (year == 2025)
    assert contract.review_reason == "2024、2025年度考核连续两年不称职"
    # a quarterly 不称职 does not count
    other = EmploymentContract.objects.filter(review_flag=True)
    assert list(other.values_list("number", flat=True)) == ["HT-D"]


def test_appeal_path_changes_the_grade_only_through_the_service(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    appraisal = Appraisal.objects.get(cycle=cycle, person__name="己受理")
    with pytest.raises(TransitionNotAllowed, match="尚未完成"):
        appeal_submit(actor=users["clerk"], appraisal=appraisal, reason="分数高于优秀线")
    cycle_close(actor=hr, cycle=cycle)
    appraisal.refresh_from_db()
    # 己受理 is linked to the clerk's account: the person concerned may appeal
    appeal = appeal_submit(actor=users["clerk"], appraisal=appraisal, reason="分数高于优秀线")
    with pytest.raises(Conflict, match="正在处理的申诉"):
        appeal_submit(actor=hr, appraisal=appraisal, reason="再次")
    with pytest.raises(PermissionDenied):
        appeal_submit(
            actor=users["reviewer"], appraisal=Appraisal.objects.get(cycle=cycle, person__name="丙科员"), reason="x"
        )
    with pytest.raises(TransitionNotAllowed, match="须先复核"):
        appeal_decide(actor=hr, appeal=appeal, grade="excellent", note="改为优秀")
    appeal_review(actor=hr, appeal=appeal, note="已核对评分表")
    # the centre has no 优秀 seat: a change to 优秀 is refused, nothing changes
    with pytest.raises(Conflict, match="优秀名额（0 名，20%）已满"):
        appeal_decide(actor=hr, appeal=appeal, grade="excellent", note="改为优秀")
    appraisal.refresh_from_db()
    assert appraisal.grade == "competent"
    decided = appeal_decide(actor=hr, appeal=appeal, grade="competent", note="名额所限，维持称职")
    assert (decided.status, decided.grade_before, decided.grade_after) == ("upheld", "competent", "competent")


def test_appeal_can_change_a_grade_with_an_audit_entry(zone, users, staff, schemes):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    cycle_close(actor=hr, cycle=cycle)
    appraisal = Appraisal.objects.get(cycle=cycle, person__name="丁科员")
    appeal = appeal_submit(actor=hr, appraisal=appraisal, reason="领导评分计算有误")
    appeal_review(actor=hr, appeal=appeal, note="领导评分应为 75")
    decided = appeal_decide(actor=hr, appeal=appeal, grade="competent", note="改为称职")
    appraisal.refresh_from_db()
    assert (decided.status, appraisal.grade) == ("changed", "competent")
    event = AuditEvent.objects.get(action="appraisal.grade_change")
    assert event.changes == {"grade": ["basic", "competent"]}


def test_metric_and_formula_indicators(zone, users, staff):
    hr = users["hr_officer"]
    scheme_define(
        actor=hr,
        zone_id=zone.pk,
        name="管理岗位方案",
        category="management",
        indicators=[
            {"name": "工作实绩", "weight": 50},
            {"name": "督办任务", "weight": 30, "source": "metric", "metric_key": "org.meeting_tasks_on_time"},
            {"name": "出勤", "weight": 20, "source": "formula", "formula": "max(0, 100 - 10*absent_days)"},
        ],
    )
    for category in ("professional", "support"):
        scheme_define(
            actor=hr, zone_id=zone.pk, name=category, category=category, indicators=[{"name": "实绩", "weight": 100}]
        )
    meeting = Meeting.objects.create(zone=zone, title="办公会", kind="directors", held_on=dt.date(2025, 3, 1))
    item = AgendaItem.objects.create(zone=zone, meeting=meeting, topic="议题")
    head = staff["people"]["甲主任"]
    for deadline, done_on in [(dt.date(2025, 4, 1), dt.date(2025, 3, 30)), (dt.date(2025, 5, 1), dt.date(2025, 5, 9))]:
        FollowUpTask.objects.create(
            zone=zone,
            agenda_item=item,
            description="任务",
            owner_body=staff["office"],
            owner=head,
            deadline=deadline,
            status="done",
            done_on=done_on,
        )
    assert metric_value("org.meeting_tasks_on_time", head, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == D("50.00")
    assert metric_value("org.meeting_tasks_on_time", head, dt.date(2024, 1, 1), dt.date(2024, 12, 31)) is None
    assert ("org.meeting_tasks_on_time", "会议督办任务按时办结率（%）") in metric_choices()

    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    board = cycle_board(cycle)
    head_row = next(r for r in board.rows if r.appraisal.person.name == "甲主任")
    assert head_row.problem == "指标“出勤”尚未录入：absent_days。"
    with pytest.raises(InvalidInput, match="甲主任：指标“出勤”尚未录入"):
        cycle_close(actor=hr, cycle=cycle)
    for appraisal in cycle.appraisals.filter(category="management"):
        indicator = appraisal.scheme.indicators.get(name="出勤")
        indicator_inputs_record(actor=hr, appraisal=appraisal, indicator=indicator, inputs={"absent_days": 2})
    cycle_close(actor=hr, cycle=cycle)
    got = Appraisal.objects.get(cycle=cycle, person=head)
    # 甲: 50 indicator 95, tasks 50.00, attendance 80 → (47.5 + 15 + 16) = 78.50 in every perspective
    assert got.final_score == D("78.50")
    clerk = Appraisal.objects.get(cycle=cycle, person__name="乙科员")
    # 乙 has no tasks: the metric is left out and 工作实绩 (50) and 出勤 (20) are re-weighted over 70
    assert clerk.self_score == ((D(95) * 50 + D(80) * 20) / 70).quantize(D("0.01"))


def test_missing_metric_source_gives_a_clear_message(zone, users, staff):
    hr = users["hr_officer"]
    scheme_define(
        actor=hr,
        zone_id=zone.pk,
        name="窗口方案",
        category="professional",
        indicators=[
            {"name": "实绩", "weight": 60},
            {"name": "按时办结率", "weight": 40, "source": "metric", "metric_key": "window.not_installed_rate"},
        ],
    )
    with pytest.raises(MetricUnavailable, match=r"指标来源“window\.not_installed_rate”尚未启用"):
        metric_value("window.not_installed_rate", staff["people"]["己受理"], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    cycle = cycle_open(
        actor=hr, zone_id=zone.pk, name="Q", period="quarterly", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    rate_all(hr, cycle, STRONG)
    rows = {r.appraisal.person.name: r.problem for r in cycle_board(cycle).rows}
    assert rows["己受理"].startswith("指标来源“window.not_installed_rate”尚未启用")
    with pytest.raises(InvalidInput, match="尚未启用"):
        cycle_close(actor=hr, cycle=cycle)


def test_board_query_count_does_not_grow(zone, users, staff, schemes, django_assert_max_num_queries):
    hr = users["hr_officer"]
    cycle = _year(zone, hr)
    rate_all(hr, cycle, STRONG)
    cycle_close(actor=hr, cycle=cycle)
    with django_assert_max_num_queries(7):
        board = cycle_board(cycle)
        assert len(board.rows) == 7
        _ = [(r.appraisal.person.name, r.appraisal.body.name, r.grade_label) for r in board.rows]
