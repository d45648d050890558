"""The inbox pages: one's own notifications only, in one's zone; mark read; preferences; failures."""

from __future__ import annotations

import pytest
from django.test import Client

from onezone.core.models import AuditEvent
from onezone.core.roles import Role
from onezone.notify.models import Channel, Contact, Delivery, DeliveryStatus, Notification, Preference
from onezone.notify.services import notify_event
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tell(zone, people, key="k1", link="/desk/window/cases/1/", event="tests.thing_done"):
    notify_event(zone_id=zone.pk, event=event, recipients=people, context={"name": "施工许可"}, key=key, link=link)


def test_staff_inbox_lists_own_notifications_and_the_header_counts_them(zone, users):
    clerk, reviewer = users["clerk"], users["reviewer"]
    _tell(zone, [clerk], key="a")
    _tell(zone, [clerk, reviewer], key="b")
    response = _client(clerk).get("/desk/notify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="nf-item nf-unread"') == 2
    assert 'id="unread-count">2<' in html
    other = _client(reviewer).get("/desk/notify/").content.decode()
    assert other.count('class="nf-item nf-unread"') == 1
    # The badge is on every back-office page.
    assert 'id="unread-count">2<' in _client(clerk).get("/admin/").content.decode()


def test_nobody_reads_or_marks_another_persons_notification(zone, users):
    clerk, reviewer = users["clerk"], users["reviewer"]
    _tell(zone, [clerk])
    mine = Notification.objects.get(recipient=clerk)
    audits = AuditEvent.objects.filter(action__startswith="notify.").count()
    response = _client(reviewer).post(f"/desk/notify/{mine.pk}/read/", {"go": "1"})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
    assert AuditEvent.objects.filter(action__startswith="notify.").count() == audits


def test_open_marks_read_and_goes_to_the_record(zone, users):
    clerk = users["clerk"]
    _tell(zone, [clerk])
    n = Notification.objects.get()
    response = _client(clerk).post(f"/desk/notify/{n.pk}/read/", {"go": "1"})
    assert (response.status_code, response["Location"]) == (302, "/desk/window/cases/1/")
    n.refresh_from_db()
    assert n.read_at is not None
    assert AuditEvent.objects.filter(action="notify.notification_read", object_id=str(n.pk)).count() == 1


def test_an_outside_link_is_not_followed(zone, users):
    clerk = users["clerk"]
    _tell(zone, [clerk], link="https://evil.example.com/")
    n = Notification.objects.get()
    response = _client(clerk).post(f"/desk/notify/{n.pk}/read/", {"go": "1"})
    assert response["Location"] == "/desk/notify/"


def test_read_all(zone, users):
    clerk = users["clerk"]
    _tell(zone, [clerk], key="a")
    _tell(zone, [clerk], key="b")
    response = _client(clerk).post("/desk/notify/read-all/")
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_inbox_is_zone_scoped(zone, other_zone, users):
    clerk = users["clerk"]
    _tell(other_zone, [clerk], key="elsewhere")
    html = _client(clerk).get("/desk/notify/").content.decode()
    assert "nf-unread" not in html
    n = Notification.objects.get()
    assert _client(clerk).post(f"/desk/notify/{n.pk}/read/").status_code == 404


def test_enterprise_user_has_a_portal_inbox_and_no_desk_one(zone, users):
    company_user = users["enterprise"]
    _tell(zone, [company_user], event="tests.portal_thing", link="/portal/enterprise/")
    client = _client(company_user)
    response = client.get("/portal/notify/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "企业事项“施工许可”" in html
    assert 'id="unread-count">1<' in html
    assert client.get("/desk/notify/").status_code in (302, 403)


def test_anonymous_is_sent_to_sign_in(db):
    assert Client().get("/portal/notify/")["Location"] == "/portal/enterprise/login/?next=/portal/notify/"
    assert "/admin/login/" in Client().get("/desk/notify/")["Location"]
    # Form targets too: sign in first, whatever the method.
    assert "/admin/login/" in Client().get("/desk/notify/1/read/")["Location"]
    assert "/admin/login/" in Client().post("/desk/notify/failures/1/retry/")["Location"]
    assert Client().post("/portal/notify/1/read/")["Location"].startswith("/portal/enterprise/login/")


def test_a_form_target_refuses_get(zone, users):
    assert _client(users["clerk"]).get("/desk/notify/read-all/").status_code == 405


def test_preferences_page_saves_choices_and_mobile(zone, users):
    clerk = users["clerk"]
    client = _client(clerk)
    page = client.get("/desk/notify/preferences/").content.decode()
    assert "测试事项已办结" in page
    assert "企业测试事项" not in page  # an enterprise event is not offered to staff
    response = client.post("/desk/notify/preferences/", {"mobile": "13912345678", "tests.thing_done:email": "on"})
    assert response.status_code == 302
    assert list(
        Preference.objects.filter(event="tests.thing_done").values_list("user_id", "event", "channel", "enabled")
    ) == [(clerk.pk, "tests.thing_done", Channel.SMS, False)]
    # A box left unchecked is a choice too: every other staff event now reaches the clerk by neither.
    assert set(Preference.objects.exclude(event="tests.thing_done").values_list("enabled", flat=True)) == {False}
    assert Contact.objects.get(user=clerk).mobile == "13912345678"


def test_preferences_refuse_a_bad_mobile_and_change_nothing(zone, users):
    clerk = users["clerk"]
    response = _client(clerk).post("/desk/notify/preferences/", {"mobile": "1391234567x"})
    assert response.status_code == 200
    assert 'id="prefs-error"' in response.content.decode()
    assert Contact.objects.count() == 0
    assert Preference.objects.count() == 0


def test_failures_page_for_administrators_only(zone, users):
    clerk = users["clerk"]
    clerk.email = "clerk@example.cn"
    clerk.save()
    _tell(zone, [clerk])
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=5, last_error="邮件发送失败：ConnectionRefusedError")
    assert _client(clerk).get("/desk/notify/failures/").status_code == 403
    html = _client(users["admin"]).get("/desk/notify/failures/").content.decode()
    assert "持续失败，请检查配置" in html
    assert "邮件发送失败：ConnectionRefusedError" in html


def test_retry_from_the_failures_page(zone, users, dummy_tasks, django_capture_on_commit_callbacks):
    clerk = users["clerk"]
    clerk.email = "clerk@example.cn"
    clerk.save()
    _tell(zone, [clerk])
    delivery = Delivery.objects.get()
    Delivery.objects.update(status=DeliveryStatus.FAILED, attempts=5)
    # Not an administrator: refused, nothing changed.
    assert _client(clerk).post(f"/desk/notify/failures/{delivery.pk}/retry/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(users["admin"]).post(f"/desk/notify/failures/{delivery.pk}/retry/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert [r.args[0] for r in dummy_tasks.results] == [[delivery.pk]]


def test_role_is_needed_for_the_failures_page_of_a_zone(zone, other_zone, users):
    outsider = make_user("admin-elsewhere", zone=other_zone, role=Role.ADMIN)
    client = _client(outsider)
    session = client.session
    session["onezone_zone_id"] = zone.pk
    session.save()
    assert client.get("/desk/notify/failures/").status_code in (200, 403)
