"""Special work filings, closed management, emergency and the park's risk level."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel
from onezone.safety import risklevel, worktime

__all__ = [
    "DrillRecord",
    "DutyShift",
    "EmergencyPlan",
    "EmergencySupply",
    "EmergencyTeam",
    "Gate",
    "GatePassage",
    "Incident",
    "ParkingArea",
    "RiskAssessment",
    "RiskAssessmentItem",
    "SpecialWork",
    "SpotCheck",
    "VehicleStay",
]

# Coordinates are metres east (x) and north (y) of the park's map origin, as the safety base keeps them.
PLANE = [MinValueValidator(Decimal(-99_999)), MaxValueValidator(Decimal(99_999))]


def _x() -> models.DecimalField:
    return models.DecimalField(
        _("横坐标（米，向东）"), max_digits=9, decimal_places=1, null=True, blank=True, validators=PLANE
    )


def _y() -> models.DecimalField:
    return models.DecimalField(
        _("纵坐标（米，向北）"), max_digits=9, decimal_places=1, null=True, blank=True, validators=PLANE
    )


# --- special work -----------------------------------------------------------------------------


class SpecialWork(ZoneScopedModel):
    """One permit of special work (特殊作业票) an enterprise files with the park."""

    class Status(models.TextChoices):
        FILED = "filed", _("已报备")
        CLOSED = "closed", _("已完工关闭")
        CANCELLED = "cancelled", _("已取消")

    number = models.CharField(_("报备编号"), max_length=32)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("作业企业"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("作业类别"), max_length=16, choices=list(worktime.KIND_LABELS.items()))
    level = models.CharField(
        _("作业级别"), max_length=8, blank=True, choices=list(worktime.LEVEL_LABELS.items()), default=""
    )
    managed_level = models.CharField(
        _("管理级别"),
        max_length=8,
        blank=True,
        choices=list(worktime.LEVEL_LABELS.items()),
        default="",
        help_text=_("节假日、公休日和夜间的动火作业升级管理后的级别"),
    )
    permit_number = models.CharField(_("作业票编号"), max_length=50)
    place = models.CharField(_("作业地点"), max_length=200)
    installation = models.ForeignKey(
        "safety.Installation",
        verbose_name=_("所在单元"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    x_m = _x()
    y_m = _y()
    content = models.CharField(_("作业内容"), max_length=500)
    starts_at = models.DateTimeField(_("作业开始时间"))
    ends_at = models.DateTimeField(_("作业结束时间"))
    guardians = models.CharField(_("监护人"), max_length=200)
    approver = models.CharField(_("审批人"), max_length=50)
    extension_approved = models.BooleanField(_("临时用电超过15天已审批"), default=False)
    at_night = models.BooleanField(_("夜间作业"), default=False)
    on_rest_day = models.BooleanField(_("节假日、公休日作业"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.FILED)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报备人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_note = models.CharField(_("关闭或取消说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("特殊作业报备")
        verbose_name_plural = _("特殊作业报备")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="safety_specialwork_number_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="safety_work_ends"),
        ]
        indexes = [models.Index(fields=["zone", "status", "starts_at"], name="safety_work_zone_status")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def is_special_hot(self) -> bool:
        return self.kind == worktime.HOT and self.managed_level == worktime.SPECIAL


class SpotCheck(ZoneScopedModel):
    """The park's online spot check of a filed permit (在线抽查)."""

    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    work = models.ForeignKey(SpecialWork, verbose_name=_("特殊作业"), on_delete=models.PROTECT, related_name="checks")
    body = models.ForeignKey("org.Body", verbose_name=_("抽查机构"), on_delete=models.PROTECT, related_name="+")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽查人"), on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(_("抽查时间"))
    result = models.CharField(_("抽查结果"), max_length=8, choices=Result.choices)
    findings = models.CharField(_("发现的问题"), max_length=1000, blank=True)
    hazard = models.ForeignKey(
        "safety.Hazard", verbose_name=_("转为隐患"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("特殊作业抽查")
        verbose_name_plural = _("特殊作业抽查")
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.work.number} {self.get_result_display()}"


# --- closed management ------------------------------------------------------------------------


class Gate(ZoneScopedModel):
    """A gate of the park's closed area (封闭化管理卡口)."""

    class Kind(models.TextChoices):
        HAZMAT = "hazmat", _("危化品车辆专用")
        ORDINARY = "ordinary", _("普通")
        UNATTENDED = "unattended", _("无人值守")
        EMERGENCY = "emergency", _("应急")

    park = models.ForeignKey("zones.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("卡口编号"), max_length=32)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    x_m = _x()
    y_m = _y()

    class Meta:
        verbose_name = _("园区卡口")
        verbose_name_plural = _("园区卡口")
        ordering = ["park", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="safety_gate_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class ParkingArea(ZoneScopedModel):
    """A parking area for vehicles carrying hazardous chemicals (危化品车辆停车场)."""

    park = models.ForeignKey("zones.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("编号"), max_length=32)
    name = models.CharField(_("名称"), max_length=100)
    capacity = models.PositiveIntegerField(_("车位数"), validators=[MinValueValidator(1)])
    x_m = _x()
    y_m = _y()

    class Meta:
        verbose_name = _("危化品停车场")
        verbose_name_plural = _("危化品停车场")
        ordering = ["park", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="safety_parking_code_unique")]

    def __str__(self) -> str:
        return self.name


class GatePassage(ZoneScopedModel):
    """One entry or exit read from a gate system's export."""

    class Direction(models.TextChoices):
        IN = "in", _("入园")
        OUT = "out", _("出园")

    gate = models.ForeignKey(Gate, verbose_name=_("卡口"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("方向"), max_length=4, choices=Direction.choices)
    at = models.DateTimeField(_("通行时间"))
    plate = models.CharField(_("车牌号"), max_length=16, blank=True)
    person = models.CharField(_("人员姓名"), max_length=50, blank=True)
    driver = models.CharField(_("驾驶员"), max_length=50, blank=True)
    chemical = models.CharField(_("危险化学品"), max_length=100, blank=True)
    un_number = models.CharField(_("UN编号"), max_length=4, blank=True)
    quantity_t = models.DecimalField(
        _("数量（吨）"), max_digits=10, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    parking_area = models.ForeignKey(
        ParkingArea, verbose_name=_("停车场"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("卡口通行记录")
        verbose_name_plural = _("卡口通行记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "gate", "direction", "at", "plate", "person"], name="safety_passage_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plate or self.person} {self.get_direction_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def is_hazmat(self) -> bool:
        return bool(self.un_number)


class VehicleStay(ZoneScopedModel):
    """A vehicle's stay in the park, from its entry to its exit (open while it is inside)."""

    plate = models.CharField(_("车牌号"), max_length=16)
    driver = models.CharField(_("驾驶员"), max_length=50, blank=True)
    chemical = models.CharField(_("危险化学品"), max_length=100, blank=True)
    un_number = models.CharField(_("UN编号"), max_length=4, blank=True)
    quantity_t = models.DecimalField(_("数量（吨）"), max_digits=10, decimal_places=3, null=True, blank=True)
    entered_at = models.DateTimeField(_("入园时间"))
    entry_gate = models.ForeignKey(Gate, verbose_name=_("入园卡口"), on_delete=models.PROTECT, related_name="+")
    exited_at = models.DateTimeField(_("出园时间"), null=True, blank=True)
    exit_gate = models.ForeignKey(
        Gate, verbose_name=_("出园卡口"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parking_area = models.ForeignKey(
        ParkingArea, verbose_name=_("停车场"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overstay_warned = models.BooleanField(_("已发出超时预警"), default=False)

    class Meta:
        verbose_name = _("车辆在园记录")
        verbose_name_plural = _("车辆在园记录")
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["zone", "exited_at", "entered_at"], name="safety_stay_inside")]

    def __str__(self) -> str:
        return f"{self.plate} {self.entered_at:%Y-%m-%d %H:%M}"

    @property
    def is_hazmat(self) -> bool:
        return bool(self.un_number)


# --- emergency --------------------------------------------------------------------------------


class EmergencyPlan(ZoneScopedModel):
    """An emergency plan (应急预案) of the park (no enterprise) or of one enterprise."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合应急预案")
        SPECIFIC = "specific", _("专项应急预案")
        ON_SITE = "on_site", _("现场处置方案")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("不填为园区预案"),
    )
    title = models.CharField(_("预案名称"), max_length=200)
    kind = models.CharField(_("预案类别"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("版本"), max_length=20)
    issued_on = models.DateField(_("发布日期"))
    revised_on = models.DateField(_("最近修订（评审）日期"))
    drill_every_months = models.PositiveSmallIntegerField(
        _("演练频次（月）"), validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报备人"), on_delete=models.PROTECT, related_name="+"
    )
    stale_warned_on = models.DateField(_("过期预警日期"), null=True, blank=True)
    drill_warned_on = models.DateField(_("演练预警日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = _("应急预案")
        ordering = ["enterprise_id", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class DrillRecord(ZoneScopedModel):
    """A drill of a plan (应急演练记录)."""

    class Form(models.TextChoices):
        TABLETOP = "tabletop", _("桌面推演")
        LIVE = "live", _("实战演练")

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("应急预案"), on_delete=models.PROTECT, related_name="drills")
    held_on = models.DateField(_("演练日期"))
    form = models.CharField(_("演练形式"), max_length=16, choices=Form.choices)
    participants = models.PositiveIntegerField(_("参演人数"), validators=[MaxValueValidator(100_000)])
    summary = models.CharField(_("演练评估"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on}"


class EmergencyTeam(ZoneScopedModel):
    """An emergency rescue team of the park or of an enterprise (应急救援队伍)."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("专职")
        PART_TIME = "part_time", _("兼职")
        VOLUNTEER = "volunteer", _("志愿")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("队伍名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    members = models.PositiveIntegerField(_("人数"), validators=[MaxValueValidator(10_000)])
    leader = models.CharField(_("负责人"), max_length=50)
    phone = models.CharField(_("值守电话"), max_length=20)
    base = models.CharField(_("驻地"), max_length=200, blank=True)
    x_m = _x()
    y_m = _y()

    class Meta:
        verbose_name = _("应急救援队伍")
        verbose_name_plural = _("应急救援队伍")
        ordering = ["enterprise_id", "name"]

    def __str__(self) -> str:
        return self.name


class EmergencySupply(ZoneScopedModel):
    """Emergency supplies kept at a place (应急物资)."""

    team = models.ForeignKey(
        EmergencyTeam, verbose_name=_("所属队伍"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("物资名称"), max_length=100)
    quantity = models.DecimalField(_("数量"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(_("单位"), max_length=10)
    location = models.CharField(_("存放地点"), max_length=200)
    x_m = _x()
    y_m = _y()
    checked_on = models.DateField(_("最近检查日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("应急物资")
        verbose_name_plural = _("应急物资")
        ordering = ["location", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"


class Incident(ZoneScopedModel):
    """An incident and its first report (事故快报)."""

    number = models.CharField(_("编号"), max_length=32)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("事发企业"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("事故简述"), max_length=200)
    place = models.CharField(_("事发地点"), max_length=200)
    occurred_at = models.DateTimeField(_("发生时间"))
    reported_at = models.DateTimeField(_("报告时间"))
    deaths = models.PositiveIntegerField(_("死亡人数"), default=0, validators=[MaxValueValidator(10_000)])
    injuries = models.PositiveIntegerField(_("受伤人数"), default=0, validators=[MaxValueValidator(10_000)])
    missing = models.PositiveIntegerField(_("失踪人数"), default=0, validators=[MaxValueValidator(10_000)])
    cause = models.CharField(_("初步原因"), max_length=1000)
    measures = models.CharField(_("已采取的措施"), max_length=1000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("事故快报")
        verbose_name_plural = _("事故快报")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="safety_incident_number_unique"),
            models.CheckConstraint(
                condition=models.Q(reported_at__gte=models.F("occurred_at")), name="safety_incident_reported"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def report_delay(self):
        return self.reported_at - self.occurred_at


class DutyShift(ZoneScopedModel):
    """Who is on duty on a date (应急值班表)."""

    class Post(models.TextChoices):
        LEADER = "leader", _("带班领导")
        OFFICER = "officer", _("值班员")

    on = models.DateField(_("日期"))
    post = models.CharField(_("岗位"), max_length=16, choices=Post.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    body = models.ForeignKey(
        "org.Body", verbose_name=_("所在机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("应急值班")
        verbose_name_plural = _("应急值班")
        ordering = ["-on", "post", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "on", "post", "name"], name="safety_duty_unique")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_post_display()} {self.name}"


# --- the park's risk level --------------------------------------------------------------------


class RiskAssessment(ZoneScopedModel):
    """A park's yearly safety-risk self-assessment and the province's reviewed level."""

    park = models.ForeignKey("zones.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    total = models.DecimalField(_("自评总分"), max_digits=5, decimal_places=2)
    level = models.CharField(_("自评等级"), max_length=1, choices=list(risklevel.LEVEL_LABELS.items()))
    reviewed_level = models.CharField(
        _("省级复核等级"), max_length=1, blank=True, choices=list(risklevel.LEVEL_LABELS.items())
    )
    reviewed_on = models.DateField(_("复核日期"), null=True, blank=True)
    review_document = models.CharField(_("复核文件"), max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("园区安全风险评估")
        verbose_name_plural = _("园区安全风险评估")
        ordering = ["-year", "park"]
        constraints = [models.UniqueConstraint(fields=["park", "year"], name="safety_risk_park_year_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.level}"


class RiskAssessmentItem(ZoneScopedModel):
    """One item of a self-assessment with its full score and the park's score."""

    assessment = models.ForeignKey(
        RiskAssessment, verbose_name=_("评估"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=16)
    name = models.CharField(_("评估项目"), max_length=100)
    full = models.DecimalField(_("满分"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("评估项目得分")
        verbose_name_plural = _("评估项目得分")
        ordering = ["assessment", "code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="safety_risk_item_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
