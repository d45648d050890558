"""The files of a case's materials, and the enterprise's materials sent for pre-review (申请材料预审).

A file is stored once under its content hash (``core.uploads.store_by_hash``); the records say which
line of which checklist it is, whose it is, where it came from and the name the user gave it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel

MATERIALS_FOLDER = "window/materials"
PREREVIEW_FOLDER = "window/prereview"


class FileSource(models.TextChoices):
    UPLOAD = "upload", _("窗口上传")
    SCAN = "scan", _("高拍仪扫描")
    PREREVIEW = "prereview", _("网上预审")


class StoredFileFields(ZoneScopedModel):
    """The stored file of one checklist line: the file under its hash and what is known of it."""

    material_id = models.BigIntegerField(_("材料清单行"))
    material_name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("材料文件"), upload_to=MATERIALS_FOLDER, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=80)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    kind = models.CharField(_("文件类型"), max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        abstract = True

    @property
    def is_picture(self) -> bool:
        return self.kind in {"png", "jpeg"}

    @property
    def can_preview(self) -> bool:
        return self.kind in {"pdf", "png", "jpeg"}


class CaseFile(StoredFileFields):
    """A material of a case (scan, photo or electronic file) attached to its line of the checklist."""

    case = models.ForeignKey("window.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="files")
    source = models.CharField(_("来源"), max_length=10, choices=FileSource.choices, default=FileSource.UPLOAD)
    # Kept when removed from the case: the audit trail and the archive still know the file.
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移除人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_reason = models.CharField(_("移除原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("办件材料文件")
        verbose_name_plural = _("办件材料文件")
        ordering = ["case", "material_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["zone", "case", "material_id"], name="window_casefile_case_line")]

    def __str__(self) -> str:
        return f"{self.material_name}：{self.original_name}"


class PreReviewStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交预审")
    RETURNED = "returned", _("退回修改")
    TAKEN = "taken", _("已转入办件")
    WITHDRAWN = "withdrawn", _("已撤销")


class PreReview(ZoneScopedModel):
    """An enterprise's materials for one item, uploaded per checklist line before it comes to the window."""

    number = models.CharField(_("预审编号"), max_length=30)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey("powers.PowerItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(_("实施编码"), max_length=60)
    item_name = models.CharField(_("事项名称"), max_length=200)
    # The checklist as in force when the pre-review began: [{material_id, name, required, form, copies, standard}].
    materials = models.JSONField(_("材料清单"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=PreReviewStatus.choices, default=PreReviewStatus.DRAFT)
    # The clerk's word on each line that needs fixing: {"<material_id>": "..."}; and on the whole.
    line_notes = models.JSONField(_("逐项意见"), default=dict, blank=True)
    note = models.CharField(_("预审意见"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("预审人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("预审时间"), null=True, blank=True)
    case = models.ForeignKey(
        "window.Case",
        verbose_name=_("转入办件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prereviews",
    )

    class Meta:
        verbose_name = _("申请材料预审")
        verbose_name_plural = _("申请材料预审")
        ordering = ["zone", "-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "number"], name="window_prereview_number_unique")]
        indexes = [
            models.Index(fields=["zone", "status", "submitted_at"], name="window_prereview_queue"),
            models.Index(fields=["zone", "enterprise", "created_at"], name="window_prereview_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item_name}"


class PreReviewFile(StoredFileFields):
    """One file of a pre-review's checklist line."""

    prereview = models.ForeignKey(PreReview, verbose_name=_("预审"), on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("预审材料文件")
        verbose_name_plural = _("预审材料文件")
        ordering = ["prereview", "material_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["zone", "prereview", "material_id"], name="window_prefile_line")]

    def __str__(self) -> str:
        return f"{self.material_name}：{self.original_name}"
