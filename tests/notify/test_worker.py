"""The worker delivers: the database task backend, the real ``db_worker`` command, after a real commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onezone.notify.models import Channel, Contact, Delivery, DeliveryAttempt, DeliveryStatus
from onezone.notify.services import notify_event
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ONEZONE_SMS_QUIET_HOURS = ""


def _people(zone, n):
    people = []
    for i in range(n):
        user = make_user(f"w{i}", zone=zone)
        user.email = f"w{i}@example.cn"
        user.save()
        people.append(user)
    return people


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def test_the_worker_sends_what_was_committed(zone, db_tasks):
    people = _people(zone, 3)
    with transaction.atomic():
        told = notify_event(
            zone_id=zone.pk,
            event="tests.thing_done",
            recipients=people,
            context={"name": "排污许可", "person": "您", "day": "今天"},
            key="permit:9",
        )
    assert told == 3
    assert DBTaskResult.objects.count() == 1
    _work()
    assert sorted(m.to[0] for m in mail.outbox) == ["w0@example.cn", "w1@example.cn", "w2@example.cn"]
    assert {m.subject for m in mail.outbox} == {"事项“排污许可”已办结"}
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The same event again: nothing new recorded, enqueued or sent.
    with transaction.atomic():
        assert (
            notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=people, context={}, key="permit:9") == 0
        )
    _work()
    assert len(mail.outbox) == 3
    assert DBTaskResult.objects.count() == 1


def test_a_failure_is_retried_later_by_the_worker(zone, db_tasks, settings):
    settings.ONEZONE_SMS_GATEWAY = "http"
    settings.ONEZONE_SMS_HTTP_URL = "http://127.0.0.1:9/send"  # nothing listens
    settings.ONEZONE_NOTIFY_RETRY_SECONDS = 600
    (person,) = _people(zone, 1)
    person.email = ""
    person.save()
    Contact.objects.create(zone=zone, user=person, mobile="13912345678")
    with transaction.atomic():
        notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[person], context={}, key="x")
    before = timezone.now()
    _work()
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert DeliveryAttempt.objects.get().ok is False
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after >= before + dt.timedelta(seconds=600)
    assert retry.args_kwargs["args"] == [[delivery.pk]]
