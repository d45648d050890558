import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client

from onezone.assessment import sources
from onezone.assessment.models import Actual, Target
from onezone.assessment.selectors import body_target_achievement, holder_ranking, target_rows
from onezone.assessment.services import actual_enter, actuals_compute, target_set
from onezone.core.errors import Conflict, InvalidInput, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.org.models import Appointment, Body, Person, Post
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(zone):
    return {
        "invest": Body.objects.create(zone=zone, name="招商局", kind=Body.Kind.DEPARTMENT, order=1),
        "economy": Body.objects.create(zone=zone, name="经发局", kind=Body.Kind.DEPARTMENT, order=2),
        "service": Body.objects.create(zone=zone, name="政务中心", kind=Body.Kind.SERVICE_CENTRE, order=3),
    }


@pytest.fixture
def no_modules(monkeypatch):
    """No other module answers: every figure is missing."""
    monkeypatch.setattr(sources, "_selectors", lambda module: None)


@pytest.fixture
def funds_recorded(monkeypatch):
    """The investment module records 2,500,000 yuan in place for the zone (250 万元)."""
    real = sources._selectors

    class Figures:
        funds_in_place = D(2_500_000)
        start_rate = D("0.75")
        cumulative_completed = D(0)

    class Investment:
        @staticmethod
        def investment_figures(**kwargs):
            return Figures()

    monkeypatch.setattr(
        sources, "_selectors", lambda module: Investment if module == "investment.selectors" else real(module)
    )


def test_target_set_creates_then_updates_with_audit(users, zone):
    first = target_set(
        actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="300", weight="20"
    )
    again = target_set(
        actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="350", weight="20"
    )
    assert first.pk == again.pk and Target.objects.get().value == D(350)
    assert AuditEvent.objects.filter(action="assessment.target.set").count() == 2


def test_target_rules_are_checked(users, zone):
    with pytest.raises(InvalidInput, match="逐档递增"):
        target_set(
            actor=users["leader"],
            zone_id=zone.pk,
            year=2026,
            indicator_key="tax",
            value="1",
            rule={"kind": "steps", "steps": [[1, 100], [0.5, 50]]},
        )
    with pytest.raises(InvalidInput, match="机构目标须选择机构"):
        target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="tax", value="1", level="body")
    assert Target.objects.count() == 0


def test_clerk_cannot_set_targets_and_nothing_changes(users, zone):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        target_set(actor=users["clerk"], zone_id=zone.pk, year=2026, indicator_key="tax", value="1")
    assert Target.objects.count() == 0 and AuditEvent.objects.count() == before


def test_missing_module_says_enter_by_hand(no_modules, zone):
    figure = sources.figure("investment.funds_in_place", zone_id=zone.pk, year=2026)
    assert figure.value is None and figure.note == "该指标暂无记录来源，请手工填报"


def test_computed_actual_states_its_source_and_time(users, zone, funds_recorded):
    target = target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="200")
    rate = target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="start_rate", value="80")
    result = actuals_compute(actor=users["dept_head"], zone_id=zone.pk, year=2026)
    assert result == {"computed": 2, "unavailable": 0}
    actual = Actual.objects.get(target=target)
    assert actual.value == D(250) and actual.origin == "computed" and actual.computed_at is not None
    assert actual.source == "招商引资（到位资金台账）"
    assert Actual.objects.get(target=rate).value == D(75)
    rows = {r.target.indicator.key: r for r in target_rows(zone.pk, 2026, today=dt.date(2026, 11, 25))}
    assert rows["funds_in_place"].score == D("120.00") and rows["funds_in_place"].ratio_pct == D("125.00")
    assert rows["start_rate"].score == D("93.75")
    assert rows["funds_in_place"].origin_label == "系统计算：招商引资（到位资金台账）"
    with pytest.raises(Conflict, match="由招商引资（到位资金台账）的记录自动计算，不能手工填报"):
        actual_enter(actor=users["leader"], target=target, value="1", evidence_reference="某文")


