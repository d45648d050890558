"""Investment attraction: projects through their stages, the funds and progress ledgers, approval
milestones, industry chains and the reward policy."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.errors import Conflict
from onezone.core.models import ZoneScopedModel
from onezone.investment import rules
from onezone.investment.rewards import EXCLUSIONS, MARGINAL, WHOLE, RewardTerms, Tier, tiers_validate

MONEY = {"max_digits": 16, "decimal_places": 2}


class Stage(models.TextChoices):
    LEAD = rules.LEAD, _("线索")
    NEGOTIATING = rules.NEGOTIATING, _("洽谈")
    SIGNED = rules.SIGNED, _("签约")
    REGISTERED = rules.REGISTERED, _("注册")
    CONSTRUCTION_STARTED = rules.CONSTRUCTION_STARTED, _("开工")
    COMPLETED = rules.COMPLETED, _("竣工")
    IN_PRODUCTION = rules.IN_PRODUCTION, _("投产")
    DROPPED = rules.DROPPED, _("终止")


class ChainStage(models.TextChoices):
    UPSTREAM = rules.UPSTREAM, _("上游")
    MIDSTREAM = rules.MIDSTREAM, _("中游")
    DOWNSTREAM = rules.DOWNSTREAM, _("下游")


class ChainRole(models.TextChoices):
    BUILD = rules.BUILD, _("建链")
    EXTEND = rules.EXTEND, _("延链")
    FILL = rules.FILL, _("补链")
    STRENGTHEN = rules.STRENGTHEN, _("强链")


class AppendOnlyModel(ZoneScopedModel):
    """A ledger row: written once, never changed or deleted; mistakes are corrected by new rows."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Conflict(f"{self._meta.verbose_name}只增不改：如有错误，请登记一条更正分录。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict(f"{self._meta.verbose_name}不能删除：如有错误，请登记一条更正分录。")


