"""The safety base of each enterprise, its major hazard installations and dual prevention (双重预防).

Site coordinates are metres east (x) and north (y) of the park's map origin (the park plane the map
draws on), kept as Decimal with one decimal place.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel

__all__ = [
    "RISK_COLOURS",
    "Contractor",
    "EnterpriseChemical",
    "EnterpriseProcess",
    "Hazard",
    "HazardAlert",
    "HazardEvent",
    "HazardLevel",
    "HazardPlan",
    "HazardSource",
    "HazardStatus",
    "HazardSupervision",
    "Installation",
    "InstallationSubstance",
    "KeyProcess",
    "Licence",
    "OperationFiling",
    "ResponsibilityCheck",
    "Responsible",
    "RiskLevel",
    "RiskPoint",
    "SafetyInspection",
    "SafetyProfile",
]


class KeyProcess(models.TextChoices):
    """The 18 key supervised hazardous chemical processes (重点监管危险化工工艺)."""

    PHOSGENATION = "phosgenation", _("光气及光气化工艺")
    CHLOR_ALKALI = "chlor_alkali", _("电解工艺（氯碱）")
    CHLORINATION = "chlorination", _("氯化工艺")
    NITRATION = "nitration", _("硝化工艺")
    AMMONIA = "ammonia", _("合成氨工艺")
    CRACKING = "cracking", _("裂解（裂化）工艺")
    FLUORINATION = "fluorination", _("氟化工艺")
    HYDROGENATION = "hydrogenation", _("加氢工艺")
    DIAZOTIZATION = "diazotization", _("重氮化工艺")
    OXIDATION = "oxidation", _("氧化工艺")
    PEROXIDATION = "peroxidation", _("过氧化工艺")
    AMINATION = "amination", _("胺基化工艺")
    SULFONATION = "sulfonation", _("磺化工艺")
    POLYMERIZATION = "polymerization", _("聚合工艺")
    ALKYLATION = "alkylation", _("烷基化工艺")
    COAL_CHEMICAL = "coal_chemical", _("新型煤化工工艺")
    CALCIUM_CARBIDE = "calcium_carbide", _("电石生产工艺")
    AZO = "azo", _("偶氮化工艺")


class SafetyProfile(ZoneScopedModel):
    """An enterprise's safety profile: its site on the park's map, whether it handles hazardous chemicals."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_profile"
    )
    x_m = models.DecimalField(_("厂址横坐标（米，向东）"), max_digits=9, decimal_places=1, null=True, blank=True)
    y_m = models.DecimalField(_("厂址纵坐标（米，向北）"), max_digits=9, decimal_places=1, null=True, blank=True)
    hazardous_chemicals = models.BooleanField(_("危险化学品企业"), default=False)
    safety_manager = models.CharField(_("安全管理负责人"), max_length=50, blank=True)
    safety_phone = models.CharField(_("安全值班电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("企业安全档案")
        verbose_name_plural = _("企业安全档案")

    def __str__(self) -> str:
        return f"{self.enterprise}安全档案"


class EnterpriseProcess(ZoneScopedModel):
    """A key supervised hazardous process an enterprise runs."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_processes"
    )
    process = models.CharField(_("危险化工工艺"), max_length=20, choices=KeyProcess.choices)
    unit = models.CharField(_("所在装置"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("重点监管危险化工工艺")
        verbose_name_plural = _("重点监管危险化工工艺")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "process"], name="safety_process_once_per_enterprise")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_process_display()}"


class Licence(ZoneScopedModel):
    """A hazardous-chemicals licence of an enterprise."""

    class Kind(models.TextChoices):
        PRODUCTION = "production", _("安全生产许可证")
        TRADING = "trading", _("危险化学品经营许可证")
        USE = "use", _("危险化学品使用许可证")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_licences"
    )
    kind = models.CharField(_("许可证类别"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    issuer = models.CharField(_("发证机关"), max_length=100)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"), db_index=True)
    scope = models.CharField(_("许可范围"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("危险化学品许可证")
        verbose_name_plural = _("危险化学品许可证")
        ordering = ["zone", "valid_to", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "kind", "number"], name="safety_licence_number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class EnterpriseChemical(ZoneScopedModel):
    """A hazardous chemical an enterprise keeps, with the largest quantity on site."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_chemicals"
    )
    name = models.CharField(_("化学品名称"), max_length=60)
    cas = models.CharField(_("CAS号"), max_length=20, blank=True)
    max_quantity_t = models.DecimalField(
        _("最大存在量（吨）"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("危险化学品")
        verbose_name_plural = _("危险化学品")
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="safety_chemical_once")]

    def __str__(self) -> str:
        return self.name


class OperationFiling(ZoneScopedModel):
    """A start-up, shutdown or major overhaul filed with the park (装置开停车和大检修备案)."""

    class Kind(models.TextChoices):
        STARTUP = "startup", _("装置开车")
        SHUTDOWN = "shutdown", _("装置停车")
        OVERHAUL = "overhaul", _("大检修")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_filings"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices)
    unit = models.CharField(_("装置"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    measures = models.TextField(_("安全措施"), max_length=2000)
    filed_on = models.DateField(_("备案日期"))

    class Meta:
        verbose_name = _("开停车和大检修备案")
        verbose_name_plural = _("开停车和大检修备案")
        ordering = ["zone", "-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.starts_on}"


class Contractor(ZoneScopedModel):
    """A third-party contractor working on an enterprise's site."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_contractors"
    )
    name = models.CharField(_("承包商名称"), max_length=200)
    work = models.CharField(_("作业内容"), max_length=200)
    workers = models.PositiveIntegerField(_("进场人数"), default=0)
    on_site_from = models.DateField(_("进场日期"))
    on_site_to = models.DateField(_("离场日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("承包商")
        verbose_name_plural = _("承包商")
        ordering = ["zone", "-on_site_from", "-id"]

    def __str__(self) -> str:
        return self.name


class Installation(ZoneScopedModel):
    """A production unit or storage area, identified and graded by GB 18218-2018 from its substances."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("生产单元")
        STORAGE = "storage", _("储存单元")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_installations"
    )
    name = models.CharField(_("单元名称"), max_length=100)
    kind = models.CharField(_("单元类型"), max_length=8, choices=Kind.choices)
    people_exposed = models.PositiveIntegerField(_("500米范围内人数"), default=0)
    s_value = models.DecimalField(_("S值"), max_digits=14, decimal_places=4, default=Decimal(0))
    r_value = models.DecimalField(_("R值"), max_digits=14, decimal_places=4, default=Decimal(0))
    major = models.BooleanField(_("构成重大危险源"), default=False)
    level = models.PositiveSmallIntegerField(_("重大危险源等级"), null=True, blank=True)
    x_m = models.DecimalField(_("横坐标（米，向东）"), max_digits=9, decimal_places=1, null=True, blank=True)
    y_m = models.DecimalField(_("纵坐标（米，向北）"), max_digits=9, decimal_places=1, null=True, blank=True)
    record_number = models.CharField(_("备案编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("危险化学品单元")
        verbose_name_plural = _("危险化学品单元（重大危险源）")
        ordering = ["zone", "level", "enterprise", "name"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "name"], name="safety_installation_name")]
        indexes = [models.Index(fields=["zone", "major", "level"], name="safety_inst_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def level_name(self) -> str:
        from onezone.safety.grading import LEVEL_NAMES

        return LEVEL_NAMES[self.level] if self.level else "—"


class InstallationSubstance(ZoneScopedModel):
    """A hazardous substance of an installation with its largest quantity present."""

    installation = models.ForeignKey(
        Installation, verbose_name=_("单元"), on_delete=models.CASCADE, related_name="substances"
    )
    name = models.CharField(_("物质名称"), max_length=60)
    category = models.CharField(
        _("危险性类别（表2）"), max_length=8, blank=True, help_text=_("表1未列出的物质填写，如易燃气体填W2")
    )
    quantity_t = models.DecimalField(
        _("最大存在量（吨）"), max_digits=12, decimal_places=3, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("单元物质")
        verbose_name_plural = _("单元物质")
        ordering = ["installation", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity_t} t"


class Responsible(ZoneScopedModel):
    """A person of the enterprise responsible for a major hazard (包保责任人)."""

    class Duty(models.TextChoices):
        MAIN = "main", _("主要负责人")
        TECHNICAL = "technical", _("技术负责人")
        OPERATIONS = "operations", _("操作负责人")

    installation = models.ForeignKey(
        Installation, verbose_name=_("重大危险源"), on_delete=models.CASCADE, related_name="responsibles"
    )
    duty = models.CharField(_("包保职责"), max_length=12, choices=Duty.choices)
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)

    class Meta:
        verbose_name = _("包保责任人")
        verbose_name_plural = _("包保责任人")
        ordering = ["installation", "duty"]
        constraints = [models.UniqueConstraint(fields=["installation", "duty"], name="safety_responsible_duty")]

    def __str__(self) -> str:
        return f"{self.get_duty_display()} {self.name}"

    @property
    def phone_masked(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) >= 8 else "****"


class ResponsibilityCheck(ZoneScopedModel):
    """A check of a major hazard by one of its responsible people."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("定期检查")
        HOLIDAY = "holiday", _("节假日前检查")

    responsible = models.ForeignKey(
        Responsible, verbose_name=_("包保责任人"), on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    checked_on = models.DateField(_("检查日期"))
    holiday = models.CharField(_("节假日"), max_length=30, blank=True)
    findings = models.TextField(_("检查情况"), max_length=2000)

    class Meta:
        verbose_name = _("包保责任人检查")
        verbose_name_plural = _("包保责任人检查")
        ordering = ["responsible", "-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.responsible} {self.checked_on}"


class RiskLevel(models.TextChoices):
    """Risk levels with their colours: 重大 红, 较大 橙, 一般 黄, 低 蓝."""

    MAJOR = "major", _("重大风险")
    LARGER = "larger", _("较大风险")
    GENERAL = "general", _("一般风险")
    LOW = "low", _("低风险")


RISK_COLOURS = {RiskLevel.MAJOR: "红", RiskLevel.LARGER: "橙", RiskLevel.GENERAL: "黄", RiskLevel.LOW: "蓝"}


class RiskPoint(ZoneScopedModel):
    """A risk point of an enterprise (风险分级管控) with its controls."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_risk_points"
    )
    installation = models.ForeignKey(
        Installation,
        verbose_name=_("所在单元"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_points",
    )
    name = models.CharField(_("风险点"), max_length=100)
    level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    controls = models.TextField(_("管控措施"), max_length=2000)
    owner = models.CharField(_("管控责任人"), max_length=50)

    class Meta:
        verbose_name = _("安全风险点")
        verbose_name_plural = _("安全风险点")
        ordering = ["zone", "enterprise", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def colour(self) -> str:
        return RISK_COLOURS[RiskLevel(self.level)]


class SafetyInspection(ZoneScopedModel):
    """A safety inspection in the inspection register, with what it inspects and under which enforcement item."""

    inspection = models.OneToOneField(
        "enterprises.Inspection", verbose_name=_("涉企检查"), on_delete=models.PROTECT, related_name="safety"
    )
    installation = models.ForeignKey(
        Installation,
        verbose_name=_("重大危险源"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    enforcement_item = models.ForeignKey(
        "powers.EnforcementItem",
        verbose_name=_("执法事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("安全检查")
        verbose_name_plural = _("安全检查")

    def __str__(self) -> str:
        return str(self.inspection)


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般事故隐患")
    MAJOR = "major", _("重大事故隐患")


class HazardSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业自查上报")
    INSPECTION = "inspection", _("检查发现")
    PARK = "park", _("园区排查发现")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("已上报")
    ASSIGNED = "assigned", _("已交办")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改待验收")
    ACCEPTED = "accepted", _("已验收销号")


class Hazard(ZoneScopedModel):
    """A hidden hazard (事故隐患) and where it is in its rectification."""

    number = models.CharField(_("编号"), max_length=20)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="safety_hazards"
    )
    installation = models.ForeignKey(
        Installation, verbose_name=_("所在单元"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    risk_point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.SET_NULL, null=True, blank=True, related_name="hazards"
    )
    inspection = models.ForeignKey(
        "enterprises.Inspection",
        verbose_name=_("发现于检查"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("隐患名称"), max_length=100)
    description = models.TextField(_("隐患描述"), max_length=2000)
    level = models.CharField(_("隐患等级"), max_length=8, choices=HazardLevel.choices)
    source = models.CharField(_("来源"), max_length=12, choices=HazardSource.choices)
    status = models.CharField(_("状态"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.REPORTED)
    body = models.ForeignKey(
        "org.Body", verbose_name=_("监管机构"), on_delete=models.PROTECT, related_name="safety_hazards"
    )
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"), db_index=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    rectification = models.TextField(_("整改情况"), max_length=2000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        ordering = ["zone", "deadline", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="safety_hazard_number")]
        indexes = [models.Index(fields=["zone", "status", "deadline"], name="safety_hazard_open")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != HazardStatus.ACCEPTED


class HazardEvent(ZoneScopedModel):
    """One step of a hazard: who moved it from which state to which, when, and why."""

    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    from_status = models.CharField(_("原状态"), max_length=12, choices=HazardStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=HazardStatus.choices)
    note = models.TextField(_("说明"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = _("隐患处理记录")
        ordering = ["hazard", "at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_to_status_display()}"


class HazardPlan(ZoneScopedModel):
    """The rectification plan of a 重大 hazard (五落实: responsibility, measures, money, time limit, contingency)."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="plan")
    goal = models.TextField(_("治理目标和任务"), max_length=2000)
    measures = models.TextField(_("治理方法和措施"), max_length=2000)
    funds = models.DecimalField(
        _("经费（元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    materials = models.CharField(_("物资"), max_length=500, blank=True)
    responsible = models.CharField(_("负责的机构和人员"), max_length=100)
    time_limit = models.DateField(_("治理时限"))
    safety_measures = models.TextField(_("安全措施"), max_length=2000)
    contingency = models.TextField(_("应急预案"), max_length=2000)

    class Meta:
        verbose_name = _("重大隐患治理方案")
        verbose_name_plural = _("重大隐患治理方案")

    def __str__(self) -> str:
        return f"{self.hazard}治理方案"


class HazardSupervision(ZoneScopedModel):
    """The committee's supervision of a 重大 hazard (挂牌督办)."""

    hazard = models.OneToOneField(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="supervision")
    body = models.ForeignKey("org.Body", verbose_name=_("督办机构"), on_delete=models.PROTECT, related_name="+")
    leader = models.CharField(_("督办领导"), max_length=50)
    document = models.CharField(_("督办文号"), max_length=60, blank=True)
    started_on = models.DateField(_("挂牌日期"))
    lifted_on = models.DateField(_("摘牌日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("挂牌督办")
        verbose_name_plural = _("挂牌督办")

    def __str__(self) -> str:
        return f"{self.hazard}挂牌督办"


class HazardAlert(ZoneScopedModel):
    """A warning or escalation the sweep raised; unique by its key, so a second sweep adds nothing."""

    class Kind(models.TextChoices):
        HAZARD_WARNING = "hazard_warning", _("隐患整改临期")
        HAZARD_OVERDUE = "hazard_overdue", _("隐患整改逾期升级")
        LICENCE_EXPIRING = "licence_expiring", _("许可证临期")
        CHECK_OVERDUE = "check_overdue", _("包保检查逾期")

    key = models.CharField(_("唯一键"), max_length=80)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    hazard = models.ForeignKey(Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, null=True, related_name="+")
    due = models.DateField(_("期限"))
    message = models.CharField(_("内容"), max_length=300)
    raised_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("安全提醒")
        verbose_name_plural = _("安全提醒")
        ordering = ["zone", "-raised_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "key"], name="safety_alert_key")]

    def __str__(self) -> str:
        return self.message
