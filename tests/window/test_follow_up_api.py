"""Complaints, bad ratings, appeals and rectifications handled over the API."""

import datetime as dt
import json

import pytest
from django.test import Client

from onezone.window import services as svc
from onezone.window.models import Complaint, Rating, Rectification
from tests.conftest import PASSWORD
from tests.window.test_services import _closed

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_complaint_answered_over_the_api(zone, staff, items, material_ids):
    case = _closed(staff, zone, items, material_ids)
    complaint = svc.complaint_register(
        actor=None, zone_id=zone.pk, complainant="王先生", content="窗口推诿", case_id=case.pk
    )
    clerk, head = _client("u-clerk"), _client("u-centre-head")
    listing = clerk.get(f"/api/v1/window/zones/{zone.pk}/complaints").json()
    assert [c["number"] for c in listing] == [complaint.number]
    assert "王先生" not in json.dumps(listing, ensure_ascii=False)
    refused = _post(clerk, f"/api/v1/window/complaints/{complaint.pk}/answer", {"answer": "x", "outcome": "upheld"})
    assert refused.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN
    empty = _post(head, f"/api/v1/window/complaints/{complaint.pk}/answer", {"answer": " ", "outcome": "upheld"})
    assert empty.status_code == 400 and empty.json()["fields"] == {"answer": "请填写答复内容。"}
    done = _post(
        head, f"/api/v1/window/complaints/{complaint.pk}/answer", {"answer": "已批评教育", "outcome": "upheld"}
    )
    assert done.status_code == 200 and done.json()["status"] == Complaint.Status.ANSWERED
    again = _post(head, f"/api/v1/window/complaints/{complaint.pk}/answer", {"answer": "再答", "outcome": "upheld"})
    assert again.status_code == 409


def test_bad_rating_rectified_and_appealed_over_the_api(zone, staff, items, material_ids):
    case = _closed(staff, zone, items, material_ids)
    rating = svc.rating_submit(
        case_number=case.number, query_code=case.query_code, level=1, comment="态度差", on=dt.date(2026, 10, 12)
    )
    head, leader = _client("u-centre-head"), _client("u-leader")
    bad = head.get(f"/api/v1/window/zones/{zone.pk}/ratings", {"bad_only": True}).json()
    assert [(r["id"], r["level_label"]) for r in bad] == [(rating.pk, "非常不满意")]
    rect_id = head.get(f"/api/v1/window/zones/{zone.pk}/rectifications").json()[0]["id"]
    recorded = _post(
        head,
        f"/api/v1/window/rectifications/{rect_id}/record",
        {"measures": "约谈窗口人员", "follow_up": "已电话回访，申请人认可"},
    )
    assert recorded.status_code == 200
    assert Rectification.objects.get(pk=rect_id).measures == "约谈窗口人员"
    appealed = _post(head, f"/api/v1/window/ratings/{rating.pk}/appeal", {"reason": "评价人误操作"})
    assert appealed.status_code == 200 and appealed.json()["appeal"] == Rating.Appeal.PENDING
    decided = _post(
        leader, f"/api/v1/window/ratings/{rating.pk}/appeal/decision", {"upheld": False, "outcome": "评价属实"}
    )
    assert decided.status_code == 200
    assert Rating.objects.get(pk=rating.pk).appeal == Rating.Appeal.REJECTED


def test_other_zone_cannot_list_follow_up_work(zone, other_zone, staff):
    response = _client("u-clerk").get(f"/api/v1/window/zones/{other_zone.pk}/complaints")
    assert response.status_code == 403


def test_follow_up_page_answers_a_complaint_and_shows_refusals(zone, staff, items, material_ids):
    case = _closed(staff, zone, items, material_ids)
    complaint = svc.complaint_register(
        actor=None, zone_id=zone.pk, complainant="李女士", content="材料被退回三次", case_id=case.pk
    )
    clerk, head = _client("u-clerk"), _client("u-centre-head")
    page = head.get("/desk/window/follow-up/").content.decode()
    assert complaint.number in page and "材料被退回三次" in page
    refused = clerk.post(
        "/desk/window/follow-up/", {"action": "answer", "id": complaint.pk, "answer": "x", "outcome": "upheld"}
    )
    assert refused.status_code == 400
    assert "没有" in refused.content.decode() and "答复投诉" in refused.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == Complaint.Status.OPEN
    done = head.post(
        "/desk/window/follow-up/", {"action": "answer", "id": complaint.pk, "answer": "已整改", "outcome": "upheld"}
    )
    assert done.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).answer == "已整改"
