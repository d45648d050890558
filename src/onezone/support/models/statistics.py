"""Monthly enterprise statistics: each enterprise's report of a month (工业总产值, 营业收入, taxes,
employees, energy), and the reminders sent for a missing one."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel

__all__ = ["MonthlyReport", "ReportReminder", "ReportSource", "ReportStatus"]

_NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class ReportStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已确认")
    PENDING = "pending", _("待确认")


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("企业填报")
    IMPORT = "import", _("统计局报表导入")


class MonthlyReport(ZoneScopedModel):
    """One enterprise's figures for one month. A late or implausible report is held as 待确认
    (``flags`` says why) until the enterprise confirms or corrects it; only confirmed reports count."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    output_value = models.DecimalField(_("工业总产值（元）"), max_digits=18, decimal_places=2, validators=_NON_NEGATIVE)
    revenue = models.DecimalField(_("营业收入（元）"), max_digits=18, decimal_places=2, validators=_NON_NEGATIVE)
    tax = models.DecimalField(_("实缴税金（元）"), max_digits=18, decimal_places=2, validators=_NON_NEGATIVE)
    employees = models.PositiveIntegerField(_("从业人员（人）"))
    energy_tce = models.DecimalField(
        _("综合能耗（吨标准煤）"), max_digits=14, decimal_places=2, validators=_NON_NEGATIVE
    )
    status = models.CharField(_("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.CONFIRMED)
    flags = models.JSONField(_("待确认原因"), default=list, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=ReportSource.choices, default=ReportSource.PORTAL)
    reported_at = models.DateTimeField(_("报送时间"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业月度统计")
        verbose_name_plural = _("企业月度统计")
        ordering = ["zone", "-year", "-month", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"],
                name="support_report_one_per_month",
                violation_error_message="该企业这个月已报送统计数据，请修改已有报表。",
            )
        ]
        indexes = [models.Index(fields=["zone", "year", "month", "status"], name="support_report_zone_month")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.month}月"


class ReportReminder(ZoneScopedModel):
    """A reminder sent to an enterprise for a missing month: at most one per enterprise and month."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    sent_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("月报催报记录")
        verbose_name_plural = _("月报催报记录")
        ordering = ["zone", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"], name="support_reminder_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年{self.month}月催报"
