"""Issuing a document: number it, give it a verification code, render the .docx and the PDF from the
same parts, sign the PDF where the zone has a key, and keep all of it with the PDF's hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from onezone.core.audit import audit_record
from onezone.core.documents import signing
from onezone.core.documents.gongwen import Gongwen, Verification, document_number
from onezone.core.documents.models import IssuedDocument
from onezone.core.documents.pdf import to_pdf
from onezone.core.documents.word import to_docx
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.permissions import require

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed from paper
CODE_GROUPS, CODE_GROUP_LENGTH = 4, 4  # 16 symbols of 32: 80 bits
NUMBER_ATTEMPTS = 5  # another request may take the next serial at the same moment; try the next one

Builder = Callable[[str, Verification], Gongwen]

LIMITS = {"kind": 40, "source": 40, "series": 20, "title": 100, "issuer": 100}
LABELS = {"kind": "文书种类", "source": "来源", "series": "发文字号代字", "title": "标题", "issuer": "发文机关"}


def new_code() -> str:
    """A fresh verification code, ``XXXX-XXXX-XXXX-XXXX``."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS))
    return "-".join(groups)


def verify_url(code: str, base_url: str) -> str:
    """The public verification page of ``code`` under ``base_url`` (the site's public address)."""
    return base_url.rstrip("/") + reverse("document-verify-code", args=[code])


def _check_lengths(values: dict[str, str]) -> None:
    for name, value in values.items():
        limit = LIMITS[name]
        if not value.strip():
            raise InvalidInput(f"{LABELS[name]}不能为空。", fields={name: "请填写。"})
        if len(value) > limit:
            raise InvalidInput(
                f"{LABELS[name]}最多 {limit} 个字，现为 {len(value)} 个字，请缩短。",
                fields={name: f"最多 {limit} 个字。"},
            )


def document_issue(
    *,
    actor: Any,
    zone: Any,
    roles: Iterable[str],
    source: str,
    source_id: int,
    kind: str,
    series: str,
    issued_on: dt.date,
    base_url: str,
    build: Builder,
) -> IssuedDocument:
    """The document ``kind`` of the record ``source``/``source_id``, issued once.

    The first call numbers it (``series``〔year〕serial号, serials counted per zone, series and year),
    gives it a verification code, builds its parts with ``build(number, verification)``, renders the
    .docx and the PDF, signs the PDF with the zone's key where one is configured, and stores both with
    the PDF's SHA-256. Later calls return that record unchanged. ``roles``: who may issue it.
    """
    require(actor, zone_id=zone.pk, roles=roles, action="出具文书")
    _check_lengths({"kind": kind, "source": source, "series": series})
    existing = _issued(zone.pk, source, source_id, kind)
    if existing is not None:
        return existing
    key = signing.key_for(zone.code)
    for _attempt in range(NUMBER_ATTEMPTS):
        with transaction.atomic():
            last = IssuedDocument.objects.filter(zone_id=zone.pk, series=series, year=issued_on.year).aggregate(
                last=Max("serial")
            )["last"]
            serial = (last or 0) + 1
            number = document_number(series, issued_on.year, serial)
            code = new_code()
            parts = build(number, Verification(code=code, url=verify_url(code, base_url)))
            _check_lengths({"title": parts.title, "issuer": parts.signature or parts.issuer_mark})
            pdf = to_pdf(parts)
            signed_by = ""
            if key is not None:
                pdf, signed_by = signing.sign_pdf(pdf, key, reason=parts.title, location=parts.signature)
            try:
                with transaction.atomic():
                    document = IssuedDocument.objects.create(
                        zone_id=zone.pk,
                        code=code,
                        kind=kind,
                        title=parts.title,
                        issuer=parts.signature or parts.issuer_mark,
                        series=series,
                        year=issued_on.year,
                        serial=serial,
                        number=number,
                        issued_on=issued_on,
                        source=source,
                        source_id=source_id,
                        pdf=pdf,
                        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                        docx=to_docx(parts),
                        signed_by=signed_by,
                        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
                    )
            except IntegrityError:
                existing = _issued(zone.pk, source, source_id, kind)
                if existing is not None:
                    return existing
                continue  # the serial (or, once in 2^80, the code) was taken meanwhile
            audit_record(
                actor=actor,
                action="document.issue",
                obj=document,
                changes={"kind": kind, "number": number, "code": code, "sha256": document.pdf_sha256},
            )
            return document
    raise Conflict("同时出具的文书较多，未能分配发文字号，请稍后重试。")


def _issued(zone_id: int, source: str, source_id: int, kind: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(zone_id=zone_id, source=source, source_id=source_id, kind=kind).first()
