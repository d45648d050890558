"""Financing (找资金): banks and funds with their products, enterprises' financing needs, bank-enterprise
meetings (银企对接) and the loans granted through them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel

__all__ = ["BankMeeting", "Collateral", "FinanceProduct", "FinancingNeed", "Institution", "LoanGranted"]

_MONEY = {"max_digits": 16, "decimal_places": 2}
_POSITIVE = [MinValueValidator(Decimal("0.01"))]
_MONTHS = [MinValueValidator(1), MaxValueValidator(600)]
_RATE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Collateral(models.TextChoices):
    NONE = "none", _("信用（无抵押担保）")
    PROPERTY = "property", _("房产土地抵押")
    EQUIPMENT = "equipment", _("设备抵押")
    RECEIVABLES = "receivables", _("应收账款质押")
    IP = "ip", _("知识产权质押")
    GUARANTEE = "guarantee", _("担保公司保证")


class Institution(ZoneScopedModel):
    """A bank, fund or guarantee company the zone works with."""

    class Kind(models.TextChoices):
        BANK = "bank", _("银行")
        FUND = "fund", _("投资基金")
        GUARANTEE = "guarantee", _("融资担保")
        LEASING = "leasing", _("融资租赁")

    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    contact = models.CharField(_("对接人及电话"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["zone", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="support_institution_name_unique")]

    def __str__(self) -> str:
        return self.name


class FinanceProduct(ZoneScopedModel):
    """A loan or investment product: its ranges and whom it serves."""

    class LoanKind(models.TextChoices):
        WORKING = "working", _("流动资金贷款")
        FIXED = "fixed", _("固定资产贷款")
        CREDIT = "credit", _("信用贷款")
        SUPPLY_CHAIN = "supply_chain", _("供应链金融")
        EQUITY = "equity", _("股权投资")
        LEASE = "lease", _("融资租赁")

    institution = models.ForeignKey(
        Institution, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("产品名称"), max_length=100)
    loan_kind = models.CharField(_("产品类型"), max_length=16, choices=LoanKind.choices)
    amount_min = models.DecimalField(_("最低金额（元）"), **_MONEY, validators=_POSITIVE)
    amount_max = models.DecimalField(_("最高金额（元）"), **_MONEY, validators=_POSITIVE)
    term_min = models.PositiveSmallIntegerField(_("最短期限（月）"), validators=_MONTHS)
    term_max = models.PositiveSmallIntegerField(_("最长期限（月）"), validators=_MONTHS)
    rate_min = models.DecimalField(_("最低年利率（%）"), max_digits=6, decimal_places=3, validators=_RATE)
    rate_max = models.DecimalField(_("最高年利率（%）"), max_digits=6, decimal_places=3, validators=_RATE)
    collaterals = models.JSONField(
        _("接受的担保方式"), default=list, blank=True, help_text=_("留空表示不限；含“信用”表示可无抵押担保")
    )
    target_sizes = models.JSONField(_("支持的企业规模"), default=list, blank=True, help_text=_("留空表示不限"))
    target_industries = models.JSONField(
        _("支持的行业代码前缀"), default=list, blank=True, help_text=_("GB/T 4754 代码前缀，例如 C26；留空表示不限")
    )
    active = models.BooleanField(_("在售"), default=True)

    class Meta:
        verbose_name = _("金融产品")
        verbose_name_plural = _("金融产品")
        ordering = ["zone", "institution", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="support_product_name_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_min__lte=models.F("amount_max"))
                & models.Q(term_min__lte=models.F("term_max"))
                & models.Q(rate_min__lte=models.F("rate_max")),
                name="support_product_ranges",
                violation_error_message="金额、期限和利率的下限不能大于上限。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution.name}·{self.name}" if self.institution_id else self.name


class FinancingNeed(ZoneScopedModel):
    """What an enterprise wants to borrow or raise."""

    class Status(models.TextChoices):
        OPEN = "open", _("对接中")
        FUNDED = "funded", _("已获融资")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="financing_needs"
    )
    amount = models.DecimalField(_("融资金额（元）"), **_MONEY, validators=_POSITIVE)
    term_months = models.PositiveSmallIntegerField(_("期限（月）"), validators=_MONTHS)
    purpose = models.CharField(_("资金用途"), max_length=200)
    collateral = models.CharField(_("可提供的担保方式"), max_length=12, choices=Collateral.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        ordering = ["zone", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.purpose}"


class BankMeeting(ZoneScopedModel):
    """A bank-enterprise meeting (银企对接会)."""

    title = models.CharField(_("名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    organiser = models.ForeignKey("org.Body", verbose_name=_("主办机构"), on_delete=models.PROTECT, related_name="+")
    institutions = models.ManyToManyField(Institution, verbose_name=_("参会金融机构"), related_name="+", blank=True)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("参会企业"), related_name="+", blank=True
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("银企对接会")
        verbose_name_plural = _("银企对接会")
        ordering = ["zone", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class LoanGranted(ZoneScopedModel):
    """Financing an enterprise received through the zone's matchmaking."""

    institution = models.ForeignKey(Institution, verbose_name=_("金融机构"), on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(
        BankMeeting, verbose_name=_("对接会"), on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    need = models.ForeignKey(
        FinancingNeed, verbose_name=_("融资需求"), on_delete=models.PROTECT, null=True, blank=True, related_name="loans"
    )
    product = models.ForeignKey(
        FinanceProduct, verbose_name=_("金融产品"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(_("金额（元）"), **_MONEY, validators=_POSITIVE)
    granted_on = models.DateField(_("放款日期"))

    class Meta:
        verbose_name = _("融资落地")
        verbose_name_plural = _("融资落地")
        ordering = ["zone", "-granted_on", "-id"]
        indexes = [models.Index(fields=["zone", "granted_on"], name="support_loan_zone_date")]

    def __str__(self) -> str:
        return f"{self.institution} → {self.enterprise}：{self.amount}元"
