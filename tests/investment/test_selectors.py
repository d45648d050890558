import datetime as dt
from decimal import Decimal

import pytest

from onezone.investment import selectors, services
from onezone.investment.models import Stage
from onezone.investment.selectors import investment_figures, officer_funds_in_place
from tests.conftest import make_user
from tests.investment.conftest import signed_project, walk

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def book(zone, parks, officer, chain):
    """A small year: three key projects planned for 2024, funds, progress, a drop and a correction."""
    second_officer = make_user("officer2", zone=zone, role="investment_officer")
    a = signed_project(zone, parks, officer, name="A", is_key=True, planned_start_year=2024, chain_node=chain["hf"])
    b = signed_project(zone, parks, officer, name="B", is_key=True, planned_start_year=2024)
    c = signed_project(
        zone,
        parks,
        officer,
        name="C",
        is_key=True,
        planned_start_year=2024,
        officer=second_officer,
        park=parks["food"],
        industry_code="C1310",
    )
    d = signed_project(zone, parks, officer, name="D", is_key=True, planned_start_year=2025, on=D(2023, 6, 1))
    walk(a, officer, [("registered", D(2024, 2, 1)), ("construction_started", D(2024, 5, 1))])
    # D was planned for 2025 but started early, in 2024: it counts for 2025 (already started by then).
    walk(d, officer, [("registered", D(2023, 7, 1)), ("construction_started", D(2024, 9, 1))])
    # B starts only in 2025.
    walk(b, officer, [("registered", D(2024, 3, 1)), ("construction_started", D(2025, 2, 1))])
    # Funds: A 2 亿 in 2024 (of which 0.5 亿 recorded twice and corrected); C's money arrives, then C is dropped.
    services.funds_receipt_record(
        actor=officer, project=a, amount="150000000", received_on=D(2024, 3, 1), source="domestic"
    )
    dup = services.funds_receipt_record(
        actor=officer, project=a, amount="100000000", received_on=D(2024, 6, 1), source="domestic"
    )
    services.funds_entry_correct(actor=officer, entry=dup, correct_amount="50000000", reason="重复入账")
    services.funds_receipt_record(
        actor=officer, project=c, amount="30000000", received_on=D(2024, 4, 1), source="local"
    )
    services.progress_record(actor=officer, project=c, month=D(2024, 8, 1), amount="5000000")
    services.project_move(actor=officer, project=c, to_stage="dropped", reason="投资方战略调整", on=D(2024, 10, 1))
    services.funds_receipt_record(
        actor=officer, project=d, amount="20000000", received_on=D(2023, 12, 1), source="foreign"
    )
    services.funds_receipt_record(
        actor=officer, project=b, amount="7000000", received_on=D(2025, 1, 15), source="local"
    )
    # Progress: D since 2023, A in 2024, C before its drop.
    services.progress_record(actor=officer, project=d, month=D(2023, 12, 1), amount="10000000")
    services.progress_record(actor=officer, project=d, month=D(2024, 10, 1), amount="15000000")
    services.progress_record(actor=officer, project=a, month=D(2024, 6, 1), amount="40000000")
    wrong = services.progress_record(actor=officer, project=a, month=D(2024, 7, 1), amount="9000000")
    services.progress_correct(actor=officer, entry=wrong, correct_amount="6000000", reason="监理核减")
    services.progress_record(actor=officer, project=b, month=D(2025, 3, 1), amount="3000000")
    return {"a": a, "b": b, "c": c, "d": d, "officer2": second_officer}


