"""Views of the kernel: health check and zone switching."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache

from onezone.core.middleware import SESSION_ZONE_KEY
from onezone.core.permissions import can_read_zone
from onezone.core.redirects import safe_target


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def zone_switch(request: HttpRequest) -> HttpResponse:
    """Choose which readable zone the back office shows (GET: the choice; POST: switch)."""
    if not request.user.is_staff:
        return HttpResponse("切换开发区仅供工作人员使用。", status=403)
    if request.method != "POST":
        from django.contrib import admin
        from django.shortcuts import render

        from onezone.core.middleware import current_zone_id
        from onezone.zones.selectors import zones_for

        context = {
            **admin.site.each_context(request),
            "title": "切换开发区",
            "zones": zones_for(request.user),
            "current": current_zone_id(request),
        }
        return render(request, "onezone/zone_switch.html", context)
    try:
        zone_id = int(request.POST.get("zone_id", ""))
    except ValueError:
        return HttpResponse("请选择一个开发区。", status=400)
    if not can_read_zone(request.user, zone_id):
        return HttpResponse("您无权查看该开发区。", status=403)
    request.session[SESSION_ZONE_KEY] = zone_id
    return HttpResponseRedirect(safe_target(request, request.POST.get("next"), "/admin/"))
