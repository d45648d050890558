"""The record of each issued document (发文登记): what it is, who issued it, its number and date, the
PDF and .docx as issued, and the SHA-256 of the PDF that a public check compares with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onezone.core.models import ZoneScopedModel


class IssuedDocument(ZoneScopedModel):
    """One document as issued. Issuing is once per source record and kind: the second request for the
    same notice gets these bytes back, so the printed copy, the download and the check always agree."""

    code = models.CharField(_("验证码"), max_length=19, unique=True)
    kind = models.CharField(_("文书种类"), max_length=40)
    title = models.CharField(_("标题"), max_length=100)
    issuer = models.CharField(_("发文机关"), max_length=100)
    series = models.CharField(_("发文字号代字"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("发文字号"), max_length=40)
    issued_on = models.DateField(_("成文日期"))
    source = models.CharField(_("来源"), max_length=40, help_text=_("产生文书的记录类型，如 window.case"))
    source_id = models.PositiveBigIntegerField(_("来源记录"))
    pdf = models.BinaryField(_("PDF 文件"))
    pdf_sha256 = models.CharField(_("PDF 摘要（SHA-256）"), max_length=64, db_index=True)
    docx = models.BinaryField(_("Word 文件"))
    signed_by = models.CharField(_("数字签名证书"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("已出具文书")
        verbose_name_plural = _("已出具文书")
        constraints = [
            models.UniqueConstraint(fields=["zone", "source", "source_id", "kind"], name="core_document_once"),
            models.UniqueConstraint(fields=["zone", "series", "year", "serial"], name="core_document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"
