"""QR codes of verification addresses (qrcode): the modules once, drawn as PNG for the .docx and as
rectangles in the PDF."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

MAX_URL = 500  # an address longer than this is a mistake, not a verification link
PIXELS_PER_MODULE = 8


@lru_cache(maxsize=64)  # the .docx and the PDF of one document draw the same code
def matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules (True is dark), with a four-module quiet zone; medium error correction and
    one fixed mask (choosing the best of eight triples the time for no gain in a printed code)."""
    if len(url) > MAX_URL:
        raise ValueError(f"verification address of {len(url)} characters; at most {MAX_URL}")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def png(url: str) -> bytes:
    """A PNG of the QR code of ``url``."""
    modules = matrix(url)
    size = len(modules)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in modules for dark in row])
    image = image.resize((size * PIXELS_PER_MODULE, size * PIXELS_PER_MODULE), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
