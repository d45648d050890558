"""Staff pages of personnel: my payslips (我的工资条) and one payslip. Every view of pay is audited."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from onezone.core.errors import NotFound, PermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.org.models import Person
from onezone.personnel.services import own_payslips_open, payslip_open


@staff_member_required
def my_payslips(request: HttpRequest) -> HttpResponse:
    zone_id = current_zone_id(request)
    person = Person.objects.filter(user=request.user, zone_id=zone_id).first() if zone_id else None
    slips = own_payslips_open(actor=request.user, zone_id=zone_id) if person else []
    context = {
        **admin.site.each_context(request),
        "title": "我的工资条",
        "person": person,
        "slips": slips,
    }
    return TemplateResponse(request, "personnel/my_payslips.html", context)


@staff_member_required
def payslip_detail(request: HttpRequest, payslip_id: int) -> HttpResponse:
    try:
        slip = payslip_open(actor=request.user, payslip_id=payslip_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        context = {**admin.site.each_context(request), "title": "无权查看", "message": exc.message}
        return TemplateResponse(request, "personnel/refused.html", context, status=403)
    context = {**admin.site.each_context(request), "title": f"{slip.run.month:%Y年%m月}工资条", "slip": slip}
    return TemplateResponse(request, "personnel/payslip.html", context)
