import io
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import Workbook

from onezone.assessment.models import Evaluation, EvaluationResult, ZoneValue
from onezone.assessment.selectors import evaluations_visible, rank_history, ranking
from onezone.assessment.services import (
    evaluation_compute,
    evaluation_transition,
    scheme_create_default,
    zone_value_set,
    zone_values_import,
)
from onezone.core.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.zones.models import Zone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _ranks(evaluation):
    return {r.zone.code: (r.score, r.rank, r.complete) for r in evaluation.results.select_related("zone")}


def test_compute_stores_exact_scores_and_ranks(root, scheme, province_values):
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    assert evaluation.status == "draft" and evaluation.zone_count == 3
    assert _ranks(evaluation) == {
        "testzone": (D("41.84"), 3, True),
        "otherzone": (D("50.00"), 2, True),
        "thirdzone": (D("65.66"), 1, True),
    }
    result = evaluation.results.get(zone=province_values["X"])
    assert result.values == {"a1": "10.0000", "a2": "2.0000", "b1": "1.0000"}
    assert result.points["A"] == "50.00"


def test_missing_rule_is_a_setting_of_the_scheme(root, scheme, province_values):
    ZoneValue.objects.filter(zone=province_values["X"], key="b1").delete()
    zero = evaluation_compute(actor=root, scheme=scheme, year=2025)
    assert _ranks(zero)["testzone"] == (D("30.00"), 3, False)
    assert zero.results.get(zone=province_values["X"]).missing == ["b1"]
    scheme.missing_rule = "renormalise"
    scheme.save()
    again = evaluation_compute(actor=root, scheme=scheme, year=2025)
    assert again.pk == zero.pk
    assert _ranks(again) == {
        "testzone": (D("50.00"), 2, False),
        "otherzone": (D("43.33"), 3, True),
        "thirdzone": (D("64.17"), 1, True),
    }


def test_published_evaluation_is_frozen_until_withdrawn(root, scheme, province_values):
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    evaluation_transition(actor=root, evaluation=evaluation, to="published")
    with pytest.raises(TransitionNotAllowed, match="已发布，不能重新计算"):
        evaluation_compute(actor=root, scheme=scheme, year=2025)
    with pytest.raises(TransitionNotAllowed, match="不能改为“已发布”"):
        evaluation_transition(actor=root, evaluation=evaluation, to="published")
    evaluation_transition(actor=root, evaluation=evaluation, to="draft")
    assert Evaluation.objects.get().published_at is None


def test_only_the_site_administrator_computes_and_nothing_changes(users, scheme, province_values):
    before = AuditEvent.objects.count()
    for role in ("admin", "leader", "province_supervisor"):
        with pytest.raises(PermissionDenied):
            evaluation_compute(actor=users[role], scheme=scheme, year=2025)
    assert Evaluation.objects.count() == 0 and EvaluationResult.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_scheme_with_bad_weights_is_refused(root, scheme, province_values):
    scheme.nodes.filter(key="A").update(weight=D(55))
    with pytest.raises(InvalidInput, match=r"“综合”的下级指标权重合计为 95\.00%，应为 100%"):
        evaluation_compute(actor=root, scheme=scheme, year=2025)


def test_default_scheme_follows_the_ministry_of_commerce(root):
    scheme = scheme_create_default(actor=root, province_code="620000")
    top = {n.name: n.weight for n in scheme.nodes.filter(parent__key="composite")}
    assert top == {"对外开放": D(30), "发展质量": D(30), "科技创新": D(15), "绿色发展": D(15), "统筹协调": D(10)}
    lower = set(scheme.nodes.filter(direction="lower").values_list("name", flat=True))
    assert lower == {"单位工业增加值能耗", "单位工业增加值二氧化碳排放"}


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_all_or_nothing_with_row_errors(root, scheme, zone, other_zone):
    bad = _xlsx(
        [
            ["开发区代码", "开发区名称", "产值（a1）", "能耗", "b1"],
            ["testzone", "测试", 10, 2, 1],
            ["nozone", "无", 1, 1, 1],
            ["otherzone", "另一", "很多", -1, 2],
            ["testzone", "重复", 1, 1, 1],
        ]
    )
    with pytest.raises(InvalidInput) as err:
        zone_values_import(actor=root, scheme=scheme, year=2025, data=bad)
    assert err.value.fields["file"].splitlines() == [
        "第3行“开发区代码”：“nozone”不是本省的开发区。",
        "第4行“产值”：“很多”不是有效的数字。",
        "第4行“能耗”：不能为负数。",
        "第5行“开发区代码”：开发区“测试工业园区”与第2行重复。",
    ]
    assert "3 行有误，1 行无误" in err.value.message and "未导入任何数据" in err.value.message
    assert ZoneValue.objects.count() == 0
    good = _xlsx([["开发区代码", "产值（a1）", "能耗", "b1"], ["testzone", 10, 2, None], ["otherzone", 20, "4", 2]])
    assert zone_values_import(actor=root, scheme=scheme, year=2025, data=good) == 5
    assert ZoneValue.objects.get(zone=zone, key="a2").value == D(2)
    assert not ZoneValue.objects.filter(zone=zone, key="b1").exists()


def test_import_refuses_unknown_columns(root, scheme):
    with pytest.raises(InvalidInput, match="列“利润”不是本指标体系的末级指标"):
        zone_values_import(actor=root, scheme=scheme, year=2025, data=_xlsx([["开发区代码", "利润"], ["x", 1]]))


