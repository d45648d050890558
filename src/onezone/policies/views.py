"""Portal pages: the public policy list, and an enterprise's own policies, notices and grants."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onezone.core.errors import DomainError, NotFound
from onezone.core.money import format_amount
from onezone.policies import selectors
from onezone.policies.models import GrantStatus, PolicyGrant, PolicyNotice
from onezone.policies.services import grant_confirm, grant_decline, notice_read
from onezone.zones.models import Zone

PAGE_SIZE = 20


def _public_zone(request: HttpRequest) -> Zone | None:
    """The zone the public pages show: ``?zone=<code>``, the site's default zone, or the first one."""
    code = request.GET.get("zone") or getattr(settings, "ONEZONE_DEFAULT_ZONE_CODE", "")
    zones = Zone.objects.order_by("name")
    if code:
        zone = zones.filter(code=code).first()
        if zone is not None:
            return zone
    return zones.first()


def policy_list(request: HttpRequest) -> HttpResponse:
    """The published policies of the zone, searchable; open to everyone."""
    zone = _public_zone(request)
    query = request.GET.get("q", "").strip()[:50]
    page = None
    if zone is not None:
        page = Paginator(selectors.policies_public(zone.pk, query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policies/portal_list.html",
        {"title": "惠企政策", "zone": zone, "query": query, "page": page},
    )


def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    zone = _public_zone(request)
    enterprise = selectors.enterprise_of_member(request.user)
    zone_id = enterprise.zone_id if enterprise is not None else (zone.pk if zone else None)
    policy = selectors.policy_public_get(zone_id, policy_id) if zone_id else None
    if policy is None:
        raise Http404("没有找到该政策，或它尚未发布。")
    fit = None
    if enterprise is not None:
        fits, misses = selectors.enterprise_policies(enterprise.zone_id, enterprise.pk)
        fit = next((f for f in fits + misses if f.policy.pk == policy.pk), None)
    return render(
        request,
        "policies/portal_detail.html",
        {
            "title": policy.title,
            "policy": policy,
            "conditions": selectors.policy_conditions_text(policy),
            "enterprise": enterprise,
            "fit": fit,
            "eligible": fit is not None and fit in fits,
        },
    )


def _enterprise_or_login(request: HttpRequest):
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path(), reverse("enterprises:portal-login"))
    enterprise = selectors.enterprise_of_member(request.user)
    if enterprise is None:
        raise Http404("您的账号没有关联企业，请联系园区为账号关联企业。")
    return enterprise, None


def my_policies(request: HttpRequest) -> HttpResponse:
    """The enterprise's page: the policies it qualifies for, its notices and its 免申即享 grants."""
    enterprise, redirect = _enterprise_or_login(request)
    if redirect is not None:
        return redirect
    fits, _misses = selectors.enterprise_policies(enterprise.zone_id, enterprise.pk)
    grants = list(selectors.grants_of_enterprise(enterprise))
    return render(
        request,
        "policies/portal_mine.html",
        {
            "title": "我的惠企政策",
            "enterprise": enterprise,
            "fits": fits,
            "notices": list(selectors.notices_of_enterprise(enterprise)[:50]),
            "grants": [(g, format_amount(g.amount)) for g in grants],
        },
    )


def _own_grant(request: HttpRequest, enterprise, grant_id: int) -> PolicyGrant:
    grant = selectors.grants_of_enterprise(enterprise).filter(pk=grant_id).first()
    if grant is None:
        raise Http404("没有找到该兑现记录，或您无权查看。")
    return grant


@require_http_methods(["GET", "POST"])
def grant_detail(request: HttpRequest, grant_id: int) -> HttpResponse:
    """One 免申即享 grant: the enterprise confirms it or declines it."""
    enterprise, redirect = _enterprise_or_login(request)
    if redirect is not None:
        return redirect
    grant = _own_grant(request, enterprise, grant_id)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                grant_confirm(
                    actor=request.user, grant_id=grant.pk, bank_account_note=request.POST.get("bank_account_note", "")
                )
                messages.success(request, "已确认，园区将按程序拨付资金。")
            elif action == "decline":
                grant_decline(actor=request.user, grant_id=grant.pk, reason=request.POST.get("reason", ""))
                messages.success(request, "已放弃本次兑现。")
            else:
                error = "请选择“确认”或“放弃”。"
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            error = exc.message
        if not error:
            return HttpResponseRedirect(reverse("policies:grant", args=[grant.pk]))
    return render(
        request,
        "policies/portal_grant.html",
        {
            "title": f"免申即享 · {grant.policy.title}",
            "grant": grant,
            "amount": format_amount(grant.amount),
            "can_answer": grant.status == GrantStatus.PROPOSED,
            "error": error,
        },
        status=400 if error else 200,
    )


def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    enterprise, redirect = _enterprise_or_login(request)
    if redirect is not None:
        return redirect
    notice: PolicyNotice | None = selectors.notices_of_enterprise(enterprise).filter(pk=notice_id).first()
    if notice is None:
        raise Http404("没有找到该通知，或您无权查看。")
    notice = notice_read(actor=request.user, notice_id=notice.pk)
    grant = getattr(notice.match, "grant", None) if notice.match_id else None
    return render(
        request,
        "policies/portal_notice.html",
        {"title": notice.title, "notice": notice, "lines": notice.body.splitlines(), "grant": grant},
    )
