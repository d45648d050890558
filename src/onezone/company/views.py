"""The company's back-office pages: forms that call the services, and the pages the lists link to.

Every page reads the current zone only; the committee's roles see the figures, company staff also
get the forms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from onezone.company import forms as f
from onezone.company import selectors as s
from onezone.company import services
from onezone.company.depreciation import book_value
from onezone.company.models import Asset, ConstructionProject, Lease
from onezone.company.schedules import AGEING_BUCKETS, outstanding_on
from onezone.core.errors import DomainError
from onezone.core.errors import PermissionDenied as DomainPermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.money import format_amount
from onezone.core.permissions import require_read, roles_in


def _zone(request: HttpRequest) -> int:
    """The current zone, if the user may read the company's figures there."""
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise DjangoPermissionDenied("您的账号尚未获得任何开发区的角色授权。")
    try:
        require_read(request.user, zone_id=zone_id)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    if not roles_in(request.user, zone_id) & s.READ_ROLES:
        raise DjangoPermissionDenied("运营公司账目仅向运营公司人员和管委会领导、部门负责人、系统管理员开放。")
    return zone_id


def _writer(request: HttpRequest, zone_id: int) -> bool:
    return bool(roles_in(request.user, zone_id) & set(services.WRITE_ROLES))


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), "title": title, **context},
    )


def _refuse(form, exc: DomainError) -> None:
    """Show a service's refusal beside the fields it names, or above the form."""
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


