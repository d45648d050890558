"""The one guard of a back-office (desk) page: signed-in staff of the current zone with one of the roles.

A view written ``def page(request, zone_id, ...)`` and wrapped in ``desk_view(roles)`` is reached only
through the admin site's login, only with a current zone and one of ``roles`` in it; the service's
refusals become the site's Chinese pages: ``NotFound`` the 404 page, ``PermissionDenied`` the 403 page
with its reason, any other ``DomainError`` the refusal page with the service's message and status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from onezone.core.errors import DomainError, NotFound
from onezone.core.errors import PermissionDenied as DomainPermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.permissions import roles_in

REFUSED = "您没有查看此页面的权限，请联系系统管理员授权。"


def desk_view(roles: Iterable[str], *, refused: str = REFUSED) -> Callable[[Callable], Callable]:
    """Wrap a desk view; ``refused`` is the reason shown to staff without one of ``roles``."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            zone_id = current_zone_id(request)
            if zone_id is None or not roles_in(request.user, zone_id) & allowed:
                raise DjangoPermissionDenied(refused)
            try:
                return view(request, zone_id, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except DomainError as exc:
                context = {**admin.site.each_context(request), "title": "无法办理", "message": exc.message}
                return render(request, "onezone/refused.html", context, status=exc.http_status)

        return admin.site.admin_view(wrapper)

    return decorator
