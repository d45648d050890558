"""The one guard of the enterprise portal's pages: a signed-in user acting for an enterprise.

Every module's portal page for enterprises uses it, so the rule exists once::

    from onezone.enterprises.portal_pages import enterprise_page

    @enterprise_page
    def my_page(request, enterprise): ...

An anonymous visitor goes to the enterprise sign-in with the page to come back to; a user who acts
for no enterprise in a zone where they hold the enterprise role gets the page that says so (403). A
record the view cannot find for this enterprise (the service's ``NotFound``) answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from onezone.core.errors import NotFound
from onezone.core.permissions import roles_in
from onezone.core.roles import Role

PORTAL_LOGIN = "/portal/enterprise/login/"


def enterprise_page(
    view: Callable[..., HttpResponse] | None = None, *, title: str = "企业服务"
) -> Callable[..., HttpResponse]:
    """Wrap ``view(request, enterprise, ...)``; usable as ``@enterprise_page`` or ``@enterprise_page(title=…)``."""

    def decorate(inner: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(inner)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from onezone.enterprises.selectors import enterprise_of_user

            if not request.user.is_authenticated:
                return HttpResponseRedirect(f"{PORTAL_LOGIN}?{urlencode({'next': request.get_full_path()})}")
            enterprise = enterprise_of_user(request.user)
            if enterprise is None or Role.ENTERPRISE not in roles_in(request.user, enterprise.zone_id):
                return render(request, "enterprises/portal/not_linked.html", {"title": title}, status=403)
            try:
                return inner(request, enterprise, *args, **kwargs)
            except NotFound as exc:  # another enterprise's record: as if it did not exist
                raise Http404(exc.message) from exc

        return wrapper

    return decorate(view) if view is not None else decorate
