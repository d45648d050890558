"""The notification pages' reads cost a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onezone.notify import selectors
from onezone.notify.models import Delivery, DeliveryAttempt, DeliveryStatus
from onezone.notify.services import notify_event

pytestmark = pytest.mark.django_db


def _many(zone, user, n):
    for i in range(n):
        notify_event(zone_id=zone.pk, event="tests.thing_done", recipients=[user], context={"name": i}, key=f"k{i}")


@pytest.mark.parametrize("n", [1, 30])
def test_inbox_and_badge(zone, users, django_assert_num_queries, n):
    clerk = users["clerk"]
    clerk.email = "c@example.cn"
    clerk.save()
    _many(zone, clerk, n)
    with django_assert_num_queries(1):
        assert selectors.unread_count(zone_id=zone.pk, user=clerk) == n
    with django_assert_num_queries(2):
        page = selectors.inbox_page(zone_id=zone.pk, user=clerk)
        assert len(list(page.object_list)) == min(n, selectors.INBOX_PAGE)
    Delivery.objects.update(status=DeliveryStatus.FAILED)
    for d in Delivery.objects.all():
        DeliveryAttempt.objects.create(zone=zone, delivery=d, channel=d.channel, number=1, ok=False, detail="x")
    with django_assert_num_queries(2):
        page = selectors.failed_deliveries(zone_id=zone.pk)
        assert [d.notification.recipient.username for d in page.object_list] == ["u-clerk"] * n
    with django_assert_num_queries(5):
        health = selectors.channel_health(zone_id=zone.pk, since=timezone.now() - dt.timedelta(days=1))
    email = health[0]
    assert (email.failed, email.tries_failed, email.tries_ok, email.failing) == (n, n, 0, True)


def test_preferences_read_in_two_queries(zone, users, django_assert_num_queries):
    with django_assert_num_queries(2):
        prefs = selectors.preferences_of(zone_id=zone.pk, user=users["clerk"], audience="staff")
    assert all(r.kind.audience == "staff" for r in prefs.rows)
    assert all(r.email and r.sms for r in prefs.rows)


def test_no_badge_when_signed_out(db):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.unread_count(zone_id=1, user=AnonymousUser()) == 0
