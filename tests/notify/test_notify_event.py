"""Recording notifications for an event: one per recipient, idempotent, delivered after commit."""

from __future__ import annotations

import pytest
from django.db import transaction

from onezone.notify.models import Channel, Delivery, Notification
from onezone.notify.services import notify_event
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _people(zone, n=2):
    people = []
    for i in range(n):
        u = make_user(f"p{i}", zone=zone)
        u.email = f"p{i}@example.cn"
        u.save()
        people.append(u)
    return people


def test_records_one_per_recipient_and_renders(zone, dummy_tasks, django_capture_on_commit_callbacks):
    a, b = _people(zone)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        n = notify_event(
            zone_id=zone.pk,
            event="tests.thing_done",
            recipients=[a, b, a],
            context={"name": "营业执照", "person": "张三", "day": "2026年12月8日"},
            key="thing:1",
            link="/desk/things/1/",
        )
    assert n == 2
    rows = list(Notification.objects.order_by("recipient_id").values_list("recipient_id", "subject", "body", "link"))
    assert rows == [
        (a.pk, "事项“营业执照”已办结", "您好，张三：事项“营业执照”已于 2026年12月8日 办结。", "/desk/things/1/"),
        (b.pk, "事项“营业执照”已办结", "您好，张三：事项“营业执照”已于 2026年12月8日 办结。", "/desk/things/1/"),
    ]
    assert sorted(Delivery.objects.values_list("channel", "address")) == [
        (Channel.EMAIL, "p0@example.cn"),
        (Channel.EMAIL, "p1@example.cn"),
    ]
    assert len(callbacks) == 1
    assert len(dummy_tasks.results) == 1
    assert sorted(dummy_tasks.results[0].args[0]) == sorted(Delivery.objects.values_list("pk", flat=True))


def test_same_event_twice_records_once(zone, dummy_tasks, django_capture_on_commit_callbacks):
    a, b = _people(zone)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[a], context={}, key="k")
        second = notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[a, b], context={}, key="k")
        third = notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[a, b], context={}, key="k")
    assert (first, second, third) == (1, 1, 0)
    assert Notification.objects.count() == 2
    assert Delivery.objects.count() == 2
    assert len(dummy_tasks.results) == 2


def test_nothing_enqueued_when_the_caller_rolls_back(zone, dummy_tasks, django_capture_on_commit_callbacks):
    (a,) = _people(zone, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[a], context={}, key="k")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert dummy_tasks.results == []
    assert Notification.objects.count() == 0


def test_unknown_event_is_refused(zone):
    (a,) = _people(zone, 1)
    with pytest.raises(LookupError):
        notify_event(zone_id=zone.pk, event="tests.nobody", recipients=[a], context={}, key="k")
