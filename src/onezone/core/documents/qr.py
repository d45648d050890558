"""QR codes of verification addresses (qrcode), as PNG for the .docx; the PDF draws its own."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

MAX_URL = 500  # an address longer than this is a mistake, not a verification link


def png(url: str) -> bytes:
    """A PNG of the QR code of ``url`` (medium error correction, a four-module quiet zone)."""
    if len(url) > MAX_URL:
        raise ValueError(f"verification address of {len(url)} characters; at most {MAX_URL}")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()
