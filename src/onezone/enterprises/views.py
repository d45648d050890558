"""Pages of the enterprise module.

Back office (``desk/enterprises/...``, inside the admin theme): the enterprise page, the request
desk, the inspection register and calendar, import and export. Enterprise portal
(``portal/enterprise/...``): the enterprise's own profile and requests. Views parse input, call
services and selectors, and render; nothing here writes by itself.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, NotFound
from onezone.core.jobs import job_url
from onezone.core.money import format_amount
from onezone.core.permissions import roles_in
from onezone.core.roles import Role
from onezone.core.uploads import read_upload
from onezone.enterprises import portal_sections, selectors, services
from onezone.enterprises.access import (
    INSPECTION_ROLES,
    PERSONAL_DATA_ROLES,
    REGISTRY_ROLES,
    REQUEST_STAFF_ROLES,
    VIEW_ROLES,
)
from onezone.enterprises.models import Enterprise, EnterpriseContact, EnterpriseRequest, Inspection, RequestStatus
from onezone.enterprises.rules import request_actions
from onezone.enterprises.tasks import enterprises_import_start

# --- helpers ---------------------------------------------------------------------------------


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _desk(roles=VIEW_ROLES):
    return desk_view(roles)


def _query(params) -> str:
    """The filters of a list page without its page number, for the pager's links."""
    rest = params.copy()
    rest.pop("page", None)
    return rest.urlencode()


