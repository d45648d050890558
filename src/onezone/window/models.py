"""Cases at the one-stop window, their events, notices, alerts, ratings and complaints."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import mask_mobile, mask_resident_id
from onezone.core.models import ZoneScopedModel
from onezone.powers.models import SpecialProcedure  # noqa: F401  Art. 45, as the three lists define them
from onezone.window.clock import EventKind


class CaseState(models.TextChoices):
    RECEIVED = "received", _("已收件")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("待补正")
    SUPPLEMENTED = "supplemented", _("已补正")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    UNDER_REVIEW = "under_review", _("审查中")
    SUSPENDED = "suspended", _("特别程序中")
    DECIDED = "decided", _("已决定")
    DELIVERED = "delivered", _("已送达")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATES = (
    CaseState.RECEIVED,
    CaseState.SUPPLEMENT_REQUESTED,
    CaseState.SUPPLEMENTED,
    CaseState.ACCEPTED,
    CaseState.UNDER_REVIEW,
    CaseState.SUSPENDED,
    CaseState.DECIDED,
)


class Channel(models.TextChoices):
    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    AGENT = "agent", _("代办")


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业（单位）")
    PERSON = "person", _("个人")


class CaseCounter(models.Model):
    """The last case number issued in a zone and year; locked while a number is taken."""

    zone = models.ForeignKey(settings.ONEZONE_ZONE_MODEL, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=12, default="case")  # "case" or "complaint"
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件编号计数器")
        verbose_name_plural = _("办件编号计数器")
        constraints = [models.UniqueConstraint(fields=["zone", "series", "year"], name="window_counter_zone_year")]

    def __str__(self) -> str:
        return f"{self.zone_id}-{self.series}-{self.year}: {self.last}"


# The condition of the partial indexes on open cases.
OPEN = models.Q(is_open=True)


class Case(ZoneScopedModel):
    """One application at the window (办件) for one item, in the version in force on its date."""

    number = models.CharField(_("办件编号"), max_length=30)
    year = models.PositiveSmallIntegerField(_("年度"))
    query_code = models.CharField(_("查询码"), max_length=12, db_index=True)
    item = models.ForeignKey("powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    item_version_id = models.BigIntegerField(_("事项版本"), null=True, blank=True)
    item_code = models.CharField(_("实施编码"), max_length=60)
    item_name = models.CharField(_("事项名称"), max_length=200)
    terms = models.JSONField(_("受理时的事项要素"), default=dict)
    body = models.ForeignKey(
        "org.Body", verbose_name=_("实施主体"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    park = models.ForeignKey(
        "zones.Park", verbose_name=_("所在园区"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices, default=Channel.WINDOW)

    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    applicant_id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("联系电话"), max_length=11, blank=True)
    enterprise_id = models.BigIntegerField(_("企业档案"), null=True, blank=True)

    state = models.CharField(_("状态"), max_length=24, choices=CaseState.choices, default=CaseState.RECEIVED)
    is_open = models.BooleanField(_("在办"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    materials = models.JSONField(_("收件材料"), default=list, blank=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("受理人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("第二审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # The clock's answers, stored for fast queues and recomputed with every event.
    received_on = models.DateField(_("收件日期"))
    supplement_deadline = models.DateField(_("补正告知期限"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    deemed_accepted = models.BooleanField(_("视为受理"), default=False)
    legal_deadline = models.DateField(_("法定办结时限"), null=True, blank=True)
    committed_deadline = models.DateField(_("承诺办结时限"), null=True, blank=True)
    delivery_deadline = models.DateField(_("送达时限"), null=True, blank=True)
    due_on = models.DateField(_("当前时限"), null=True, blank=True)
    # due_on, or the last day there is when no office deadline runs: the queue's sort key, never null.
    queue_on = models.DateField(_("排序时限"))
    legal_due_on = models.DateField(_("当前法定时限"), null=True, blank=True)
    deadlines_provisional = models.BooleanField(_("时限为暂定"), default=False)
    extended = models.BooleanField(_("已延期"), default=False)
    suspended_days = models.PositiveIntegerField(_("特别程序工作日"), default=0)

    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    granted = models.BooleanField(_("准予许可"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    on_time = models.BooleanField(_("按承诺时限办结"), null=True, blank=True)
    within_legal = models.BooleanField(_("在法定时限内办结"), null=True, blank=True)
    working_days_used = models.PositiveIntegerField(_("用时（工作日）"), null=True, blank=True)

    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    competent_office = models.CharField(_("有权受理的机关"), max_length=200, blank=True)
    decision_text = models.TextField(_("决定内容"), blank=True)
    licence_number = models.CharField(_("证照编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["zone", "due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="window_case_number_unique")]
        indexes = [
            # The queues hold open cases only: partial indexes on ``is_open``. Django compiles
            # ``is_open=True`` to a bare ``WHERE "is_open"``, which SQLite matches against the index
            # condition but never against an index column (it reads the zone's cases and sorts them).
            models.Index(fields=["zone", "queue_on", "id"], name="window_case_open_queue", condition=OPEN),
            models.Index(fields=["zone", "clerk", "queue_on", "id"], name="window_case_open_clerk", condition=OPEN),
            models.Index(
                fields=["zone", "reviewer", "queue_on", "id"], name="window_case_open_reviewer", condition=OPEN
            ),
            models.Index(fields=["zone", "body", "queue_on", "id"], name="window_case_open_body", condition=OPEN),
            models.Index(fields=["zone", "state", "queue_on", "id"], name="window_case_state"),
            models.Index(fields=["zone", "year", "item"], name="window_case_item_year"),
            # Covering the dashboard's counts, so they are read from the index alone.
            models.Index(fields=["zone", "year", "on_time", "within_legal"], name="window_case_year_figures"),
            models.Index(
                fields=["zone", "state", "due_on", "legal_due_on"], name="window_case_open_due", condition=OPEN
            ),
            models.Index(fields=["zone", "received_on"], name="window_case_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_name}"

    @property
    def applicant_id_masked(self) -> str:
        return mask_resident_id(self.applicant_id_number) if self.applicant_id_number else ""

    @property
    def contact_mobile_masked(self) -> str:
        return mask_mobile(self.contact_mobile) if self.contact_mobile else ""


class CaseEvent(ZoneScopedModel):
    """One step in a case's life: who, when, what, why."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事件"), max_length=24, choices=[(k.value, k.value) for k in EventKind])
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    state_from = models.CharField(_("原状态"), max_length=24, blank=True)
    state_to = models.CharField(_("新状态"), max_length=24, blank=True)
    reason = models.TextField(_("理由/说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办件事件")
        verbose_name_plural = _("办件事件")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.on}"