def test_figures_2024_exact(zone, book):
    f = investment_figures(zone_id=zone.pk, year=2024)
    # 150M + 100M − 50M (correction, dated as the entry it corrects) + 30M (C, dropped later: still arrived)
    assert f.funds_in_place == Decimal("230000000.00")
    # Planned for 2024: A, B, C. Started by the end of 2024: A only. C dropped stays in the plan.
    assert (f.key_planned, f.key_started, f.start_rate) == (3, 1, Decimal("0.3333"))
    # Everything up to December 2024: D 10M + 15M, A 40M + 9M − 3M, C 5M.
    assert f.cumulative_completed == Decimal("76000000.00")
    assert f.completed_in_year == Decimal("66000000.00")
    assert f.per_stage["construction_started"] == 2 and f.per_stage["registered"] == 1 and f.per_stage["dropped"] == 1
    assert f.reached["signed"] == 4 and f.reached["construction_started"] == 2


def test_figures_other_years(zone, book):
    f2025 = investment_figures(zone_id=zone.pk, year=2025)
    assert f2025.funds_in_place == Decimal("7000000.00")
    assert (f2025.key_planned, f2025.key_started, f2025.start_rate) == (1, 1, Decimal("1.0000"))
    assert f2025.cumulative_completed == Decimal("79000000.00")
    f2023 = investment_figures(zone_id=zone.pk, year=2023)
    assert f2023.funds_in_place == Decimal("20000000.00")
    assert f2023.start_rate is None and f2023.key_planned == 0
    assert f2023.cumulative_completed == Decimal("10000000.00")


def test_figures_by_park_chain_and_officer(zone, parks, chain, book):
    food = investment_figures(zone_id=zone.pk, year=2024, park_id=parks["food"].pk)
    assert (food.funds_in_place, food.key_planned, food.key_started) == (Decimal("30000000.00"), 1, 0)
    assert food.start_rate == Decimal("0.0000")
    fluorine = investment_figures(zone_id=zone.pk, year=2024, chain_id=chain["chain"].pk)
    assert fluorine.funds_in_place == Decimal("200000000.00") and fluorine.start_rate == Decimal("1.0000")
    second = investment_figures(zone_id=zone.pk, year=2024, officer_id=book["officer2"].pk)
    assert second.funds_in_place == Decimal("30000000.00") and second.cumulative_completed == Decimal("5000000.00")


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_figures_per_group_equal_the_figures_of_each_group(zone, parks, chain, officer, book, year):
    groups = {
        "park": ("park_id", [p.pk for p in parks.values()]),
        "chain": ("chain_id", [chain["chain"].pk]),
        "officer": ("officer_id", [officer.pk, book["officer2"].pk]),
    }
    for by, (argument, ids) in groups.items():
        grouped = selectors.investment_figures_by(zone_id=zone.pk, year=year, by=by)
        for group_id in ids:
            assert grouped[group_id] == investment_figures(zone_id=zone.pk, year=year, **{argument: group_id})


def test_figures_per_group_give_zero_figures_to_a_group_without_records(zone, parks, book):
    empty = selectors.investment_figures_by(zone_id=zone.pk, year=2024, by="park")[10**9]
    assert (empty.funds_in_place, empty.key_planned, empty.start_rate, empty.cumulative_completed) == (
        Decimal("0.00"),
        0,
        None,
        Decimal("0.00"),
    )


def test_breakdown_queries_do_not_grow_with_parks_chains_or_officers(
    zone, parks, chain, book, django_assert_num_queries
):
    with django_assert_num_queries(15):  # parks, chains, officers; four per breakdown (the stage log when asked)
        breakdown = selectors.figures_breakdown(zone.pk, 2024)
    by_label = {row.label: row.figures.funds_in_place for row in breakdown["parks"]}
    assert by_label["食品园"] == Decimal("30000000.00")


def test_officer_funds_in_place(zone, officer, book):
    assert officer_funds_in_place(user=officer, start=D(2024, 1, 1), end=D(2024, 12, 31)) == Decimal("200000000.00")
    assert officer_funds_in_place(user=officer, start=D(2023, 1, 1), end=D(2025, 12, 31)) == Decimal("227000000.00")
    assert officer_funds_in_place(user=book["officer2"], start=D(2025, 1, 1), end=D(2025, 12, 31)) == Decimal("0.00")


