"""The enterprise registry, enterprise requests (诉求) and the inspection register (无事不打扰)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import (
    CodeError,
    mask_mobile,
    mask_resident_id,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from onezone.core.models import ZoneScopedModel


def _uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


def _resident_id_validator(value: str) -> None:
    try:
        validate_resident_id(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


def _mobile_validator(value: str) -> None:
    try:
        validate_mobile(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


_NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class EnterpriseTag(ZoneScopedModel):
    """A label an enterprise may carry (专精特新, 高新技术企业 ...); policies check them by code."""

    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["zone", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="enterprises_tag_code_unique"),
            models.UniqueConstraint(fields=["zone", "name"], name="enterprises_tag_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Enterprise(ZoneScopedModel):
    """An enterprise registered in the zone."""

    class Size(models.TextChoices):
        ABOVE = "above", _("规上")
        BELOW = "below", _("规下")

    class Status(models.TextChoices):
        OPERATING = "operating", _("在营")
        BUILDING = "building", _("在建")
        SUSPENDED = "suspended", _("停产")
        CLOSED = "closed", _("注销/关闭")

    class Risk(models.TextChoices):
        LOW = "low", _("低风险")
        MEDIUM = "medium", _("中风险")
        HIGH = "high", _("高风险")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[_uscc_validator])
    name = models.CharField(_("企业名称"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=50, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（元）"), max_digits=18, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )
    industry_code = models.CharField(
        _("行业代码（GB/T 4754）"), max_length=5, help_text=_("门类字母加2至4位数字，例如 C2614")
    )
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="enterprises"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    size = models.CharField(_("规模"), max_length=8, choices=Size.choices, default=Size.BELOW)
    status = models.CharField(_("经营状态"), max_length=12, choices=Status.choices, default=Status.OPERATING)
    established = models.DateField(_("成立日期"), null=True, blank=True)
    tags = models.ManyToManyField(EnterpriseTag, verbose_name=_("标签"), related_name="enterprises", blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["zone", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "uscc"],
                name="enterprises_enterprise_uscc_unique",
                violation_error_message="该统一社会信用代码已登记，同一开发区内不能重复登记同一企业。",
            )
        ]
        indexes = [
            models.Index(fields=["zone", "park", "size"], name="enterprises_ent_park_size"),
            # the list's ORDER BY name, id within a zone: a page without sorting every enterprise
            models.Index(fields=["zone", "name", "id"], name="enterprises_ent_zone_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.park_id and self.zone_id and self.park.zone_id != self.zone_id:
            raise ValidationError({"park": "所在园区必须属于本开发区。"})


class EnterpriseContact(ZoneScopedModel):
    """A contact person of an enterprise. The ID number and mobile are personal information."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[_mobile_validator])
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, validators=[_resident_id_validator])
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        verbose_name = _("企业联系人")
        verbose_name_plural = _("企业联系人")
        ordering = ["enterprise", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""

    @property
    def id_number_masked(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""


class EnterpriseYear(ZoneScopedModel):
    """An enterprise's figures for one year; the assessment reads them."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    output_value = models.DecimalField(
        _("工业总产值（元）"), max_digits=18, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )
    revenue = models.DecimalField(
        _("营业收入（元）"), max_digits=18, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )
    tax = models.DecimalField(_("实缴税金（元）"), max_digits=18, decimal_places=2, default=Decimal(0))
    employees = models.PositiveIntegerField(_("从业人员（人）"), default=0)
    energy_tce = models.DecimalField(
        _("综合能耗（吨标准煤）"), max_digits=14, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )
    rd_spend = models.DecimalField(
        _("研发投入（元）"), max_digits=18, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )
    exports = models.DecimalField(
        _("出口额（元）"), max_digits=18, decimal_places=2, default=Decimal(0), validators=_NON_NEGATIVE
    )

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="enterprises_year_unique",
                violation_error_message="该企业这一年度的数据已登记，请修改已有记录。",
            )
        ]
        indexes = [models.Index(fields=["zone", "year"], name="enterprises_year_zone_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"


class EnterpriseMember(ZoneScopedModel):
    """A login user who acts for an enterprise in the portal (role 企业用户)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.CASCADE, related_name="enterprise_links"
    )
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("企业账号")
        verbose_name_plural = _("企业账号")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "user"],
                name="enterprises_member_one_per_zone",
                violation_error_message="该账号在本开发区已关联一家企业。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise}"


