"""Reads of issued documents: a record's documents for its page, one document's files, the public check."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from onezone.core.documents.models import IssuedDocument
from onezone.core.documents.services import CODE_ALPHABET, CODE_GROUP_LENGTH, CODE_GROUPS

CODE_LENGTH = CODE_GROUPS * CODE_GROUP_LENGTH
_NOT_CODE = re.compile(r"[\s\-—_]")
# What the public page shows: nothing personal (the addressee and the body's text stay in the file).
PUBLIC_FIELDS = ("code", "kind", "title", "issuer", "number", "issued_on", "pdf_sha256", "signed_by", "zone__name")


def normalise_code(text: str) -> str | None:
    """``" k7qm 2xpa-9wtr-hd3f "`` → ``"K7QM-2XPA-9WTR-HD3F"``; None for anything that is not a code."""
    raw = _NOT_CODE.sub("", (text or "")[:40]).upper()
    if len(raw) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in raw):
        return None
    return "-".join(raw[i : i + CODE_GROUP_LENGTH] for i in range(0, CODE_LENGTH, CODE_GROUP_LENGTH))


@dataclass(frozen=True)
class PublicDocument:
    """What anyone may learn of a genuine document from its code."""

    code: str
    title: str
    issuer: str
    number: str
    issued_on: dt.date
    pdf_sha256: str
    signed_by: str
    zone_name: str


def document_public(code: str) -> PublicDocument | None:
    """The issued document with ``code`` (codes are unique across zones), or None. One query."""
    normal = normalise_code(code)
    if normal is None:
        return None
    row = IssuedDocument.objects.filter(code=normal).values(*PUBLIC_FIELDS).first()
    if row is None:
        return None
    return PublicDocument(
        code=row["code"],
        title=row["title"],
        issuer=row["issuer"],
        number=row["number"],
        issued_on=row["issued_on"],
        pdf_sha256=row["pdf_sha256"],
        signed_by=row["signed_by"],
        zone_name=row["zone__name"],
    )


def pdf_matches(document: PublicDocument, content: bytes) -> bool:
    """Whether ``content`` is, byte for byte, the PDF issued as ``document``."""
    return hashlib.sha256(content).hexdigest() == document.pdf_sha256


def document_by_hash(content: bytes) -> PublicDocument | None:
    """The issued document whose PDF is ``content``, or None (an uploaded file checked without its code)."""
    code = (
        IssuedDocument.objects.filter(pdf_sha256=hashlib.sha256(content).hexdigest())
        .values_list("code", flat=True)
        .first()
    )
    return document_public(code) if code else None


@dataclass(frozen=True)
class DocumentLink:
    kind: str
    number: str
    code: str
    issued_on: dt.date


def documents_of(*, zone_id: int, source: str, source_id: int) -> dict[str, DocumentLink]:
    """The documents issued for one record, by kind (without their files). One query."""
    rows = IssuedDocument.objects.filter(zone_id=zone_id, source=source, source_id=source_id).values_list(
        "kind", "number", "code", "issued_on"
    )
    return {kind: DocumentLink(kind, number, code, on) for kind, number, code, on in rows}


def document_files(*, zone_id: int, source: str, source_id: int, kind: str) -> IssuedDocument | None:
    """One issued document with its files, or None."""
    return IssuedDocument.objects.filter(zone_id=zone_id, source=source, source_id=source_id, kind=kind).first()
