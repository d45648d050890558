"""Delivery by the worker: e-mail to a real SMTP server, SMS through the HTTP adapter, retries, quiet hours."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from onezone.notify.delivery import delivery_send
from onezone.notify.models import Channel, Contact, Delivery, DeliveryAttempt, DeliveryStatus
from onezone.notify.services import notify_event
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOON = dt.datetime(2026, 12, 8, 12, 0, tzinfo=SH)


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    handler = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "notice@onezone.example.cn"
    yield handler
    controller.stop()


class _Provider(BaseHTTPRequestHandler):
    answers: list[tuple[int, dict]] = []
    received: list[tuple[dict, str]] = []

    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((payload, self.headers["Authorization"]))
        status, answer = type(self).answers.pop(0) if type(self).answers else (200, {"code": 0, "message_id": "m1"})
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    _Provider.answers, _Provider.received = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ONEZONE_SMS_GATEWAY = "http"
    settings.ONEZONE_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.ONEZONE_SMS_HTTP_TOKEN = "tok-123"
    settings.ONEZONE_SMS_SIGN = "【永昌工业园区】"
    yield _Provider
    server.shutdown()
    server.server_close()


@pytest.fixture
def person(zone):
    user = make_user("recipient", zone=zone)
    user.email = "zhang@example.cn"
    user.save()
    return user


def _notify(zone, person, dummy_tasks, capture, key="k1"):
    with capture(execute=True):
        notify_event(
            zone_id=zone.pk,
            event="tests.thing_done",
            recipients=[person],
            context={"name": "施工许可", "person": "张三", "day": "12月8日"},
            key=key,
            link="/desk/things/1/",
        )


def test_email_reaches_a_real_smtp_server(
    zone, person, smtp, settings, dummy_tasks, django_capture_on_commit_callbacks
):
    settings.ONEZONE_NOTIFY_SITE_URL = "https://yc.example.cn"
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert delivery_send(delivery.pk, now=NOON) == DeliveryStatus.SENT
    [(to, content)] = smtp.messages
    assert to == ["zhang@example.cn"]
    mail = message_from_bytes(content)
    assert str(make_header(decode_header(mail["Subject"]))) == "事项“施工许可”已办结"
    text = mail.get_payload(decode=True).decode(mail.get_content_charset()).replace("\r\n", "\n").rstrip("\n")
    assert text == "您好，张三：事项“施工许可”已于 12月8日 办结。\n\n查看详情：https://yc.example.cn/desk/things/1/"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, NOON)
    assert list(DeliveryAttempt.objects.values_list("channel", "number", "ok")) == [(Channel.EMAIL, 1, True)]
    # Sent once: a second run of the task sends nothing.
    assert delivery_send(delivery.pk, now=NOON) == "skipped"
    assert len(smtp.messages) == 1


def test_sms_through_the_http_provider(zone, person, provider, dummy_tasks, django_capture_on_commit_callbacks):
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert delivery.address == "13912345678"
    assert delivery_send(delivery.pk, now=NOON) == DeliveryStatus.SENT
    assert provider.received == [
        (
            {"mobile": "13912345678", "content": "事项“施工许可”已办结 /desk/things/1/", "sign": "【永昌工业园区】"},
            "Bearer tok-123",
        )
    ]
    assert DeliveryAttempt.objects.get().detail == "网关已接收，编号 m1"


def test_sms_log_gateway_is_the_default(zone, person, dummy_tasks, django_capture_on_commit_callbacks, caplog):
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel=Channel.SMS)
    with caplog.at_level("INFO", logger="onezone.notify"):
        assert delivery_send(delivery.pk, now=NOON) == DeliveryStatus.SENT
    assert "139****5678" in caplog.text
    assert "13912345678" not in caplog.text


def test_failures_retry_with_growing_waits_then_fail(
    zone, person, provider, settings, dummy_tasks, django_capture_on_commit_callbacks
):
    settings.ONEZONE_NOTIFY_MAX_ATTEMPTS = 3
    settings.ONEZONE_NOTIFY_RETRY_SECONDS = 60
    provider.answers = [(500, {}), (200, {"code": 17, "message": "余额不足"}), (503, {})]
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    person.email = ""
    person.save()
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    dummy_tasks.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery.pk, now=NOON) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (1, NOON + dt.timedelta(seconds=60))
    assert dummy_tasks.results[-1].task.run_after == NOON + dt.timedelta(seconds=60)
    # Not due yet: a task run early does nothing.
    assert delivery_send(delivery.pk, now=NOON + dt.timedelta(seconds=30)) == "skipped"

    second = NOON + dt.timedelta(seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery.pk, now=second) == DeliveryStatus.PENDING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == second + dt.timedelta(seconds=120)
    assert delivery.last_error == "短信网关拒绝：17 余额不足"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert delivery_send(delivery.pk, now=second + dt.timedelta(seconds=120)) == DeliveryStatus.FAILED
    assert callbacks == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        3,
        "短信网关返回 HTTP 503。",
    )
    assert list(DeliveryAttempt.objects.order_by("number").values_list("number", "ok")) == [
        (1, False),
        (2, False),
        (3, False),
    ]
    assert len(provider.received) == 3


def test_email_through_the_onezone_email_settings(
    zone, person, smtp, settings, dummy_tasks, django_capture_on_commit_callbacks
):
    port = settings.EMAIL_PORT
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_PORT = 1
    settings.ONEZONE_EMAIL_HOST = "127.0.0.1"
    settings.ONEZONE_EMAIL_PORT = port
    settings.ONEZONE_EMAIL_FROM = "yc-notice@example.cn"
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    assert delivery_send(Delivery.objects.get().pk, now=NOON) == DeliveryStatus.SENT
    [(to, content)] = smtp.messages
    assert to == ["zhang@example.cn"]
    assert message_from_bytes(content)["From"] == "yc-notice@example.cn"


def test_unreachable_smtp_server_is_logged(zone, person, settings, dummy_tasks, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery.pk, now=NOON) == DeliveryStatus.PENDING
    assert DeliveryAttempt.objects.get().detail.startswith("邮件发送失败：ConnectionRefusedError")


@pytest.mark.parametrize(
    ("local", "held_until"),
    [
        (dt.datetime(2026, 12, 8, 22, 0, tzinfo=SH), dt.datetime(2026, 12, 9, 8, 0, tzinfo=SH)),
        (dt.datetime(2026, 12, 8, 23, 59, tzinfo=SH), dt.datetime(2026, 12, 9, 8, 0, tzinfo=SH)),
        (dt.datetime(2026, 12, 9, 3, 15, tzinfo=SH), dt.datetime(2026, 12, 9, 8, 0, tzinfo=SH)),
        (dt.datetime(2026, 12, 9, 7, 59, tzinfo=SH), dt.datetime(2026, 12, 9, 8, 0, tzinfo=SH)),
    ],
)
def test_sms_held_in_quiet_hours_until_the_morning(
    zone, person, provider, dummy_tasks, django_capture_on_commit_callbacks, local, held_until
):
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    person.email = ""
    person.save()
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    dummy_tasks.clear()
    assert delivery_send(delivery.pk, now=local.astimezone(dt.UTC)) == DeliveryStatus.HELD
    delivery.refresh_from_db()
    assert (delivery.status, delivery.next_attempt_at, delivery.attempts) == (DeliveryStatus.HELD, held_until, 0)
    assert [r.task.run_after for r in dummy_tasks.results] == [held_until]
    assert provider.received == []
    # In the morning it goes.
    assert delivery_send(delivery.pk, now=held_until) == DeliveryStatus.SENT
    assert len(provider.received) == 1


def test_email_is_not_held_in_quiet_hours(zone, person, smtp, dummy_tasks, django_capture_on_commit_callbacks):
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery_send(delivery.pk, now=dt.datetime(2026, 12, 8, 23, 0, tzinfo=SH)) == DeliveryStatus.SENT


def test_quiet_hours_setting_can_be_empty(
    zone, person, provider, settings, dummy_tasks, django_capture_on_commit_callbacks
):
    settings.ONEZONE_SMS_QUIET_HOURS = ""
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    person.email = ""
    person.save()
    _notify(zone, person, dummy_tasks, django_capture_on_commit_callbacks)
    assert delivery_send(Delivery.objects.get().pk, now=dt.datetime(2026, 12, 8, 23, 0, tzinfo=SH)) == "sent"
