"""Every read the notification pages need: one person's inbox, their choices, the failures report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q

from onezone.core.prepared import Prepared, counted
from onezone.notify.events import EventKind, event_kinds
from onezone.notify.models import (
    SENT_CHANNELS,
    Channel,
    Contact,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    Preference,
    Template,
)

INBOX_PAGE = 20

_UNREAD = Prepared(
    lambda zone_id, user_id: counted(
        Notification.objects.filter(zone_id=zone_id, recipient_id=user_id, read_at__isnull=True), "recipient_id"
    ),
    zone_id=int,
    user_id=int,
)


def unread_count(*, zone_id: int | None, user: Any) -> int:
    """How many of the user's notifications in the zone are unread (the header's badge)."""
    if zone_id is None or not getattr(user, "is_authenticated", False):
        return 0
    return sum(_UNREAD(zone_id=zone_id, user_id=user.pk))


def inbox_page(*, zone_id: int, user: Any, page: int = 1, unread_only: bool = False) -> Page:
    """One page of the user's own notifications in the zone, newest first."""
    rows = Notification.objects.filter(zone_id=zone_id, recipient_id=user.pk).only(
        "id", "event", "subject", "body", "link", "read_at", "created_at"
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return Paginator(rows.order_by("-created_at", "-id"), INBOX_PAGE).get_page(page)


@dataclass(frozen=True)
class PreferenceRow:
    kind: EventKind
    email: bool
    sms: bool


@dataclass(frozen=True)
class Preferences:
    rows: list[PreferenceRow]
    email: str
    mobile: str


def preferences_of(*, zone_id: int, user: Any, audience: str) -> Preferences:
    """The user's choices for every event of the audience (staff or enterprise), defaults filled in."""
    chosen = {
        (event, channel): enabled
        for event, channel, enabled in Preference.objects.filter(zone_id=zone_id, user_id=user.pk).values_list(
            "event", "channel", "enabled"
        )
    }
    mobile = Contact.objects.filter(zone_id=zone_id, user_id=user.pk).values_list("mobile", flat=True).first() or ""
    rows = [
        PreferenceRow(
            kind=kind,
            email=chosen.get((kind.key, Channel.EMAIL), True),
            sms=chosen.get((kind.key, Channel.SMS), True),
        )
        for kind in event_kinds()
        if kind.audience == audience
    ]
    return Preferences(rows=rows, email=user.email, mobile=mobile)


@dataclass(frozen=True)
class ChannelHealth:
    channel: str
    label: str
    failed: int
    waiting: int
    tries_failed: int
    tries_ok: int
    last_ok: dt.datetime | None
    last_error: str

    @property
    def failing(self) -> bool:
        """Keeps failing: deliveries given up, or more failed tries than good ones in the period."""
        return self.failed > 0 or self.tries_failed > self.tries_ok


def channel_health(*, zone_id: int, since: dt.datetime) -> list[ChannelHealth]:
    """For e-mail and SMS: deliveries given up and waiting, tries since ``since``, the last success."""
    states = {
        (channel, status): n
        for channel, status, n in Delivery.objects.filter(
            zone_id=zone_id, status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.HELD]
        )
        .order_by()
        .values("channel", "status")
        .annotate(n=Count("id"))
        .values_list("channel", "status", "n")
    }
    tries = {
        row["channel"]: row
        for row in DeliveryAttempt.objects.filter(zone_id=zone_id, created_at__gte=since)
        .order_by()
        .values("channel")
        .annotate(bad=Count("id", filter=Q(ok=False)), good=Count("id", filter=Q(ok=True)))
    }
    last_ok = dict(
        DeliveryAttempt.objects.filter(zone_id=zone_id, ok=True)
        .order_by()
        .values("channel")
        .annotate(at=Max("created_at"))
        .values_list("channel", "at")
    )
    last_error = {}
    for channel in SENT_CHANNELS:
        last_error[channel] = (
            DeliveryAttempt.objects.filter(zone_id=zone_id, channel=channel, ok=False)
            .order_by("-created_at", "-id")
            .values_list("detail", flat=True)
            .first()
            or ""
        )
    return [
        ChannelHealth(
            channel=channel,
            label=Channel(channel).label,
            failed=states.get((channel, DeliveryStatus.FAILED), 0),
            waiting=states.get((channel, DeliveryStatus.PENDING), 0) + states.get((channel, DeliveryStatus.HELD), 0),
            tries_failed=tries.get(channel, {}).get("bad", 0),
            tries_ok=tries.get(channel, {}).get("good", 0),
            last_ok=last_ok.get(channel),
            last_error=last_error[channel],
        )
        for channel in SENT_CHANNELS
    ]


def failed_deliveries(*, zone_id: int, page: int = 1, per_page: int = 50) -> Page:
    """Deliveries given up, newest first, with their notification and recipient."""
    rows = (
        Delivery.objects.filter(zone_id=zone_id, status=DeliveryStatus.FAILED)
        .select_related("notification", "notification__recipient")
        .order_by("-updated_at", "-id")
    )
    return Paginator(rows, per_page).get_page(page)


def templates_of(*, zone_id: int) -> dict[str, Template]:
    """The zone's own wordings by event."""
    return {t.event: t for t in Template.objects.filter(zone_id=zone_id)}
