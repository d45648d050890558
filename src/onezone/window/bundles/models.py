"""一件事 (高效办成一件事): bundles of items applied for together, and the bundle cases that fan out into cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import mask_mobile
from onezone.core.models import ZoneScopedModel
from onezone.window.models import ApplicantKind, Channel


class Bundle(ZoneScopedModel):
    """A set of items an applicant needs together (企业开办, 项目开工), defined by the zone."""

    code = models.SlugField(_("一件事代码"), max_length=40)
    name = models.CharField(_("一件事名称"), max_length=100)
    description = models.TextField(_("适用情形"), blank=True)
    service_objects = models.CharField(_("服务对象"), max_length=100, blank=True)
    committed_limit = models.PositiveIntegerField(_("承诺办结时限（工作日）"), default=0)
    visits = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    is_published = models.BooleanField(_("已公布"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["zone", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="window_bundle_code_unique")]

    def __str__(self) -> str:
        return self.name


class BundleMember(ZoneScopedModel):
    """An item of a bundle and its stage: items of one stage run in parallel, a stage after the one before."""

    bundle = models.ForeignKey(Bundle, verbose_name=_("一件事"), on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey("powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(_("阶段"), default=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("一件事所含事项")
        verbose_name_plural = _("一件事所含事项")
        ordering = ["bundle", "stage", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="window_bundle_member_unique")]

    def __str__(self) -> str:
        return f"{self.bundle} · 第{self.stage}阶段 · {self.item_id}"


class BundleIntake(models.TextChoices):
    """Where the one application stands at the window; after acceptance the sub-cases speak."""

    RECEIVED = "received", _("已收件")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
    SUPPLEMENTED = "supplemented", _("已补正")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")


class BundleCase(ZoneScopedModel):
    """One application for a bundle: one number, one form, one set of materials, one acceptance."""

    bundle = models.ForeignKey(Bundle, verbose_name=_("一件事"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("一件事编号"), max_length=30)
    year = models.PositiveSmallIntegerField(_("年度"))
    query_code = models.CharField(_("查询码"), max_length=12, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.WINDOW)
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("所在园区"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    applicant_id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=11, blank=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT, related_name="+"
    )
    intake = models.CharField(_("受理环节"), max_length=24, choices=BundleIntake.choices, default=BundleIntake.RECEIVED)
    # The merged checklist: one line per material name, with the items that need it.
    materials = models.JSONField(_("收件材料"), default=list, blank=True)
    received_on = models.DateField(_("收件日期"))
    notice_on = models.DateField(_("一次性告知日期"), null=True, blank=True)
    notice_materials = models.JSONField(_("需补正材料"), default=list, blank=True)
    supplemented_on = models.DateField(_("补正日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    refused_on = models.DateField(_("不予受理日期"), null=True, blank=True)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    extended_on = models.DateField(_("延期批准日期"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    stage = models.PositiveSmallIntegerField(_("已启动阶段"), default=0)
    rating_level = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    rating_comment = models.TextField(_("评价内容"), blank=True)
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("一件事办件")
        verbose_name_plural = _("一件事办件")
        ordering = ["zone", "-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="window_bundle_case_number_unique")]
        indexes = [models.Index(fields=["zone", "bundle", "received_on"], name="window_bundle_case_bundle")]

    def __str__(self) -> str:
        return f"{self.number} {self.bundle_id}"

    @property
    def contact_mobile_masked(self) -> str:
        return mask_mobile(self.contact_mobile) if self.contact_mobile else ""


class BundleSubCase(ZoneScopedModel):
    """The case of one member item of a bundle case, at its own body with its own statutory clock."""

    bundle_case = models.ForeignKey(
        BundleCase, verbose_name=_("一件事办件"), on_delete=models.CASCADE, related_name="subcases"
    )
    member = models.ForeignKey(BundleMember, verbose_name=_("所含事项"), on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(
        "window.Case", verbose_name=_("子办件"), on_delete=models.PROTECT, related_name="bundle_link"
    )

    class Meta:
        verbose_name = _("一件事子办件")
        verbose_name_plural = _("一件事子办件")
        ordering = ["bundle_case", "member__stage", "member__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bundle_case", "member"], name="window_bundle_subcase_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bundle_case_id} → {self.case_id}"
