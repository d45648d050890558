"""Sending deliveries, run by the worker: quiet hours, retries with a growing wait, the log per channel.

A delivery is a small state machine (``TRANSITIONS``). The worker claims a delivery by a conditional
update before sending, so two workers never send the same one, and sends outside any transaction so a
slow mail server holds no database lock.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from onezone.core.errors import TransitionNotAllowed
from onezone.notify import channels, conf
from onezone.notify.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from onezone.notify.quiet import quiet_until

log = logging.getLogger("onezone.notify")

S = DeliveryStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.SENT, S.PENDING, S.HELD, S.FAILED}),
    S.HELD: frozenset({S.SENT, S.PENDING, S.HELD, S.FAILED}),
    S.FAILED: frozenset({S.PENDING}),
    S.SENT: frozenset(),
}
TASK_BATCH = 200  # deliveries per worker task
_EARLY = dt.timedelta(seconds=2)  # a task may start a moment before the time it was deferred to


def check_transition(current: str, new: str) -> None:
    """Raise unless a delivery may go from ``current`` to ``new``."""
    if new not in TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            f"发送记录不能从“{S(current).label}”变为“{S(new).label}”。",
        )


def enqueue_after_commit(delivery_ids: Sequence[int]) -> None:
    """Hand the deliveries to the worker once the current transaction commits."""
    if delivery_ids:
        transaction.on_commit(partial(enqueue, list(delivery_ids)))


def enqueue(delivery_ids: Sequence[int], *, run_after: dt.datetime | None = None) -> None:
    """Enqueue the worker task for the deliveries, in batches."""
    from onezone.notify.tasks import deliver

    task = deliver.using(run_after=run_after) if run_after is not None else deliver
    ids = list(delivery_ids)
    for start in range(0, len(ids), TASK_BATCH):
        task.enqueue(ids[start : start + TASK_BATCH])


def deliveries_send(delivery_ids: Iterable[int], *, now: dt.datetime | None = None) -> dict[str, int]:
    """Send each delivery that is due; returns how many ended in each state (and ``skipped``)."""
    counts: dict[str, int] = {}
    with channels.MailSession() as session:
        for delivery_id in list(delivery_ids)[:TASK_BATCH]:
            outcome = delivery_send(delivery_id, now=now, session=session)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _text(delivery: Delivery) -> tuple[str, str]:
    notification = delivery.notification
    link = conf.absolute(notification.link) if notification.link else ""
    if delivery.channel == Channel.SMS:
        text = notification.subject + (f" {link}" if link else "")
        return "", text[: channels.SMS_MAX]
    body = notification.body + (f"\n\n查看详情：{link}" if link else "")
    return notification.subject, body


def delivery_send(
    delivery_id: int, *, now: dt.datetime | None = None, session: channels.MailSession | None = None
) -> str:
    """Try one delivery if it is due; returns its state afterwards, or ``skipped`` when it was not due."""
    now = now or timezone.now()
    delivery = Delivery.objects.select_related("notification").filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in (S.PENDING, S.HELD):
        return "skipped"
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now + _EARLY:
        return "skipped"
    if delivery.channel == Channel.SMS:
        hours = conf.quiet_hours()
        release = quiet_until(timezone.localtime(now), hours.start, hours.end) if hours else None
        if release is not None:
            check_transition(delivery.status, S.HELD)
            held = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
                status=S.HELD, next_attempt_at=release, updated_at=now
            )
            if held:
                enqueue([delivery.pk], run_after=release)
            return S.HELD
    # Claim: only the worker whose update matches the state it read goes on to send.
    number = delivery.attempts + 1
    claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
        attempts=F("attempts") + 1, next_attempt_at=None, updated_at=now
    )
    if not claimed:
        return "skipped"
    subject, text = _text(delivery)
    try:
        if delivery.channel == Channel.EMAIL:
            detail = channels.email_send(address=delivery.address, subject=subject, body=text, session=session)
        else:
            detail = channels.sms_send(mobile=delivery.address, text=text)
    except channels.DeliveryError as exc:
        return _failed(delivery, number=number, error=str(exc), now=now)
    with transaction.atomic():
        check_transition(delivery.status, S.SENT)
        Delivery.objects.filter(pk=delivery.pk).update(status=S.SENT, sent_at=now, last_error="", updated_at=now)
        DeliveryAttempt.objects.create(
            zone_id=delivery.zone_id,
            delivery_id=delivery.pk,
            channel=delivery.channel,
            number=number,
            ok=True,
            detail=detail[:500],
        )
    return S.SENT


def _failed(delivery: Delivery, *, number: int, error: str, now: dt.datetime) -> str:
    """Log the failed try; retry later with a doubled wait, or give up after the last attempt."""
    error = error[:500]
    final = number >= conf.max_attempts()
    status = S.FAILED if final else S.PENDING
    retry_at = None if final else now + dt.timedelta(seconds=conf.retry_seconds() * 2 ** (number - 1))
    with transaction.atomic():
        check_transition(delivery.status, status)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=status, next_attempt_at=retry_at, last_error=error, updated_at=now
        )
        DeliveryAttempt.objects.create(
            zone_id=delivery.zone_id,
            delivery_id=delivery.pk,
            channel=delivery.channel,
            number=number,
            ok=False,
            detail=error,
        )
        if retry_at is not None:
            transaction.on_commit(partial(enqueue, [delivery.pk], run_after=retry_at))
    if final:
        log.warning("通知发送失败（已尝试 %s 次）：%s %s", number, delivery.get_channel_display(), error)
    return status
