"""What pages that hand out issued documents share: the site's public address and the file answer."""

from __future__ import annotations

import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from onezone.core.files import content_disposition

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def public_base_url(request: HttpRequest) -> str:
    """The address the QR codes point to: ``ONEZONE_PUBLIC_URL`` where set (the address the public
    reaches the site at), else the address this request came to."""
    configured = str(getattr(settings, "ONEZONE_PUBLIC_URL", "") or os.environ.get("ONEZONE_PUBLIC_URL", ""))
    return configured or request.build_absolute_uri("/")


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """``content`` as a download named ``filename``."""
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
