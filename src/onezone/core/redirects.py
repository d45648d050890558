"""Where a page may send the browser after a post: only to this site.

Every ``next`` (or stored link) a redirect follows goes through ``safe_target``: an address on another
host, or with another scheme (``javascript:``, ``//elsewhere``), is replaced by the page's own
fallback, so a crafted link cannot use the site to send its users elsewhere (open redirect).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_target(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` if it stays on this site (and on HTTPS when the request is), else ``fallback``."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
