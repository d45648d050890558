"""The zone, its parks, the town it is merged with, and the industry catalogue (GB/T 4754)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import CodeError, validate_area_code
from onezone.core.models import BaseModel


def _area_code_validator(value: str) -> None:
    try:
        validate_area_code(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


class Industry(models.Model):
    """One class of the national industry classification (GB/T 4754-2017)."""

    code = models.CharField(_("行业代码"), max_length=5, primary_key=True)
    name = models.CharField(_("行业名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def covers(self, code: str) -> bool:
        """Whether ``code`` (e.g. ``C2614``) falls in this class: the same code or a finer one."""
        return code.upper().startswith(self.code)


class Town(BaseModel):
    """A township government (乡镇). Its social affairs stay its own when merged with a zone."""

    name = models.CharField(_("名称"), max_length=100)
    area_code = models.CharField(_("所在县区划代码"), max_length=6, validators=[_area_code_validator])
    population = models.PositiveIntegerField(_("户籍人口"), null=True, blank=True)

    class Meta:
        verbose_name = _("乡镇")
        verbose_name_plural = _("乡镇")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Zone(BaseModel):
    """A development zone (开发区) run by one management committee."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        MUNICIPAL = "municipal", _("市级")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.SlugField(_("代码"), max_length=32, unique=True, help_text=_("英文短代码，用于网址和导出文件名"))
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    area_code = models.CharField(
        _("所在县区划代码"), max_length=6, validators=[_area_code_validator], help_text=_("GB/T 2260 六位代码")
    )
    province_code = models.CharField(_("省级区划代码"), max_length=6, validators=[_area_code_validator])
    approved_area_km2 = models.DecimalField(
        _("核准面积（平方公里）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    planned_area_km2 = models.DecimalField(
        _("规划面积（平方公里）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    merged_town = models.ForeignKey(
        Town,
        verbose_name=_("区政合一的乡镇"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_zones",
    )
    established = models.DateField(_("设立日期"), null=True, blank=True)
    reform_date = models.DateField(_("改革启动日期"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("开发区")
        verbose_name_plural = _("开发区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.area_code and self.province_code and self.area_code[:2] != self.province_code[:2]:
            raise ValidationError({"province_code": "所在县区划代码与省级区划代码不在同一省，请核对。"})


class Park(BaseModel):
    """A park (园区) of a zone with its own industrial positioning (错位发展)."""

    zone = models.ForeignKey(Zone, verbose_name=_("开发区"), on_delete=models.PROTECT, related_name="parks")
    name = models.CharField(_("名称"), max_length=100)
    code = models.SlugField(_("代码"), max_length=32)
    positioning = models.TextField(_("产业定位"), blank=True)
    leading_industries = models.ManyToManyField(
        Industry, verbose_name=_("主导产业（GB/T 4754）"), related_name="parks", blank=True
    )
    industry_labels = models.CharField(
        _("主导产业名称"), max_length=200, blank=True, help_text=_("对外介绍用，例如：化工、新能源")
    )
    planned_area_km2 = models.DecimalField(
        _("规划面积（平方公里）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    built_area_km2 = models.DecimalField(
        _("建成面积（平方公里）"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    address = models.CharField(_("位置"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("园区")
        verbose_name_plural = _("园区")
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="zones_park_code_unique"),
            models.UniqueConstraint(fields=["zone", "name"], name="zones_park_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.planned_area_km2 is not None
            and self.built_area_km2 is not None
            and self.built_area_km2 > self.planned_area_km2
        ):
            raise ValidationError({"built_area_km2": "建成面积不能大于规划面积。"})
