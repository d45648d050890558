"""The centre's page: the stationed departments, their windows and who sits where today."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from onezone.core.errors import DomainError
from onezone.window.centre import selectors
from onezone.window.views import _date, _forbidden, _page, _zone_or_403


@login_required
def centre_page(request: HttpRequest) -> HttpResponse:
    """部门进驻: each window with its body, its items and the staff there on the day (today by default)."""
    try:
        zone_id = _zone_or_403(request)
        on = _date(request.GET.get("on")) or timezone.localdate()
    except DomainError as exc:
        return _forbidden(request, exc)
    return _page(
        request,
        "window/centre.html",
        "政务服务中心进驻窗口",
        {"windows": selectors.centre_today(zone_id=zone_id, on=on), "on": on},
    )
