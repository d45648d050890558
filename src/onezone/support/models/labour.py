"""找人才 / 找员工: jobs the enterprises post, the applications to them, shared labour between
enterprises (用工调剂) and the zone's talent needs with their placements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel

__all__ = [
    "ApplicationStatus",
    "JobApplication",
    "JobPosting",
    "JobStatus",
    "LabourSharing",
    "SharingStatus",
    "TalentField",
    "TalentNeed",
    "TalentPlacement",
]


class JobStatus(models.TextChoices):
    PUBLISHED = "published", _("招聘中")
    CLOSED = "closed", _("已结束")


class JobPosting(ZoneScopedModel):
    """A job an enterprise offers; published jobs are listed publicly until their closing date."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("招聘企业"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("岗位名称"), max_length=60)
    places = models.PositiveSmallIntegerField(_("招聘人数"))
    pay_min = models.DecimalField(_("月薪下限（元）"), max_digits=9, decimal_places=2)
    pay_max = models.DecimalField(_("月薪上限（元）"), max_digits=9, decimal_places=2)
    requirements = models.TextField(_("任职要求"), max_length=2000)
    place = models.CharField(_("工作地点"), max_length=100)
    valid_until = models.DateField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=12, choices=JobStatus.choices, default=JobStatus.PUBLISHED)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(_("发布日期"))

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ["zone", "-published_on", "-id"]
        indexes = [models.Index(fields=["zone", "status", "valid_until"], name="support_job_public")]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("未查看")
    OPENED = "opened", _("已查看")


class JobApplication(ZoneScopedModel):
    """A person's application to a job; the phone is masked for the enterprise until it opens it."""

    job = models.ForeignKey(JobPosting, verbose_name=_("岗位"), on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("手机号码"), max_length=11)
    note = models.CharField(_("自我介绍"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("投递时间"))
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    opened_at = models.DateTimeField(_("查看时间"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("求职申请")
        verbose_name_plural = _("求职申请")
        ordering = ["job", "-submitted_at", "-id"]
        indexes = [models.Index(fields=["zone", "job", "submitted_at"], name="support_application_job")]

    def __str__(self) -> str:
        return f"{self.name} → {self.job}"


class SharingStatus(models.TextChoices):
    PROPOSED = "proposed", _("待双方确认")
    CONFIRMED = "confirmed", _("已生效")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已撤回")


class LabourSharing(ZoneScopedModel):
    """One enterprise lends workers to another for a period (用工调剂).

    The workers' labour contracts and social insurance stay with the lender; ``employer_rule``
    records that rule in words as both enterprises confirmed it.
    """

    lender = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("调出企业"), on_delete=models.PROTECT, related_name="+"
    )
    borrower = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("调入企业"), on_delete=models.PROTECT, related_name="+"
    )
    workers = models.PositiveSmallIntegerField(_("调剂人数"))
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    work = models.CharField(_("工作内容"), max_length=200)
    employer_rule = models.CharField(_("劳动关系与社保"), max_length=300)
    status = models.CharField(_("状态"), max_length=12, choices=SharingStatus.choices, default=SharingStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    lender_confirmed_at = models.DateTimeField(_("调出企业确认时间"), null=True, blank=True)
    borrower_confirmed_at = models.DateTimeField(_("调入企业确认时间"), null=True, blank=True)
    closed_reason = models.CharField(_("拒绝或撤回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("用工调剂")
        verbose_name_plural = _("用工调剂")
        ordering = ["zone", "-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(lender=models.F("borrower")),
                name="support_sharing_two_enterprises",
                violation_error_message="调出企业与调入企业不能是同一家企业。",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="support_sharing_period",
                violation_error_message="结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lender} → {self.borrower}（{self.workers}人）"


class TalentField(models.TextChoices):
    SAFETY = "safety", _("安全生产")
    ENVIRONMENT = "environment", _("生态环保")
    CHEMICAL = "chemical", _("化工工艺")
    EMERGENCY = "emergency", _("应急管理")


class TalentNeed(ZoneScopedModel):
    """A specialist post the zone needs filled (安全、环保、化工、应急), with the number needed."""

    field = models.CharField(_("领域"), max_length=16, choices=TalentField.choices)
    title = models.CharField(_("岗位或专业"), max_length=60)
    needed = models.PositiveSmallIntegerField(_("需求人数"))
    year = models.PositiveSmallIntegerField(_("年度"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人才需求")
        verbose_name_plural = _("人才需求")
        ordering = ["zone", "-year", "field", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "field", "title"],
                name="support_talent_need_unique",
                violation_error_message="该年度该领域已有同名人才需求，请修改已有记录。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()} · {self.title}"


class TalentPlacement(ZoneScopedModel):
    """A person placed against a talent need: the need's filled count is the number of these."""

    need = models.ForeignKey(
        TalentNeed, verbose_name=_("人才需求"), on_delete=models.PROTECT, related_name="placements"
    )
    person_name = models.CharField(_("姓名"), max_length=30)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("就职企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    placed_on = models.DateField(_("到岗日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人才到岗")
        verbose_name_plural = _("人才到岗")
        ordering = ["need", "-placed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_name}（{self.need}）"
