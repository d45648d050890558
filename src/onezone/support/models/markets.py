"""Supply and demand (找市场/找订单): needs and offers, their matches, chain leaders, matchmaking events and deals.

A chain link is kept by its id in the zone's chains (``support.chains``) and its label as it read when
the record was written, so a list shows it without asking the chains again.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import mask_mobile
from onezone.core.models import ZoneScopedModel

__all__ = ["ChainLeader", "Deal", "Listing", "MarketMatch", "MatchmakingEvent"]

_MONEY = {"max_digits": 16, "decimal_places": 2}


class Listing(ZoneScopedModel):
    """What an enterprise buys (需求) or sells (供给)."""

    class Kind(models.TextChoices):
        NEED = "need", _("需求")
        OFFER = "offer", _("供给")

    class Subject(models.TextChoices):
        PRODUCT = "product", _("产品")
        SERVICE = "service", _("服务")

    class Status(models.TextChoices):
        OPEN = "open", _("发布中")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="market_listings"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    subject = models.CharField(_("产品或服务"), max_length=8, choices=Subject.choices, default=Subject.PRODUCT)
    title = models.CharField(_("名称"), max_length=100)
    description = models.CharField(_("说明"), max_length=500, blank=True)
    quantity = models.DecimalField(
        _("数量"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    unit = models.CharField(_("单位"), max_length=10, blank=True)
    starts = models.DateField(_("起始日期"), null=True, blank=True)
    ends = models.DateField(_("截止日期"), null=True, blank=True)
    industry_code = models.CharField(_("行业代码（GB/T 4754）"), max_length=5)
    chain_id = models.PositiveIntegerField(_("产业链"), null=True, blank=True)
    link_id = models.PositiveIntegerField(_("产业链环节"), null=True, blank=True)
    link_label = models.CharField(_("产业链环节名称"), max_length=120, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_mobile = models.CharField(_("联系电话"), max_length=11)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("供需信息")
        verbose_name_plural = _("供需信息")
        ordering = ["zone", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["zone", "kind", "status"], name="support_listing_open"),
            models.Index(fields=["enterprise", "kind"], name="support_listing_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def contact_mobile_masked(self) -> str:
        return mask_mobile(self.contact_mobile)


class MarketMatch(ZoneScopedModel):
    """A need and an offer that answer each other; contacts are shared when both sides agree.

    The match belongs to the need's zone; the offer may be of another zone of the same province.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待双方同意")
        SHARED = "shared", _("已互换联系方式")
        DECLINED = "declined", _("已谢绝")

    need = models.ForeignKey(Listing, verbose_name=_("需求"), on_delete=models.CASCADE, related_name="offer_matches")
    offer = models.ForeignKey(Listing, verbose_name=_("供给"), on_delete=models.CASCADE, related_name="need_matches")
    score = models.PositiveSmallIntegerField(_("匹配分"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    need_agreed_at = models.DateTimeField(_("需求方同意时间"), null=True, blank=True)
    offer_agreed_at = models.DateTimeField(_("供给方同意时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)

    class Meta:
        verbose_name = _("供需匹配")
        verbose_name_plural = _("供需匹配")
        ordering = ["zone", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["need", "offer"], name="support_match_unique")]

    def __str__(self) -> str:
        return f"{self.need.title} ↔ {self.offer.title}"

    @property
    def both_agreed(self) -> bool:
        return self.need_agreed_at is not None and self.offer_agreed_at is not None


class ChainLeader(ZoneScopedModel):
    """An enterprise the zone counts as a leader (链主) of one of its chains."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("链主企业"), on_delete=models.PROTECT, related_name="+"
    )
    chain_id = models.PositiveIntegerField(_("产业链"))
    chain_name = models.CharField(_("产业链名称"), max_length=50)

    class Meta:
        verbose_name = _("链主企业")
        verbose_name_plural = _("链主企业")
        ordering = ["zone", "chain_name", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "chain_id", "enterprise"], name="support_chainleader_unique")
        ]

    def __str__(self) -> str:
        return f"{self.chain_name}链主：{self.enterprise}"


class MatchmakingEvent(ZoneScopedModel):
    """A supply-and-demand meeting along a chain (产业链供需对接会)."""

    title = models.CharField(_("名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    chain_id = models.PositiveIntegerField(_("产业链"))
    chain_name = models.CharField(_("产业链名称"), max_length=50)
    organiser = models.ForeignKey("org.Body", verbose_name=_("主办机构"), on_delete=models.PROTECT, related_name="+")
    participants = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("参会企业"), related_name="+", blank=True
    )
    note = models.CharField(_("备注"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("供需对接会")
        verbose_name_plural = _("供需对接会")
        ordering = ["zone", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class Deal(ZoneScopedModel):
    """A purchase agreement signed at an event: the buyer is the zone's, the seller anyone's."""

    event = models.ForeignKey(
        MatchmakingEvent, verbose_name=_("对接会"), on_delete=models.PROTECT, related_name="deals"
    )
    buyer = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("采购方"), on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("供应方（平台登记企业）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    seller_name = models.CharField(_("供应方名称"), max_length=200, blank=True)
    seller_in_zone = models.BooleanField(_("供应方在本园区"))
    subject = models.CharField(_("采购内容"), max_length=100)
    amount = models.DecimalField(_("签约金额（元）"), **_MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    signed_on = models.DateField(_("签约日期"))

    class Meta:
        verbose_name = _("签约项目")
        verbose_name_plural = _("签约项目")
        ordering = ["zone", "-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.buyer} ← {self.seller_name}：{self.subject}"
