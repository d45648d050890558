"""The pages of 找人才 / 找员工: public list and job page, the enterprise's portal, the desk; the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from onezone.core.models import AuditEvent
from onezone.support.models import JobApplication, JobPosting, LabourSharing, TalentNeed
from onezone.support.services.labour import job_apply, job_post
from onezone.support.services.labour_sharing import talent_need_save
from tests.conftest import PASSWORD
from tests.support.labour_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _job(firms, **overrides):
    values = {
        "title": "电解工",
        "places": 5,
        "pay_min": "5000",
        "pay_max": "8000",
        "requirements": "高中以上学历。",
        "place": "河西堡工业园",
        "valid_until": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(overrides)
    return job_post(actor=firms["copper_user"], enterprise=firms["copper"], **values)


def test_public_list_searches_filters_and_shows_pay_in_yuan(client, firms, parks):
    _job(firms)
    job_post(
        actor=firms["food_user"],
        enterprise=firms["food"],
        title="食品检验员",
        places=2,
        pay_min="4500",
        pay_max="6000",
        requirements="食品专业。",
        place="东寨工业园",
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    page = client.get("/portal/jobs/").content.decode()
    assert "电解工" in page and "食品检验员" in page and "5,000.00元–8,000.00元/月" in page
    page = client.get("/portal/jobs/", {"q": "检验"}).content.decode()
    assert "食品检验员" in page and "电解工" not in page
    page = client.get("/portal/jobs/", {"park": parks["hexipu"].pk}).content.decode()
    assert "电解工" in page and "食品检验员" not in page
    page = client.get("/portal/jobs/", {"industry": "C13"}).content.decode()
    assert "食品检验员" in page and "电解工" not in page


def test_a_closed_job_is_not_public(client, firms):
    job = _job(firms)
    JobPosting.objects.filter(pk=job.pk).update(status="closed")
    assert "电解工" not in client.get("/portal/jobs/").content.decode()
    assert client.get(f"/portal/jobs/{job.pk}/").status_code == 404


def test_apply_from_the_job_page(client, firms):
    job = _job(firms)
    response = client.post(f"/portal/jobs/{job.pk}/", {"name": "张三", "phone": "13909351234", "note": "能倒班"})
    assert response.status_code == 200 and "投递成功" in response.content.decode()
    assert JobApplication.objects.get().phone == "13909351234"
    again = client.post(f"/portal/jobs/{job.pk}/", {"name": "张三", "phone": "13909351234"})
    assert again.status_code == 409 and "无需重复投递" in again.content.decode()
    assert JobApplication.objects.count() == 1


def test_the_public_form_is_rate_limited(client, firms, settings):
    settings.ONEZONE_SUPPORT_APPLICATIONS_PER_HOUR = 1
    job = _job(firms)
    client.post(f"/portal/jobs/{job.pk}/", {"name": "张三", "phone": "13909351234"})
    response = client.post(f"/portal/jobs/{job.pk}/", {"name": "李四", "phone": "13909351235"})
    assert response.status_code == 429 and "每小时最多 1 份" in response.content.decode()
    assert JobApplication.objects.count() == 1


def test_the_enterprise_posts_opens_an_application_and_the_view_is_audited(firms):
    client = _client(firms["copper_user"])
    response = client.post(
        "/portal/enterprise/jobs/",
        {
            "title": "电工",
            "places": "2",
            "pay_min": "6000",
            "pay_max": "8000",
            "place": "河西堡",
            "valid_until": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "requirements": "持证上岗。",
        },
    )
    job = JobPosting.objects.get(title="电工")
    assert response.status_code == 302 and response["Location"] == f"/portal/enterprise/jobs/{job.pk}/"
    application = job_apply(actor=None, job=job, name="王五", phone="13909351236")
    page = client.get(f"/portal/enterprise/jobs/{job.pk}/").content.decode()
    assert "139****1236" in page and "13909351236" not in page
    page = client.post(
        f"/portal/enterprise/jobs/{job.pk}/", {"action": "open", "application": application.pk}
    ).content.decode()
    assert "13909351236" in page
    assert AuditEvent.objects.filter(action="support.application.reveal", object_id=str(application.pk)).count() == 1


def test_another_enterprise_sees_no_other_job(firms):
    job = _job(firms)
    response = _client(firms["food_user"]).get(f"/portal/enterprise/jobs/{job.pk}/")
    assert response.status_code == 404


def test_portal_labour_propose_and_confirm(firms):
    copper = _client(firms["copper_user"])
    response = copper.post(
        "/portal/enterprise/labour/",
        {
            "action": "propose",
            "direction": "borrow",
            "partner": str(firms["food"].pk),
            "workers": "4",
            "start": "2026-03-01",
            "end": "2026-04-30",
            "work": "包装",
        },
    )
    assert response.status_code == 302
    sharing = LabourSharing.objects.get()
    assert (sharing.lender, sharing.borrower, sharing.status) == (firms["food"], firms["copper"], "proposed")
    page = _client(firms["food_user"]).get("/portal/enterprise/labour/").content.decode()
    assert "劳动合同和社会保险关系保留在调出企业（永昌牧业食品有限公司）" in page and 'value="confirm"' in page
    _client(firms["food_user"]).post("/portal/enterprise/labour/", {"action": "confirm", "sharing": sharing.pk})
    sharing.refresh_from_db()
    assert sharing.status == "confirmed"


def test_desk_pages_for_staff_and_the_body(zone, firms, desk, outsider, users):
    _job(firms)
    talent_need_save(actor=desk, zone_id=zone.pk, field="safety", title="注册安全工程师", needed=4, year=2026)
    for user in (desk, outsider, users["clerk"]):
        client = _client(user)
        assert client.get("/desk/support/jobs/").status_code == 200
        assert client.get("/desk/support/labour/").status_code == 200
        assert "注册安全工程师" in client.get("/desk/support/talent/", {"year": 2026}).content.decode()
    assert 'value="propose"' in _client(desk).get("/desk/support/labour/").content.decode()
    assert 'value="propose"' not in _client(outsider).get("/desk/support/labour/").content.decode()
    assert _client(desk).get("/desk/support/talent/", {"year": "99999"}).status_code == 400
    assert _client(firms["copper_user"]).get("/desk/support/jobs/").status_code == 302


def test_desk_records_a_talent_need_and_a_placement(zone, desk, outsider):
    client = _client(desk)
    client.post(
        "/desk/support/talent/?year=2026",
        {"action": "need", "field": "chemical", "title": "化工工艺工程师", "needed": "2", "note": ""},
    )
    need = TalentNeed.objects.get(zone=zone)
    client.post(
        "/desk/support/talent/?year=2026",
        {"action": "place", "need": need.pk, "person_name": "甲", "placed_on": "2026-03-01", "enterprise": ""},
    )
    page = client.get("/desk/support/talent/", {"year": 2026}).content.decode()
    assert "50.0%" in page
    _client(outsider).post(
        "/desk/support/talent/?year=2026",
        {"action": "place", "need": need.pk, "person_name": "乙", "placed_on": "2026-03-01", "enterprise": ""},
    )
    assert need.placements.count() == 1


# --- API ------------------------------------------------------------------------------------------


def test_api_public_jobs_and_apply(client, zone, firms):
    job = _job(firms)
    answer = client.get(f"/api/v1/support/zones/{zone.pk}/jobs").json()
    assert answer["total"] == 1 and answer["items"][0]["title"] == "电解工"
    assert answer["items"][0]["enterprise_name"] == "金昌铜业有限公司"
    created = client.post(
        f"/api/v1/support/zones/{zone.pk}/jobs/{job.pk}/applications",
        {"name": "张三", "phone": "13909351234"},
        content_type="application/json",
    )
    assert created.status_code == 201 and "phone" not in created.json()
    bad = client.post(
        f"/api/v1/support/zones/{zone.pk}/jobs/{job.pk}/applications",
        {"name": "张三", "phone": "1"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"code", "message", "fields"}


def test_api_staff_lists_need_staff(client, zone, firms, desk):
    assert client.get(f"/api/v1/support/zones/{zone.pk}/labour-sharing").status_code in (401, 403)
    staff = _client(desk)
    assert staff.get(f"/api/v1/support/zones/{zone.pk}/labour-sharing").json() == []
    talent_need_save(actor=desk, zone_id=zone.pk, field="emergency", title="应急救援队员", needed=3, year=2026)
    answer = staff.get(f"/api/v1/support/zones/{zone.pk}/talent-needs/2026").json()
    assert answer["total"] == {"field": "", "label": "合计", "needed": 3, "filled": 0, "rate": "0.0"}
    enterprise = _client(firms["copper_user"]).get(f"/api/v1/support/zones/{zone.pk}/labour-sharing")
    assert enterprise.status_code == 403


def test_login_page_still_works_for_portal_users(firms):
    client = Client()
    assert client.login(username="lab-copper", password=PASSWORD)
    assert client.get("/portal/enterprise/jobs/").status_code == 200
