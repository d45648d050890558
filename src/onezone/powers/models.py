"""The three lists (权力清单、责任清单、执法事项清单), delegations, adjustments and published versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.licensing import SPECIAL_PROCEDURES
from onezone.core.models import ZoneScopedModel
from onezone.core.workdays import LimitUnit


class Category(models.TextChoices):
    """The ten kinds of administrative power, and public service beside them."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class LimitUnitChoice(models.TextChoices):
    WORKING = LimitUnit.WORKING.value, _("工作日")
    CALENDAR = LimitUnit.CALENDAR.value, _("自然日")


# Art. 45 of the Administrative Licensing Law: time not counted in the limit.
SpecialProcedure = models.TextChoices(
    "SpecialProcedure", [(key.upper(), (key, label)) for key, label in SPECIAL_PROCEDURES.items()]
)


class PowerItem(ZoneScopedModel):
    """One item of the zone's implementation list; its id stays the same across versions."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("在用")
        SUSPENDED = "suspended", _("暂停")
        REVOKED = "revoked", _("取消")

    class HandlingType(models.TextChoices):
        INSTANT = "instant", _("即办件")
        PROMISED = "promised", _("承诺件")

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        ZONE = "zone", _("开发区")
        TOWN = "town", _("乡镇（街道）")

    class Source(models.TextChoices):
        STATUTORY = "statutory", _("法定本级行使")
        ENTRUSTED = "entrusted", _("上级委托")
        DEVOLVED = "devolved", _("上级下放")

    class OnlineDepth(models.TextChoices):
        NONE = "", _("不支持网办")
        INFO = "info", _("一级：网上咨询")
        FORMS = "forms", _("二级：网上下载表格")
        SUBMIT = "submit", _("三级：网上预审")
        FULL = "full", _("四级：全程网办")

    name = models.CharField(_("事项名称"), max_length=200)
    basic_code = models.CharField(_("基本编码"), max_length=40, blank=True)
    implementation_code = models.CharField(_("实施编码"), max_length=60)
    category = models.CharField(_("事项类型"), max_length=20, choices=Category.choices)
    status = models.CharField(_("事项状态"), max_length=12, choices=Status.choices, default=Status.IN_FORCE)
    status_since = models.DateField(_("状态起始日期"), null=True, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    implementing_body = models.ForeignKey(
        "org.Body", verbose_name=_("实施主体"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_department = models.CharField(_("委托/原行使部门"), max_length=100, blank=True)
    power_source = models.CharField(_("权力来源"), max_length=12, choices=Source.choices, default=Source.STATUTORY)
    exercise_level = models.CharField(_("行使层级"), max_length=12, choices=Level.choices, default=Level.ZONE)
    legal_limit = models.PositiveIntegerField(_("法定办结时限"), default=20)
    legal_limit_unit = models.CharField(
        _("法定时限单位"), max_length=10, choices=LimitUnitChoice.choices, default=LimitUnitChoice.WORKING
    )
    legal_limit_note = models.CharField(_("法定时限说明"), max_length=300, blank=True)
    committed_limit = models.PositiveIntegerField(_("承诺办结时限"), default=10)
    committed_limit_unit = models.CharField(
        _("承诺时限单位"), max_length=10, choices=LimitUnitChoice.choices, default=LimitUnitChoice.WORKING
    )
    committed_limit_note = models.CharField(_("承诺时限说明"), max_length=300, blank=True)
    handling_type = models.CharField(
        _("办件类型"), max_length=10, choices=HandlingType.choices, default=HandlingType.PROMISED
    )
    joint_handling = models.BooleanField(_("联合办理（统一办理）"), default=False)
    acceptance_conditions = models.TextField(_("受理条件"), blank=True)
    procedure = models.TextField(_("办理流程"), blank=True)
    handling_form = models.CharField(_("办理形式"), max_length=100, blank=True, default="窗口办理")
    special_procedures = models.JSONField(_("特别程序"), default=list, blank=True)
    service_objects = models.CharField(_("服务对象"), max_length=100, blank=True)
    has_fee = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    visits = models.PositiveSmallIntegerField(_("到办事现场次数"), default=1)
    online = models.BooleanField(_("是否网办"), default=False)
    online_depth = models.CharField(
        _("网上办理深度"), max_length=10, choices=OnlineDepth.choices, default=OnlineDepth.NONE, blank=True
    )
    joint_bodies = models.CharField(_("联办机构"), max_length=300, blank=True)
    place = models.CharField(_("办理地点"), max_length=200, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    contact = models.CharField(_("咨询方式"), max_length=200, blank=True)
    complaint_channel = models.CharField(_("监督投诉方式"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("权力事项")
        verbose_name_plural = _("权力清单")
        ordering = ["zone", "order", "implementation_code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "implementation_code"], name="powers_item_code_unique"),
        ]
        indexes = [models.Index(fields=["zone", "status", "category"], name="powers_item_zone_status")]

    def __str__(self) -> str:
        return f"{self.name}（{self.implementation_code}）"


class ItemMaterial(ZoneScopedModel):
    """One material an applicant brings for an item."""

    class Necessity(models.TextChoices):
        REQUIRED = "required", _("必要")
        OPTIONAL = "optional", _("非必要")
        CONDITIONAL = "conditional", _("容缺/视情形提供")

    class Form(models.TextChoices):
        PAPER = "paper", _("纸质")
        ELECTRONIC = "electronic", _("电子")
        BOTH = "both", _("纸质和电子")

    item = models.ForeignKey(PowerItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    necessity = models.CharField(_("材料必要性"), max_length=12, choices=Necessity.choices, default=Necessity.REQUIRED)
    form = models.CharField(_("材料形式"), max_length=12, choices=Form.choices, default=Form.PAPER)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    source = models.CharField(_("来源渠道"), max_length=100, blank=True, default="申请人自备")
    blank_form = models.FileField(_("空白表格"), upload_to="powers/forms/", blank=True)
    sample = models.FileField(_("示例样表"), upload_to="powers/samples/", blank=True)
    standard = models.CharField(_("受理标准"), max_length=300, blank=True)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Fee(ZoneScopedModel):
    item = models.ForeignKey(PowerItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("收费项目"), max_length=200)
    standard = models.CharField(_("收费标准"), max_length=300)
    basis = models.CharField(_("收费依据"), max_length=300, blank=True)
    reduction = models.CharField(_("减免政策"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name


class Responsibility(ZoneScopedModel):
    """One line of the responsibility list (责任清单) for an item."""

    class Stage(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理")
        REVIEW = "review", _("审查")
        DECISION = "decision", _("决定")
        DELIVERY = "delivery", _("送达")
        SUPERVISION = "supervision", _("事后监管")
        OTHER = "other", _("其他")

    item = models.ForeignKey(
        PowerItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    stage = models.CharField(_("环节"), max_length=12, choices=Stage.choices)
    content = models.TextField(_("责任事项"))
    accountability = models.TextField(_("追责情形"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任清单")
        ordering = ["item", "order", "id"]

    def __str__(self) -> str:
        return f"{self.item.name}·{self.get_stage_display()}"


class EnforcementItem(ZoneScopedModel):
    """One line of the enforcement list (执法事项清单)."""

    class Kind(models.TextChoices):
        PENALTY = "penalty", _("行政处罚")
        INSPECTION = "inspection", _("行政检查")
        COERCION = "coercion", _("行政强制")

    name = models.CharField(_("执法事项名称"), max_length=200)
    code = models.CharField(_("编码"), max_length=60, blank=True)
    kind = models.CharField(_("执法类别"), max_length=12, choices=Kind.choices)
    item = models.ForeignKey(
        PowerItem,
        verbose_name=_("对应权力事项"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enforcement_items",
    )
    enforcing_body = models.ForeignKey(
        "org.Body", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+"
    )
    basis = models.TextField(_("执法依据"))
    discretion = models.TextField(_("裁量基准"), blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("执法事项")
        verbose_name_plural = _("执法事项清单")
        ordering = ["zone", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class DelegationBatch(ZoneScopedModel):
    """A batch of county powers given to the zone by one document."""

    number = models.PositiveSmallIntegerField(_("批次"))
    title = models.CharField(_("名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("赋权批次")
        verbose_name_plural = _("赋权批次")
        ordering = ["zone", "number"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="powers_batch_number_unique")]

    def __str__(self) -> str:
        return f"第{self.number}批 {self.title}"


class Delegation(ZoneScopedModel):
    """A county power given to the zone (赋权), entrusted or devolved, and how far it has come."""

    class Form(models.TextChoices):
        ENTRUST = "entrust", _("委托")
        DEVOLVE = "devolve", _("下放")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("拟赋权")
        ISSUED = "issued", _("已发文")
        TAKEN_OVER = "taken_over", _("已承接")
        OPERATING = "operating", _("运行中")
        WITHDRAWN = "withdrawn", _("已收回")

    batch = models.ForeignKey(
        DelegationBatch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="delegations"
    )
    item = models.ForeignKey(PowerItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="delegations")
    form = models.CharField(_("赋权形式"), max_length=10, choices=Form.choices)
    original_department = models.CharField(_("原行使部门"), max_length=100)
    receiving_body = models.ForeignKey(
        "org.Body", verbose_name=_("承接机构"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    staff_trained = models.BooleanField(_("人员已培训"), default=False)
    window_ready = models.BooleanField(_("窗口已就绪"), default=False)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    taken_over_on = models.DateField(_("承接日期"), null=True, blank=True)
    operating_on = models.DateField(_("运行日期"), null=True, blank=True)
    withdrawn_on = models.DateField(_("收回日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("赋权事项")
        verbose_name_plural = _("赋权事项")
        ordering = ["zone", "batch__number", "id"]
        indexes = [models.Index(fields=["zone", "batch", "status"], name="powers_deleg_zone_batch")]

    def __str__(self) -> str:
        return f"{self.item.name}（{self.get_form_display()}）"


class ListVersion(ZoneScopedModel):
    """A published, frozen version of the zone's list. Never changed once written."""

    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    document = models.CharField(_("发布文件"), max_length=200, blank=True)
    effective_on = models.DateField(_("生效日期"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    item_count = models.PositiveIntegerField(_("事项数"), default=0)
    summary = models.CharField(_("与上一版相比"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("清单版本")
        verbose_name_plural = _("清单版本")
        ordering = ["zone", "-number"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="powers_version_number_unique")]
        indexes = [models.Index(fields=["zone", "effective_on"], name="powers_version_zone_date")]

    def __str__(self) -> str:
        return f"第{self.number}版 {self.title}"


class ListVersionItem(models.Model):
    """One item's frozen snapshot in a version, with the columns the public list filters on."""

    version = models.ForeignKey(ListVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="items")
    item = models.ForeignKey(PowerItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("实施编码"), max_length=60)
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("事项类型"), max_length=20, choices=Category.choices)
    body_id = models.BigIntegerField(_("实施主体ID"), null=True)
    body_name = models.CharField(_("实施主体"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    snapshot = models.JSONField(_("快照"))

    class Meta:
        verbose_name = _("版本事项")
        verbose_name_plural = _("版本事项")
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="powers_versionitem_unique")]
        indexes = [
            models.Index(fields=["version", "category", "body_id"], name="powers_vitem_filter"),
            models.Index(fields=["version", "order", "code"], name="powers_vitem_page"),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.name}"


class Adjustment(ZoneScopedModel):
    """One change to the list (动态调整), with its reason and document."""

    class Kind(models.TextChoices):
        ADD = "add", _("新增")
        MODIFY = "modify", _("调整")
        SUSPEND = "suspend", _("暂停")
        RESUME = "resume", _("恢复")
        REVOKE = "revoke", _("取消")

    item = models.ForeignKey(PowerItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("调整类型"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("调整理由"), max_length=500)
    document = models.CharField(_("文件依据"), max_length=200, blank=True)
    effective_on = models.DateField(_("生效日期"))
    changes = models.JSONField(_("变更字段"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.ForeignKey(
        ListVersion,
        verbose_name=_("发布于版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
    )

    class Meta:
        verbose_name = _("清单调整")
        verbose_name_plural = _("清单调整记录")
        ordering = ["zone", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item.name}"


class DutyList(models.TextChoices):
    """The two lists published beside the power list."""

    RESPONSIBILITIES = "responsibilities", _("责任清单")
    ENFORCEMENT = "enforcement", _("执法事项清单")


class DutyListVersion(ZoneScopedModel):
    """A published, frozen version of the responsibility list or of the enforcement list. Never changed once written."""

    kind = models.CharField(_("清单"), max_length=20, choices=DutyList.choices)
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    document = models.CharField(_("发布文件"), max_length=200, blank=True)
    effective_on = models.DateField(_("生效日期"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entry_count = models.PositiveIntegerField(_("条目数"), default=0)
    summary = models.CharField(_("与上一版相比"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("责任清单与执法事项清单版本")
        verbose_name_plural = _("责任清单与执法事项清单版本")
        ordering = ["zone", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "kind", "number"], name="powers_dutyversion_number_unique")
        ]
        indexes = [models.Index(fields=["zone", "kind", "effective_on"], name="powers_dutyversion_zone_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}第{self.number}版 {self.title}"


class DutyListEntry(models.Model):
    """One entry's frozen snapshot in a version; ``key`` makes it the same entry across versions."""

    version = models.ForeignKey(
        DutyListVersion, verbose_name=_("版本"), on_delete=models.PROTECT, related_name="entries"
    )
    key = models.CharField(_("条目标识"), max_length=120)
    code = models.CharField(_("编码"), max_length=120)
    name = models.CharField(_("名称"), max_length=200)
    order = models.PositiveIntegerField(_("排序"), default=0)
    snapshot = models.JSONField(_("快照"))

    class Meta:
        verbose_name = _("版本条目")
        verbose_name_plural = _("版本条目")
        ordering = ["version", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="powers_dutyentry_unique")]

    def __str__(self) -> str:
        return f"{self.version} · {self.name}"
