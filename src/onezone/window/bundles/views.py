"""Pages of bundles (一件事): the desk's list, intake, bundle case page and efficiency; the public guide,
look-up and rating. Views parse input, call the bundle services and selectors, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onezone.core.errors import DomainError, InvalidInput, NotFound
from onezone.core.permissions import has_role
from onezone.core.roles import Role
from onezone.window.bundles import selectors, services
from onezone.window.models import Channel, RatingLevel
from onezone.window.ratelimit import lookup_rate_limit
from onezone.window.services import Applicant
from onezone.window.views import _date, _forbidden, _int, _page, _period, _zone_or_403

ACTIONS = {
    "supplement_receive": "收取补正材料",
    "accept": "受理",
    "refuse": "不予受理",
    "advance": "启动下一阶段",
    "extend": "批准延期",
}


def _applicant(form) -> Applicant:
    return Applicant(
        kind=form.get("applicant_kind", ""),
        name=form.get("applicant_name", ""),
        uscc=form.get("applicant_uscc", ""),
        id_number=form.get("applicant_id_number", ""),
        contact_name=form.get("contact_name", ""),
        mobile=form.get("contact_mobile", ""),
    )


@login_required
def bundle_list(request: HttpRequest) -> HttpResponse:
    """一件事: the zone's bundles to apply for, and the latest bundle cases."""
    try:
        zone_id = _zone_or_403(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    return _page(
        request,
        "window/bundles/list.html",
        "一件事受理",
        {
            "bundles": selectors.bundles_of(zone_id=zone_id),
            "cases": [
                selectors.bundle_case_detail(zone_id=zone_id, bundle_case_id=c.pk)
                for c in selectors.bundle_cases_of(zone_id=zone_id, limit=30)
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bundle_apply(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """One application: the merged materials once, the applicant once, one answer."""
    from onezone.zones.selectors import parks_of

    try:
        zone_id = _zone_or_403(request)
        guide = selectors.bundle_guide(zone_id=zone_id, bundle_id=bundle_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _forbidden(request, exc)
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        form = request.POST
        try:
            bundle_case = services.bundle_intake(
                actor=request.user,
                zone_id=zone_id,
                bundle_id=bundle_id,
                applicant=_applicant(form),
                presented=form.getlist("presented"),
                missing=form.getlist("missing"),
                outcome=form.get("outcome", ""),
                note=form.get("note", ""),
                reason=form.get("reason", ""),
                channel=form.get("channel", Channel.WINDOW),
                park_id=_int(form.get("park_id")),
            )
        except DomainError as exc:
            errors, message = exc.fields, exc.message
        else:
            messages.success(
                request,
                f"已登记一件事 {bundle_case.number}（{bundle_case.get_intake_display()}），"
                f"查询码 {bundle_case.query_code}。",
            )
            return HttpResponseRedirect(reverse("window-bundle-case", args=[bundle_case.pk]))
    return _page(
        request,
        "window/bundles/apply.html",
        f"一件事受理：{guide.bundle.name}",
        {
            "g": guide,
            "errors": errors,
            "error_message": message,
            "form": request.POST if request.method == "POST" else {},
            "presented": set(request.POST.getlist("presented")),
            "parks": list(parks_of(zone_id)),
            "channels": Channel.choices,
        },
        status=400 if message else 200,
    )


def _act(request: HttpRequest, bundle_case_id: int, action: str) -> None:
    form = request.POST
    common = {
        "actor": request.user,
        "bundle_case_id": bundle_case_id,
        "on": _date(form.get("on")),
        "expected_version": _int(form.get("version")),
    }
    if action == "supplement_receive":
        services.bundle_supplement_receive(**common, presented=form.getlist("presented"))
    elif action == "accept":
        services.bundle_accept(**common)
    elif action == "refuse":
        services.bundle_refuse(**common, reason=form.get("reason", ""))
    elif action == "advance":
        services.bundle_advance(**common)
    elif action == "extend":
        services.bundle_extend(**common, reason=form.get("reason", ""))
    else:
        raise InvalidInput("未知的操作。")


@login_required
@require_http_methods(["GET", "POST"])
def bundle_case_page(request: HttpRequest, bundle_case_id: int) -> HttpResponse:
    """The bundle case: one state, its deadlines, every sub-case at its body, the steps open now."""
    try:
        zone_id = _zone_or_403(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _act(request, bundle_case_id, action)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已{ACTIONS.get(action, action)}。")
            return HttpResponseRedirect(reverse("window-bundle-case", args=[bundle_case_id]))
    try:
        detail = selectors.bundle_case_detail(zone_id=zone_id, bundle_case_id=bundle_case_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    intake = detail.bundle_case.intake
    clerk = has_role(request.user, zone_id, {Role.ADMIN, Role.CLERK})
    return _page(
        request,
        "window/bundles/case.html",
        f"一件事 {detail.bundle_case.number}",
        {
            "d": detail,
            "b": detail.bundle_case,
            "error": error,
            "can_intake": clerk and intake in ("received", "supplemented"),
            "can_supplement": clerk and intake == "supplement_requested",
            "can_advance": clerk and detail.can_advance,
            "can_extend": (
                has_role(request.user, zone_id, {Role.LEADER})
                and detail.state == "in_progress"
                and detail.bundle_case.extended_on is None
            ),
            "missing": [m for m in detail.bundle_case.materials if not m.get("presented")],
            "rating_label": RatingLevel(detail.bundle_case.rating_level).label
            if detail.bundle_case.rating_level
            else "",
            "today": timezone.localdate(),
        },
        status=400 if error else 200,
    )


@login_required
def bundle_efficiency_page(request: HttpRequest) -> HttpResponse:
    """一件事效能: bundles against the same items applied for one by one (visits, days, materials)."""
    try:
        zone_id = _zone_or_403(request)
        year, start, end = _period(request)
        rows = selectors.bundle_efficiency(zone_id=zone_id, start=start, end=end)
    except DomainError as exc:
        return _forbidden(request, exc)
    return _page(request, "window/bundles/efficiency.html", "一件事办理效能", {"rows": rows, "year": year})


# --- public pages ----------------------------------------------------------------------------------------------


def _public_zone(request: HttpRequest):
    from onezone.zones.models import Zone

    code = request.GET.get("zone", "")
    zones = Zone.objects.order_by("id")
    zone = zones.filter(code=code).first() if code else zones.first()
    if zone is None:
        raise Http404("没有找到该开发区。")
    return zone, zones


def public_bundles(request: HttpRequest) -> HttpResponse:
    """高效办成一件事: the zone's published bundles."""
    zone, zones = _public_zone(request)
    return render(
        request,
        "window/portal/bundles.html",
        {
            "title": "高效办成一件事",
            "zone": zone,
            "zones": zones,
            "bundles": selectors.bundles_of(zone_id=zone.pk, published_only=True),
        },
    )


def public_bundle(request: HttpRequest, bundle_id: int) -> HttpResponse:
    """The guide of one bundle: its items by stage, the materials once, the limits, the visits."""
    zone, _ = _public_zone(request)
    try:
        guide = selectors.bundle_guide(zone_id=zone.pk, bundle_id=bundle_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "window/portal/bundle.html", {"title": guide.bundle.name, "zone": zone, "g": guide})


@require_http_methods(["GET", "POST"])
def public_bundle_lookup(request: HttpRequest) -> HttpResponse:
    """One number, one status, one result; the rating when it is done."""
    status, error, http_status = None, "", 200
    number = request.POST.get("number", request.GET.get("number", "")).strip()[:30]
    code = request.POST.get("code", "").strip()[:12]
    if request.method == "POST":
        try:
            lookup_rate_limit(request)
            if request.POST.get("action") == "rate":
                services.bundle_rate(
                    number=number,
                    query_code=code,
                    level=_int(request.POST.get("level")) or 0,
                    comment=request.POST.get("comment", "")[:500],
                )
            status = selectors.public_bundle_status(number=number, query_code=code)
        except DomainError as exc:
            error, http_status = exc.message, exc.http_status
    return render(
        request,
        "window/portal/bundle_lookup.html",
        {
            "title": "一件事进度查询",
            "status": status,
            "error": error,
            "number": number,
            "code": code,
            "levels": RatingLevel.choices,
            "rated_now": request.POST.get("action") == "rate" and not error,
        },
        status=http_status,
    )
