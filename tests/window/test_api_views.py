import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from onezone.core.errors import TransitionNotAllowed
from onezone.core.models import AuditEvent
from onezone.window import selectors
from onezone.window import services as svc
from onezone.window.models import Case, CaseState
from tests.conftest import PASSWORD
from tests.window.conftest import ENTERPRISE, PERSON, TODAY

pytestmark = pytest.mark.django_db
D = dt.date


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


@pytest.fixture
def cases(zone, staff, items, material_ids):
    """Five cases: one received, one overdue under review, one near its deadline, one closed, one person's."""
    out = []
    for i, on in enumerate([D(2026, 10, 12), D(2026, 9, 14), D(2026, 9, 28), D(2026, 9, 28)]):
        case = svc.case_receive(
            actor=staff["clerk"],
            zone_id=zone.pk,
            item_id=items["promised"].pk,
            applicant=ENTERPRISE,
            presented=material_ids["promised"][:2],
            on=on,
        )
        if i in (1, 2, 3):
            case = svc.case_accept(actor=staff["clerk"], case_id=case.pk, on=on)
            case = svc.case_review_start(actor=staff["reviewer"], case_id=case.pk, on=on)
        if i == 3:
            svc.case_review_confirm(actor=staff["reviewer2"], case_id=case.pk, opinion="同意。", on=D(2026, 10, 9))
            case = svc.case_decide(
                actor=staff["reviewer"],
                case_id=case.pk,
                granted=True,
                text="同意",
                on=D(2026, 10, 9),
            )
            case = svc.case_deliver(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 9))
            case = svc.case_close(actor=staff["clerk"], case_id=case.pk, on=D(2026, 10, 9))
        out.append(case)
    out.append(
        svc.case_receive(
            actor=staff["clerk"],
            zone_id=zone.pk,
            item_id=items["promised"].pk,
            applicant=PERSON,
            presented=material_ids["promised"][:2],
            on=D(2026, 10, 12),
        )
    )
    return out


def test_queue_is_sorted_coloured_and_keyset_paged(zone, staff, cases):
    page = selectors.queue_page(zone_id=zone.pk, scope="zone", size=2)
    numbers = [r.number for r in page.rows]
    assert numbers == [cases[1].number, cases[2].number]
    assert page.rows[0].colour == "overdue"
    assert page.rows[1].colour == "normal" and page.rows[1].working_days_left == 4
    # accepted 09-28: committed 29(1) 30(2) 10-08(3) 09(4) Sat 10(5) 12..16(10) → 10-16; from 10-12: 13..16 = 4
    nxt = selectors.queue_page(zone_id=zone.pk, scope="zone", size=2, cursor=page.next_cursor)
    assert [r.number for r in nxt.rows] == [cases[0].number, cases[4].number] and nxt.next_cursor is None
    assert [r.number for r in selectors.queue_page(zone_id=zone.pk, colour="overdue").rows] == [cases[1].number]
    mine = selectors.queue_page(zone_id=zone.pk, scope="mine", user=staff["reviewer"])
    assert {r.number for r in mine.rows} == {cases[1].number, cases[2].number}
    body = selectors.queue_page(zone_id=zone.pk, scope="body", user=staff["clerk"])
    assert len(body.rows) == 4


def test_committed_deadline_across_mid_autumn(cases):
    # accepted Mon 09-14: 15..18(4) Sun 20 make-up(5) 21 22 23 24(9), Fri 25 holiday, 28(10)
    assert cases[1].committed_deadline == D(2026, 9, 28)


@pytest.mark.parametrize("size", [1, 3])
def test_queue_selector_query_count_does_not_grow(zone, cases, django_assert_num_queries, size):
    from onezone.core.calendar import load_calendar

    load_calendar()
    with django_assert_num_queries(1):
        selectors.queue_page(zone_id=zone.pk, scope="zone", size=size)


@pytest.mark.parametrize("size", [1, 4])
def test_list_endpoint_query_count_does_not_grow(zone, staff, cases, django_assert_num_queries, size):
    client = client_for(staff["clerk"])
    client.get(f"/api/v1/window/zones/{zone.pk}/cases?size=1")
    with django_assert_num_queries(7):  # session read and save, user, role grants, the page
        response = client.get(f"/api/v1/window/zones/{zone.pk}/cases?size={size}")
    assert response.status_code == 200 and len(response.json()["rows"]) == size


