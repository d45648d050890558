"""Signing issued PDFs with the zone's key (pyHanko), verifiable offline with the zone's certificate.

The key is a PKCS#12 file and its passphrase: per zone in ``ONEZONE_SIGNING_KEYS``
(``{"<zone code>": {"p12": "/path/key.p12", "passphrase": "..."}}``), else the site's
``ONEZONE_SIGNING_P12`` and ``ONEZONE_SIGNING_PASSPHRASE`` (settings, or the environment variables of
those names). With neither, documents are issued unsigned: the stored hash and the verification
page still prove them.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from onezone.core.errors import InvalidInput

FIELD_NAME = "OneZoneSignature"


@dataclass(frozen=True)
class SigningKey:
    p12: str
    passphrase: str


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or os.environ.get(name, ""))


def key_for(zone_code: str) -> SigningKey | None:
    """The key that signs the zone's documents, or None where none is configured."""
    per_zone: dict[str, Any] = getattr(settings, "ONEZONE_SIGNING_KEYS", None) or {}
    entry = per_zone.get(zone_code)
    if entry:
        return SigningKey(p12=str(entry["p12"]), passphrase=str(entry.get("passphrase", "")))
    path = _setting("ONEZONE_SIGNING_P12")
    return SigningKey(p12=path, passphrase=_setting("ONEZONE_SIGNING_PASSPHRASE")) if path else None


_signers: dict[tuple[str, float, str], Any] = {}


def _signer(key: SigningKey) -> Any:
    # pyHanko is imported only where a key is configured: it is large, and warns on import.
    from pyhanko.sign import signers

    try:
        stamp = os.stat(key.p12).st_mtime
    except OSError as exc:
        raise InvalidInput(
            f"签章证书文件 {key.p12} 无法读取（{exc.strerror}），请系统管理员检查 ONEZONE_SIGNING_P12 的设置。"
        ) from exc
    cache_key = (key.p12, stamp, key.passphrase)
    signer = _signers.get(cache_key)
    if signer is None:
        try:
            signer = signers.SimpleSigner.load_pkcs12(key.p12, passphrase=key.passphrase.encode() or None)
        except (ValueError, TypeError):  # a wrong passphrase, or not a PKCS#12 file
            signer = None
        if signer is None:
            raise InvalidInput("签章证书文件或其口令不正确，无法签署文书，请系统管理员检查签章设置。")
        _signers.clear()
        _signers[cache_key] = signer
    return signer


def sign_pdf(pdf: bytes, key: SigningKey, *, reason: str, location: str) -> tuple[bytes, str]:
    """``pdf`` signed with ``key`` (an incremental update), and the certificate's subject."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = _signer(key)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason[:100], location=location[:100])
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue(), signer.signing_cert.subject.human_friendly[:200]