def test_zone_reports_its_own_values_only(users, zone, other_zone):
    zone_value_set(actor=users["dept_head"], zone_id=zone.pk, year=2025, key="a1", value="12.5")
    assert ZoneValue.objects.get(zone=zone).value == D("12.5")
    with pytest.raises(PermissionDenied):
        zone_value_set(actor=users["dept_head"], zone_id=other_zone.pk, year=2025, key="a1", value="1")
    assert ZoneValue.objects.filter(zone=other_zone).count() == 0


@pytest.fixture
def evaluated(root, scheme, province_values):
    draft = evaluation_compute(actor=root, scheme=scheme, year=2025)
    for year in (2023, 2024):
        for value in ZoneValue.objects.filter(year=2025):
            ZoneValue.objects.create(
                zone_id=value.zone_id,
                year=year,
                key=value.key,
                value=value.value,
                origin="reported",
                recorded_at=value.recorded_at,
            )
        published = evaluation_compute(actor=root, scheme=scheme, year=year)
        evaluation_transition(actor=root, evaluation=published, to="published")
    return draft


def test_supervisor_sees_every_zone_and_drafts(users, evaluated, province_values):
    supervisor = users["province_supervisor"]
    assert [e.year for e in evaluations_visible(supervisor)] == [2025, 2024, 2023]
    table = ranking(evaluated, supervisor)
    assert table.sees_all and all(row.values is not None for row in table.rows)
    assert [p.year for p in rank_history(province_values["X"].pk, supervisor)] == [2023, 2024, 2025]


def test_zone_user_sees_published_ranking_and_only_own_values(users, evaluated, province_values):
    clerk = users["clerk"]
    visible = list(evaluations_visible(clerk))
    assert [e.year for e in visible] == [2024, 2023]
    table = ranking(visible[0], clerk)
    own = [r for r in table.rows if r.own]
    others = [r for r in table.rows if not r.own]
    assert [r.zone_name for r in own] == ["测试工业园区"] and own[0].values == {
        "a1": "10.0000",
        "a2": "2.0000",
        "b1": "1.0000",
    }
    assert len(others) == 2 and all(r.values is None and r.points is None for r in others)
    assert [(r.rank, r.score) for r in table.rows] == [(1, D("65.66")), (2, D("50.00")), (3, D("41.84"))]
    assert [p.year for p in rank_history(province_values["X"].pk, clerk)] == [2023, 2024]


def test_api_respects_visibility_and_changes_nothing(users, evaluated, province_values):
    client = Client()
    client.login(username="u-clerk", password=PASSWORD)
    before = (ZoneValue.objects.count(), AuditEvent.objects.count())
    listed = client.get("/api/v1/assessment/evaluations").json()
    assert [e["year"] for e in listed] == [2024, 2023]
    draft = client.get(f"/api/v1/assessment/evaluations/{evaluated.pk}/ranking")
    assert draft.status_code == 404
    ranking_json = client.get(f"/api/v1/assessment/evaluations/{listed[0]['id']}/ranking").json()
    values = {row["zone_name"]: row["values"] for row in ranking_json["rows"]}
    assert values["另一工业园区"] is None and values["测试工业园区"]["a1"] == "10.0000"
    other = province_values["Y"]
    refused = client.get(f"/api/v1/assessment/zones/{other.pk}/values", {"year": 2025})
    assert refused.status_code == 403 and refused.json()["message"] == "您无权查看其他开发区的数据。"
    assert client.get(f"/api/v1/assessment/zones/{other.pk}/rank-history").status_code == 403
    own = client.get(f"/api/v1/assessment/zones/{province_values['X'].pk}/values", {"year": 2025}).json()
    assert {v["key"] for v in own} == {"a1", "a2", "b1"}
    assert (ZoneValue.objects.count(), AuditEvent.objects.count()) == before

    supervisor = Client()
    supervisor.login(username="u-province_supervisor", password=PASSWORD)
    assert supervisor.get(f"/api/v1/assessment/zones/{other.pk}/values", {"year": 2025}).status_code == 200
    rows = supervisor.get(f"/api/v1/assessment/evaluations/{evaluated.pk}/ranking").json()["rows"]
    assert all(row["values"] is not None for row in rows)


def test_ranking_pages_for_zone_user_and_supervisor(users, evaluated, province_values):
    client = Client()
    client.login(username="u-leader", password=PASSWORD)
    assert client.get(f"/desk/assessment/rankings/{evaluated.pk}/").status_code == 404
    published = Evaluation.objects.get(year=2024)
    page = client.get(f"/desk/assessment/rankings/{published.pk}/").content.decode()
    assert "缺失值规则：" in page and "缺失指标记 0 分" in page and "其他开发区的指标值不对开发区用户公开" in page
    other = client.get(f"/desk/assessment/zones/{province_values['Y'].pk}/")
    assert other.status_code == 403 and "您无权查看其他开发区的数据" in other.content.decode()
    export = client.get(f"/desk/assessment/rankings/{published.pk}/export.xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_ranking_query_count_does_not_grow_with_zones(django_assert_num_queries, root, users, scheme, province_values):
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    supervisor = users["province_supervisor"]
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    with django_assert_num_queries(3):  # roles, the scheme's nodes, the results with their zones
        ranking(evaluation, supervisor)
    for i in range(5):
        extra = Zone.objects.create(
            name=f"附加园区{i}",
            code=f"extra{i}",
            level="provincial",
            area_code="620102",
            province_code="620000",
            approved_area_km2=1,
            planned_area_km2=1,
        )
        ZoneValue.objects.create(
            zone=extra, year=2025, key="a1", value=i, origin="reported", recorded_at=evaluation.computed_at
        )
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    with django_assert_num_queries(3):
        table = ranking(evaluation, supervisor)
    assert len(table.rows) == 8
