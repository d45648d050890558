"""Notifications: one per recipient and event, its deliveries by channel, their log; templates and choices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import mask_mobile
from onezone.core.models import ZoneScopedModel


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


# The channels delivered by the worker; the inbox is the notification itself.
SENT_CHANNELS = (Channel.EMAIL, Channel.SMS)


class Notification(ZoneScopedModel):
    """One event told to one person: the inbox entry, rendered from the template when it was recorded."""

    event = models.CharField(_("事件"), max_length=60)
    key = models.CharField(_("事件标识"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), max_length=4000)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "key", "recipient"], name="notify_notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "zone", "read_at"], name="notify_inbox_unread"),
            models.Index(fields=["recipient", "zone", "-created_at"], name="notify_inbox_list"),
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    HELD = "held", _("静默时段暂缓")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(ZoneScopedModel):
    """A notification sent by one channel: its state, attempts and the address it went to."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="notify_delivery_once"),
        ]
        indexes = [models.Index(fields=["zone", "status", "channel"], name="notify_delivery_status")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address_masked}"

    @property
    def address_masked(self) -> str:
        """The address as lists show it: a mobile number is personal information."""
        return mask_mobile(self.address) if self.channel == Channel.SMS else self.address


class DeliveryAttempt(ZoneScopedModel):
    """The log of one try to send a delivery."""

    delivery = models.ForeignKey(Delivery, verbose_name=_("发送记录"), on_delete=models.CASCADE, related_name="log")
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    number = models.PositiveSmallIntegerField(_("第几次"))
    ok = models.BooleanField(_("成功"))
    detail = models.CharField(_("结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("发送日志")
        verbose_name_plural = _("发送日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["zone", "channel", "ok", "-created_at"], name="notify_attempt_channel")]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"


class Template(ZoneScopedModel):
    """A zone's own wording of an event's message; without one the event's registered default is used."""

    event = models.CharField(_("事件"), max_length=60)
    subject = models.CharField(_("标题模板"), max_length=200)
    body = models.TextField(_("内容模板"), max_length=2000)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        ordering = ["zone", "event"]
        constraints = [models.UniqueConstraint(fields=["zone", "event"], name="notify_template_once")]

    def __str__(self) -> str:
        return self.event


class Preference(ZoneScopedModel):
    """A person's choice for one event and channel; without one the channel's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notify_preferences"
    )
    event = models.CharField(_("事件"), max_length=60)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("接收"))

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(fields=["zone", "user", "event", "channel"], name="notify_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.channel}"


class Contact(ZoneScopedModel):
    """Where a person receives text messages in a zone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notify_contacts"
    )
    mobile = models.CharField(_("接收短信的手机号码"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("通知联系方式")
        verbose_name_plural = _("通知联系方式")
        constraints = [models.UniqueConstraint(fields=["zone", "user"], name="notify_contact_once")]

    def __str__(self) -> str:
        return str(self.user_id)
