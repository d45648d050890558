"""Pages of the window: the desk, queues, the case page, notices, figures; and the public pages.

Views parse input, call services and selectors, and render; every write is a service call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onezone.core.audit import audit_record
from onezone.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from onezone.core.middleware import current_zone_id
from onezone.core.params import year_param
from onezone.core.permissions import has_role, require_read, roles_in
from onezone.core.roles import Role
from onezone.window import selectors, services
from onezone.window.clock import COLOUR_LABELS, PROCEDURE_LABELS, Colour
from onezone.window.models import CaseState, Channel, Complaint, RatingLevel, SpecialProcedure
from onezone.window.ratelimit import lookup_rate_limit
from onezone.window.services import TRANSITIONS, Applicant

WINDOW_ROLES = frozenset(
    {Role.ADMIN, Role.CLERK, Role.REVIEWER, Role.DEPT_HEAD, Role.LEADER, Role.AGENT, Role.PROVINCE_SUPERVISOR}
)
EVENT_LABELS = {
    "received": "收件",
    "supplement_requested": "一次性告知补正",
    "supplemented": "收取补正材料",
    "accepted": "受理",
    "refused": "不予受理",
    "review_started": "开始审查",
    "review_confirmed": "第二审查人确认",
    "suspended": "启动特别程序",
    "resumed": "特别程序结束",
    "extended": "批准延期",
    "decided": "作出决定",
    "delivered": "送达",
    "closed": "办结归档",
    "withdrawn": "撤回申请",
}


def _zone_or_403(request: HttpRequest) -> int:
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise PermissionDenied("请先选择开发区。")
    require_read(request.user, zone_id=zone_id)
    if not roles_in(request.user, zone_id) & WINDOW_ROLES:
        raise PermissionDenied("您没有政务服务窗口的权限，请联系系统管理员授权。")
    return zone_id


def _page(request: HttpRequest, template: str, title: str, context: dict[str, Any], status: int = 200):
    return TemplateResponse(
        request, template, {**admin.site.each_context(request), "title": title, **context}, status=status
    )


def _forbidden(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _page(request, "window/error.html", "无法访问", {"message": exc.message}, status=exc.http_status)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput("日期格式应为 YYYY-MM-DD。", fields={"on": "日期格式不正确。"}) from exc


# --- the desk ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """窗口受理: find the item, tick the materials, then accept / one-time notice / refuse."""
    from onezone.powers.rules import is_applied_for
    from onezone.powers.selectors import item_terms_in_force, items_in_force
    from onezone.window.centre.selectors import clerk_window_items, windows_of_user
    from onezone.zones.selectors import parks_of

    try:
        zone_id = _zone_or_403(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()[:100]
    item_id = _int(request.POST.get("item_id") or request.GET.get("item"))
    errors: dict[str, str] = {}
    message = ""
    if request.method == "POST":
        form = request.POST
        try:
            case = services.case_intake(
                actor=request.user,
                zone_id=zone_id,
                item_id=item_id or 0,
                applicant=Applicant(
                    kind=form.get("applicant_kind", ""),
                    name=form.get("applicant_name", ""),
                    uscc=form.get("applicant_uscc", ""),
                    id_number=form.get("applicant_id_number", ""),
                    contact_name=form.get("contact_name", ""),
                    mobile=form.get("contact_mobile", ""),
                ),
                presented=[int(x) for x in form.getlist("presented") if x.isdigit()],
                missing=[int(x) for x in form.getlist("missing") if x.isdigit()],
                outcome=form.get("outcome", ""),
                note=form.get("note", ""),
                reason=form.get("reason", ""),
                competent_office=form.get("competent_office", ""),
                outside_powers=form.get("outside_powers") == "1",
                channel=form.get("channel", Channel.WINDOW),
                park_id=_int(form.get("park_id")),
            )
        except DomainError as exc:
            errors, message = exc.fields, exc.message
        else:
            messages.success(
                request, f"已登记办件 {case.number}（{case.get_state_display()}），查询码 {case.query_code}。"
            )
            return HttpResponseRedirect(reverse("window-case", args=[case.pk]))
    # Only items a person applies for are received at the window (处罚、强制、检查、征收 are not), and a clerk
    # seated at a department's window is offered that window's items.
    found = items_in_force(zone_id=zone_id, on=today, query=query) if query and not item_id else []
    window_items = clerk_window_items(user=request.user, zone_id=zone_id, on=today)
    results = [t for t in found if is_applied_for(t.category) and (window_items is None or t.item_id in window_items)]
    terms = None
    if item_id:
        try:
            terms = item_terms_in_force(zone_id=zone_id, item_id=item_id, on=today)
        except NotFound as exc:
            message = exc.message
    return _page(
        request,
        "window/desk.html",
        "窗口受理",
        {
            "query": query,
            "results": results,
            "terms": terms,
            "errors": errors,
            "error_message": message,
            "form": request.POST if request.method == "POST" else {},
            "parks": list(parks_of(zone_id)),
            "channels": Channel.choices,
            "presented": {int(x) for x in request.POST.getlist("presented") if x.isdigit()},
            "lookup_enterprise": _int(request.GET.get("enterprise")) if request.method == "GET" else None,
            "my_windows": windows_of_user(user=request.user, zone_id=zone_id, on=today),
        },
        status=400 if message and request.method == "POST" else 200,
    )


# --- queues -------------------------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    try:
        zone_id = _zone_or_403(request)
        scope = request.GET.get("scope", "mine")
        scope = scope if scope in {"mine", "body", "zone"} else "mine"
        state = request.GET.get("state") or None
        state = state if state in CaseState.values else None
        colour = request.GET.get("colour") or None
        colour = colour if colour in Colour._value2member_map_ else None
        page = selectors.queue_page(
            zone_id=zone_id,
            scope=scope,
            user=request.user,
            state=state,
            colour=colour,
            query=request.GET.get("q", "")[:60],
            cursor=request.GET.get("after") or None,
        )
    except DomainError as exc:
        return _forbidden(request, exc)
    params = request.GET.copy()
    params.pop("after", None)
    titles = {"mine": "我的待办", "body": "本机构待办", "zone": "全部在办办件"}
    return _page(
        request,
        "window/queue.html",
        titles[scope],
        {
            "page": page,
            "scope": scope,
            "state": state or "",
            "colour": colour or "",
            "q": request.GET.get("q", ""),
            "states": [(s, label) for s, label in CaseState.choices if s in {c.value for c in selectors.OPEN_STATES}],
            "colours": [(c.value, label) for c, label in COLOUR_LABELS.items()],
            "base_query": params.urlencode(),
        },
    )


# --- the case page -----------------------------------------------------------------------------------------


def _case_action(request: HttpRequest, case_id: int, action: str) -> None:
    form = request.POST
    common = {
        "actor": request.user,
        "case_id": case_id,
        "expected_version": _int(form.get("version")),
        "on": _date(form.get("on")),
    }
    if action == "supplement_request":
        services.case_supplement_request(
            **common, missing=[int(x) for x in form.getlist("missing") if x.isdigit()], note=form.get("note", "")
        )
    elif action == "supplement_receive":
        services.case_supplement_receive(**common, presented=[int(x) for x in form.getlist("presented") if x.isdigit()])
    elif action == "accept":
        services.case_accept(**common)
    elif action == "refuse":
        services.case_refuse(
            **common,
            reason=form.get("reason", ""),
            competent_office=form.get("competent_office", ""),
            outside_powers=form.get("outside_powers") == "1",
        )
    elif action == "review_start":
        services.case_review_start(**common)
    elif action == "suspend":
        services.case_suspend(
            **common,
            procedure=form.get("procedure", ""),
            expected_days=_int(form.get("expected_days")) or 0,
            notice=form.get("notice", ""),
        )
    elif action == "resume":
        services.case_resume(**common, result=form.get("reason", ""))
    elif action == "extend":
        services.case_extend(**common, reason=form.get("reason", ""))
    elif action == "review_confirm":
        services.case_review_confirm(**common, opinion=form.get("reason", ""))
    elif action == "decide":
        services.case_decide(
            **common,
            granted=form.get("granted") == "1",
            text=form.get("text", ""),
            licence_number=form.get("licence_number", ""),
        )
    elif action == "deliver":
        services.case_deliver(**common)
    elif action == "close":
        services.case_close(**common)
    elif action == "withdraw":
        services.case_withdraw(**common, reason=form.get("reason", ""))
    else:
        raise InvalidInput("未知的操作。")


@login_required
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """办件详情: timeline, both deadlines and why, the actions open to the user, the documents."""
    try:
        zone_id = _zone_or_403(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    error = ""
    fields: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            _case_action(request, case_id, action)
        except DomainError as exc:
            error, fields = exc.message, exc.fields
        else:
            label = TRANSITIONS[action].label if action in TRANSITIONS else action
            messages.success(request, f"已{label}。")
            return HttpResponseRedirect(reverse("window-case", args=[case_id]))
    try:
        detail = selectors.case_detail(zone_id=zone_id, case_id=case_id, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    case = detail.case
    from onezone.window.views_materials import materials_context

    return _page(
        request,
        "window/case.html",
        f"办件 {case.number}",
        {
            "d": detail,
            "case": case,
            "events": [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in detail.events],
            "actions": [(a, TRANSITIONS[a].label) for a in detail.actions],
            "colour_label": COLOUR_LABELS[detail.clock.colour],
            "procedures": SpecialProcedure.choices,
            "procedure_labels": PROCEDURE_LABELS,
            "error": error,
            "fields": fields,
            "can_see_personal": has_role(request.user, zone_id, {Role.ADMIN, Role.CLERK, Role.REVIEWER}),
            "today": timezone.localdate(),
            "materials_missing": [m for m in case.materials if not m.get("presented")],
            **materials_context(request, zone_id, case),
        },
        status=400 if error else 200,
    )


@login_required
def case_personal(request: HttpRequest, case_id: int) -> HttpResponse:
    """The applicant's full ID number and mobile, for those who need them; every view is audited."""
    try:
        zone_id = _zone_or_403(request)
        if not has_role(request.user, zone_id, {Role.ADMIN, Role.CLERK, Role.REVIEWER}):
            raise PermissionDenied("只有窗口受理人员和审查人员可以查看申请人的完整证件号码和电话。")
        case = selectors.case_get(zone_id=zone_id, case_id=case_id)
    except DomainError as exc:
        return _forbidden(request, exc)
    audit_record(actor=request.user, action="case.view_personal_data", obj=case)
    return _page(request, "window/personal.html", f"办件 {case.number} 申请人信息", {"case": case})