def _submit(request: HttpRequest, form, action: Callable[[dict], Any]) -> Any:
    """Run ``action`` with the cleaned data of a valid form; on refusal mark the form and return None."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    except DomainError as exc:
        _refuse(form, exc)
        return None


def _form_page(
    request: HttpRequest,
    *,
    form_class,
    title: str,
    action: Callable[[dict], Any],
    success: Callable[[Any], str],
    back: str,
    form_kwargs: dict[str, Any] | None = None,
    note: str = "",
) -> HttpResponse:
    zone_id = _zone(request)
    if not _writer(request, zone_id):
        raise DjangoPermissionDenied("只有运营公司人员可以登记运营公司的账目（政企分开、财务分设）。")
    kwargs = {"zone_id": zone_id, **(form_kwargs or {})}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST":
        result = _submit(request, form, action)
        if result is not None:
            messages.success(request, f"已保存：{result}")
            return HttpResponseRedirect(success(result))
    return _page(request, "company/form.html", title, form=form, back=back, note=note)


# --- assets --------------------------------------------------------------------------------


def asset_new(request: HttpRequest) -> HttpResponse:
    def action(d):
        return services.asset_register(actor=request.user, zone_id=current_zone_id(request), **d)

    return _form_page(
        request,
        form_class=f.AssetForm,
        title="登记资产",
        action=action,
        success=lambda a: reverse("admin:company_asset_changelist"),
        back=reverse("admin:company_asset_changelist"),
    )


def asset_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone(request)
    asset = get_object_or_404(Asset.objects.select_related("park"), pk=pk, zone_id=zone_id)

    def action(d):
        return services.asset_dispose(actor=request.user, asset=asset, **d)

    return _form_page(
        request,
        form_class=f.DisposeForm,
        title=f"处置资产：{asset}",
        action=action,
        success=lambda a: reverse("admin:company_asset_changelist"),
        back=reverse("admin:company_asset_changelist"),
        note=f"今日账面价值 {book_value(asset.basis, timezone.localdate())} 元。处置当月照提折旧，次月起不再计提。",
    )


# --- leases --------------------------------------------------------------------------------


def lease_new(request: HttpRequest) -> HttpResponse:
    def action(d):
        data = {**d, "deposit": d.get("deposit") or 0}
        return services.lease_sign(actor=request.user, **data)

    return _form_page(
        request,
        form_class=f.LeaseForm,
        title="签订租赁合同",
        action=action,
        success=lambda lease: reverse("company-lease", args=[lease.pk]),
        back=reverse("admin:company_lease_changelist"),
        note="同一资产的租期不能重叠；租金按期预收，每期第一天为应缴日。",
    )


def lease_detail(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone(request)
    try:
        lease = s.lease_get(zone_id, pk)
    except Lease.DoesNotExist as exc:
        raise Http404("租赁合同不存在") from exc
    writer = _writer(request, zone_id)
    payment_form = f.PaymentForm(request.POST if request.POST.get("do") == "pay" else None)
    generate_form = f.GenerateBillsForm(request.POST if request.POST.get("do") == "generate" else None)
    terminate_form = f.TerminateLeaseForm(request.POST if request.POST.get("do") == "terminate" else None)
    if request.method == "POST":
        if not writer:
            raise DjangoPermissionDenied("只有运营公司人员可以登记收款、生成账单和终止合同。")
        if request.POST.get("do") == "pay":
            done = _submit(
                request,
                payment_form,
                lambda d: services.payment_record(actor=request.user, lease=lease, **d),
            )
            if done is not None:
                messages.success(request, f"已登记收款 {done.amount} 元，已按账期先后冲抵账单。")
                return HttpResponseRedirect(request.path)
        elif request.POST.get("do") == "generate":
            done = _submit(
                request,
                generate_form,
                lambda d: services.bills_generate(actor=request.user, lease=lease, **d) or [],
            )
            if done is not None:
                messages.success(request, f"新生成账单 {len(done)} 张。" if done else "没有需要生成的账单。")
                return HttpResponseRedirect(request.path)
        elif request.POST.get("do") == "terminate":
            done = _submit(
                request,
                terminate_form,
                lambda d: services.lease_terminate(actor=request.user, lease=lease, **d),
            )
            if done is not None:
                messages.success(request, f"合同{done.number}已于{done.terminated_on}终止，资产转为闲置。")
                return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    bills = list(s.bills_of(zone_id, lease_id=lease.pk))
    return _page(
        request,
        "company/lease_detail.html",
        f"租赁合同 {lease.number}",
        lease=lease,
        bills=bills,
        payments=list(s.payments_of(zone_id, lease_id=lease.pk)),
        outstanding=sum((b.outstanding for b in bills if b.due_on <= today), s.ZERO),
        today=today,
        writer=writer,
        payment_form=payment_form,
        generate_form=generate_form,
        terminate_form=terminate_form,
    )


def arrears(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)
    writer = _writer(request, zone_id)
    generate_form = f.GenerateBillsForm(request.POST or None)
    if request.method == "POST":
        if not writer:
            raise DjangoPermissionDenied("只有运营公司人员可以生成租金账单。")
        done = _submit(
            request,
            generate_form,
            lambda d: services.bills_generate_all(actor=request.user, zone_id=zone_id, **d),
        )
        if done is not None:
            leases = len({bill.lease_id for bill in done})
            messages.success(request, f"为{leases}份合同新生成账单{len(done)}张。" if done else "没有需要生成的账单。")
            return HttpResponseRedirect(request.path)
    on = _date_param(request, "on") or timezone.localdate()
    report = s.arrears_ageing(zone_id, on)
    rows = [
        {
            "lease": row.lease,
            "cells": [row.buckets[key] for key, *_ in AGEING_BUCKETS],
            "total": row.total,
            "oldest_due": row.oldest_due,
        }
        for row in report.rows
    ]
    return _page(
        request,
        "company/arrears.html",
        "欠租账龄分析",
        report=report,
        rows=rows,
        totals=[report.totals[key] for key, *_ in AGEING_BUCKETS],
        on=on,
        writer=writer,
        generate_form=generate_form,
    )


# --- loans ---------------------------------------------------------------------------------


def loan_new(request: HttpRequest) -> HttpResponse:
    def action(d):
        return services.loan_register(actor=request.user, zone_id=current_zone_id(request), **d)

    return _form_page(
        request,
        form_class=f.LoanForm,
        title="登记借款与债券",
        action=action,
        success=lambda loan: reverse("company-loan", args=[loan.pk]),
        back=reverse("admin:company_loan_changelist"),
        note="还款计划按月计息（年利率÷12），每期利息四舍五入到分，末期本金轧差，本金合计与借款本金分毫不差。",
    )


def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone(request)
    loan = get_object_or_404(s.loans_of(zone_id), pk=pk)
    today = timezone.localdate()
    schedule = loan.schedule()
    return _page(
        request,
        "company/loan_detail.html",
        f"{loan.get_kind_display()}：{loan}",
        loan=loan,
        schedule=schedule,
        today=today,
        outstanding=outstanding_on(schedule, loan.principal, loan.start, today),
        total_interest=sum((r.interest for r in schedule), s.ZERO),
        total_payment=sum((r.payment for r in schedule), s.ZERO),
    )


# --- construction --------------------------------------------------------------------------


def project_new(request: HttpRequest) -> HttpResponse:
    def action(d):
        return services.project_create(actor=request.user, zone_id=current_zone_id(request), **d)

    return _form_page(
        request,
        form_class=f.ProjectForm,
        title="登记建设项目",
        action=action,
        success=lambda p: reverse("company-project", args=[p.pk]),
        back=reverse("admin:company_constructionproject_changelist"),
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone(request)
    try:
        project = s.project_get(zone_id, pk)
    except ConstructionProject.DoesNotExist as exc:
        raise Http404("建设项目不存在") from exc
    writer = _writer(request, zone_id)
    do = request.POST.get("do")
    contract_form = f.ContractForm(request.POST if do == "contract" else None, zone_id=zone_id)
    payment_form = f.ConstructionPaymentForm(
        request.POST if do == "payment" else None, zone_id=zone_id, project_id=project.pk
    )
    progress_form = f.ProgressForm(request.POST if do == "progress" else None)
    if request.method == "POST":
        if not writer:
            raise DjangoPermissionDenied("只有运营公司人员可以登记合同、付款和进度。")
        actions = {
            "contract": (contract_form, lambda d: services.contract_sign(actor=request.user, project=project, **d)),
            "payment": (
                payment_form,
                lambda d: services.construction_payment_record(actor=request.user, project=project, **d),
            ),
            "progress": (progress_form, lambda d: services.progress_record(actor=request.user, project=project, **d)),
        }
        if do in actions:
            form, action = actions[do]
            if _submit(request, form, action) is not None:
                messages.success(request, "已保存。")
                return HttpResponseRedirect(request.path)
    return _page(
        request,
        "company/project_detail.html",
        f"建设项目：{project.name}",
        project=project,
        remaining=project.budget - project.paid_total,
        writer=writer,
        contract_form=contract_form,
        payment_form=payment_form,
        progress_form=progress_form,
    )


# --- books ---------------------------------------------------------------------------------


def statements(request: HttpRequest) -> HttpResponse:
    zone_id = _zone(request)
    form = f.MonthForm(request.GET or None)
    first = f.MonthForm.default()
    if form.is_valid():
        first = dt.date(form.cleaned_data["year"], form.cleaned_data["month"], 1)
    statement = s.monthly_statement(zone_id, first.year, first.month)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return _page(
        request,
        "company/statement.html",
        f"运营公司月度报表 {first.year}年{first.month}月",
        st=statement,
        first=first,
        previous=previous,
        following=following,
        wan=format_amount,
    )


def _date_param(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name, "")
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