def test_manual_actual_needs_evidence_and_survives_recompute(users, zone, no_modules):
    target = target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="200")
    with pytest.raises(InvalidInput, match="须附佐证"):
        actual_enter(actor=users["leader"], target=target, value="150")
    assert Actual.objects.count() == 0
    actual_enter(actor=users["leader"], target=target, value="150", evidence_reference="永工管发〔2026〕3号")
    assert actuals_compute(actor=users["leader"], zone_id=zone.pk, year=2026) == {"computed": 0, "unavailable": 0}
    actual = Actual.objects.get()
    assert (actual.value, actual.origin, actual.evidence_reference) == (D(150), "manual", "永工管发〔2026〕3号")
    row = target_rows(zone.pk, 2026, today=dt.date(2026, 6, 30))[0]
    assert row.origin_label == "手工填报（佐证：永工管发〔2026〕3号）"
    assert row.score == D("75.00") and row.at_risk is False  # 75 % achieved at 49.6 % of the year
    late = target_rows(zone.pk, 2026, today=dt.date(2026, 12, 31))[0]
    assert late.at_risk is True


def test_bodies_ranked_with_ties_sharing_a_rank(users, zone, bodies, no_modules):
    def body_target(body, key, value, weight, actual):
        target = target_set(
            actor=users["leader"],
            zone_id=zone.pk,
            year=2026,
            indicator_key=key,
            value=value,
            weight=weight,
            level="body",
            body_id=bodies[body].pk,
        )
        actual_enter(actor=users["leader"], target=target, value=actual, evidence_reference="台账")

    body_target("invest", "funds_in_place", "100", "60", "90")  # 90
    body_target("invest", "new_enterprises", "10", "40", "5")  # 50 → (90×60 + 50×40) / 100 = 74
    body_target("economy", "tax", "100", "100", "74")  # 74
    body_target("service", "on_time_rate", "98", "100", "98")  # 100
    ranking = holder_ranking(zone.pk, 2026)
    assert [(h.name, h.score, h.rank) for h in ranking] == [
        ("政务中心", D("100.00"), 1),
        ("招商局", D("74.00"), 2),
        ("经发局", D("74.00"), 2),
    ]
    person = Person.objects.create(zone=zone, name="甲")
    post = Post.objects.create(zone=zone, body=bodies["invest"], title="专员")
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2025, 1, 1))
    assert body_target_achievement(person, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == D("74.00")


def test_metric_registered_for_the_personnel_appraisal():
    from onezone.personnel.metrics import is_registered

    assert is_registered("assessment.body_target_achievement")


def test_target_rows_query_count_is_flat(django_assert_num_queries, users, zone, bodies, no_modules):
    for key in ("funds_in_place", "tax"):
        target = target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key=key, value="10")
        actual_enter(actor=users["leader"], target=target, value="5", evidence_reference="台账")
    with django_assert_num_queries(1):
        target_rows(zone.pk, 2026)
    for body in bodies.values():
        target_set(
            actor=users["leader"],
            zone_id=zone.pk,
            year=2026,
            indicator_key="tax",
            value="10",
            level="body",
            body_id=body.pk,
        )
    with django_assert_num_queries(1):
        assert len(target_rows(zone.pk, 2026)) == 5


def test_targets_page_and_exports(users, zone, no_modules):
    target = target_set(actor=users["leader"], zone_id=zone.pk, year=2026, indicator_key="funds_in_place", value="200")
    client = Client()
    client.login(username="u-leader", password=PASSWORD)
    page = client.get("/desk/assessment/targets/", {"year": 2026}).content.decode()
    assert "到位资金" in page and "该指标暂无记录来源，请手工填报" in page
    response = client.post(
        f"/desk/assessment/targets/{target.pk}/actual/", {"value": "120", "evidence_reference": "统计表"}
    )
    assert response.status_code == 302 and Actual.objects.get().value == D(120)
    xlsx = client.get("/desk/assessment/export/targets.xlsx", {"year": 2026})
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:5] == ["全区", "到位资金", "万元", 200, 120]
    clerk = Client()
    clerk.login(username="u-clerk", password=PASSWORD)
    refused = clerk.get("/desk/assessment/targets/")
    assert refused.status_code == 403 and "管委会领导" in refused.content.decode()