def test_start_rate_moves_when_a_project_starts(zone, officer, book):
    services.project_move(actor=officer, project=book["b"], to_stage="completed", on=D(2025, 6, 1))
    assert investment_figures(zone_id=zone.pk, year=2024).key_started == 1  # B started in 2025, not 2024


def test_project_page_and_pipeline(zone, officer, book):
    page = selectors.project_page(zone.pk, book["a"].pk, today=D(2024, 6, 1))
    assert [s.stage for s in page.stays] == ["lead", "negotiating", "signed", "registered", "construction_started"]
    assert [s.days for s in page.stays] == [0, 0, 22, 90, 31]
    assert page.stays[-1].current and page.funds_total == Decimal("200000000.00")
    assert [s for s, _ in page.next_stages] == ["completed", "dropped"]
    columns = {c.stage: [p.name for p in c.projects] for c in selectors.pipeline(zone.pk)}
    assert columns["construction_started"] == ["A", "B", "D"] or columns["construction_started"] == ["A", "D"]
    assert columns["dropped"] == ["C"]


def test_chain_map_gaps_and_targets(zone, officer, chain, book):
    services.node_enterprise_add(actor=officer, node=chain["root"], name="本地萤石矿")
    services.chain_target_add(actor=officer, node=chain["film"], company="某膜材料公司", location="浙江", priority=1)
    m = selectors.chain_map(zone.pk, chain["chain"].pk)
    assert [(n.node.name, n.depth, n.is_gap, n.role) for n in m.nodes] == [
        ("萤石", 0, False, "strengthen"),
        ("氢氟酸", 1, True, "extend"),
        ("制冷剂", 2, True, "extend"),
        ("含氟膜材料", 2, True, "extend"),
    ]
    assert [(n.node.name, p.name) for n, p in m.filling_projects] == [("氢氟酸", "A")]
    assert [t.company for _, t in m.targets] == ["某膜材料公司"]
    summary = selectors.chain_summaries(zone.pk)[0]
    assert (summary.nodes, summary.gaps, summary.enterprises, summary.projects, summary.targets) == (4, 3, 1, 1, 1)


def test_checklist_overdue_for_agent(zone, officer, users, book):
    agent = users["agent"]
    services.project_assign_agent(actor=officer, project=book["a"], agent=agent)
    book["a"].refresh_from_db()
    services.milestones_choose(
        actor=agent,
        project=book["a"],
        kinds=["eia", "energy_review", "power"],
        planned={"eia": D(2024, 3, 1), "energy_review": D(2099, 1, 1)},
    )
    rows = selectors.agent_projects(zone.pk, agent, today=D(2024, 6, 1))
    assert [r.project.name for r in rows] == ["A"]
    assert [(i.milestone.kind, i.overdue) for i in rows[0].checklist] == [
        ("eia", True),
        ("energy_review", False),
        ("power", False),
    ]
    overdue = selectors.overdue_items(zone.pk, agent=agent, today=D(2024, 6, 1))
    assert [(i.milestone.project.name, i.milestone.kind) for i in overdue] == [("A", "eia")]
    page = selectors.project_page(zone.pk, book["a"].pk, today=D(2024, 6, 1))
    assert [i.milestone.kind for i in page.overdue] == ["eia"]


def _make_projects(zone, parks, officer, n, start):
    for i in range(n):
        p = signed_project(zone, parks, officer, name=f"P{start + i}", is_key=True, planned_start_year=2024)
        services.funds_receipt_record(actor=officer, project=p, amount=1000, received_on=D(2024, 2, 1), source="local")


@pytest.mark.parametrize("n", [3, 12])
def test_projects_list_queries_do_not_grow(zone, parks, officer, chain, n, django_assert_num_queries):
    _make_projects(zone, parks, officer, n, 0)
    with django_assert_num_queries(1):
        rows = list(selectors.projects_list(zone.pk))
        _ = [(r.park.name, r.officer and r.officer.username, r.funds_total, r.chain_node) for r in rows]
    assert len(rows) == n and rows[0].funds_total == Decimal("1000.00")
    with django_assert_num_queries(1):
        columns = selectors.pipeline(zone.pk)
    assert sum(c.count for c in columns) == n


