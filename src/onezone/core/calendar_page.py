"""The administrator's page for next year's holiday arrangement: upload the file, see what it changed.

The same import as ``onezone calendar import FILE``: all or nothing, every deadline that depends on the
year recomputed after it is stored. The calendar serves every zone of the site, so only the site's
administrator may import it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from onezone.core.calendar import ARRANGEMENT_MAX_BYTES, arrangement_from_text, calendar_import, missing_next_year
from onezone.core.errors import DomainError
from onezone.core.models import CalendarYear
from onezone.core.permissions import has_role
from onezone.core.roles import Role


class ArrangementForm(forms.Form):
    file = forms.FileField(label="节假日安排文件（YAML 或 JSON）")


def can_import_calendar(user) -> bool:
    return has_role(user, None, [Role.ADMIN])


def calendar_import_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated or not request.user.is_staff:
        return HttpResponseRedirect(f"/admin/login/?next={request.path}")
    if not can_import_calendar(request.user):
        raise PermissionDenied("节假日安排供本站所有开发区使用，只有本站的系统管理员可以导入，请联系系统管理员。")
    form = ArrangementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = upload.read(ARRANGEMENT_MAX_BYTES + 1)
            entry = calendar_import(actor=request.user, data=arrangement_from_text(raw, name=upload.name))
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                f"已导入 {entry.year} 年节假日安排（{entry.document or '未注明文号'}），相关办理时限已重新计算。",
            )
            return HttpResponseRedirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": "导入节假日安排",
        "form": form,
        "missing_year": missing_next_year(),
        "years": CalendarYear.objects.order_by("-year")[:5],
    }
    return render(request, "onezone/calendar_import.html", context)
