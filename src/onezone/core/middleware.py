"""Request-wide concerns: the current zone, the client address for audit, security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from onezone.core.audit import current_ip
from onezone.core.permissions import readable_zone_ids

SESSION_ZONE_KEY = "onezone_zone_id"

# Every asset is served by the site itself, so the policy allows nothing from elsewhere. The admin
# theme uses inline styles and Alpine.js expressions, hence 'unsafe-inline' and 'unsafe-eval'.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            current_ip.reset(token)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def current_zone_id(request: Any) -> int | None:
    """The zone the user works in now: the one chosen in the session, else the first readable.

    Computed once per request and kept on it.
    """
    if hasattr(request, "_onezone_zone_id"):
        return request._onezone_zone_id
    zone_id = _resolve_zone_id(request)
    request._onezone_zone_id = zone_id
    return zone_id


def _resolve_zone_id(request: Any) -> int | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    zones = readable_zone_ids(user)
    chosen = request.session.get(SESSION_ZONE_KEY)
    if chosen is not None and (zones is None or chosen in zones):
        return chosen
    if zones:
        return min(zones)
    if zones is None:
        from django.apps import apps

        zone_model = apps.get_model("zones", "Zone")
        return zone_model.objects.order_by("id").values_list("id", flat=True).first()
    return None
