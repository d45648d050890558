"""Targets and actuals (统一目标考核); the province's evaluation of zones (综合发展水平考核评价)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.assessment.evaluation import METHODS, MISSING_RULES
from onezone.assessment.scoring import RuleError, rule_from_data
from onezone.core.models import BaseModel, ZoneScopedModel


class Direction(models.TextChoices):
    HIGHER = "higher", _("越大越好")
    LOWER = "lower", _("越小越好")


class Indicator(BaseModel):
    """One entry of the target catalogue: what is measured, in what unit, and where the actual comes from."""

    key = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    source = models.CharField(
        _("实际值来源"),
        max_length=64,
        default="manual",
        help_text=_("模块记录的代码（如 investment.funds_in_place），或 manual（手工填报，须附佐证）"),
    )
    cumulative = models.BooleanField(
        _("年内累计量"), default=True, help_text=_("累计量按时间进度判断是否滞后；比率类指标按全年目标判断")
    )
    description = models.TextField(_("口径说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标目录")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER


class TargetLevel(models.TextChoices):
    ZONE = "zone", _("开发区")
    PARK = "park", _("园区")
    BODY = "body", _("机构")


class Target(ZoneScopedModel):
    """A yearly target of the zone, one of its parks or one of its bodies, with its scoring rule as data."""

    year = models.PositiveSmallIntegerField(_("年度"))
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="targets")
    level = models.CharField(_("考核对象层级"), max_length=8, choices=TargetLevel.choices, default=TargetLevel.ZONE)
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("园区"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        "org.Body", verbose_name=_("机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(
        _("目标值"), max_digits=20, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    weight = models.DecimalField(
        _("权重"), max_digits=6, decimal_places=2, default=Decimal(10), validators=[MinValueValidator(Decimal(0))]
    )
    rule = models.JSONField(
        _("计分规则"),
        default=dict,
        blank=True,
        help_text=_(
            '线性封顶：{"kind": "linear", "cap": 120}；分档：{"kind": "steps", "steps": [[0.8, 80], [1, 100]]}'
        ),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        ordering = ["zone", "-year", "level", "indicator__order"]
        indexes = [models.Index(fields=["zone", "year"], name="assess_target_zone_year")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.holder_name} · {self.indicator.name}"

    @property
    def holder_name(self) -> str:
        if self.level == TargetLevel.PARK and self.park_id:
            return self.park.name
        if self.level == TargetLevel.BODY and self.body_id:
            return self.body.name
        return "全区"

    def clean(self) -> None:
        errors = {}
        if self.level == TargetLevel.PARK and not self.park_id:
            errors["park"] = "园区目标须选择园区。"
        if self.level == TargetLevel.BODY and not self.body_id:
            errors["body"] = "机构目标须选择机构。"
        if self.level != TargetLevel.PARK and self.park_id:
            errors["park"] = "只有园区目标才选择园区。"
        if self.level != TargetLevel.BODY and self.body_id:
            errors["body"] = "只有机构目标才选择机构。"
        if self.park_id and self.park.zone_id != self.zone_id:
            errors["park"] = "园区不属于本开发区。"
        if self.body_id and self.body.zone_id != self.zone_id:
            errors["body"] = "机构不属于本开发区。"
        try:
            rule_from_data(self.rule or None)
        except RuleError as exc:
            errors["rule"] = str(exc)
        if errors:
            raise ValidationError(errors)


class Actual(ZoneScopedModel):
    """The actual value of a target: computed from a module's records, or entered by hand with evidence."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("系统根据业务记录计算")
        MANUAL = "manual", _("手工填报（附佐证）")

    target = models.OneToOneField(Target, verbose_name=_("目标"), on_delete=models.CASCADE, related_name="actual")
    value = models.DecimalField(_("实际值"), max_digits=20, decimal_places=4)
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices)
    source = models.CharField(_("数据来源"), max_length=100, blank=True)
    as_of = models.DateField(_("数据截至"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算/填报时间"))
    evidence = models.FileField(_("佐证材料"), upload_to="assessment/evidence/%Y/", blank=True)
    evidence_reference = models.CharField(_("佐证文号/出处"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, null=True, blank=True
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("实际完成值")
        verbose_name_plural = _("实际完成值")
        ordering = ["-computed_at"]

    def __str__(self) -> str:
        return f"{self.target} = {self.value}"


# --- province-wide evaluation --------------------------------------------------------------


class Scheme(BaseModel):
    """A province's evaluation scheme: the indicator tree (nodes), and the rule for missing values."""

    name = models.CharField(_("名称"), max_length=100)
    province_code = models.CharField(_("省级区划代码"), max_length=6)
    missing_rule = models.CharField(
        _("缺失值规则"),
        max_length=12,
        choices=list(MISSING_RULES.items()),
        default="zero",
    )
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("评价指标体系")
        verbose_name_plural = _("评价指标体系")
        ordering = ["province_code", "name"]
        constraints = [models.UniqueConstraint(fields=["province_code", "name"], name="assess_scheme_unique")]

    def __str__(self) -> str:
        return self.name


class SchemeNode(BaseModel):
    """A node of the indicator tree: a group or a leaf indicator with its weight and normalisation."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("指标体系"), on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级指标"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    key = models.SlugField(_("代码"), max_length=64)
    name = models.CharField(_("名称"), max_length=100)
    weight = models.DecimalField(
        _("权重（%，占上级）"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    method = models.CharField(_("标准化方法"), max_length=8, choices=list(METHODS.items()), default="minmax")
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    maximum = models.DecimalField(
        _("上限"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("指标值不可能超过的数，例如比率的 100（%）；排名模拟的建议值不会超过它。留空：没有上限"),
    )
    source = models.CharField(_("本站记录来源"), max_length=64, blank=True, help_text=_("留空：由开发区报送或导入"))
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["scheme", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["scheme", "key"], name="assess_node_key_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent.scheme_id != self.scheme_id:
            raise ValidationError({"parent": "上级指标必须属于同一指标体系。"})


class ZoneValue(ZoneScopedModel):
    """A zone's value of one evaluation indicator in one year."""

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("本站业务记录计算")
        REPORTED = "reported", _("开发区填报")
        IMPORTED = "imported", _("Excel 导入")

    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.SlugField(_("指标代码"), max_length=64)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    origin = models.CharField(_("来源方式"), max_length=10, choices=Origin.choices)
    source = models.CharField(_("来源说明"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("开发区指标值")
        verbose_name_plural = _("开发区指标值")
        ordering = ["zone", "-year", "key"]
        constraints = [models.UniqueConstraint(fields=["zone", "year", "key"], name="assess_zonevalue_unique")]
        indexes = [models.Index(fields=["year", "key"], name="assess_zonevalue_year_key")]

    def __str__(self) -> str:
        return f"{self.year} {self.key} = {self.value}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（仅省级可见）")
    PUBLISHED = "published", _("已发布")


class Evaluation(BaseModel):
    """One year's evaluation of a province's zones under a scheme: scores and ranks, draft or published."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    missing_rule = models.CharField(_("缺失值规则"), max_length=12, choices=list(MISSING_RULES.items()))
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    zone_count = models.PositiveIntegerField(_("参评开发区数"), default=0)

    class Meta:
        verbose_name = _("年度评价")
        verbose_name_plural = _("年度评价")
        ordering = ["scheme", "-year"]
        constraints = [models.UniqueConstraint(fields=["scheme", "year"], name="assess_evaluation_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.year}年"


class EvaluationResult(ZoneScopedModel):
    """A zone's composite score and rank in an evaluation, with the values and points behind them."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(_("综合得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    complete = models.BooleanField(_("数据完整"), default=True)
    missing = models.JSONField(_("缺失指标"), default=list, blank=True)
    values = models.JSONField(_("指标原值"), default=dict, blank=True)
    points = models.JSONField(_("各指标得分"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        ordering = ["evaluation", "rank"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "zone"], name="assess_result_unique")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.zone_id} · 第{self.rank}名"


class ZoneYearFact(ZoneScopedModel):
    """A zone's basic facts at the end of a year, kept to show its growth (e.g. since a reform)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    planned_area_km2 = models.DecimalField(_("规划面积（平方公里）"), max_digits=10, decimal_places=2)
    industrial_output = models.DecimalField(_("工业总产值（元）"), max_digits=20, decimal_places=2)
    employees = models.PositiveIntegerField(_("从业人员（人）"))
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("开发区年度基本情况")
        verbose_name_plural = _("开发区年度基本情况")
        ordering = ["zone", "year"]
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="assess_fact_unique")]

    def __str__(self) -> str:
        return f"{self.year}"