# --- figures ---------------------------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[int, dt.date, dt.date]:
    year = year_param(request.GET.get("year"))
    return year, dt.date(year, 1, 1), dt.date(year, 12, 31)


@login_required
def efficiency_page(request: HttpRequest) -> HttpResponse:
    try:
        zone_id = _zone_or_403(request)
        year, start, end = _period(request)
        by = request.GET.get("by", "item")
        by = by if by in selectors.EFFICIENCY_GROUPS else "item"
        rows = selectors.efficiency(zone_id=zone_id, by=by, start=start, end=end)
        figures = selectors.zone_case_figures(zone_id=zone_id, year=year)
    except DomainError as exc:
        return _forbidden(request, exc)
    return _page(
        request,
        "window/efficiency.html",
        "办件效能",
        {
            "rows": rows,
            "by": by,
            "year": year,
            "f": figures,
            "groups": [("item", "事项"), ("body", "机构"), ("clerk", "受理人")],
        },
    )


@login_required
def delegations_page(request: HttpRequest) -> HttpResponse:
    try:
        zone_id = _zone_or_403(request)
        year, start, end = _period(request)
        report = selectors.delegated_items_report(zone_id=zone_id, start=start, end=end)
    except DomainError as exc:
        return _forbidden(request, exc)
    return _page(request, "window/delegations.html", "赋权事项运行情况", {"report": report, "year": year})