class Chain(ZoneScopedModel):
    """An industry chain the zone builds (e.g. 氟化工), grouped in clusters (e.g. 化工)."""

    name = models.CharField(_("产业链"), max_length=50)
    cluster = models.CharField(_("产业集群"), max_length=50, blank=True)
    description = models.TextField(_("说明"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["zone", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="investment_chain_name_unique")]

    def __str__(self) -> str:
        return self.name


class ChainNode(ZoneScopedModel):
    """A link of a chain: a product stage with its industry class and key products."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级环节"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("环节"), max_length=60)
    stage = models.CharField(_("位置"), max_length=12, choices=ChainStage.choices)
    industry_code = models.CharField(_("行业代码（GB/T 4754）"), max_length=5)
    key_products = models.CharField(_("关键产品"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")
        ordering = ["chain", "order", "id"]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}" if self.chain_id else self.name


class NodeEnterprise(ZoneScopedModel):
    """A local enterprise working on a chain node. A node without one is a gap (缺链环节)."""

    node = models.ForeignKey(ChainNode, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="enterprises")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业档案"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("企业名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    products = models.CharField(_("主要产品"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("链上本地企业")
        verbose_name_plural = _("链上本地企业")
        ordering = ["node", "name"]
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="investment_nodeenterprise_unique")]

    def __str__(self) -> str:
        return self.name


class ChainTarget(ZoneScopedModel):
    """An enterprise elsewhere that the zone means to approach for a node (招商目标)."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("重点")
        NORMAL = 2, _("一般")

    node = models.ForeignKey(ChainNode, verbose_name=_("环节"), on_delete=models.CASCADE, related_name="targets")
    company = models.CharField(_("目标企业"), max_length=100)
    location = models.CharField(_("所在地"), max_length=60, blank=True)
    products = models.CharField(_("主要产品"), max_length=200, blank=True)
    approach = models.CharField(_("对接方式与进展"), max_length=200, blank=True)
    priority = models.PositiveSmallIntegerField(_("优先级"), choices=Priority.choices, default=Priority.NORMAL)

    class Meta:
        verbose_name = _("招商目标企业")
        verbose_name_plural = _("招商目标企业")
        ordering = ["node", "priority", "company"]

    def __str__(self) -> str:
        return self.company


class Project(ZoneScopedModel):
    """A lead (客商线索) or project, from first contact to production."""

    name = models.CharField(_("项目名称"), max_length=120)
    investor_name = models.CharField(_("投资方"), max_length=120)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("落地企业档案"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    industry_code = models.CharField(_("行业代码（GB/T 4754）"), max_length=5)
    park = models.ForeignKey("zones.Park", verbose_name=_("园区"), on_delete=models.PROTECT, related_name="+")
    fits_park = models.BooleanField(_("符合园区产业定位"), default=True, editable=False)
    chain_node = models.ForeignKey(
        ChainNode,
        verbose_name=_("产业链环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    chain_role = models.CharField(_("链上作用"), max_length=12, choices=ChainRole.choices, blank=True, editable=False)
    planned_investment = models.DecimalField(
        _("计划总投资（元）"), **MONEY, validators=[MinValueValidator(Decimal(0))], default=Decimal(0)
    )
    is_key = models.BooleanField(_("重点项目"), default=False)
    planned_start_year = models.PositiveSmallIntegerField(_("计划开工年度"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("招商责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referrer = models.CharField(_("首位引荐人"), max_length=60, blank=True)
    stage = models.CharField(_("阶段"), max_length=24, choices=Stage.choices, default=Stage.LEAD, editable=False)
    stage_since = models.DateField(_("进入当前阶段日期"), editable=False)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True, editable=False)
    dropped_reason = models.CharField(_("终止原因"), max_length=200, blank=True, editable=False)
    is_real_estate = models.BooleanField(_("房地产项目"), default=False)
    is_loan_funded = models.BooleanField(_("贷款资金投入"), default=False)
    is_ppp = models.BooleanField(_("PPP项目"), default=False)
    note = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["zone", "-id"]
        indexes = [
            models.Index(fields=["zone", "stage"], name="investment_project_stage"),
            models.Index(fields=["zone", "planned_start_year"], name="investment_project_plan"),
            # the figures per park group a zone's projects by park: one index range, no scan by park
            models.Index(fields=["zone", "park"], name="investment_project_zone_park"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reward_tags(self) -> frozenset[str]:
        tags = set()
        if self.is_real_estate:
            tags.add("real_estate")
        if self.is_loan_funded:
            tags.add("loan_funded")
        if self.is_ppp:
            tags.add("ppp")
        return frozenset(tags)


class ProjectStageChange(ZoneScopedModel):
    """One move of a project between stages: the log from which time in stage is computed."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="changes")
    from_stage = models.CharField(_("原阶段"), max_length=24, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=24, choices=Stage.choices)
    on = models.DateField(_("日期"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "on", "id"]
        # the figures read a zone's log up to a day: one index range instead of the whole table
        indexes = [models.Index(fields=["zone", "on"], name="investment_stage_change_on")]
        constraints = [
            models.UniqueConstraint(fields=["project", "to_stage"], name="investment_stage_entered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.from_stage or '—'}→{self.to_stage} {self.on}"


class FundsSource(models.TextChoices):
    DOMESTIC = "domestic", _("省外境内资金")
    PROVINCIAL = "provincial", _("省内市外资金")
    LOCAL = "local", _("本地资金")
    FOREIGN = "foreign", _("境外资金")
    LOAN = "loan", _("银行贷款")


class FundsEntry(AppendOnlyModel):
    """Funds in place (到位资金) received on a date. A correction is a new row that refers to the
    row it corrects and carries that row's date, so the year it lands in stays right."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="funds_entries")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    received_on = models.DateField(_("到位日期"))
    source = models.CharField(_("资金来源"), max_length=12, choices=FundsSource.choices)
    evidence_reference = models.CharField(_("凭证编号"), max_length=100, blank=True)
    evidence_file = models.FileField(_("凭证文件"), upload_to="investment/funds/%Y/", blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的分录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("到位资金分录")
        verbose_name_plural = _("到位资金台账")
        ordering = ["project", "received_on", "id"]
        indexes = [models.Index(fields=["zone", "received_on"], name="investment_funds_date")]

    def __str__(self) -> str:
        return f"{self.project} {self.received_on} {self.amount}"


class InvestmentProgress(AppendOnlyModel):
    """Investment completed (完成投资) in one month. Corrections are new rows, as in the funds ledger."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="progress")
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    amount = models.DecimalField(_("当月完成投资（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("月度完成投资")
        verbose_name_plural = _("月度完成投资")
        ordering = ["project", "month", "id"]
        indexes = [models.Index(fields=["zone", "month"], name="investment_progress_month")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                condition=models.Q(corrects__isnull=True),
                name="investment_progress_one_report_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m} {self.amount}"


class MilestoneKind(models.TextChoices):
    SIGNING_REVIEW = "signing_review", _("签约评审")
    PROJECT_APPROVAL = "project_approval", _("备案/核准/审批立项")
    LAND_PRE_REVIEW = "land_pre_review", _("用地预审")
    LAND_SUPPLY = "land_supply", _("供地")
    PLANNING_PERMIT = "planning_permit", _("规划许可")
    EIA = "eia", _("环评")
    ENERGY_REVIEW = "energy_review", _("节能审查")
    SAFETY_ASSESSMENT = "safety_assessment", _("安全评价")
    CONSTRUCTION_PERMIT = "construction_permit", _("施工许可")
    CONSTRUCTION_START = "construction_start", _("开工")
    COMPLETION_ACCEPTANCE = "completion_acceptance", _("竣工验收")
    PRODUCTION = "production", _("投产")
    SCALE_UP = "scale_up", _("上规/达产")
    POWER = "power", _("接电")
    WATER = "water", _("接水")
    GAS = "gas", _("接气")
    HEAT = "heat", _("接热")
    DRAINAGE = "drainage", _("排水接入")
    TELECOM = "telecom", _("通信接入")


MILESTONE_ORDER = {kind: index for index, kind in enumerate(MilestoneKind.values)}


class Milestone(ZoneScopedModel):
    """One approval or connection a project needs (代办清单的一项), optionally tied to a window case."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未开始")
        IN_PROGRESS = "in_progress", _("办理中")
        DONE = "done", _("已完成")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("事项"), max_length=24, choices=MilestoneKind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0, editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    planned_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    case = models.ForeignKey(
        "window.Case", verbose_name=_("窗口办件"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    case_number = models.CharField(_("办件编号"), max_length=40, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("审批节点")
        verbose_name_plural = _("审批节点")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="investment_milestone_once")]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_kind_display()}"


class RewardPolicy(ZoneScopedModel):
    """The zone's reward rules (招商引资奖励办法) as data."""

    class TierMode(models.TextChoices):
        MARGINAL = MARGINAL, _("超额累进（各档分段计算）")
        WHOLE = WHOLE, _("全额累进（全部按所在档计算）")

    name = models.CharField(_("名称"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    tiers = models.JSONField(
        _("奖励档次"),
        help_text=_('按上限递增：[{"up_to": "10000000", "rate": "0.003"}, ..., {"up_to": null, "rate": "0.005"}]'),
    )
    tier_mode = models.CharField(_("计奖方式"), max_length=12, choices=TierMode.choices, default=TierMode.MARGINAL)
    cap = models.DecimalField(_("单笔奖励上限（元）"), **MONEY, null=True, blank=True)
    exclusions = models.JSONField(_("不予奖励的项目类型"), default=list, blank=True)
    claim_window_months = models.PositiveSmallIntegerField(_("申领期限（竣工后月数）"), null=True, blank=True)
    require_investor_confirmation = models.BooleanField(_("需投资方确认引荐关系"), default=True)
    require_zone_confirmation = models.BooleanField(_("需园区确认引荐关系"), default=True)
    require_invoices = models.BooleanField(_("需发票等到位凭证"), default=True)

    class Meta:
        verbose_name = _("招商引资奖励办法")
        verbose_name_plural = _("招商引资奖励办法")
        ordering = ["zone", "-effective_from"]

    def __str__(self) -> str:
        return self.name

    def tier_list(self) -> tuple[Tier, ...]:
        try:
            return tuple(
                Tier(
                    up_to=None if t.get("up_to") in (None, "") else Decimal(str(t["up_to"])),
                    rate=Decimal(str(t["rate"])),
                )
                for t in self.tiers or []
            )
        except (KeyError, TypeError, AttributeError, ArithmeticError) as exc:
            raise ValidationError({"tiers": "奖励档次格式不正确：每档应有 up_to（上限，元）和 rate（比例）。"}) from exc

    def terms(self) -> RewardTerms:
        """The policy as the plain data the reward formula reads."""
        return RewardTerms(
            tiers=self.tier_list(),
            mode=self.tier_mode,
            cap=self.cap,
            exclusions=frozenset(self.exclusions or []),
            claim_window_months=self.claim_window_months,
            require_investor_confirmation=self.require_investor_confirmation,
            require_zone_confirmation=self.require_zone_confirmation,
            require_invoices=self.require_invoices,
        )

    def clean(self) -> None:
        try:
            tiers_validate(self.tier_list())
        except ValueError as exc:
            raise ValidationError({"tiers": str(exc)}) from exc
        unknown = sorted(set(self.exclusions or []) - set(EXCLUSIONS))
        if unknown:
            raise ValidationError(
                {"exclusions": f"未知的排除类型：{'、'.join(unknown)}；可选：{'、'.join(EXCLUSIONS)}。"}
            )
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "废止日期不能早于施行日期。"})


class AwardStatus(models.TextChoices):
    CLAIMED = "claimed", _("已申领")
    APPROVED = "approved", _("已审核")
    PAID = "paid", _("已兑付")
    REJECTED = "rejected", _("不予奖励")
    CLAWED_BACK = "clawed_back", _("已追回")


class RewardAward(ZoneScopedModel):
    """One referrer's claim for one project under a policy, through claimed → approved → paid."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="awards")
    policy = models.ForeignKey(RewardPolicy, verbose_name=_("奖励办法"), on_delete=models.PROTECT, related_name="+")
    referrer = models.CharField(_("引荐人"), max_length=60)
    claimed_on = models.DateField(_("申领日期"))
    funds_base = models.DecimalField(_("计奖到位资金（元）"), **MONEY)
    amount = models.DecimalField(_("奖励金额（元）"), **MONEY)
    investor_confirmation = models.CharField(_("投资方确认函"), max_length=100, blank=True)
    zone_confirmation = models.CharField(_("园区确认文件"), max_length=100, blank=True)
    invoices = models.JSONField(_("发票/凭证编号"), default=list, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.CLAIMED)
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)
    payment_reference = models.CharField(_("兑付凭证"), max_length=100, blank=True)
    clawed_back_on = models.DateField(_("追回日期"), null=True, blank=True)
    clawback_amount = models.DecimalField(_("应追回金额（元）"), null=True, blank=True, **MONEY)
    reason = models.CharField(_("不予奖励或追回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("招商引资奖励")
        verbose_name_plural = _("招商引资奖励")
        ordering = ["zone", "-claimed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=~models.Q(status="rejected"),
                name="investment_award_one_per_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.referrer}"


class AwardRecovery(ZoneScopedModel):
    """Money received back on a clawed-back award (追回款到账): the award's recovered sum is the sum of these."""

    award = models.ForeignKey(
        RewardAward, verbose_name=_("招商引资奖励"), on_delete=models.PROTECT, related_name="recoveries"
    )
    received_on = models.DateField(_("到账日期"))
    amount = models.DecimalField(_("追回金额（元）"), **MONEY)
    reference = models.CharField(_("缴款凭证"), max_length=100)

    class Meta:
        verbose_name = _("奖励追回款")
        verbose_name_plural = _("奖励追回款")
        ordering = ["award", "received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="investment_recovery_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.award} 追回 {self.amount}"
