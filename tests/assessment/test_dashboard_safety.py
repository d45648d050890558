"""The dashboard's safety panel: each figure is what the safety records give, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onezone.assessment import selectors
from onezone.safety.selectors.figures import drills_due_in_year
from onezone.safety.services import base
from onezone.safety.services import operations as works
from onezone.safety.services import operations_emergency as emergency
from tests.safety._base import TODAY, today_fixture, world_fixture  # noqa: F401
from tests.safety._ops import local
from tests.safety.test_base_selectors import filled_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ITEMS = [
    {"code": "1", "name": "园区规划与布局", "full": 20, "score": "16"},
    {"code": "2", "name": "安全管理体系", "full": 30, "score": "24.5"},
    {"code": "3", "name": "封闭化管理与应急能力", "full": 50, "score": "44"},
]


def _work(world, day: dt.date, permit: str, *, kind: str = "hot", level: str = "special", hours=(9, 15)):
    return works.special_work_file(
        actor=world["user_a"],
        enterprise=world["a"],
        kind=kind,
        level=level,
        permit_number=permit,
        place="罐区",
        content="补焊",
        starts_at=local(day.year, day.month, day.day, hours[0]),
        ends_at=local(day.year, day.month, day.day, hours[1]),
        guardians="李监护",
        approver="赵厂长",
    )


def _plan(world, issued_on: dt.date, every: int, title: str, kind: str = "on_site"):
    return emergency.emergency_plan_file(
        actor=world["user_a"],
        zone_id=world["zone"].pk,
        enterprise=world["a"],
        title=title,
        kind=kind,
        version="V1",
        issued_on=issued_on,
        drill_every_months=every,
    )


@pytest.fixture(name="safety_records")
def safety_records_fixture(filled):
    world = filled
    base.installation_save(  # R = 2.0 × 4 × 300/5 = 480: 一级
        actor=world["officer"],
        enterprise=world["a"],
        name="二号液氯储罐区",
        kind="storage",
        substances=[{"name": "氯", "quantity_t": Decimal("300")}],
        people_exposed=120,
    )
    _work(world, TODAY, "DH-1")  # 特级 hot work today
    _work(world, TODAY, "GC-1", kind="height", level="")
    _work(world, dt.date(2026, 12, 2), "DH-2")  # this month, not today
    cancelled = _work(world, dt.date(2026, 12, 3), "DH-3")
    works.special_work_cancel(actor=world["user_a"], work=cancelled, reason="停电改期")
    _work(world, dt.date(2026, 11, 30), "DH-4")  # last month
    twice = _plan(world, dt.date(2025, 1, 15), 6, "液氯泄漏现场处置方案")  # due 2026-01 and 2026-07
    _plan(world, dt.date(2025, 3, 1), 12, "氟化氢泄漏专项应急预案", "specific")  # due 2026-03
    _plan(world, dt.date(2026, 11, 1), 12, "综合应急预案", "comprehensive")  # first due 2027-11
    for held_on in (dt.date(2025, 12, 20), dt.date(2026, 1, 20)):
        emergency.drill_record(
            actor=world["user_a"], plan=twice, held_on=held_on, form="live", participants=12, summary="处置得当"
        )
    park = world["park"]
    works.risk_assessment_submit(actor=world["officer"], park=park, year=2025, items=ITEMS)  # 84.5: C
    later = works.risk_assessment_submit(
        actor=world["officer"], park=park, year=2026, items=[{**ITEMS[0], "score": "16.5"}, *ITEMS[1:]]
    )  # 85: D
    return {**world, "later": later}


def test_the_panel_counts_the_safety_records(safety_records, users):
    board = selectors.dashboard(safety_records["zone"], safety_records["leader"], year=2026, today=TODAY)
    panel = board.safety
    assert {item.key: item.value for item in panel.items} == {
        "major_installations": 3,
        "open_hazards": 3,
        "overdue_hazards": 1,
        "supervised_hazards": 1,
        "work_today": 2,
        "work_month": 3,
        "checks_overdue": 0,
        "licences_expiring": 1,
        "drills": 1,
    }
    details = {item.key: item.detail for item in panel.items}
    assert details["major_installations"] == "一级 1，二级 1，三级 0，四级 1"
    assert details["open_hazards"] == "一般事故隐患 2，重大事故隐患 1"
    assert details["work_today"] == "其中特级动火 1"
    assert details["drills"] == "预案要求本年演练 3 次"
    assert [item.key for item in panel.items if item.alert] == [
        "overdue_hazards",
        "supervised_hazards",
        "checks_overdue",
        "licences_expiring",
        "drills",
    ]
    assert [(r.park, r.year, r.level, r.reviewed_level) for r in panel.risk_levels] == [("河西堡工业园", 2026, "D", "")]


def test_the_reviewed_level_is_shown_beside_the_parks_own(safety_records, users):
    works.risk_assessment_review(
        actor=users["province_supervisor"],
        assessment=safety_records["later"],
        level="C",
        reviewed_on=dt.date(2026, 3, 1),
        document="甘应急〔2026〕1号",
    )
    panel = selectors.dashboard(safety_records["zone"], safety_records["leader"], year=2026, today=TODAY).safety
    assert [(r.level_label, r.reviewed_label) for r in panel.risk_levels] == [
        ("D类（较低安全风险）", "C类（一般安全风险）")
    ]
    # A year's assessment not yet reached is not the park's level then.
    earlier = selectors.dashboard(
        safety_records["zone"], safety_records["leader"], year=2025, today=dt.date(2025, 12, 31)
    ).safety
    assert [(r.year, r.level) for r in earlier.risk_levels] == [(2025, "C")]


def test_the_panel_reads_in_fixed_queries(safety_records):
    zone, leader = safety_records["zone"], safety_records["leader"]

    def count() -> int:
        leader.__dict__.pop("_onezone_role_cache", None)
        with CaptureQueriesContext(connection) as captured:
            selectors.dashboard(zone, leader, year=2026, today=TODAY)
        return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])

    count()
    before = count()
    for n in range(5):
        _work(safety_records, TODAY, f"DH-x{n}")
        plan = _plan(safety_records, dt.date(2024, 6, 1), 3, f"预案{n}")
        emergency.drill_record(
            actor=safety_records["user_a"],
            plan=plan,
            held_on=dt.date(2026, 2, 1),
            form="tabletop",
            participants=5,
            summary="好",
        )
    assert count() == before


def test_the_dashboard_page_shows_the_panel(safety_records):
    client = Client()
    client.force_login(safety_records["leader"])
    page = client.get("/desk/assessment/?year=2026").content.decode()
    assert 'id="safety"' in page
    assert "挂牌督办重大隐患" in page
    assert "预案要求本年演练" in page


@pytest.mark.parametrize(
    ("issued_on", "every", "year", "due"),
    [
        (dt.date(2025, 1, 15), 6, 2026, 2),
        (dt.date(2025, 1, 15), 6, 2025, 1),
        (dt.date(2025, 3, 1), 12, 2026, 1),
        (dt.date(2026, 11, 1), 12, 2026, 0),
        (dt.date(2024, 6, 1), 24, 2026, 1),
        (dt.date(2024, 6, 1), 24, 2025, 0),
        (dt.date(2024, 6, 1), 1, 2026, 12),
        (dt.date(2024, 12, 31), 1, 2024, 0),
        (dt.date(2024, 12, 31), 1, 2025, 12),
        (dt.date(2027, 1, 1), 6, 2026, 0),
    ],
)
def test_drills_due_in_year(issued_on, every, year, due):
    assert drills_due_in_year(issued_on=issued_on, every_months=every, year=year) == due


def test_the_dashboard_export_has_the_safety_sheet(safety_records):
    from io import BytesIO

    from openpyxl import load_workbook

    from onezone.assessment.reports import dashboard_xlsx

    board = selectors.dashboard(safety_records["zone"], safety_records["leader"], year=2026, today=TODAY)
    sheet = load_workbook(BytesIO(dashboard_xlsx(board)))["安全生产"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == ["重大危险源", 3, "处", "2026-12-08", "一级 1，二级 1，三级 0，四级 1"]
    assert rows[-1] == ["河西堡工业园安全风险等级（2026年）", "D类（较低安全风险）", None, "2026-12-08", "尚未复核"]
    assert len(rows) == 10


def test_the_benchmark_baseline_does_the_panels_reads(safety_records):
    """bench/scenarios/pages.py's DASHBOARD_SQL runs on this database and counts what the panel counts."""
    import importlib
    import sys
    from pathlib import Path

    from django.db import connection as db

    bench = Path(__file__).resolve().parents[2] / "bench"
    sys.path.insert(0, str(bench))
    try:
        pages = importlib.import_module("scenarios.pages")
    finally:
        sys.path.remove(str(bench))
    zone, leader = safety_records["zone"], safety_records["leader"]
    params = {
        "z": zone.pk,
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "year": 2026,
        "today": TODAY,
        "province": zone.province_code,
        "user": leader.pk,
        "next": 2027,
        **pages._safety_params(TODAY),
    }
    results = []
    with db.cursor() as cursor:
        for sql in pages.DASHBOARD_SQL:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    safety = results[-11:]  # the panel's eleven reads, the last of DASHBOARD_SQL
    assert sorted(safety[0]) == [(1, 1), (2, 1), (4, 1)]  # major installations by level
    assert sorted(safety[1]) == [("general", 2), ("major", 1)]  # open hazards by level
    assert (safety[2], safety[3]) == ([(1,)], [(1,)])  # overdue, supervised
    assert len(safety[4]) == 1  # the licence expiring
    assert safety[7] == [(2, 1, 3)]  # special work today, 特级 hot work of it, this month
    assert safety[9] == [(1,)]  # drills this year
    assert [row[3] for row in safety[10]] == ["D", "C"]  # the park's assessments, latest first
