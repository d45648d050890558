"""Kernel tables every domain app relies on: roles, audit, calendar, tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.roles import Role
from onezone.core.workdays import DayKind


class BaseModel(models.Model):
    """Every domain table carries its creation and last-change times."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, editable=False)

    class Meta:
        abstract = True


class ZoneScopedModel(BaseModel):
    """A table that holds one zone's data: every row names its zone, and every read filters on it.

    The zone id is also the key a distributed PostgreSQL shards on.
    """

    zone = models.ForeignKey(
        settings.ONEZONE_ZONE_MODEL,
        verbose_name=_("开发区"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class RoleGrant(BaseModel):
    """A user holds a role in a zone. A provincial supervisor's grant names no zone: all zones."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    zone = models.ForeignKey(
        settings.ONEZONE_ZONE_MODEL,
        verbose_name=_("开发区"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "zone", "role"], name="core_rolegrant_unique_per_zone"),
            models.CheckConstraint(
                condition=models.Q(zone__isnull=False) | models.Q(role="province_supervisor"),
                name="core_rolegrant_zone_required",
                violation_error_message="除省级监管人员外，角色必须授予到具体开发区。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.zone or '全省'}"


class AuditEvent(models.Model):
    """One write, login or sensitive read. Append-only; each row chains the hash of the one before."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        # The log is append-only: deleting a user must not touch it; actor_name keeps who it was.
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    zone_id = models.BigIntegerField(_("开发区ID"), null=True, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="core_audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"


class CalendarYear(models.Model):
    """Whether a year's holiday arrangement (放假调休安排) is known."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国务院办公厅通知（已导入）")
        SEEDED = "seeded", _("chinesecalendar 内置数据")

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    document = models.CharField(_("文件"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(models.Model):
    """A day that breaks the Monday–Friday rule: a weekday holiday or a weekend working day."""

    date = models.DateField(_("日期"), primary_key=True)
    kind = models.CharField(
        _("类型"),
        max_length=16,
        choices=[
            (DayKind.HOLIDAY.value, _("放假（工作日休息）")),
            (DayKind.WORKDAY.value, _("调休上班（周末上班）")),
        ],
    )
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class LoginFailure(models.Model):
    """A failed login, kept to lock an account name after repeated failures."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M:%S}"


class ApiToken(BaseModel):
    """A machine's token for the API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


from onezone.core.documents.models import IssuedDocument  # noqa: E402,F401  issued documents live in core.documents
from onezone.core.models_jobs import Job, JobState  # noqa: E402,F401  the jobs table lives in its own module
