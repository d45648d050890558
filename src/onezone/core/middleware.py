"""Request-wide concerns: the current zone, the client address for audit, security headers, NUL refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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


NUL_MESSAGE = "提交的内容含有不可见的控制字符（NUL），请删除后重新提交。"
_NUL_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulRefusalMiddleware:
    """Refuses a request whose parameters, form fields or JSON body carry a NUL character.

    No text the platform keeps may contain one, and PostgreSQL refuses to store or even compare it,
    so a NUL that reached a query would end as a server error. The API answers with its error shape
    (400, code ``invalid``), pages with a 400 page giving the reason in Chinese. Uploaded files are not inspected
    here (the upload guard checks their content).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            if request.path.startswith("/api/"):
                body = {"code": "invalid", "message": NUL_MESSAGE, "fields": {}}
                return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
            context = {"title": "请求无法处理", "message": NUL_MESSAGE}
            return render(request, "onezone/refused.html", context, status=400)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type in _NUL_FORMS:
            return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.POST.lists())
        if content_type == "application/json":
            body = request.body
            return b"\x00" in body or b"\\u0000" in body
        return False


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
