"""Every write of notifications: recording them for an event, reading, preferences, templates, retries.

``notify_event`` is called inside the caller's service transaction; delivery by e-mail and SMS is
enqueued for the worker only when that transaction commits, so a rolled-back change tells nobody.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.codes import CodeError, validate_mobile
from onezone.core.errors import InvalidInput, NotFound
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.notify import rendering
from onezone.notify.delivery import enqueue_after_commit
from onezone.notify.events import BODY_MAX, SUBJECT_MAX, event_kind
from onezone.notify.models import (
    SENT_CHANNELS,
    Channel,
    Contact,
    Delivery,
    DeliveryStatus,
    Notification,
    Preference,
    Template,
)

KEY_MAX = 200
LINK_MAX = 500
RECIPIENTS_MAX = 10_000  # one call tells at most this many people (a zone's whole staff and portal users)
MESSAGES_MAX = 20_000  # one bulk call records at most this many messages


@dataclass(frozen=True)
class Message:
    """One occurrence of an event in a bulk call: its key, its recipients, its context and link."""

    key: str
    recipients: Iterable[Any]
    context: Mapping[str, Any] = field(default_factory=dict)
    link: str = ""


def notify_event(
    *, zone_id: int, event: str, recipients: Iterable[Any], context: dict, key: str, link: str = ""
) -> int:
    """Record one notification of ``event`` per recipient and enqueue its delivery after commit.

    Idempotent on ``(event, key, recipient)``: a recipient already told of this event and key is not
    told again. Returns how many new notifications were recorded.
    """
    return notify_event_bulk(
        zone_id=zone_id, event=event, messages=[Message(key=key, recipients=recipients, context=context, link=link)]
    )


def notify_event_bulk(*, zone_id: int, event: str, messages: Iterable[Message]) -> int:
    """``notify_event`` for many occurrences of one event at once (the sweep's warnings): a fixed
    number of queries for the whole batch. Returns how many new notifications were recorded."""
    kind = event_kind(event)
    batch = list(messages)
    if len(batch) > MESSAGES_MAX:
        raise InvalidInput(f"一次最多记录 {MESSAGES_MAX} 条事件通知，收到 {len(batch)} 条，请分批。")
    people: dict[int, Any] = {}
    wanted: list[tuple[Message, list[int]]] = []
    for message in batch:
        _check_text("事件标识", message.key, KEY_MAX)
        _check_text("链接", message.link, LINK_MAX)
        ids: list[int] = []
        for person in message.recipients:
            if person is None or not getattr(person, "is_active", False):
                continue
            if len(ids) >= RECIPIENTS_MAX:
                raise InvalidInput(f"一条通知最多发给 {RECIPIENTS_MAX} 人，请缩小接收范围。")
            if person.pk not in people:
                people[person.pk] = person
            if person.pk not in ids:
                ids.append(person.pk)
        wanted.append((message, ids))
    if not people:
        return 0
    with transaction.atomic():
        told = set(
            Notification.objects.filter(
                event=event, key__in={m.key for m, _ in wanted}, recipient_id__in=list(people)
            ).values_list("key", "recipient_id")
        )
        override = Template.objects.filter(zone_id=zone_id, event=event).values_list("subject", "body").first()
        subject_tpl, body_tpl = rendering.wording(kind.key, override)
        fresh: list[Notification] = []
        for message, ids in wanted:
            todo = [pk for pk in ids if (message.key, pk) not in told]
            if not todo:
                continue
            context = dict(message.context)
            subject = rendering.render(subject_tpl, context, limit=SUBJECT_MAX)
            body = rendering.render(body_tpl, context, limit=4000)
            for pk in todo:
                told.add((message.key, pk))
                fresh.append(
                    Notification(
                        zone_id=zone_id,
                        event=event,
                        key=message.key,
                        recipient_id=pk,
                        subject=subject,
                        body=body,
                        link=message.link,
                    )
                )
        if not fresh:
            return 0
        fresh = _insert(fresh)
        deliveries = _deliveries(zone_id=zone_id, event=event, notifications=fresh, people=people)
        if deliveries:
            created = Delivery.objects.bulk_create(deliveries, batch_size=500)
            enqueue_after_commit([d.pk for d in created])
    return len(fresh)


def _check_text(label: str, text: str, limit: int) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{label}最长 {limit} 个字符，收到 {len(text)} 个。")


def _insert(rows: list[Notification]) -> list[Notification]:
    """Insert the rows; a row another transaction inserted meanwhile is left out, not told twice."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        kept = []
        for row in rows:
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            kept.append(row)
        return kept


def _deliveries(
    *, zone_id: int, event: str, notifications: list[Notification], people: Mapping[int, Any]
) -> list[Delivery]:
    """The e-mail and SMS deliveries the recipients' addresses and preferences call for."""
    ids = list({n.recipient_id for n in notifications})
    refused = set(
        Preference.objects.filter(zone_id=zone_id, event=event, user_id__in=ids, enabled=False).values_list(
            "user_id", "channel"
        )
    )
    mobiles = dict(
        Contact.objects.filter(zone_id=zone_id, user_id__in=ids).exclude(mobile="").values_list("user_id", "mobile")
    )
    rows: list[Delivery] = []
    for n in notifications:
        addresses = {
            Channel.EMAIL: getattr(people[n.recipient_id], "email", ""),
            Channel.SMS: mobiles.get(n.recipient_id, ""),
        }
        for channel in SENT_CHANNELS:
            address = addresses[channel]
            if address and (n.recipient_id, channel) not in refused:
                rows.append(Delivery(zone_id=zone_id, notification=n, channel=channel, address=address))
    return rows


# -- the inbox -----------------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, zone_id: int, notification_id: int) -> Notification:
    """Mark one of the actor's own notifications read; another person's is not found."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound("该通知不存在或不属于您。")
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, zone_id=zone_id, recipient_id=actor.pk)
            .first()
        )
        if notification is None:
            raise NotFound("该通知不存在或不属于您。")
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at", "updated_at"])
            audit_record(actor=actor, action="notify.notification_read", obj=notification)
    return notification


def notifications_mark_all_read(*, actor: Any, zone_id: int) -> int:
    """Mark every unread notification of the actor in the zone read; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    with transaction.atomic():
        count = Notification.objects.filter(zone_id=zone_id, recipient_id=actor.pk, read_at__isnull=True).update(
            read_at=timezone.now(), updated_at=timezone.now()
        )
        if count:
            audit_record(
                actor=actor,
                action="notify.notifications_read_all",
                zone_id=zone_id,
                object_type="notify.notification",
                object_repr=f"全部标为已读（{count} 条）",
                changes={"count": count},
            )
    return count


# -- preferences -----------------------------------------------------------------------------------


def preferences_save(*, actor: Any, zone_id: int, choices: Mapping[tuple[str, str], bool], mobile: str) -> None:
    """Save the actor's own choices: for each (event, channel) whether it reaches them; the SMS number.

    Only e-mail and SMS can be chosen: the inbox keeps every notification.
    """
    if not getattr(actor, "is_authenticated", False):
        raise InvalidInput("请先登录后再设置通知偏好。")
    mobile = mobile.strip()
    if len(mobile) > 11:
        raise InvalidInput(f"手机号码最长 11 位，收到 {len(mobile)} 位。", fields={"mobile": "手机号码应为 11 位。"})
    if mobile:
        try:
            validate_mobile(mobile)
        except CodeError as exc:
            raise InvalidInput(exc.message, fields={"mobile": exc.message}) from exc
    if len(choices) > 4 * 200:
        raise InvalidInput(f"通知偏好一次最多 800 项，收到 {len(choices)} 项。")
    for event, channel in choices:
        if not _known(event):
            _unknown(event)
        if channel not in SENT_CHANNELS:
            raise InvalidInput(f"渠道“{channel}”不可选择：可选电子邮件或短信，站内消息总会保留。")
    with transaction.atomic():
        before = {(p.event, p.channel): p.enabled for p in Preference.objects.filter(zone_id=zone_id, user_id=actor.pk)}
        for (event, channel), enabled in choices.items():
            if before.get((event, channel), True) == enabled:
                continue
            Preference.objects.update_or_create(
                zone_id=zone_id, user_id=actor.pk, event=event, channel=channel, defaults={"enabled": enabled}
            )
        contact, _ = Contact.objects.get_or_create(zone_id=zone_id, user_id=actor.pk, defaults={"mobile": ""})
        old_mobile = contact.mobile
        if old_mobile != mobile:
            contact.mobile = mobile
            contact.save(update_fields=["mobile", "updated_at"])
        audit_record(
            actor=actor,
            action="notify.preferences_save",
            zone_id=zone_id,
            object_type="notify.preference",
            object_id=str(actor.pk),
            object_repr=f"{actor.get_username()} 的通知偏好",
            changes={
                "refused": sorted(f"{e}:{c}" for (e, c), v in choices.items() if not v),
                "mobile_changed": old_mobile != mobile,
            },
        )


def _known(event: str) -> bool:
    try:
        event_kind(event)
    except LookupError:
        return False
    return True


def _unknown(event: str) -> None:
    raise InvalidInput(f"没有名为“{event}”的通知事件。")


# -- templates -----------------------------------------------------------------------------------


def template_save(*, actor: Any, zone_id: int, event: str, subject: str, body: str) -> Template:
    """Set the zone's wording of ``event`` (administrators only)."""
    require(actor, zone_id=zone_id, roles={Role.ADMIN}, action="修改通知模板")
    if not _known(event):
        _unknown(event)
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = "请填写标题模板。"
    if len(subject) > SUBJECT_MAX:
        errors["subject"] = f"标题模板最长 {SUBJECT_MAX} 个字符，收到 {len(subject)} 个。"
    if not body.strip():
        errors["body"] = "请填写内容模板。"
    if len(body) > BODY_MAX:
        errors["body"] = f"内容模板最长 {BODY_MAX} 个字符，收到 {len(body)} 个。"
    for name, text in (("subject", subject), ("body", body)):
        problem = None if name in errors else rendering.check_template(text)
        if problem:
            errors[name] = problem
    if errors:
        raise InvalidInput("通知模板有误：" + "；".join(errors.values()), fields=errors)
    with transaction.atomic():
        template = Template.objects.select_for_update().filter(zone_id=zone_id, event=event).first()
        before = {"subject": template.subject, "body": template.body} if template else {}
        if template is None:
            template = Template(zone_id=zone_id, event=event)
        template.subject, template.body = subject, body
        template.save()
        audit_record(
            actor=actor,
            action="notify.template_save",
            obj=template,
            changes={"before": before, "after": {"subject": subject, "body": body}},
        )
    return template


def template_reset(*, actor: Any, zone_id: int, event: str) -> None:
    """Drop the zone's wording of ``event``: the registered default applies again."""
    require(actor, zone_id=zone_id, roles={Role.ADMIN}, action="恢复默认通知模板")
    with transaction.atomic():
        template = Template.objects.select_for_update().filter(zone_id=zone_id, event=event).first()
        if template is None:
            raise NotFound(f"事件“{event}”没有本开发区的模板，已在使用默认模板。")
        audit_record(
            actor=actor,
            action="notify.template_reset",
            obj=template,
            changes={"before": {"subject": template.subject, "body": template.body}},
        )
        template.delete()


# -- failed deliveries ------------------------------------------------------------------------------


def delivery_retry(*, actor: Any, zone_id: int, delivery_id: int) -> Delivery:
    """Send a failed delivery again (administrators, from the failures page)."""
    require(actor, zone_id=zone_id, roles={Role.ADMIN}, action="重新发送通知")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id, zone_id=zone_id).first()
        if delivery is None:
            raise NotFound("该发送记录不存在。")
        if delivery.status != DeliveryStatus.FAILED:
            raise InvalidInput(f"只有发送失败的记录可以重发，该记录为“{delivery.get_status_display()}”。")
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "attempts", "next_attempt_at", "updated_at"])
        audit_record(actor=actor, action="notify.delivery_retry", obj=delivery)
        enqueue_after_commit([delivery.pk])
    return delivery
