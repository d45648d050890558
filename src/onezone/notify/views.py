"""The inbox, the preferences page and the failures report; for staff in the back office and for
enterprise users in the portal. Views parse input and call the services and selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, NotFound
from onezone.core.middleware import current_zone_id
from onezone.core.permissions import roles_in
from onezone.core.redirects import safe_target
from onezone.core.roles import STAFF_ROLES, Role
from onezone.notify import conf, selectors, services
from onezone.notify.models import SENT_CHANNELS

PORTAL_LOGIN = "/portal/enterprise/login/"
FAILURE_WINDOW = dt.timedelta(hours=24)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) <= 6 else 1


def _desk(roles: frozenset[str] = frozenset(STAFF_ROLES)) -> Callable:
    return desk_view(roles, refused="该页面仅向本开发区有相应角色的工作人员开放。")


def _portal(view: Callable) -> Callable:
    """A portal page for a signed-in enterprise user of the current zone."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{PORTAL_LOGIN}?next={request.path}")
        zone_id = current_zone_id(request)
        if zone_id is None or Role.ENTERPRISE not in roles_in(request.user, zone_id):
            raise DjangoPermissionDenied("该页面仅向企业用户开放。")
        try:
            return view(request, zone_id, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _desk_page(request: HttpRequest, template: str, title: str, **context: Any) -> TemplateResponse:
    return TemplateResponse(request, template, {**admin.site.each_context(request), "title": title, **context})


def _inbox_context(request: HttpRequest, zone_id: int, base: str) -> dict[str, Any]:
    unread_only = request.GET.get("unread") == "1"
    page = selectors.inbox_page(zone_id=zone_id, user=request.user, page=_page_number(request), unread_only=unread_only)
    return {
        "page": page,
        "unread_only": unread_only,
        "unread": selectors.unread_count(zone_id=zone_id, user=request.user),
        "base": base,
    }


def _open(request: HttpRequest, zone_id: int, pk: int, fallback: str) -> HttpResponse:
    notification = services.notification_mark_read(actor=request.user, zone_id=zone_id, notification_id=pk)
    target = notification.link if request.POST.get("go") == "1" else None
    return HttpResponseRedirect(safe_target(request, target, fallback))


def _read_all(request: HttpRequest, zone_id: int, fallback: str) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=request.user, zone_id=zone_id)
    messages.success(request, f"已将 {count} 条通知标为已读。" if count else "没有未读通知。")
    return HttpResponseRedirect(fallback)


def _parse_choices(request: HttpRequest, zone_id: int, audience: str) -> dict[tuple[str, str], bool]:
    rows = selectors.preferences_of(zone_id=zone_id, user=request.user, audience=audience).rows
    return {
        (row.kind.key, channel): request.POST.get(f"{row.kind.key}:{channel}") == "on"
        for row in rows
        for channel in SENT_CHANNELS
    }


def _preferences(request: HttpRequest, zone_id: int, audience: str, back: str) -> dict[str, Any] | HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            services.preferences_save(
                actor=request.user,
                zone_id=zone_id,
                choices=_parse_choices(request, zone_id, audience),
                mobile=request.POST.get("mobile", "")[:100],
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "通知偏好已保存。")
            return HttpResponseRedirect(back)
    return {
        "prefs": selectors.preferences_of(zone_id=zone_id, user=request.user, audience=audience),
        "error": error,
        "posted_mobile": request.POST.get("mobile", "")[:100] if error else None,
        "quiet": conf.value("ONEZONE_SMS_QUIET_HOURS") or "未设置",
    }


# -- the back office ---------------------------------------------------------------------------------


@_desk()
def desk_inbox(request: HttpRequest, zone_id: int) -> HttpResponse:
    context = _inbox_context(request, zone_id, "/desk/notify/")
    return _desk_page(request, "notify/desk_inbox.html", "我的消息", **context)


@_desk()
@require_POST
def desk_read(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    return _open(request, zone_id, pk, "/desk/notify/")


@_desk()
@require_POST
def desk_read_all(request: HttpRequest, zone_id: int) -> HttpResponse:
    return _read_all(request, zone_id, "/desk/notify/")


@_desk()
def desk_preferences(request: HttpRequest, zone_id: int) -> HttpResponse:
    result = _preferences(request, zone_id, "staff", "/desk/notify/preferences/")
    if isinstance(result, HttpResponse):
        return result
    return _desk_page(request, "notify/desk_preferences.html", "通知偏好", **result)


@_desk(frozenset({Role.ADMIN}))
def desk_failures(request: HttpRequest, zone_id: int) -> HttpResponse:
    since = timezone.now() - FAILURE_WINDOW
    return _desk_page(
        request,
        "notify/desk_failures.html",
        "通知发送失败",
        health=selectors.channel_health(zone_id=zone_id, since=since),
        page=selectors.failed_deliveries(zone_id=zone_id, page=_page_number(request)),
    )


@_desk(frozenset({Role.ADMIN}))
@require_POST
def desk_retry(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    try:
        services.delivery_retry(actor=request.user, zone_id=zone_id, delivery_id=pk)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已重新排入发送队列。")
    return HttpResponseRedirect("/desk/notify/failures/")


# -- the enterprise portal -----------------------------------------------------------------------------


@_portal
def portal_inbox(request: HttpRequest, zone_id: int) -> HttpResponse:
    context = _inbox_context(request, zone_id, "/portal/notify/")
    return render(request, "notify/portal_inbox.html", {"title": "我的消息", **context})


@_portal
@require_POST
def portal_read(request: HttpRequest, zone_id: int, pk: int) -> HttpResponse:
    return _open(request, zone_id, pk, "/portal/notify/")


@_portal
@require_POST
def portal_read_all(request: HttpRequest, zone_id: int) -> HttpResponse:
    return _read_all(request, zone_id, "/portal/notify/")


@_portal
def portal_preferences(request: HttpRequest, zone_id: int) -> HttpResponse:
    result = _preferences(request, zone_id, "enterprise", "/portal/notify/preferences/")
    if isinstance(result, HttpResponse):
        return result
    return render(request, "notify/portal_preferences.html", {"title": "通知偏好", **result})
