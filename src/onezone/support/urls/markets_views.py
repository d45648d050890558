"""Pages of 找市场 / 找订单: the enterprise's needs, offers and matches in its portal, and the desk's lists
(listings, matches, events with their deals, the local supply rate). Views parse input, call services
and selectors, and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, NotFound
from onezone.core.money import format_amount
from onezone.enterprises.portal_pages import enterprise_page
from onezone.support.models import Listing, MarketMatch
from onezone.support.selectors import markets as selectors
from onezone.support.services import markets as services

DESK_READERS = services.DESK_READERS


# --- helpers shared by the markets and finance pages -------------------------------------------


def int_param(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


desk = desk_view(DESK_READERS, refused="企业服务工作台仅向管委会领导、部门负责人、招商专员和系统管理员开放。")


def desk_page(request, template: str, title: str, **context: Any):
    return render(request, template, {**admin.site.each_context(request), "title": title, **context})


def form_refused(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal beside the fields it names, or above the form."""
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


def query_without_page(params, key: str = "page") -> str:
    rest = params.copy()
    rest.pop(key, None)
    return rest.urlencode()


# --- portal -----------------------------------------------------------------------------------


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Listing.Kind.choices)
    subject = forms.ChoiceField(label="产品或服务", choices=Listing.Subject.choices)
    title = forms.CharField(label="名称", help_text="例如：工业级甲醇、危化品运输服务（最多100字）")
    description = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="规格、质量要求等（最多500字）",
    )
    quantity = forms.DecimalField(label="数量", required=False, min_value=0, max_digits=14, decimal_places=2)
    unit = forms.CharField(label="单位", required=False, help_text="例如：吨、万立方米、车次")
    starts = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    industry_code = forms.CharField(label="行业代码（GB/T 4754）", help_text="例如 C2614；默认为本企业的行业")
    link_id = forms.TypedChoiceField(label="产业链环节", required=False, coerce=int, empty_value=None)
    contact_name = forms.CharField(label="联系人")
    contact_mobile = forms.CharField(
        label="联系电话（手机）", help_text="双方都同意交换联系方式后，对方才能看到完整号码"
    )

    def __init__(self, *args: Any, zone_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["link_id"].choices = [("", "不选（按行业代码匹配）")] + [
            (link.id, link.label) for link in selectors.links_of_zone(zone_id)
        ]


@enterprise_page
def portal_markets(request, enterprise):
    """The enterprise's needs and offers and their matches; its actions post back here."""
    revealed: dict[int, dict[str, str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("close", "open"):
                listing = next(
                    (
                        x
                        for x in selectors.listings_of_enterprise(enterprise)
                        if x.pk == int_param(request.POST.get("listing"))
                    ),
                    None,
                )
                if listing is None:
                    raise NotFound("没有找到该供需信息。")
                status = Listing.Status.CLOSED if action == "close" else Listing.Status.OPEN
                services.listing_set_status(actor=request.user, listing=listing, status=status)
                messages.success(request, f"已{'关闭' if action == 'close' else '重新发布'}：{listing.title}")
                return HttpResponseRedirect(request.path)
            match = selectors.match_of_enterprise(enterprise, int_param(request.POST.get("match"), 0))
            if match is None:
                raise NotFound("没有找到该匹配。")
            if action == "agree":
                done = services.match_agree(actor=request.user, match=match)
                messages.success(
                    request,
                    "双方均已同意，可查看对方联系方式。"
                    if done.status == MarketMatch.Status.SHARED
                    else "已同意，等待对方同意。",
                )
                return HttpResponseRedirect(request.path)
            if action == "decline":
                services.match_decline(actor=request.user, match=match)
                messages.success(request, "已谢绝该匹配。")
                return HttpResponseRedirect(request.path)
            if action == "contact":
                revealed[match.pk] = services.match_contact(actor=request.user, match=match)
            else:
                raise NotFound("未知的操作。")
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
    views = [selectors.match_view(m, enterprise) for m in selectors.matches_of_enterprise(enterprise)]
    return render(
        request,
        "support/markets_portal.html",
        {
            "title": "找市场 · 找订单",
            "enterprise": enterprise,
            "listings": selectors.listings_of_enterprise(enterprise),
            "matches": [(v, revealed.get(v.match.pk)) for v in views],
        },
    )


@enterprise_page
def portal_listing_new(request, enterprise):
    initial = {"industry_code": enterprise.industry_code, "kind": request.GET.get("kind", Listing.Kind.NEED)}
    form = ListingForm(request.POST or None, zone_id=enterprise.zone_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.listing_publish(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            found = listing.offer_matches.count() + listing.need_matches.count()
            messages.success(request, f"已发布：{listing.title}。平台为您找到 {found} 条匹配。")
            return HttpResponseRedirect(reverse("support-portal-markets"))
        except DomainError as exc:
            form_refused(form, exc)
    return render(request, "support/markets_portal_new.html", {"title": "发布供需信息", "form": form})


# --- desk -------------------------------------------------------------------------------------


@desk
def desk_listings(request, zone_id: int):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    page = selectors.listings_list(
        zone_id=zone_id,
        kind=kind if kind in Listing.Kind.values else "",
        status=status if status in Listing.Status.values else "",
        page=int_param(request.GET.get("page"), 1),
    )
    return desk_page(
        request,
        "support/markets_desk_listings.html",
        "供需信息",
        page=page,
        kinds=Listing.Kind.choices,
        statuses=Listing.Status.choices,
        params=request.GET,
        query=query_without_page(request.GET),
    )


@desk
def desk_matches(request, zone_id: int):
    status = request.GET.get("status", "")
    page = selectors.matches_list(
        zone_id=zone_id,
        status=status if status in MarketMatch.Status.values else "",
        page=int_param(request.GET.get("page"), 1),
    )
    return desk_page(
        request,
        "support/markets_desk_matches.html",
        "供需匹配",
        page=page,
        statuses=MarketMatch.Status.choices,
        params=request.GET,
        query=query_without_page(request.GET),
    )


@desk
def desk_events(request, zone_id: int):
    page = selectors.events_list(zone_id=zone_id, page=int_param(request.GET.get("page"), 1))
    rows = [
        (event, len(event.participants.all()), format_amount(sum((d.amount for d in event.deals.all()), 0)))
        for event in page.object_list
    ]
    return desk_page(
        request,
        "support/markets_desk_events.html",
        "产业链供需对接会",
        page=page,
        rows=rows,
        total=format_amount(selectors.deals_total(zone_id)),
        query="",
    )


@desk
def desk_event(request, zone_id: int, pk: int):
    event = selectors.event_get(zone_id=zone_id, event_id=pk)
    if event is None:
        raise Http404("没有找到该对接会。")
    deals = selectors.deals_of_event(event)
    return desk_page(
        request,
        "support/markets_desk_event.html",
        event.title,
        event=event,
        deals=[(d, format_amount(d.amount)) for d in deals],
        total=format_amount(sum((d.amount for d in deals), 0)),
    )


@desk
def desk_supply_rate(request, zone_id: int):
    rows = selectors.local_supply(zone_id)
    return desk_page(
        request,
        "support/markets_desk_supply.html",
        "链主企业本地配套率",
        rows=[
            (
                row,
                format_amount(row.rate.leaders_total),
                format_amount(row.rate.local_total),
                [(d, format_amount(d.amount)) for d in row.deals],
            )
            for row in rows
        ],
    )
