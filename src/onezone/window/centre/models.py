"""Departments stationed at the service centre (部门进驻): their windows, who sits there, which items they take."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel


class ServiceWindow(ZoneScopedModel):
    """A window of the centre, held by a stationed body; a comprehensive window takes every item."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合受理窗口")
        DEPARTMENT = "department", _("部门进驻窗口")
        AGENCY = "agency", _("招商引资项目服务代办窗口")

    number = models.CharField(_("窗口号"), max_length=20)
    name = models.CharField(_("窗口名称"), max_length=100)
    kind = models.CharField(_("窗口类型"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    body = models.ForeignKey("org.Body", verbose_name=_("进驻单位"), on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField("powers.PowerItem", verbose_name=_("受理事项"), blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("进驻窗口")
        verbose_name_plural = _("进驻窗口")
        ordering = ["zone", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="window_service_window_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class WindowSeat(ZoneScopedModel):
    """A member of staff at a window on some weekdays (1 Monday … 7 Sunday) from ``start`` to ``end``."""

    window = models.ForeignKey(ServiceWindow, verbose_name=_("窗口"), on_delete=models.CASCADE, related_name="seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("工作人员"), on_delete=models.PROTECT, related_name="+"
    )
    weekdays = models.JSONField(_("坐班日（周一为1）"), default=list)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("窗口坐班")
        verbose_name_plural = _("窗口坐班")
        ordering = ["window", "start", "id"]
        indexes = [models.Index(fields=["zone", "user", "start"], name="window_seat_user")]

    def __str__(self) -> str:
        return f"{self.window} · {self.user_id}"
