"""Employment contracts, pay scales, appraisal schemes and cycles, payroll runs.

Posts, people and the dated history of who held which post live in ``org`` (Post, Person,
Appointment); this app adds what personnel management needs on top of them.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel
from onezone.org.models import Body, Person, Post
from onezone.personnel import grading


class Grade(models.TextChoices):
    EXCELLENT = grading.EXCELLENT, _("优秀")
    COMPETENT = grading.COMPETENT, _("称职")
    BASIC = grading.BASIC, _("基本称职")
    UNSATISFACTORY = grading.UNSATISFACTORY, _("不称职")


def _money(verbose: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, **kwargs)


def _score(verbose: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose, max_digits=6, decimal_places=2, **kwargs)


class PersonnelPolicy(ZoneScopedModel):
    """A zone's settings for personnel rules that are local practice rather than law."""

    expiry_notice_days = models.PositiveSmallIntegerField(_("合同到期提前提醒天数"), default=60)
    excellent_min = _score(_("优秀分数线"), default=Decimal(90))
    competent_min = _score(_("称职分数线"), default=Decimal(70))
    basic_min = _score(_("基本称职分数线"), default=Decimal(60))
    excellent_quota_percent = _score(
        _("优秀比例上限（%）"), default=Decimal(20), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    coefficient_excellent = models.DecimalField(
        _("优秀绩效系数"), max_digits=4, decimal_places=2, default=Decimal("1.2")
    )
    coefficient_competent = models.DecimalField(
        _("称职绩效系数"), max_digits=4, decimal_places=2, default=Decimal("1.0")
    )
    coefficient_basic = models.DecimalField(
        _("基本称职绩效系数"), max_digits=4, decimal_places=2, default=Decimal("0.6")
    )
    coefficient_unsatisfactory = models.DecimalField(
        _("不称职绩效系数"), max_digits=4, decimal_places=2, default=Decimal("0")
    )
    coefficient_unrated = models.DecimalField(
        _("未参加考核人员绩效系数"), max_digits=4, decimal_places=2, default=Decimal("1.0")
    )

    class Meta:
        verbose_name = _("人事薪酬设置")
        verbose_name_plural = _("人事薪酬设置")
        constraints = [models.UniqueConstraint(fields=["zone"], name="personnel_policy_one_per_zone")]

    def __str__(self) -> str:
        return "人事薪酬设置"

    def thresholds(self) -> grading.Thresholds:
        return grading.Thresholds(excellent=self.excellent_min, competent=self.competent_min, basic=self.basic_min)

    def coefficient(self, grade: str) -> Decimal:
        return {
            Grade.EXCELLENT: self.coefficient_excellent,
            Grade.COMPETENT: self.coefficient_competent,
            Grade.BASIC: self.coefficient_basic,
            Grade.UNSATISFACTORY: self.coefficient_unsatisfactory,
        }.get(grade, self.coefficient_unrated)


class PostGradePay(ZoneScopedModel):
    """Monthly base pay of a post grade in a category, in force from a date."""

    category = models.CharField(_("岗位类别"), max_length=16, choices=Post.Category.choices)
    grade = models.CharField(_("岗位等级"), max_length=30)
    base_pay = _money(_("月基本工资（元）"), validators=[MinValueValidator(0)])
    effective_from = models.DateField(_("执行日期"))

    class Meta:
        verbose_name = _("岗位等级工资")
        verbose_name_plural = _("岗位等级工资")
        ordering = ["category", "grade", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "category", "grade", "effective_from"], name="personnel_gradepay_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}·{self.grade}（{self.effective_from}起）"


class EmploymentContract(ZoneScopedModel):
    """An employment contract (聘用合同) of a member of staff for a post."""

    class TermType(models.TextChoices):
        FIXED = "fixed", _("固定期限")
        OPEN_ENDED = "open_ended", _("无固定期限")
        PROJECT = "project", _("以完成一定工作任务为期限")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草拟")
        ACTIVE = "active", _("履行中")
        RENEWED = "renewed", _("已续订")
        EXPIRED = "expired", _("已到期终止")
        TERMINATED = "terminated", _("已解除")

    number = models.CharField(_("合同编号"), max_length=40)
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="employment_contracts"
    )
    post = models.ForeignKey(Post, verbose_name=_("聘用岗位"), on_delete=models.PROTECT, related_name="+")
    term_type = models.CharField(_("期限类型"), max_length=16, choices=TermType.choices, default=TermType.FIXED)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("终止日期"), null=True, blank=True)
    probation_months = models.PositiveSmallIntegerField(_("试用期（月）"), default=0, validators=[MaxValueValidator(6)])
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    previous = models.OneToOneField(
        "self", verbose_name=_("续订自"), on_delete=models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    terminated_on = models.DateField(_("解除日期"), null=True, blank=True)
    termination_reason = models.TextField(_("解除原因"), blank=True)
    review_flag = models.BooleanField(_("待审查（能进能出）"), default=False)
    review_reason = models.CharField(_("审查原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("聘用合同")
        verbose_name_plural = _("聘用合同")
        ordering = ["person__name", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="personnel_contract_number_unique"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="personnel_contract_end_after_start",
                violation_error_message="合同终止日期不能早于起始日期。",
            ),
        ]
        indexes = [models.Index(fields=["zone", "status", "end"], name="personnel_contract_expiry")]

    def __str__(self) -> str:
        return f"{self.number} {self.person}"


class AppraisalScheme(ZoneScopedModel):
    """How staff of one category (optionally of one body) are appraised: weighted indicators."""

    name = models.CharField(_("方案名称"), max_length=100)
    category = models.CharField(_("岗位类别"), max_length=16, choices=Post.Category.choices)
    body = models.ForeignKey(
        Body,
        verbose_name=_("适用机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("留空则适用于本开发区该类别的全部岗位。"),
    )
    is_active = models.BooleanField(_("启用"), default=False)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["category", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="personnel_scheme_name_unique")]

    def __str__(self) -> str:
        return self.name


class Indicator(ZoneScopedModel):
    """One indicator of a scheme: its weight and where its score comes from."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("人工评分")
        FORMULA = "formula", _("公式计算")
        METRIC = "metric", _("业务数据")

    scheme = models.ForeignKey(
        AppraisalScheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("指标"), max_length=100)
    weight = models.DecimalField(
        _("权重"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    source = models.CharField(_("评分方式"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    formula = models.CharField(
        _("公式"),
        max_length=500,
        blank=True,
        help_text=_("公式计算：用录入的变量计算 0–100 分；业务数据：用 value 把数据换算为分数，留空则数据即分数。"),
    )
    metric_key = models.CharField(_("业务数据来源"), max_length=80, blank=True)
    description = models.CharField(_("评分标准"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "name"], name="personnel_indicator_name_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class AppraisalCycle(ZoneScopedModel):
    """One appraisal round (月度/季度/年度) of the whole zone's staff."""

    class Period(models.TextChoices):
        MONTHLY = "monthly", _("月度")
        QUARTERLY = "quarterly", _("季度")
        YEARLY = "yearly", _("年度")

    class Status(models.TextChoices):
        OPEN = "open", _("评分中")
        CLOSED = "closed", _("已完成（锁定）")

    name = models.CharField(_("名称"), max_length=100)
    period = models.CharField(_("周期"), max_length=16, choices=Period.choices)
    start = models.DateField(_("考核期起"))
    end = models.DateField(_("考核期止"))
    final_formula = models.CharField(
        _("总分公式"),
        max_length=500,
        default="0.2*self + 0.5*leader + 0.3*peer",
        help_text=_("变量：self（自评）、leader（领导评分）、peer（同事互评）；可用 + - * /、括号和 min、max、round。"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    excellent_quota_percent = _score(_("优秀比例上限（%）"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        ordering = ["-end", "name"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "name"], name="personnel_cycle_name_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="personnel_cycle_end_after_start",
                violation_error_message="考核期止不能早于考核期起。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.CLOSED


class Appraisal(ZoneScopedModel):
    """One person's appraisal in a cycle: the scheme, the scores and the grade."""

    cycle = models.ForeignKey(
        AppraisalCycle, verbose_name=_("考核周期"), on_delete=models.PROTECT, related_name="appraisals"
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="appraisals")
    body = models.ForeignKey(Body, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("岗位类别"), max_length=16, choices=Post.Category.choices)
    scheme = models.ForeignKey(AppraisalScheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="+")
    self_score = _score(_("自评"), null=True, blank=True)
    leader_score = _score(_("领导评分"), null=True, blank=True)
    peer_score = _score(_("同事互评"), null=True, blank=True)
    final_score = _score(_("总分"), null=True, blank=True)
    score_grade = models.CharField(_("按分数等次"), max_length=16, choices=Grade.choices, blank=True)
    grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices, blank=True)
    quota_demoted = models.BooleanField(_("因优秀名额限制调整"), default=False)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["cycle", "body__order", "person__name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "person"], name="personnel_appraisal_once")]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.person}"


class RaterKind(models.TextChoices):
    SELF = "self", _("自评")
    LEADER = "leader", _("领导评分")
    PEER = "peer", _("同事互评")


class Rating(ZoneScopedModel):
    """A score one rater gave one hand-scored indicator of an appraisal (0–100)."""

    appraisal = models.ForeignKey(Appraisal, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="ratings")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("评分类型"), max_length=8, choices=RaterKind.choices)
    rater = models.ForeignKey(
        Person, verbose_name=_("评分人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    score = _score(_("分数"), validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["appraisal", "indicator__order", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "indicator", "kind", "rater"],
                name="personnel_rating_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.indicator.name} {self.get_kind_display()} {self.score}"


class IndicatorResult(ZoneScopedModel):
    """The score of a formula or metric indicator: the inputs or figure it came from."""

    appraisal = models.ForeignKey(Appraisal, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="results")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    inputs = models.JSONField(_("录入数据"), default=dict, blank=True)
    value = models.DecimalField(_("业务数据"), max_digits=18, decimal_places=4, null=True, blank=True)
    score = _score(_("得分"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        constraints = [models.UniqueConstraint(fields=["appraisal", "indicator"], name="personnel_result_once")]

    def __str__(self) -> str:
        return f"{self.appraisal} {self.indicator.name}"


class Appeal(ZoneScopedModel):
    """An appeal against a grade: submitted → reviewed → upheld or changed."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提出")
        REVIEWED = "reviewed", _("已复核")
        UPHELD = "upheld", _("维持原等次")
        CHANGED = "changed", _("已改变等次")

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("考核结果"), on_delete=models.PROTECT, related_name="appeals"
    )
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    review_note = models.TextField(_("复核意见"), blank=True)
    decision_note = models.TextField(_("处理决定"), blank=True)
    grade_before = models.CharField(_("原等次"), max_length=16, choices=Grade.choices, blank=True)
    grade_after = models.CharField(_("决定等次"), max_length=16, choices=Grade.choices, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核申诉")
        verbose_name_plural = _("考核申诉")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.appraisal} 的申诉"


class PayrollRun(ZoneScopedModel):
    """The monthly payroll of one body: draft → approved → paid."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("核算中")
        APPROVED = "approved", _("已审核")
        PAID = "paid", _("已发放")

    body = models.ForeignKey(Body, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("工资月份"), help_text=_("该月的第一天。"))
    pool = _money(_("绩效工资总额（元）"), validators=[MinValueValidator(0)])
    cycle = models.ForeignKey(
        AppraisalCycle,
        verbose_name=_("依据的考核周期"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月度工资核算")
        verbose_name_plural = _("月度工资核算")
        ordering = ["-month", "body__order"]
        constraints = [models.UniqueConstraint(fields=["zone", "body", "month"], name="personnel_payroll_once")]

    def __str__(self) -> str:
        return f"{self.body} {self.month:%Y年%m月}工资"


class Payslip(ZoneScopedModel):
    """One person's pay for a month: base pay of the post + performance pay + other items."""

    run = models.ForeignKey(PayrollRun, verbose_name=_("工资核算"), on_delete=models.CASCADE, related_name="payslips")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="payslips")
    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="+")
    post_grade = models.CharField(_("岗位等级"), max_length=30, blank=True)
    appraisal_grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices, blank=True)
    coefficient = models.DecimalField(_("绩效系数"), max_digits=4, decimal_places=2)
    base_pay = _money(_("基本工资（元）"))
    performance_pay = _money(_("绩效工资（元）"))
    other_total = _money(_("其他项目合计（元）"), default=Decimal("0.00"))
    total = _money(_("应发合计（元）"))

    class Meta:
        verbose_name = _("工资条")
        verbose_name_plural = _("工资条")
        ordering = ["run", "person__name"]
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="personnel_payslip_once")]

    def __str__(self) -> str:
        return f"{self.person} {self.run.month:%Y年%m月}工资条"


class PayslipItem(ZoneScopedModel):
    """Another line of a payslip (allowance, deduction): a negative amount is a deduction."""

    payslip = models.ForeignKey(Payslip, verbose_name=_("工资条"), on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("项目"), max_length=60)
    amount = _money(_("金额（元）"))

    class Meta:
        verbose_name = _("工资项目")
        verbose_name_plural = _("工资项目")
        ordering = ["payslip", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"