# --- requests (诉求) --------------------------------------------------------------------------


class RequestCategory(ZoneScopedModel):
    """A category of enterprise requests, its routing and its working-day limits."""

    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=50)
    routing_category = models.SlugField(
        _("归口规则类别"), max_length=40, help_text=_("对应“事务归口规则”中的事项类别代码，例如 enterprise_service")
    )
    ack_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=1)
    respond_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=5)
    resolve_days = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=15)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    training_count = models.PositiveIntegerField(_("已学习诉求数"), default=0, editable=False)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["zone", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="enterprises_reqcat_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not self.ack_days <= self.respond_days <= self.resolve_days:
            raise ValidationError({"respond_days": "时限应满足：签收 ≤ 答复 ≤ 办结，请调整天数。"})


class CategoryWord(ZoneScopedModel):
    """How often a word was seen in requests of a category: the suggestion model, kept as data."""

    category = models.ForeignKey(
        RequestCategory, verbose_name=_("诉求类别"), on_delete=models.CASCADE, related_name="words"
    )
    word = models.CharField(_("词语"), max_length=30)
    weight = models.FloatField(_("权重"), default=0)

    class Meta:
        verbose_name = _("类别词语")
        verbose_name_plural = _("类别词语")
        ordering = ["category", "-weight"]
        constraints = [models.UniqueConstraint(fields=["category", "word"], name="enterprises_catword_unique")]
        indexes = [models.Index(fields=["zone", "word"], name="enterprises_catword_word")]

    def __str__(self) -> str:
        return f"{self.category}：{self.word}（{self.weight:g}）"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提交")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    RESPONDED = "responded", _("已答复")
    RESOLVED = "resolved", _("已办结待确认")
    CLOSED = "closed", _("已关闭")


class EnterpriseRequest(ZoneScopedModel):
    """An enterprise's request for help (诉求). Closed only after a response and its confirmation."""

    number = models.CharField(_("编号"), max_length=20)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("诉求内容"))
    category = models.ForeignKey(
        RequestCategory, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="requests"
    )
    suggested_category = models.ForeignKey(
        RequestCategory,
        verbose_name=_("系统建议类别"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    suggestion_words = models.JSONField(_("建议依据词语"), default=list, blank=True)
    category_confirmed = models.BooleanField(_("类别已确认"), default=False)
    domain = models.CharField(_("归口领域"), max_length=16, blank=True)
    handling_body = models.ForeignKey(
        "org.Body", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="enterprise_requests"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED, db_index=True
    )
    submitted_on = models.DateField(_("提交日期"))
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1, help_text=_("企业不满意重新办理后加一"))
    ack_due = models.DateField(_("签收期限"))
    respond_due = models.DateField(_("答复期限"))
    resolve_due = models.DateField(_("办结期限"))
    deadlines_provisional = models.BooleanField(_("期限为暂定"), default=False)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    response = models.TextField(_("答复内容"), blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    resolution = models.TextField(_("办理结果"), blank=True)
    confirmed_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    satisfaction = models.CharField(_("企业评价"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["zone", "-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="enterprises_request_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (models.Q(confirmed_at__isnull=False) & models.Q(responded_at__isnull=False)),
                name="enterprises_request_closed_needs_confirmation",
                violation_error_message="诉求未经答复和企业确认，不能关闭。",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status", "handling_body"], name="enterprises_req_desk"),
            models.Index(fields=["zone", "enterprise"], name="enterprises_req_ent"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RequestEvent(ZoneScopedModel):
    """One step in a request's timeline, as the enterprise and the staff see it."""

    request = models.ForeignKey(
        EnterpriseRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("事件"), max_length=24)
    note = models.TextField(_("说明"), blank=True)

    KIND_LABELS = {
        "submitted": "已提交",
        "acknowledged": "已签收",
        "responded": "已答复",
        "resolved": "已办结，待企业确认",
        "confirmed": "企业确认办结",
        "reopened": "企业不满意，重新办理",
        "category_confirmed": "类别已确认",
        "category_corrected": "类别已纠正",
        "alert": "预警",
    }

    class Meta:
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.request.number} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS.get(self.kind, self.kind)


class RequestAlert(ZoneScopedModel):
    """A warning or an escalation raised by the sweep: one row per request, round and kind."""

    class Kind(models.TextChoices):
        ACK_WARNING = "ack_warning", _("签收即将到期")
        ACK_OVERDUE = "ack_overdue", _("签收超期，已上报")
        RESPOND_WARNING = "respond_warning", _("答复即将到期")
        RESPOND_OVERDUE = "respond_overdue", _("答复超期，已上报")
        RESOLVE_WARNING = "resolve_warning", _("办结即将到期")
        RESOLVE_OVERDUE = "resolve_overdue", _("办结超期，已上报")

    request = models.ForeignKey(
        EnterpriseRequest, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="alerts"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    due = models.DateField(_("期限"))
    body = models.ForeignKey("org.Body", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+")
    escalated_to = models.JSONField(_("上报给"), default=list, blank=True)
    raised_on = models.DateField(_("发出日期"))

    class Meta:
        verbose_name = _("诉求预警")
        verbose_name_plural = _("诉求预警")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "round", "kind"], name="enterprises_alert_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} {self.get_kind_display()}"

    @property
    def is_escalation(self) -> bool:
        return self.kind.endswith("_overdue")


# --- inspection register (无事不打扰) ----------------------------------------------------------


class InspectionPeriod(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    HALF_YEAR = "half_year", _("每半年")
    YEAR = "year", _("每年")


class InspectionRule(ZoneScopedModel):
    """The zone's rule against needless visits (无事不打扰)."""

    max_routine = models.PositiveSmallIntegerField(
        _("例行检查次数上限"), default=1, validators=[MinValueValidator(1)], help_text=_("每家企业每个周期")
    )
    period = models.CharField(
        _("周期"), max_length=12, choices=InspectionPeriod.choices, default=InspectionPeriod.QUARTER
    )
    joint_window_days = models.PositiveSmallIntegerField(
        _("合并检查时间窗（天）"),
        default=15,
        help_text=_("不同机构对同一企业的检查计划相距不超过此天数时，合并为综合查一次"),
    )
    exempt_low_risk = models.BooleanField(_("低风险企业免于例行检查"), default=True)

    class Meta:
        verbose_name = _("涉企检查规则")
        verbose_name_plural = _("涉企检查规则")
        constraints = [models.UniqueConstraint(fields=["zone"], name="enterprises_inspection_rule_one_per_zone")]

    def __str__(self) -> str:
        return f"{self.get_period_display()}例行检查不超过{self.max_routine}次"


class Inspection(ZoneScopedModel):
    """A planned inspection or visit of an enterprise by a body."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("例行检查")
        COMPLAINT = "complaint", _("投诉触发")
        ACCIDENT = "accident", _("事故触发")
        JOINT = "joint", _("综合查一次（联合检查）")

    class Status(models.TextChoices):
        PLANNED = "planned", _("已计划")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")
        MERGED = "merged", _("已并入联合检查")
        BLOCKED = "blocked", _("已拦截")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="inspections"
    )
    body = models.ForeignKey(
        "org.Body", verbose_name=_("检查机构"), on_delete=models.PROTECT, related_name="enterprise_inspections"
    )
    participants = models.ManyToManyField(
        "org.Body", verbose_name=_("参加机构"), related_name="joint_inspections", blank=True
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    planned_on = models.DateField(_("计划日期"), db_index=True)
    purpose = models.TextField(_("检查事由"))
    trigger_note = models.CharField(_("触发来由"), max_length=200, blank=True, help_text=_("投诉编号或事故简述"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    block_reason = models.TextField(_("拦截原因"), blank=True)
    joint = models.ForeignKey(
        "self",
        verbose_name=_("并入的联合检查"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_plans",
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("检查结果"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("涉企检查")
        verbose_name_plural = _("涉企检查")
        ordering = ["zone", "-planned_on", "-id"]
        indexes = [models.Index(fields=["zone", "enterprise", "planned_on"], name="enterprises_insp_ent")]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.enterprise} {self.get_kind_display()}"

    @property
    def triggered(self) -> bool:
        return self.kind in {self.Kind.COMPLAINT, self.Kind.ACCIDENT}