@pytest.mark.parametrize("n", [2, 8])
def test_figures_and_chain_queries_are_fixed(zone, parks, officer, chain, n, django_assert_num_queries):
    _make_projects(zone, parks, officer, n, 0)
    with django_assert_num_queries(4):
        figures = investment_figures(zone_id=zone.pk, year=2024)
    with django_assert_num_queries(1):
        assert sum(figures.per_stage.values()) == n
    with django_assert_num_queries(5):
        selectors.chain_map(zone.pk, chain["chain"].pk)
    with django_assert_num_queries(5):
        selectors.chain_summaries(zone.pk)


@pytest.mark.parametrize("n", [2, 6])
def test_agent_and_awards_queries_are_fixed(zone, parks, officer, users, policy, n, django_assert_num_queries):
    agent = users["agent"]
    for i in range(n):
        p = signed_project(zone, parks, officer, name=f"Q{i}")
        services.project_assign_agent(actor=officer, project=p, agent=agent)
        p.refresh_from_db()
        services.milestones_choose(actor=agent, project=p, kinds=["eia", "power"])
    with django_assert_num_queries(2):
        rows = selectors.agent_projects(zone.pk, agent)
        _ = [r.project.park.name for r in rows]
    with django_assert_num_queries(1):
        list(selectors.awards_list(zone.pk))


def test_stage_enum_matches_rules():
    from onezone.investment import rules

    assert set(Stage.values) == {*rules.PIPELINE, rules.DROPPED}


def test_the_stage_change_log_is_read_only_when_the_stage_statistics_are_asked_for(zone, book):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def reads_the_log(queries) -> bool:
        return any('"from_stage"' in q["sql"] for q in queries)

    for figures in (
        lambda: investment_figures(zone_id=zone.pk, year=2024),
        lambda: selectors.investment_figures_by(zone_id=zone.pk, year=2024, by="officer")[book["a"].officer_id],
    ):
        with CaptureQueriesContext(connection) as dashboard:
            f = figures()
            assert f.funds_in_place > 0 and f.start_rate is not None and f.cumulative_completed > 0
        assert not reads_the_log(dashboard)
        with CaptureQueriesContext(connection) as pipeline:
            per_stage, reached = f.per_stage, f.reached
            assert (f.per_stage, f.reached, f.conversion) == (per_stage, reached, f.conversion)
        assert reads_the_log(pipeline) and len(pipeline) == 1


def test_figure_years_are_the_recorded_years_without_the_gaps_between(
    zone, other_zone, parks, officer, django_assert_num_queries
):
    from onezone.investment.models import FundsEntry, InvestmentProgress

    assert selectors.figure_years(zone.pk) == []
    p = signed_project(zone, parks, officer, name="跨年项目", planned_start_year=2027, on=D(2019, 1, 10))
    for received_on in (D(2019, 12, 31), D(2024, 1, 1), D(2024, 6, 30)):
        services.funds_receipt_record(actor=officer, project=p, amount=1000, received_on=received_on, source="local")
    services.progress_record(actor=officer, project=p, month=D(2021, 3, 1), amount="5000")
    with django_assert_num_queries(3):
        years = selectors.figure_years(zone.pk)
    recorded = {d.year for d in FundsEntry.objects.filter(zone_id=zone.pk).dates("received_on", "year")}
    recorded |= {d.year for d in InvestmentProgress.objects.filter(zone_id=zone.pk).dates("month", "year")}
    assert years == sorted(recorded | {2027}, reverse=True) == [2027, 2024, 2021, 2019]
    assert selectors.figure_years(other_zone.pk) == []