def _admin_context(request, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _form_errors(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for field, message in exc.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


# --- back office: enterprises ------------------------------------------------------------------


@_desk()
def enterprise_page(request, zone_id: int, pk: int):
    enterprise = selectors.enterprise_get(zone_id=zone_id, enterprise_id=pk)
    revealed = None
    if request.method == "POST" and request.POST.get("action") == "reveal":
        contact = EnterpriseContact.objects.filter(enterprise=enterprise, pk=_int(request.POST.get("contact"))).first()
        if contact is None:
            raise Http404("没有找到该联系人。")
        try:
            revealed = services.contact_reveal(actor=request.user, contact=contact)
            revealed["id"] = contact.pk
        except DomainError as exc:
            messages.error(request, exc.message)
    years = selectors.years_of(enterprise)
    context = _admin_context(
        request,
        enterprise.name,
        enterprise=enterprise,
        industry=selectors.industry_name(enterprise.industry_code),
        contacts=selectors.contacts_of(enterprise),
        revealed=revealed,
        can_reveal=bool(roles_in(request.user, zone_id) & PERSONAL_DATA_ROLES),
        years=[
            {
                "year": y.year,
                "output_value": format_amount(y.output_value),
                "revenue": format_amount(y.revenue),
                "tax": format_amount(y.tax),
                "employees": y.employees,
                "energy_tce": y.energy_tce,
                "rd_spend": format_amount(y.rd_spend),
                "exports": format_amount(y.exports),
            }
            for y in years
        ],
        capital=format_amount(enterprise.registered_capital),
        requests=selectors.requests_of_enterprise(enterprise),
        inspections=selectors.inspections_of_enterprise(enterprise),
        can_edit=bool(roles_in(request.user, zone_id) & REGISTRY_ROLES),
    )
    return render(request, "enterprises/desk/enterprise.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label="企业名录文件（.xlsx）")
    update_existing = forms.BooleanField(label="更新已登记企业（按统一社会信用代码）", required=False)


@_desk(REGISTRY_ROLES)
def import_page(request, zone_id: int):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = enterprises_import_start(
                actor=request.user,
                zone_id=zone_id,
                data=read_upload(upload),
                filename=upload.name,
                update_existing=form.cleaned_data["update_existing"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "文件已提交，正在后台逐行检查并导入；本页显示进度，完成后给出结果。")
            return HttpResponseRedirect(job_url(job))
    context = _admin_context(request, "企业名录导入导出", form=form, result=None, errors=[])
    return render(request, "enterprises/desk/import.html", context)


def _list_filters(params) -> dict[str, Any]:
    misfit = {"no": True, "yes": False}.get(params.get("fit", ""))
    return {
        "park_id": _int(params.get("park")),
        "industry": params.get("industry") or None,
        "size": params.get("size__exact") or params.get("size") or None,
        "tag": params.get("tag") or None,
        "misfit": misfit,
        "status": params.get("status__exact") or params.get("status") or None,
        "q": params.get("q") or None,
    }


@_desk()
def export_xlsx(request, zone_id: int):
    try:
        content = services.enterprises_export(actor=request.user, zone_id=zone_id, **_list_filters(request.GET))
    except DomainError as exc:
        return HttpResponseForbidden(exc.message)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="enterprises-{stamp}.xlsx"'
    return response


@_desk(REGISTRY_ROLES)
def import_template(request, zone_id: int):
    response = HttpResponse(
        services.enterprises_import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
    return response


# --- back office: request desk -----------------------------------------------------------------

STAGE_NAMES = {"ack": "签收", "respond": "答复", "resolve": "办结"}


def _due_row(request_obj: EnterpriseRequest, today: dt.date) -> dict[str, Any]:
    nxt = selectors.request_next_due(request_obj)
    if nxt is None:
        return {"label": "—", "tone": ""}
    stage, due = nxt
    tone = "danger" if due < today else ("warning" if (due - today).days <= 2 else "")
    return {"label": f"{STAGE_NAMES[stage]} {due}", "tone": tone}


@_desk(REQUEST_STAFF_ROLES)
def requests_desk(request, zone_id: int):
    if request.method == "POST" and request.POST.get("action") == "seed":
        try:
            added = services.request_categories_seed(actor=request.user, zone_id=zone_id)
            messages.success(request, f"已载入默认诉求类别 {added} 个。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(request.path)
    params = request.GET
    page = selectors.requests_list(
        zone_id=zone_id,
        status=params.get("status") or None,
        category=params.get("category") or None,
        body_id=_int(params.get("body")),
        open_only=params.get("open") == "1",
        q=params.get("q") or None,
        page=_int(params.get("page"), 1),
    )
    today = timezone.localdate()
    from onezone.org.selectors import bodies_of

    context = _admin_context(
        request,
        "企业诉求受理台",
        page=page,
        rows=[(r, _due_row(r, today)) for r in page.items],
        categories=selectors.request_categories(zone_id),
        statuses=RequestStatus.choices,
        bodies=list(bodies_of(zone_id)),
        params=params,
        query=_query(params),
        is_admin=Role.ADMIN in roles_in(request.user, zone_id),
    )
    return render(request, "enterprises/desk/requests.html", context)


@_desk(REQUEST_STAFF_ROLES)
def request_page(request, zone_id: int, pk: int):
    obj = selectors.request_get(zone_id=zone_id, request_id=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        expected = request.POST.get("status") or None
        try:
            if action == "acknowledge":
                services.request_acknowledge(actor=request.user, request=obj, expected_status=expected)
                messages.success(request, "已签收。")
            elif action == "respond":
                services.request_respond(
                    actor=request.user, request=obj, response=request.POST.get("text", ""), expected_status=expected
                )
                messages.success(request, "已答复企业。")
            elif action == "resolve":
                services.request_resolve(
                    actor=request.user, request=obj, resolution=request.POST.get("text", ""), expected_status=expected
                )
                messages.success(request, "已办结，等待企业确认。")
            elif action == "category":
                services.request_category_confirm(
                    actor=request.user, request=obj, category=request.POST.get("category", "")
                )
                messages.success(request, "诉求类别已确认。")
            else:
                messages.error(request, "未知的操作。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    context = _admin_context(
        request,
        f"诉求 {obj.number}",
        obj=obj,
        due=_due_row(obj, today),
        actions=[a.value for a in request_actions(obj.status)],
        categories=selectors.request_categories(zone_id),
        can_categorise=not obj.category_confirmed
        and obj.status in {RequestStatus.SUBMITTED, RequestStatus.ACKNOWLEDGED},
    )
    return render(request, "enterprises/desk/request.html", context)


# --- back office: inspections ------------------------------------------------------------------


class PlanForm(forms.Form):
    enterprise = forms.CharField(label="企业（统一社会信用代码）", max_length=18)
    body = forms.TypedChoiceField(label="检查机构", coerce=int)
    kind = forms.ChoiceField(
        label="检查类型",
        choices=[(k, label) for k, label in Inspection.Kind.choices if k != Inspection.Kind.JOINT],
    )
    planned_on = forms.DateField(label="计划日期", widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label="检查事由", widget=forms.Textarea(attrs={"rows": 2}))
    trigger_note = forms.CharField(label="触发来由（投诉编号或事故简述）", required=False, max_length=200)
    join = forms.BooleanField(label="如有其他机构相近的计划，合并为综合查一次", required=False)


@_desk()
def inspections_register(request, zone_id: int):
    from onezone.org.selectors import bodies_of

    bodies = list(bodies_of(zone_id))
    can_plan = bool(roles_in(request.user, zone_id) & INSPECTION_ROLES)
    form = PlanForm(request.POST if request.POST.get("action") == "plan" else None)
    form.fields["body"].choices = [(b.pk, b.name) for b in bodies]
    offer = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "plan" and form.is_valid():
            data = form.cleaned_data
            enterprise = selectors.enterprise_by_uscc(zone_id=zone_id, uscc=data["enterprise"])
            if enterprise is None:
                form.add_error("enterprise", "没有找到该统一社会信用代码的企业，请核对。")
            else:
                try:
                    result = services.inspection_plan(
                        actor=request.user,
                        enterprise=enterprise,
                        body=next(b for b in bodies if b.pk == data["body"]),
                        kind=data["kind"],
                        planned_on=data["planned_on"],
                        purpose=data["purpose"],
                        trigger_note=data["trigger_note"],
                        join=data["join"],
                    )
                    note = "已合并为综合查一次" if result.kind == Inspection.Kind.JOINT else "已登记检查计划"
                    messages.success(request, f"{note}：{result.enterprise.name} {result.planned_on}。")
                    return HttpResponseRedirect(request.path)
                except services.JointInspectionOffered as exc:
                    offer = exc
                    form.add_error(None, exc.message)
                except DomainError as exc:
                    _form_errors(form, exc)
        elif action in {"merge", "complete", "cancel"}:
            try:
                if action == "merge":
                    ids = [_int(v) for v in request.POST.getlist("ids")]
                    plans = list(Inspection.objects.filter(zone_id=zone_id, pk__in=ids))
                    joint = services.inspections_merge(actor=request.user, inspections=plans)
                    messages.success(request, f"已合并为综合查一次：{joint.enterprise.name} {joint.planned_on}。")
                else:
                    inspection = selectors.inspection_get(zone_id=zone_id, inspection_id=_int(request.POST.get("id")))
                    if action == "complete":
                        services.inspection_complete(
                            actor=request.user,
                            inspection=inspection,
                            done_on=timezone.localdate(),
                            result=request.POST.get("text", ""),
                        )
                        messages.success(request, "已登记检查结果。")
                    else:
                        services.inspection_cancel(
                            actor=request.user, inspection=inspection, reason=request.POST.get("text", "")
                        )
                        messages.success(request, "已取消检查计划。")
            except DomainError as exc:
                messages.error(request, exc.message)
            return HttpResponseRedirect(request.path)
    rule = services.inspection_rule(zone_id)
    params = request.GET
    page = selectors.inspections_list(
        zone_id=zone_id,
        status=params.get("status") or None,
        kind=params.get("kind") or None,
        body_id=_int(params.get("body")),
        page=_int(params.get("page"), 1),
    )
    context = _admin_context(
        request,
        "涉企检查登记（无事不打扰）",
        form=form,
        offer=offer,
        can_plan=can_plan,
        rule=rule,
        page=page,
        offers=selectors.joint_offers(zone_id=zone_id, window_days=rule.joint_window_days),
        kinds=Inspection.Kind.choices,
        statuses=Inspection.Status.choices,
        bodies=bodies,
        params=params,
        query=_query(params),
    )
    return render(request, "enterprises/desk/inspections.html", context)


@_desk()
def inspection_calendar(request, zone_id: int):
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    month = _int(request.GET.get("month"), today.month)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        year, month = today.year, today.month
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    context = _admin_context(
        request,
        f"涉企检查日历 {year}年{month}月",
        weeks=selectors.inspections_month(zone_id=zone_id, year=year, month=month),
        previous=previous,
        following=following,
        today=today,
        weekdays="一二三四五六日",
    )
    return render(request, "enterprises/desk/calendar.html", context)


# --- enterprise portal -------------------------------------------------------------------------

PORTAL_LOGIN = "/portal/enterprise/login/"


class PortalLoginView(auth_views.LoginView):
    template_name = "enterprises/portal/login.html"
    authentication_form = AuthenticationForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("enterprises:portal-home")


def _portal(view):
    """A portal page for a signed-in enterprise user; the view gets the user's enterprise."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return HttpResponseRedirect(f"{PORTAL_LOGIN}?next={request.path}")
        enterprise = selectors.enterprise_of_user(request.user)
        if enterprise is None or Role.ENTERPRISE not in roles_in(request.user, enterprise.zone_id):
            return render(
                request,
                "enterprises/portal/not_linked.html",
                {"title": "企业服务"},
                status=403,
            )
        return view(request, enterprise, *args, **kwargs)

    return wrapper


def _section_cells(section: portal_sections.PortalSection) -> dict[str, Any]:
    """A section with each cell as {"text", "url"}: a (text, url) pair is a link, anything else text."""
    rows = [
        [{"text": c[0], "url": c[1]} if isinstance(c, tuple) and len(c) == 2 else {"text": c, "url": ""} for c in row]
        for row in section.rows
    ]
    return {**vars(section), "rows": rows}


@_portal
def portal_home(request, enterprise: Enterprise):
    requests = selectors.requests_of_enterprise(enterprise)
    return render(
        request,
        "enterprises/portal/home.html",
        {
            "title": enterprise.name,
            "enterprise": enterprise,
            "industry": selectors.industry_name(enterprise.industry_code),
            "capital": format_amount(enterprise.registered_capital),
            "requests": requests,
            "sections": [_section_cells(s) for s in portal_sections.sections(request, enterprise)],
        },
    )


class PortalRequestForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    description = forms.CharField(
        label="诉求内容", widget=forms.Textarea(attrs={"rows": 6}), help_text="写明遇到的困难和希望得到的帮助"
    )
    category = forms.ChoiceField(label="类别", required=False)


@_portal
def portal_request_new(request, enterprise: Enterprise):
    form = PortalRequestForm(request.POST or None)
    form.fields["category"].choices = [("", "由系统根据内容判断")] + [
        (c.code, c.name) for c in selectors.request_categories(enterprise.zone_id)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_submit(
                actor=request.user,
                enterprise=enterprise,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                category=form.cleaned_data["category"] or None,
            )
            return HttpResponseRedirect(reverse("enterprises:portal-request", args=[created.number]))
        except DomainError as exc:
            _form_errors(form, exc)
    return render(request, "enterprises/portal/request_new.html", {"title": "提交诉求", "form": form})


@_portal
def portal_request(request, enterprise: Enterprise, number: str):
    obj = EnterpriseRequest.objects.filter(enterprise=enterprise, number=number).first()
    if obj is None:
        raise Http404("没有找到该诉求。")
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.request_confirm(actor=request.user, request=obj, satisfaction=request.POST.get("text", ""))
            elif action == "reopen":
                services.request_reopen(actor=request.user, request=obj, reason=request.POST.get("text", ""))
            else:
                raise NotFound("未知的操作。")
            return HttpResponseRedirect(request.path)
        except DomainError as exc:
            error = exc.message
    obj = selectors.request_get(zone_id=enterprise.zone_id, request_id=obj.pk)
    return render(
        request,
        "enterprises/portal/request.html",
        {
            "title": f"诉求 {obj.number}",
            "obj": obj,
            "error": error,
            "can_confirm": obj.status == RequestStatus.RESOLVED,
            "events": [e for e in obj.events.all() if e.kind != "alert"],
        },
    )