# --- public pages --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def public_lookup(request: HttpRequest) -> HttpResponse:
    status = None
    error = ""
    number = request.POST.get("number", request.GET.get("number", "")).strip()[:30]
    code = request.POST.get("code", "").strip()[:12]
    http_status = 200
    if request.method == "POST":
        try:
            lookup_rate_limit(request)
            status = selectors.public_status(number=number, query_code=code)
        except DomainError as exc:
            error, http_status = exc.message, exc.http_status
    return render(
        request,
        "window/portal/lookup.html",
        {
            "title": "办件进度查询",
            "status": status,
            "error": error,
            "number": number,
            "code": code,
            "levels": RatingLevel.choices,
        },
        status=http_status,
    )


@require_http_methods(["POST"])
def public_rate(request: HttpRequest) -> HttpResponse:
    number, code = request.POST.get("number", "")[:30], request.POST.get("code", "")[:12]
    try:
        lookup_rate_limit(request)
        services.rating_submit(
            case_number=number,
            query_code=code,
            level=_int(request.POST.get("level")) or 0,
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        return render(
            request,
            "window/portal/lookup.html",
            {
                "title": "办件进度查询",
                "error": exc.message,
                "number": number,
                "code": code,
                "levels": RatingLevel.choices,
            },
            status=exc.http_status,
        )
    return render(request, "window/portal/thanks.html", {"title": "感谢评价", "number": number})


@require_http_methods(["GET", "POST"])
def public_complaint(request: HttpRequest) -> HttpResponse:
    from onezone.org.selectors import routing_categories
    from onezone.zones.models import Zone

    error, fields, done = "", {}, None
    form = request.POST
    zones = list(Zone.objects.order_by("name"))
    if request.method == "POST":
        try:
            lookup_rate_limit(request)
            # The zone the complainant chose (a province's site has many); a case number decides it.
            zone = next((z for z in zones if str(z.pk) == form.get("zone", "")), None)
            if zone is None and not form.get("number", "").strip():
                raise InvalidInput("请选择投诉所涉的开发区。", fields={"zone": "请选择开发区。"})
            case_id = None
            if form.get("number", "").strip():
                case = selectors.public_status(number=form.get("number", ""), query_code=form.get("code", ""))
                case_id = selectors.Case.objects.get(
                    number=case.number, query_code=form.get("code", "").strip().upper()
                ).pk
                zone = selectors.Case.objects.get(pk=case_id).zone
            done = services.complaint_register(
                actor=None,
                zone_id=zone.pk,
                complainant=form.get("complainant", ""),
                mobile=form.get("mobile", ""),
                content=form.get("content", ""),
                case_id=case_id,
                category=form.get("category", "") or "window_service",
            )
        except DomainError as exc:
            error, fields = exc.message, exc.fields
    return render(
        request,
        "window/portal/complaint.html",
        {
            "title": "政务服务投诉",
            "error": error,
            "fields": fields,
            "form": form,
            "done": done,
            "zones": zones,
            "categories": routing_categories(z.pk for z in zones),
        },
        status=400 if error else 200,
    )


FOLLOW_UP_ACTIONS = {
    "answer": lambda actor, pk, post: services.complaint_answer(
        actor=actor, complaint_id=pk, answer=post.get("answer", ""), outcome=post.get("outcome", "")
    ),
    "rectify": lambda actor, pk, post: services.rectification_record(
        actor=actor, rectification_id=pk, measures=post.get("measures", ""), follow_up=post.get("follow_up", "")
    ),
    "appeal": lambda actor, pk, post: services.rating_appeal(actor=actor, rating_id=pk, reason=post.get("reason", "")),
    "decide": lambda actor, pk, post: services.rating_appeal_decide(
        actor=actor, rating_id=pk, upheld=post.get("upheld") == "1", outcome=post.get("outcome", "")
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_page(request: HttpRequest) -> HttpResponse:
    """投诉与差评整改: answer complaints, record rectifications, appeal and decide on bad ratings."""
    try:
        zone_id = _zone_or_403(request)
    except DomainError as exc:
        return _forbidden(request, exc)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = FOLLOW_UP_ACTIONS.get(request.POST.get("action", ""))
        pk = _int(request.POST.get("id"))
        if action is None or pk is None:
            messages.error(request, "请求不完整，请从列表中选择要处理的记录。")
        else:
            try:
                action(request.user, pk, request.POST)
            except DomainError as exc:
                errors[f"{request.POST['action']}-{pk}"] = exc.message
            else:
                messages.success(request, "已保存。")
                return HttpResponseRedirect(reverse("window-follow-up"))
    return _page(
        request,
        "window/follow_up.html",
        "投诉与差评整改",
        {
            "complaints": selectors.complaints_of(zone_id=zone_id, status=Complaint.Status.OPEN).select_related("body")[
                :100
            ],
            "rectifications": selectors.rectifications_of(zone_id=zone_id, status="open").select_related(
                "rating__case"
            )[:100],
            "appeals": selectors.ratings_of(zone_id=zone_id, bad_only=True).select_related("case")[:100],
            "outcomes": Complaint.Outcome.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )
