"""The policy library (惠企政策) and what matching it against the enterprises leaves behind:
matches with their reasons, notices to newly qualifying enterprises, and benefits granted
without an application (免申即享)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel
from onezone.policies.amounts import validate_amount_rule
from onezone.policies.conditions import ConditionError, validate

CONDITIONS_HELP = _(
    'JSON 列表，每项一个条件，全部满足才符合；组合用 {"any": [...]}（满足其一）、{"all": [...]}、'
    '{"not": {...}}。条件写法：{"field": 字段, "op": 运算符, "value": 值, "year": 年度}。'
    '字段：industry 行业（in/not_in，代码前缀如 ["C26"]）；park 园区（in/not_in，园区代码如 ["hexipu"]）；'
    'size 规模（eq，above 规上 / below 规下）；tag 称号（has/has_not，如 "专精特新"）；'
    "established_within_years 成立年限（within/not_within，年数）；"
    "output_value 产值、revenue 营业收入、tax 纳税额、exports 出口额、rd_spend 研发投入（元）、employees 从业人数、"
    "energy_use 综合能耗（吨标准煤）、energy_per_output 单位产值能耗（吨标准煤/万元）、rd_ratio 研发投入强度（%），"
    "运算符 >=、>、<=、<、=，year 为年份、previous（上一年度，默认）或 latest（最近有数据年度）；"
    "project_funds_in_place 单个项目年度到位资金（元）、project_count 招商项目个数。"
    '例：[{"field": "industry", "op": "in", "value": ["C26"]}, '
    '{"field": "tax", "op": ">=", "value": 3000000, "year": "previous"}]'
)
AMOUNT_RULE_HELP = _(
    'JSON。定额：{"kind": "fixed", "amount": 200000}；按比例：{"kind": "rate", "metric": "tax", '
    '"year": "previous", "rate": "0.05", "cap": 500000}（metric 为 employees 时 rate 为每人元数）；'
    '不计算金额：{"kind": "none"}。金额均以元计。'
)


class Policy(ZoneScopedModel):
    """A policy of the zone (subsidy, tax incentive, reward ...) with its conditions as data."""

    class Kind(models.TextChoices):
        SUBSIDY = "subsidy", _("资金补贴")
        TAX = "tax", _("税费优惠")
        REWARD = "reward", _("奖励")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        EXPIRED = "expired", _("已失效")

    title = models.CharField(_("政策名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=12, choices=Kind.choices, default=Kind.SUBSIDY)
    issuer = models.CharField(_("发文机关"), max_length=100)
    issuing_body = models.ForeignKey(
        "org.Body",
        verbose_name=_("本区承办机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
    )
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    summary = models.TextField(_("政策内容"), blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"), null=True, blank=True, help_text=_("长期有效的留空"))
    amount_description = models.CharField(_("支持标准"), max_length=300, blank=True)
    amount_rule = models.JSONField(_("金额规则"), default=dict, blank=True, help_text=AMOUNT_RULE_HELP)
    conditions = models.JSONField(_("资格条件"), default=list, blank=True, help_text=CONDITIONS_HELP)
    auto_grant = models.BooleanField(
        _("免申即享"), default=False, help_text=_("符合条件的企业无需申请，由系统按金额规则核定，企业确认即可")
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["zone", "-valid_from", "title"]
        indexes = [models.Index(fields=["zone", "status"], name="policies_policy_zone_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="policies_policy_valid_to_after_from",
                violation_error_message="有效期止不能早于有效期起。",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        try:
            validate(self.conditions)
        except ConditionError as exc:
            errors["conditions"] = f"资格条件有误：{exc.message}"
        try:
            validate_amount_rule(self.amount_rule)
        except ConditionError as exc:
            errors["amount_rule"] = exc.message
        if self.auto_grant and (self.amount_rule or {}).get("kind", "none") == "none":
            errors["auto_grant"] = "免申即享政策须设置金额规则（定额或按比例），系统才能核定兑现金额。"
        if self.issuing_body_id and self.zone_id and self.issuing_body.zone_id != self.zone_id:
            errors["issuing_body"] = "承办机构必须属于本开发区。"
        if errors:
            raise ValidationError(errors)

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class PolicyMatch(ZoneScopedModel):
    """An enterprise found to qualify for a policy, with the reasons as they read at the last run."""

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="matches")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="policy_matches"
    )
    first_matched_at = models.DateTimeField(_("首次符合时间"))
    checked_at = models.DateTimeField(_("最近核对时间"))
    eligible = models.BooleanField(_("目前仍符合"), default=True)
    reasons = models.JSONField(_("符合理由"), default=list)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策匹配")
        verbose_name_plural = _("政策匹配")
        ordering = ["zone", "policy", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_match_once_per_enterprise")
        ]
        indexes = [models.Index(fields=["zone", "enterprise"], name="policies_match_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}"


class PolicyNotice(ZoneScopedModel):
    """The notice an enterprise receives when it first qualifies for a policy."""

    match = models.OneToOneField(
        PolicyMatch, verbose_name=_("政策匹配"), on_delete=models.PROTECT, related_name="notice"
    )
    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="notices")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="policy_notices"
    )
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"))
    sent_at = models.DateTimeField(_("发送时间"))
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策通知")
        verbose_name_plural = _("政策通知")
        ordering = ["zone", "-sent_at", "-id"]
        indexes = [models.Index(fields=["zone", "enterprise", "sent_at"], name="policies_notice_enterprise")]

    def __str__(self) -> str:
        return self.title


class GrantStatus(models.TextChoices):
    PROPOSED = "proposed", _("待企业确认")
    CONFIRMED = "confirmed", _("企业已确认，待拨付")
    PAID = "paid", _("已拨付")
    DECLINED = "declined", _("企业已放弃")


class PolicyGrant(ZoneScopedModel):
    """A benefit granted without an application (免申即享): the zone proposes, the enterprise confirms,
    the zone pays."""

    policy = models.ForeignKey(Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="grants")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="policy_grants"
    )
    match = models.OneToOneField(
        PolicyMatch, verbose_name=_("政策匹配"), on_delete=models.PROTECT, related_name="grant", null=True, blank=True
    )
    amount = models.DecimalField(
        _("核定金额（元）"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    basis = models.CharField(_("核定依据"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.PROPOSED, db_index=True
    )
    proposed_at = models.DateTimeField(_("核定时间"))
    confirmed_at = models.DateTimeField(_("企业确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bank_account_note = models.CharField(_("收款账户说明"), max_length=200, blank=True)
    declined_at = models.DateTimeField(_("放弃时间"), null=True, blank=True)
    decline_reason = models.CharField(_("放弃原因"), max_length=200, blank=True)
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准拨付人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    payment_reference = models.CharField(_("拨付凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("免申即享兑现")
        verbose_name_plural = _("免申即享兑现")
        ordering = ["zone", "-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policies_grant_once_per_enterprise"),
            models.CheckConstraint(
                condition=~models.Q(status="paid") | models.Q(confirmed_at__isnull=False, paid_at__isnull=False),
                name="policies_grant_paid_after_confirmation",
                violation_error_message="未经企业确认的兑现不能拨付。",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status"], name="policies_grant_zone_status"),
            models.Index(fields=["zone", "enterprise"], name="policies_grant_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}"
