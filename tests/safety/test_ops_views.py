"""The safety desk, its lists and the enterprise portal's forms; the selectors' query counts; the sweep."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from onezone.safety.models import SpecialWork
from onezone.safety.selectors import operations as sel
from onezone.safety.services import operations as svc
from onezone.safety.services import operations_emergency as em
from tests.safety._ops import local, ops_fixture  # noqa: F401


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _work(ops, **over):
    today = timezone.localdate()
    values = {
        "actor": ops["user_a"],
        "enterprise": ops["a"],
        "kind": "hot",
        "level": "special",
        "permit_number": "DH-1",
        "place": "罐区",
        "content": "补焊",
        "starts_at": local(today.year, today.month, today.day, 9),
        "ends_at": local(today.year, today.month, today.day, 15),
        "guardians": "李监护",
        "approver": "赵厂长",
    }
    values.update(over)
    return svc.special_work_file(**values)


def test_desk_pages_answer_the_bureau_and_refuse_the_clerk(ops, users):
    work = _work(ops)
    officer, clerk = _client(ops["officer"]), _client(users["clerk"])
    for path in [
        "/desk/safety/",
        "/desk/safety/work/",
        f"/desk/safety/work/{work.pk}/",
        "/desk/safety/gates/",
        "/desk/safety/emergency/",
        "/desk/safety/risk/",
        f"/desk/safety/enterprises/{ops['a'].pk}/",
    ]:
        assert officer.get(path).status_code == 200, path
        assert clerk.get(path).status_code == 403, path
    desk = officer.get("/desk/safety/").content.decode()
    assert "园区安全一张图" in desk
    assert work.number in desk
    assert "特级动火" in desk


def test_spot_check_from_the_work_page(ops, users):
    work = _work(ops)
    response = _client(ops["officer"]).post(
        f"/desk/safety/work/{work.pk}/", {"result": "fail", "findings": "动火点未配灭火器"}
    )
    assert response.status_code == 302
    assert [(c.result, c.findings) for c in work.checks.all()] == [("fail", "动火点未配灭火器")]
    leader_view = _client(users["dept_head"]).post(f"/desk/safety/work/{work.pk}/", {"result": "pass"})
    assert leader_view.status_code == 403
    assert work.checks.count() == 1


def test_portal_files_special_work_and_shows_only_its_own(ops):
    a, b = _client(ops["user_a"]), _client(ops["user_b"])
    response = a.post(
        "/portal/safety/work/new/",
        {
            "kind": "confined",
            "level": "",
            "permit_number": "SX-9",
            "place": "1号反应釜",
            "content": "清釜",
            "starts_at": "2026-12-07T08:00",
            "ends_at": "2026-12-07T20:00",
            "guardians": "王监护",
            "approver": "赵厂长",
        },
    )
    assert response.status_code == 302
    work = SpecialWork.objects.get()
    assert (work.enterprise, work.kind, work.starts_at) == (ops["a"], "confined", local(2026, 12, 7, 8))
    assert work.number in a.get("/portal/safety/").content.decode()
    assert work.number not in b.get("/portal/safety/").content.decode()
    refused = a.post(
        "/portal/safety/work/new/",
        {
            "kind": "confined",
            "level": "",
            "permit_number": "SX-10",
            "place": "1号反应釜",
            "content": "清釜",
            "starts_at": "2026-12-07T08:00",
            "ends_at": "2026-12-08T20:00",
            "guardians": "王监护",
            "approver": "赵厂长",
        },
    )
    assert refused.status_code == 200
    assert "受限空间作业作业票有效期最长 1 天" in refused.content.decode()
    assert SpecialWork.objects.count() == 1
    assert _client(ops["officer"]).get("/portal/safety/").status_code == 403


def test_selectors_read_in_fixed_queries(ops, django_assert_num_queries):
    for n in range(3):
        _work(ops, permit_number=f"DH-{n}")
    plan = em.emergency_plan_file(
        actor=ops["user_a"],
        zone_id=ops["zone"].pk,
        enterprise=ops["a"],
        title="方案",
        kind="on_site",
        version="V1",
        issued_on=dt.date(2025, 1, 1),
    )
    em.drill_record(
        actor=ops["user_a"], plan=plan, held_on=dt.date(2025, 5, 1), form="live", participants=9, summary="好"
    )
    zone_id, today, now = ops["zone"].pk, timezone.localdate(), timezone.now()
    with django_assert_num_queries(1):
        works = sel.works_on(zone_id=zone_id, day=today)
        assert [w.enterprise.park.name for w in works] == ["河西堡工业园"] * 3
    with django_assert_num_queries(1):
        rows = sel.plans_status(zone_id=zone_id, today=dt.date(2025, 12, 1))
        assert [(r.last_drill, r.drill_due, r.drill_overdue, r.stale) for r in rows] == [
            (dt.date(2025, 5, 1), dt.date(2025, 11, 1), True, False)
        ]
    with django_assert_num_queries(1):
        assert [
            (p["park"], p["total"], p["special"])
            for p in sel.works_in_progress_by_park(zone_id=zone_id, now=local(today.year, today.month, today.day, 10))
        ] == [("河西堡工业园", 3, 3)]
    with django_assert_num_queries(1):
        assert [d.plan.enterprise.name for d in sel.drills_of(zone_id=zone_id)] == ["金昌甲化工有限公司"]
    with django_assert_num_queries(4):
        figures = sel.ops_figures(zone_id=zone_id, today=today, now=now)
    assert (figures.work_today, figures.special_hot_today, figures.drills_overdue) == (3, 3, 1)


def test_sweep_warns_once(ops, users):
    from onezone.notify.models import Notification
    from onezone.safety.services.operations_sweep import operations_sweep, operations_sweep_zone

    plan = em.emergency_plan_file(
        actor=ops["user_a"],
        zone_id=ops["zone"].pk,
        enterprise=ops["a"],
        title="液氯方案",
        kind="on_site",
        version="V1",
        issued_on=dt.date(2021, 1, 1),
    )
    today = timezone.localdate()
    first = operations_sweep_zone(zone_id=ops["zone"].pk, today=today, now=timezone.now())
    assert first == {"plans": 2, "drills": 2, "vehicles": 0}  # the officer and the enterprise's user, each
    again = operations_sweep_zone(zone_id=ops["zone"].pk, today=today, now=timezone.now())
    assert again == {"plans": 0, "drills": 0, "vehicles": 0}
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"u-safety_officer", "ent-a"}
    plan.refresh_from_db()
    assert plan.stale_warned_on == today
    assert "应急预案超期提醒 0 条" in operations_sweep()
