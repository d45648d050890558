"""Bodies, posts, people and appointments; the routing rule; committee meetings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.codes import CodeError, mask_mobile, mask_resident_id, validate_mobile, validate_resident_id
from onezone.core.models import ZoneScopedModel


def _resident_id_validator(value: str) -> None:
    try:
        validate_resident_id(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


def _mobile_validator(value: str) -> None:
    try:
        validate_mobile(value)
    except CodeError as exc:
        raise ValidationError(exc.message) from exc


class Body(ZoneScopedModel):
    """An organisation the zone works with (三定: functions, internal bodies, staffing)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("管委会")
        DEPARTMENT = "department", _("内设机构")
        ENFORCEMENT = "enforcement", _("执法机构")
        TOWN = "town", _("乡镇政府")
        SECTOR = "sector", _("县级行业部门")
        SERVICE_CENTRE = "service_centre", _("政务服务中心")
        COMPANY = "company", _("开发运营公司")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    functions = models.TextField(_("主要职能（三定）"), blank=True)
    headcount_quota = models.PositiveIntegerField(_("核定编制/员额"), default=0)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["zone", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="org_body_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "机构不能以自己为上级。"})
        if self.parent is not None and self.parent.zone_id != self.zone_id:
            raise ValidationError({"parent": "上级机构必须属于同一开发区。"})


class Post(ZoneScopedModel):
    """A post (岗位) in a body."""

    class Category(models.TextChoices):
        MANAGEMENT = "management", _("管理岗位")
        PROFESSIONAL = "professional", _("专业技术岗位")
        SUPPORT = "support", _("工勤技能岗位")

    body = models.ForeignKey(Body, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("岗位名称"), max_length=100)
    category = models.CharField(_("岗位类别"), max_length=16, choices=Category.choices, default=Category.MANAGEMENT)
    grade = models.CharField(_("岗位等级"), max_length=30, blank=True)
    is_head = models.BooleanField(_("机构负责人岗位"), default=False)
    headcount = models.PositiveSmallIntegerField(_("岗位数"), default=1)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        ordering = ["body__order", "body__name", "-is_head", "title"]
        constraints = [models.UniqueConstraint(fields=["body", "title"], name="org_post_title_unique")]

    def __str__(self) -> str:
        return f"{self.body.short_name or self.body.name}·{self.title}"

    def clean(self) -> None:
        if self.body_id and self.body.zone_id != self.zone_id:
            raise ValidationError({"body": "岗位所在机构必须属于同一开发区。"})


class Person(ZoneScopedModel):
    """A member of staff. The ID number and mobile are personal information: masked in lists."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, validators=[_resident_id_validator])
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[_mobile_validator])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["zone", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""

    @property
    def mobile_masked(self) -> str:
        return mask_mobile(self.mobile) if self.mobile else ""


class Appointment(ZoneScopedModel):
    """A person holds a post from ``start`` until ``end`` (open while ``end`` is empty)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="appointments")
    post = models.ForeignKey(Post, verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="appointments")
    start = models.DateField(_("任职日期"))
    end = models.DateField(_("免职日期"), null=True, blank=True)
    is_concurrent = models.BooleanField(_("兼任"), default=False)
    document = models.CharField(_("任免文号"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        ordering = ["person__name", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="org_appointment_end_after_start",
                violation_error_message="免职日期不能早于任职日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.post}"

    def clean(self) -> None:
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "免职日期不能早于任职日期。"})
        if self.person_id and self.post_id and self.person.zone_id != self.post.zone_id:
            raise ValidationError({"post": "人员与岗位必须属于同一开发区。"})


class MatterDomain(models.TextChoices):
    """社会事务归行政、经济事务归园区、综合监管归行业."""

    SOCIAL = "social", _("社会事务（归乡镇）")
    ECONOMIC = "economic", _("经济事务（归园区）")
    SUPERVISION = "supervision", _("综合监管（归行业部门）")


class RoutingRule(ZoneScopedModel):
    """Which body handles a category of matters in this zone."""

    category = models.SlugField(_("事项类别代码"), max_length=40)
    category_name = models.CharField(_("事项类别"), max_length=60)
    domain = models.CharField(_("归口领域"), max_length=16, choices=MatterDomain.choices)
    body = models.ForeignKey(Body, verbose_name=_("承办机构"), on_delete=models.PROTECT, related_name="routing_rules")
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("事务归口规则")
        verbose_name_plural = _("事务归口规则")
        ordering = ["zone", "domain", "category"]
        constraints = [models.UniqueConstraint(fields=["zone", "category"], name="org_routing_category_unique")]

    def __str__(self) -> str:
        return f"{self.category_name} → {self.body}"

    def clean(self) -> None:
        if not self.body_id:
            return
        if self.body.zone_id != self.zone_id:
            raise ValidationError({"body": "承办机构必须属于同一开发区。"})
        expected = {
            MatterDomain.SOCIAL: {Body.Kind.TOWN},
            MatterDomain.ECONOMIC: {Body.Kind.COMMITTEE, Body.Kind.DEPARTMENT, Body.Kind.SERVICE_CENTRE},
            MatterDomain.SUPERVISION: {Body.Kind.SECTOR, Body.Kind.ENFORCEMENT},
        }.get(self.domain)
        if expected and self.body.kind not in expected:
            kinds = "、".join(str(Body.Kind(k).label) for k in sorted(expected))
            raise ValidationError(
                {
                    "body": f"“{self.get_domain_display()}”应由{kinds}承办，"
                    f"所选“{self.body}”是{self.body.get_kind_display()}。"
                }
            )


class Meeting(ZoneScopedModel):
    """A committee meeting (园区的事园区议)."""

    class Kind(models.TextChoices):
        DIRECTORS = "directors", _("主任办公会")
        PARTY = "party", _("党工委会议")
        JOINT = "joint", _("联席会议")
        SPECIAL = "special", _("专题会议")

    title = models.CharField(_("会议名称"), max_length=150)
    kind = models.CharField(_("会议类型"), max_length=16, choices=Kind.choices)
    held_on = models.DateField(_("召开日期"))
    chair = models.ForeignKey(
        Person, verbose_name=_("主持人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes_number = models.CharField(_("纪要编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class AgendaItem(ZoneScopedModel):
    """One matter discussed at a meeting, and what was decided."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    topic = models.CharField(_("议题"), max_length=200)
    presenter = models.ForeignKey(
        Body, verbose_name=_("汇报单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("会议决定"), blank=True)
    approved = models.BooleanField(_("审议通过"), null=True, blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.topic


class FollowUpTask(ZoneScopedModel):
    """Work a meeting assigned: an owner, a deadline, and whether it is done."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("议题"), on_delete=models.CASCADE, related_name="tasks")
    description = models.CharField(_("任务"), max_length=200)
    owner_body = models.ForeignKey(Body, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="tasks")
    owner = models.ForeignKey(
        Person, verbose_name=_("责任人"), on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    deadline = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(_("办结日期"), null=True, blank=True)
    result = models.TextField(_("办理结果"), blank=True)

    class Meta:
        verbose_name = _("会议督办任务")
        verbose_name_plural = _("会议督办任务")
        ordering = ["status", "deadline"]

    def __str__(self) -> str:
        return self.description
