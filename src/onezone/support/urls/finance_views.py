"""Pages of 找资金: the enterprise's financing needs with the products that fit them, and the desk's
figure, institutions and products, financing needs, meetings and loans."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from onezone.core.errors import DomainError, InvalidInput
from onezone.core.money import format_amount
from onezone.core.params import year_param
from onezone.enterprises.portal_pages import enterprise_page
from onezone.support.models import Collateral, FinancingNeed
from onezone.support.selectors import finance as selectors
from onezone.support.services import finance as services
from onezone.support.urls.markets_views import desk, desk_page, form_refused, int_param, query_without_page


class NeedForm(forms.Form):
    amount = forms.DecimalField(label="融资金额（元）", min_value=0, max_digits=16, decimal_places=2)
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=600)
    purpose = forms.CharField(label="资金用途", help_text="最多200字")
    collateral = forms.ChoiceField(label="可提供的担保方式", choices=Collateral.choices)


def _collateral_labels(values) -> str:
    labels = dict(Collateral.choices)
    return "、".join(str(labels.get(v, v)) for v in values) or "不限"


@enterprise_page
def portal_finance(request, enterprise):
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "submit")
        try:
            if action in ("close", "open"):
                need = FinancingNeed.objects.filter(
                    zone_id=enterprise.zone_id, enterprise=enterprise, pk=int_param(request.POST.get("need"), 0)
                ).first()
                if need is None:
                    raise Http404("没有找到该融资需求。")
                status = FinancingNeed.Status.CLOSED if action == "close" else FinancingNeed.Status.OPEN
                services.financing_need_set_status(actor=request.user, need=need, status=status)
                return HttpResponseRedirect(request.path)
            if form.is_valid():
                services.financing_need_submit(actor=request.user, enterprise=enterprise, **form.cleaned_data)
                messages.success(request, "融资需求已提交，下方列出可对接的金融产品。")
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            form_refused(form, exc)
    rows = [
        (
            row,
            format_amount(row.need.amount),
            [
                (fit, format_amount(fit.product.amount_min), format_amount(fit.product.amount_max))
                for fit in row.products
            ],
        )
        for row in selectors.needs_of_enterprise(enterprise)
    ]
    return render(request, "support/finance_portal.html", {"title": "找资金", "form": form, "rows": rows})


@desk
def desk_finance(request, zone_id: int):
    try:
        year = year_param(request.GET.get("year"), default=timezone.localdate().year)
    except InvalidInput as exc:
        return render(request, "onezone/refused.html", {"title": "无法显示", "message": exc.message}, status=400)
    figure = selectors.financing_helped(zone_id=zone_id, year=year)
    overall = selectors.financing_helped(zone_id=zone_id)
    institutions = [
        (
            inst,
            [
                (p, format_amount(p.amount_min), format_amount(p.amount_max), _collateral_labels(p.collaterals))
                for p in inst.products.all()
            ],
        )
        for inst in selectors.institutions_with_products(zone_id)
    ]
    meetings = [
        (
            m,
            [(loan, format_amount(loan.amount)) for loan in m.loans.all()],
            format_amount(sum((x.amount for x in m.loans.all()), 0)),
        )
        for m in selectors.meetings_list(zone_id, limit=20)
    ]
    return desk_page(
        request,
        "support/finance_desk.html",
        "找资金",
        year=year,
        figure=figure,
        figure_total=format_amount(figure.total),
        overall=overall,
        overall_total=format_amount(overall.total),
        institutions=institutions,
        meetings=meetings,
    )


@desk
def desk_needs(request, zone_id: int):
    status = request.GET.get("status", "")
    page, rows = selectors.needs_list(
        zone_id=zone_id,
        status=status if status in FinancingNeed.Status.values else "",
        page=int_param(request.GET.get("page"), 1),
    )
    return desk_page(
        request,
        "support/finance_desk_needs.html",
        "融资需求",
        page=page,
        rows=[(row, format_amount(row.need.amount)) for row in rows],
        statuses=FinancingNeed.Status.choices,
        params=request.GET,
        query=query_without_page(request.GET),
    )


@desk
def desk_loans(request, zone_id: int):
    raw = request.GET.get("year") or None
    try:
        year = year_param(raw, default=None) if raw else None
    except InvalidInput as exc:
        return render(request, "onezone/refused.html", {"title": "无法显示", "message": exc.message}, status=400)
    page = selectors.loans_list(zone_id=zone_id, year=year, page=int_param(request.GET.get("page"), 1))
    figure = selectors.financing_helped(zone_id=zone_id, year=year)
    return desk_page(
        request,
        "support/finance_desk_loans.html",
        "融资落地",
        page=page,
        rows=[(loan, format_amount(loan.amount)) for loan in page.object_list],
        year=year,
        figure=figure,
        figure_total=format_amount(figure.total),
        query=query_without_page(request.GET),
    )