class SupplementNotice(ZoneScopedModel):
    """The one-time notice (一次性告知): exactly one per case, every missing material at once."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="supplement")
    issued_on = models.DateField(_("告知日期"))
    materials = models.JSONField(_("需补正材料"), default=list)
    note = models.TextField(_("补正要求"), blank=True)

    class Meta:
        verbose_name = _("补正材料一次性告知")
        verbose_name_plural = _("补正材料一次性告知")

    def __str__(self) -> str:
        return f"{self.case} 一次性告知"


class Alert(ZoneScopedModel):
    """A warning to the case's handlers or an escalation to the body's head: once per deadline."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("临近时限预警")
        ESCALATION = "escalation", _("超期督办")
        VIOLATION = "violation", _("超法定时限督办")

    # No index of its own: the unique (case, kind, deadline) index serves every look-up by case, and the
    # sweep inserts up to hundreds of thousands of alerts a day.
    case = models.ForeignKey(
        Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    deadline = models.DateField(_("针对的时限"))
    raised_on = models.DateField(_("发出日期"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_name = models.CharField(_("接收人姓名"), max_length=200, blank=True)
    message = models.CharField(_("内容"), max_length=300)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预警与督办")
        verbose_name_plural = _("预警与督办")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "deadline"], name="window_alert_once_per_deadline")
        ]
        indexes = [models.Index(fields=["zone", "recipient", "read_at"], name="window_alert_inbox")]

    def __str__(self) -> str:
        return self.message


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class Rating(ZoneScopedModel):
    """好差评: one per case."""

    class Appeal(models.TextChoices):
        NONE = "", _("无申诉")
        PENDING = "pending", _("申诉审核中")
        UPHELD = "upheld", _("申诉成立（差评不计）")
        REJECTED = "rejected", _("申诉不成立")

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("评价"), choices=RatingLevel.choices)
    comment = models.TextField(_("评价内容"), blank=True)
    rated_on = models.DateField(_("评价日期"))
    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    appeal = models.CharField(_("申诉"), max_length=10, choices=Appeal.choices, default=Appeal.NONE, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_outcome = models.TextField(_("申诉审核意见"), blank=True)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-rated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class Rectification(ZoneScopedModel):
    """The rectification a bad rating opens: a deadline, measures, a follow-up with the rater."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        DONE = "done", _("已整改")
        VOID = "void", _("申诉成立，已撤销")

    rating = models.OneToOneField(
        Rating, verbose_name=_("差评"), on_delete=models.CASCADE, related_name="rectification"
    )
    body = models.ForeignKey(
        "org.Body", verbose_name=_("整改单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    measures = models.TextField(_("整改措施"), blank=True)
    follow_up = models.TextField(_("回访情况"), blank=True)
    followed_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    done_on = models.DateField(_("整改完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["status", "due_on"]

    def __str__(self) -> str:
        return f"{self.rating} 整改"


class Complaint(ZoneScopedModel):
    """投诉 about a case or the window, routed by the zone's routing rule, answered within a limit."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        ANSWERED = "answered", _("已答复")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("属实")
        PARTLY = "partly", _("部分属实")
        NOT_UPHELD = "not_upheld", _("不属实")

    number = models.CharField(_("投诉编号"), max_length=30)
    case = models.ForeignKey(
        Case, verbose_name=_("相关办件"), on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    complainant = models.CharField(_("投诉人"), max_length=100)
    mobile = models.CharField(_("联系电话"), max_length=11, blank=True)
    content = models.TextField(_("投诉内容"))
    # The routing category (``org.RoutingRule.category``) that decided the handling body.
    category = models.SlugField(_("事项类别"), max_length=40, default="window_service")
    received_on = models.DateField(_("登记日期"))
    body = models.ForeignKey("org.Body", verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("答复时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复内容"), blank=True)
    outcome = models.CharField(_("核查结论"), max_length=12, choices=Outcome.choices, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["status", "due_on"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="window_complaint_number_unique")]

    def __str__(self) -> str:
        return self.number

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


from onezone.window.bundles.models import Bundle, BundleCase, BundleIntake, BundleMember, BundleSubCase  # noqa: E402, F401
from onezone.window.centre.models import ServiceWindow, WindowSeat  # noqa: E402, F401
from onezone.window.models_materials import CaseFile, FileSource, PreReview, PreReviewFile, PreReviewStatus  # noqa: E402, F401
