"""The operating company's books: assets, leases and rent, financing, construction projects.

The company (开发运营公司) keeps its own books apart from the committee's (政企分开、财务分设):
only company staff write these tables; the committee reads them.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.company.depreciation import DepreciationBasis
from onezone.company.schedules import RepaymentMethod
from onezone.core.codes import CodeError, validate_uscc
from onezone.core.models import ZoneScopedModel

DEFAULT_DECISION_THRESHOLD = Decimal("5000000.00")
_MONEY = {"max_digits": 16, "decimal_places": 2}
_POSITIVE = [MinValueValidator(Decimal("0.01"))]
_NOT_NEGATIVE = [MinValueValidator(Decimal("0.00"))]


def _uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


class CompanySettings(ZoneScopedModel):
    """Per-zone rules the committee sets for its company."""

    decision_threshold = models.DecimalField(
        _("须经管委会决策的金额（元）"),
        **_MONEY,
        default=DEFAULT_DECISION_THRESHOLD,
        validators=_POSITIVE,
        help_text=_("新增借款、施工合同、资产处置超过此金额，须引用管委会会议审议通过的议题后方可生效。"),
    )

    class Meta:
        verbose_name = _("运营公司设置")
        verbose_name_plural = _("运营公司设置")
        constraints = [models.UniqueConstraint(fields=["zone"], name="company_settings_one_per_zone")]

    def __str__(self) -> str:
        return f"{self.zone} 运营公司设置"


class Asset(ZoneScopedModel):
    """A fixed asset or land use right of the company, depreciated straight-line."""

    class Kind(models.TextChoices):
        FACTORY = "factory", _("标准化厂房")
        LAND = "land", _("土地使用权")
        EQUIPMENT = "equipment", _("设备")
        INFRASTRUCTURE = "infrastructure", _("基础设施")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("自用")
        LEASED = "leased", _("出租")
        IDLE = "idle", _("闲置")
        DISPOSED = "disposed", _("已处置")

    code = models.CharField(_("资产编号"), max_length=40)
    name = models.CharField(_("资产名称"), max_length=120)
    kind = models.CharField(_("资产类别"), max_length=20, choices=Kind.choices)
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="company_assets"
    )
    location = models.CharField(_("坐落位置"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("面积（平方米）"), max_digits=12, decimal_places=2, null=True, blank=True, validators=_NOT_NEGATIVE
    )
    cost = models.DecimalField(_("原值（元）"), **_MONEY, validators=_POSITIVE)
    acquired_on = models.DateField(_("取得日期"))
    useful_life_months = models.PositiveIntegerField(
        _("折旧（摊销）年限（月）"), validators=[MinValueValidator(1), MaxValueValidator(1200)]
    )
    residual_rate = models.DecimalField(
        _("净残值率"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.0500"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.5"))],
        help_text=_("例如 0.05 表示 5%；土地使用权一般为 0。"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.IN_USE)
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    disposal_proceeds = models.DecimalField(
        _("处置收入（元）"), **_MONEY, null=True, blank=True, validators=_NOT_NEGATIVE
    )
    disposal_decision = models.ForeignKey(
        "org.AgendaItem",
        verbose_name=_("处置决策议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资产")
        verbose_name_plural = _("资产")
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="company_asset_code_unique"),
            models.CheckConstraint(
                condition=models.Q(status="disposed", disposed_on__isnull=False)
                | (~models.Q(status="disposed") & models.Q(disposed_on__isnull=True)),
                name="company_asset_disposal_dated",
                violation_error_message="已处置的资产必须有处置日期，未处置的资产不能有处置日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.park_id and self.zone_id and self.park.zone_id != self.zone_id:
            raise ValidationError({"park": "资产所在园区必须属于本开发区。"})

    @property
    def basis(self) -> DepreciationBasis:
        return DepreciationBasis(
            cost=self.cost,
            residual_rate=self.residual_rate,
            useful_life_months=self.useful_life_months,
            acquired_on=self.acquired_on,
            disposed_on=self.disposed_on,
        )


class Lease(ZoneScopedModel):
    """A lease of a building or land to an enterprise."""

    class RentUnit(models.TextChoices):
        MONTH = "month", _("元/月")
        YEAR = "year", _("元/年")

    class BillingCycle(models.TextChoices):
        MONTHLY = "monthly", _("按月")
        QUARTERLY = "quarterly", _("按季")
        YEARLY = "yearly", _("按年")

    class Status(models.TextChoices):
        ACTIVE = "active", _("履行中")
        TERMINATED = "terminated", _("已提前终止")

    CYCLE_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}

    number = models.CharField(_("合同编号"), max_length=60)
    asset = models.ForeignKey(Asset, verbose_name=_("租赁资产"), on_delete=models.PROTECT, related_name="leases")
    lessee = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("承租企业"), on_delete=models.PROTECT, related_name="company_leases"
    )
    # The lessee's name and code as written in the signed contract (the registry may change later).
    lessee_name = models.CharField(_("合同承租方名称"), max_length=200)
    lessee_uscc = models.CharField(_("合同承租方统一社会信用代码"), max_length=18, validators=[_uscc_validator])
    start = models.DateField(_("租期开始"))
    end = models.DateField(_("租期结束"))
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    rent = models.DecimalField(_("租金（元）"), **_MONEY, validators=_POSITIVE)
    rent_unit = models.CharField(_("租金单位"), max_length=8, choices=RentUnit.choices, default=RentUnit.MONTH)
    deposit = models.DecimalField(_("押金（元）"), **_MONEY, default=Decimal("0.00"), validators=_NOT_NEGATIVE)
    billing_cycle = models.CharField(
        _("收租周期"), max_length=12, choices=BillingCycle.choices, default=BillingCycle.QUARTERLY
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    signed_on = models.DateField(_("签订日期"))

    class Meta:
        verbose_name = _("租赁合同")
        verbose_name_plural = _("租赁合同")
        ordering = ["zone", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="company_lease_number_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="company_lease_end_after_start",
                violation_error_message="租期结束日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.lessee_name}"

    @property
    def effective_end(self):
        """The last day the asset is let: the agreed end, or the termination date."""
        return self.terminated_on or self.end

    @property
    def cycle_months(self) -> int:
        return self.CYCLE_MONTHS[self.billing_cycle]


class BillCounter(ZoneScopedModel):
    """The last rent bill number given in a year; locked while the next number is taken."""

    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("账单编号计数器")
        verbose_name_plural = _("账单编号计数器")
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="company_billcounter_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RentBill(ZoneScopedModel):
    """The rent of one billing period of a lease, due on the period's first day."""

    number = models.CharField(_("账单编号"), max_length=30)
    lease = models.ForeignKey(Lease, verbose_name=_("租赁合同"), on_delete=models.PROTECT, related_name="bills")
    period_start = models.DateField(_("计租期间开始"))
    period_end = models.DateField(_("计租期间结束"))
    due_on = models.DateField(_("应缴日期"))
    amount = models.DecimalField(_("应收租金（元）"), **_MONEY, validators=_NOT_NEGATIVE)
    paid = models.DecimalField(_("已收（元）"), **_MONEY, default=Decimal("0.00"))

    class Meta:
        verbose_name = _("租金账单")
        verbose_name_plural = _("租金账单")
        ordering = ["lease", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="company_rentbill_number_unique"),
            models.UniqueConstraint(fields=["lease", "period_start"], name="company_rentbill_period_unique"),
            models.CheckConstraint(
                condition=models.Q(paid__gte=0) & models.Q(paid__lte=models.F("amount")),
                name="company_rentbill_paid_within_amount",
                violation_error_message="已收金额不能为负，也不能超过应收租金。",
            ),
        ]
        indexes = [models.Index(fields=["zone", "due_on"], name="company_rentbill_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


class RentPayment(ZoneScopedModel):
    """Money received from a lessee, allocated to its bills oldest first."""

    lease = models.ForeignKey(Lease, verbose_name=_("租赁合同"), on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("收款日期"))
    amount = models.DecimalField(_("收款金额（元）"), **_MONEY, validators=_POSITIVE)
    reference = models.CharField(_("凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("租金收款")
        verbose_name_plural = _("租金收款")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class PaymentAllocation(ZoneScopedModel):
    """The part of a payment applied to one bill."""

    payment = models.ForeignKey(
        RentPayment, verbose_name=_("收款"), on_delete=models.CASCADE, related_name="allocations"
    )
    bill = models.ForeignKey(RentBill, verbose_name=_("账单"), on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("冲抵金额（元）"), **_MONEY, validators=_POSITIVE)

    class Meta:
        verbose_name = _("收款冲抵")
        verbose_name_plural = _("收款冲抵")
        ordering = ["bill__period_start"]

    def __str__(self) -> str:
        return f"{self.bill} ← {self.amount}"


class Loan(ZoneScopedModel):
    """A bank loan or a bond issue, repaid by a computed schedule."""

    class Kind(models.TextChoices):
        LOAN = "loan", _("银行借款")
        BOND = "bond", _("债券")

    class Method(models.TextChoices):
        EQUAL_INSTALMENTS = RepaymentMethod.EQUAL_INSTALMENTS.value, _("等额本息")
        EQUAL_PRINCIPAL = RepaymentMethod.EQUAL_PRINCIPAL.value, _("等额本金")

    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices, default=Kind.LOAN)
    contract_number = models.CharField(_("合同/债券编号"), max_length=60)
    lender = models.CharField(_("贷款人/债权人"), max_length=120)
    principal = models.DecimalField(_("本金（元）"), **_MONEY, validators=_POSITIVE)
    annual_rate = models.DecimalField(
        _("年利率（%）"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(36))],
    )
    start = models.DateField(_("放款（起息）日期"))
    term_months = models.PositiveIntegerField(
        _("期限（月）"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    method = models.CharField(_("还款方式"), max_length=20, choices=Method.choices)
    payment_day = models.PositiveSmallIntegerField(
        _("每月还款日"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    decision = models.ForeignKey(
        "org.AgendaItem", verbose_name=_("决策议题"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("借款与债券")
        verbose_name_plural = _("借款与债券")
        ordering = ["zone", "-start"]
        constraints = [models.UniqueConstraint(fields=["zone", "contract_number"], name="company_loan_number_unique")]

    def __str__(self) -> str:
        return f"{self.lender} {self.contract_number}"

    def schedule(self):
        from onezone.company.schedules import repayment_schedule

        return repayment_schedule(
            principal=self.principal,
            annual_rate_percent=self.annual_rate,
            start=self.start,
            term_months=self.term_months,
            method=self.method,
            payment_day=self.payment_day,
        )


class ConstructionProject(ZoneScopedModel):
    """A construction project of the company. Its spending is capitalised, not an expense."""

    name = models.CharField(_("项目名称"), max_length=150)
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("所在园区"), on_delete=models.PROTECT, related_name="company_projects"
    )
    budget = models.DecimalField(_("批准预算（元）"), **_MONEY, validators=_POSITIVE)
    start = models.DateField(_("开工日期"), null=True, blank=True)
    planned_end = models.DateField(_("计划竣工日期"), null=True, blank=True)
    decision = models.ForeignKey(
        "org.AgendaItem",
        verbose_name=_("立项决策议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("建设内容"), blank=True)

    class Meta:
        verbose_name = _("建设项目")
        verbose_name_plural = _("建设项目")
        ordering = ["zone", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="company_project_name_unique")]

    def __str__(self) -> str:
        return self.name


class ConstructionContract(ZoneScopedModel):
    """A contract with a contractor for part of a project."""

    project = models.ForeignKey(
        ConstructionProject, verbose_name=_("建设项目"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("合同编号"), max_length=60)
    contractor = models.CharField(_("承包单位"), max_length=120)
    amount = models.DecimalField(_("合同金额（元）"), **_MONEY, validators=_POSITIVE)
    signed_on = models.DateField(_("签订日期"))
    decision = models.ForeignKey(
        "org.AgendaItem", verbose_name=_("决策议题"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("施工合同")
        verbose_name_plural = _("施工合同")
        ordering = ["project", "signed_on"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="company_contract_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.contractor}"


class ConstructionPayment(ZoneScopedModel):
    """Money paid on a project; beyond the budget only with a committee decision."""

    project = models.ForeignKey(
        ConstructionProject, verbose_name=_("建设项目"), on_delete=models.PROTECT, related_name="payments"
    )
    contract = models.ForeignKey(
        ConstructionContract,
        verbose_name=_("施工合同"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    paid_on = models.DateField(_("支付日期"))
    amount = models.DecimalField(_("支付金额（元）"), **_MONEY, validators=_POSITIVE)
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    over_budget_decision = models.ForeignKey(
        "org.AgendaItem",
        verbose_name=_("超预算审批议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工程付款")
        verbose_name_plural = _("工程付款")
        ordering = ["project", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.paid_on} {self.amount}"


class ProgressReport(ZoneScopedModel):
    """How far a project has come on a date (percent complete)."""

    project = models.ForeignKey(
        ConstructionProject, verbose_name=_("建设项目"), on_delete=models.CASCADE, related_name="progress"
    )
    on = models.DateField(_("日期"))
    percent = models.PositiveSmallIntegerField(_("形象进度（%）"), validators=[MaxValueValidator(100)])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("形象进度")
        verbose_name_plural = _("形象进度")
        ordering = ["project", "on"]
        constraints = [
            models.UniqueConstraint(fields=["project", "on"], name="company_progress_one_per_day"),
            models.CheckConstraint(
                condition=models.Q(percent__lte=100),
                name="company_progress_percent_max",
                violation_error_message="形象进度不能超过100%。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.on} {self.percent}%"