def test_api_create_step_detail_and_errors(zone, staff, items, material_ids):
    client = client_for(staff["clerk"])
    body = {
        "item_id": items["promised"].pk,
        "applicant": {"kind": "enterprise", "name": "某公司", "uscc": "91512081MA62K0260E"},
        "presented": material_ids["promised"][:2],
        "on": "2026-09-28",
    }
    created = client.post(f"/api/v1/window/zones/{zone.pk}/cases", body, content_type="application/json")
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["supplement_deadline"] == "2026-10-10" and case["deemed_accepted"] is True
    url = f"/api/v1/window/zones/{zone.pk}/cases/{case['id']}"
    accepted = client.post(
        f"{url}/accept", {"version": case["version"], "on": "2026-09-30"}, content_type="application/json"
    )
    assert accepted.status_code == 200
    detail = client.get(url).json()
    assert (detail["committed_deadline"], detail["legal_deadline"]) == ("2026-10-20", "2026-11-03")
    assert detail["actions"] == ["withdraw"]
    stale = client.post(
        f"{url}/withdraw", {"version": case["version"], "reason": "撤回"}, content_type="application/json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    wrong = client.post(f"{url}/deliver", {}, content_type="application/json")
    assert wrong.status_code == 409
    assert set(wrong.json()) == {"code", "message", "fields"} and wrong.json()["code"] == "transition_not_allowed"
    bad = client.post(
        f"/api/v1/window/zones/{zone.pk}/cases",
        {**body, "applicant": {"kind": "enterprise", "name": "x", "uscc": "123"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "applicant_uscc" in bad.json()["fields"]
    denied = client_for(staff["enterprise"]).post(f"{url}/withdraw", {"reason": "x"}, content_type="application/json")
    assert denied.status_code == 403


def test_public_lookup_shows_nothing_personal_and_is_rate_limited(zone, cases, settings):
    settings.ONEZONE_WINDOW_LOOKUPS_PER_MINUTE = 2
    client = Client()
    case = cases[4]
    ok = client.post(
        "/api/v1/window/public/lookup",
        {"number": case.number, "query_code": case.query_code},
        content_type="application/json",
    )
    assert ok.status_code == 200
    text = ok.content.decode()
    assert "李四" not in text and "1101" not in text and "138" not in text
    assert ok.json()["state_label"] == "已收件"
    wrong = client.post(
        "/api/v1/window/public/lookup", {"number": case.number, "query_code": "X"}, content_type="application/json"
    )
    assert wrong.status_code == 404
    page = client.post("/portal/window/lookup/", {"number": case.number, "code": case.query_code})
    assert page.status_code == 429
    assert "查询过于频繁（每分钟最多 2 次）" in page.content.decode()


def test_open311(zone, cases):
    client = Client()
    services = client.get(f"/api/v1/window/open311/services.json?zone={zone.code}").json()
    assert {s["service_code"] for s in services} == {"Y001", "Y002", "Y003"}
    rows = client.get(f"/api/v1/window/open311/requests.json?zone={zone.code}&status=closed").json()
    assert [r["service_request_id"] for r in rows] == [cases[3].number]
    row = rows[0]
    assert row["status"] == "closed" and row["agency_responsible"] == "园区政务服务中心"
    assert row["expected_datetime"].startswith("2026-10-16")  # committed 10-16 (counted above)
    assert "金昌示范" not in str(rows) and "1390935" not in str(rows)
    assert set(row) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "agency_responsible",
        "requested_datetime",
        "expected_datetime",
        "updated_datetime",
    }


def test_selectors_for_other_apps(zone, staff, cases):
    views = selectors.case_status_for([cases[1].pk, cases[3].pk])
    assert views[cases[1].pk].colour == "overdue" and views[cases[3].pk].state_label == "已办结"
    assert len(selectors.cases_for_applicant(zone_id=zone.pk, uscc="91512081ma62k0260e")) == 4
    figures = selectors.zone_case_figures(zone_id=zone.pk, year=2026)
    assert (figures.cases, figures.decided, figures.on_time_rate, figures.overdue_now) == (5, 1, Decimal("100.0"), 1)
    # The province's overview reads the same figures for many zones at once, zones without cases included.
    assert selectors.case_figures_by_zone(zone_ids=[zone.pk, zone.pk + 1000], year=2026) == {
        zone.pk: figures,
        zone.pk + 1000: selectors.ZoneCaseFigures(cases=0, decided=0, on_time_rate=None, overdue_now=0, violations=0),
    }
    assert selectors.clerk_on_time_rate(user=staff["clerk"], start=D(2026, 1, 1), end=D(2026, 12, 31)) == Decimal(
        "100.0"
    )
    assert selectors.clerk_on_time_rate(user=staff["reviewer"], start=D(2026, 1, 1), end=D(2026, 12, 31)) is None
    rows = selectors.efficiency(zone_id=zone.pk, by="item", start=D(2026, 1, 1), end=D(2026, 12, 31))
    assert [(r.label, r.cases, r.decided, r.on_time_rate, r.mean_days) for r in rows] == [
        ("建设项目环境影响评价审批", 5, 1, Decimal("100.0"), Decimal("4.0"))  # 09-28 → 10-09: 29 30 10-08 09
    ]


def test_pages_render(zone, staff, cases, items):
    client = client_for(staff["clerk"])
    assert client.get("/desk/window/?q=环境").status_code == 200
    desk = client.get(f"/desk/window/?item={items['promised'].pk}")
    assert "营业执照复印件" in desk.content.decode()
    page = client.get(f"/desk/window/cases/{cases[1].pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "法定时限 20 个工作日" in html and "110105" not in html
    assert client.get(f"/desk/window/cases/{cases[0].pk}/").status_code == 200  # no reviewer yet
    queue = client.get("/desk/window/queue/?scope=zone&colour=overdue")
    assert cases[1].number in queue.content.decode()
    docx = client.get(f"/desk/window/cases/{cases[3].pk}/notices/grant.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "准予行政许可决定书" in text and cases[3].number in text and "园区政务服务中心" in text
    assert client.get(f"/desk/window/cases/{cases[0].pk}/notices/grant.docx").status_code == 404
    assert client.get("/desk/window/efficiency/?by=clerk").status_code == 200
    assert client.get("/desk/window/delegations/").status_code == 200
    assert client_for(staff["enterprise"]).get("/desk/window/queue/").status_code == 403


def test_desk_intake_in_one_post(zone, staff, items, material_ids):
    client = client_for(staff["clerk"])
    ids = material_ids["promised"]
    response = client.post(
        "/desk/window/",
        {
            "item_id": items["promised"].pk,
            "applicant_kind": "enterprise",
            "applicant_name": "某公司",
            "applicant_uscc": "91512081MA62K0260E",
            "presented": [ids[0]],
            "missing": [ids[1]],
            "outcome": "supplement",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.state == CaseState.SUPPLEMENT_REQUESTED and case.supplement.materials == ["营业执照复印件"]
    bad = client.post(
        "/desk/window/", {"item_id": items["promised"].pk, "applicant_kind": "enterprise", "outcome": "accept"}
    )
    assert bad.status_code == 400 and "请填写申请人名称或姓名" in bad.content.decode()
    assert Case.objects.count() == 1


def test_personal_data_view_is_audited(zone, staff, cases):
    client = client_for(staff["clerk"])
    before = AuditEvent.objects.filter(action="case.view_personal_data").count()
    page = client.get(f"/desk/window/cases/{cases[4].pk}/applicant/")
    assert "11010519491231002X" in page.content.decode()
    assert AuditEvent.objects.filter(action="case.view_personal_data").count() == before + 1
    assert client_for(staff["agent"]).get(f"/desk/window/cases/{cases[4].pk}/applicant/").status_code == 403


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_clerks_at_once_one_wins(zone, staff, items, material_ids):
    case = svc.case_receive(
        actor=staff["clerk"],
        zone_id=zone.pk,
        item_id=items["promised"].pk,
        applicant=ENTERPRISE,
        presented=material_ids["promised"][:2],
        on=TODAY,
    )
    results: list[str] = []
    barrier = threading.Barrier(2)

    def act(user, fn):
        from django.db import connection as conn

        try:
            barrier.wait()
            fn(actor=user, case_id=case.pk)
            results.append("ok")
        except TransitionNotAllowed as exc:
            results.append(exc.message)
        finally:
            conn.close()

    threads = [
        threading.Thread(target=act, args=(staff["clerk"], svc.case_accept)),
        threading.Thread(target=act, args=(staff["clerk2"], lambda **kw: svc.case_refuse(reason="不符合", **kw))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    loser = next(r for r in results if r != "ok")
    assert "当前状态为“已受理”" in loser or "当前状态为“不予受理”" in loser
