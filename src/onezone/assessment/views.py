"""Back-office pages of the assessment: the dashboard, targets, rankings, what-if, exports, report."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onezone.assessment import reports, selectors, services
from onezone.assessment.evaluation import MISSING_RULES, leaf_options, what_if
from onezone.assessment.models import Evaluation, Target
from onezone.assessment.tasks import assessment_file, assessment_file_start
from onezone.core.errors import DomainError, PermissionDenied
from onezone.core.jobs import job_url
from onezone.core.middleware import current_zone_id
from onezone.core.params import year_param
from onezone.core.permissions import require_read, roles_in
from onezone.core.roles import Role
from onezone.core.uploads import DOCUMENTS, checked_upload
from onezone.zones.models import Zone

LEADERS = {Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR}


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _zone(request: HttpRequest) -> Zone:
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise PermissionDenied("您的账号尚未获得任何开发区的角色授权，请联系系统管理员。")
    require_read(request.user, zone_id=zone_id)
    return Zone.objects.get(pk=zone_id)


def _require_leader(request: HttpRequest, zone: Zone) -> None:
    if not roles_in(request.user, zone.pk) & LEADERS:
        raise PermissionDenied("该页面供管委会领导、部门负责人和省级监管人员使用；如需查看，请联系系统管理员授权。")


def _year(request: HttpRequest, default: int | None = None) -> int:
    return year_param(request.GET.get("year"), default)


def _error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return TemplateResponse(
        request, "assessment/error.html", _context(request, "无法显示", message=exc.message), status=exc.http_status
    )


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return _error_page(request, exc)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _chart(kind: str, labels: list, datasets: list[dict], options: dict | None = None) -> dict:
    return {"type": kind, "data": {"labels": labels, "datasets": datasets}, "options": options or {}}


@_guard
def dashboard(request: HttpRequest) -> HttpResponse:
    """领导驾驶舱: the zone's key figures, targets at risk, rank history and park comparison."""
    zone = _zone(request)
    _require_leader(request, zone)
    board = selectors.dashboard(zone, request.user, year=_year(request))
    history_chart = _chart(
        "line",
        [p.year for p in board.history],
        [{"label": "全省排名", "data": [p.rank for p in board.history], "borderColor": "#2563eb", "tension": 0.2}],
        {"scales": {"y": {"reverse": True, "min": 1, "title": {"display": True, "text": "名次"}}}},
    )
    park_chart = _chart(
        "bar",
        [row["park"].name for row in board.parks],
        [
            {
                "label": "到位资金（万元）",
                "data": [float(row["funds"].value) if row["funds"].value is not None else None for row in board.parks],
                "backgroundColor": "#60a5fa",
            },
            {
                "label": "累计完成投资（万元）",
                "data": [
                    float(row["cumulative"].value) if row["cumulative"].value is not None else None
                    for row in board.parks
                ],
                "backgroundColor": "#1e3a8a",
            },
        ],
    )
    return TemplateResponse(
        request,
        "assessment/dashboard.html",
        _context(
            request,
            f"领导驾驶舱 · {zone.name}",
            board=board,
            history_chart=history_chart,
            park_chart=park_chart,
            years=range(board.year - 5, board.year + 1),
        ),
    )


@_guard
def targets(request: HttpRequest) -> HttpResponse:
    """The year's targets with their actuals (computed or entered), scores, and the bodies' ranking."""
    zone = _zone(request)
    _require_leader(request, zone)
    year = _year(request)
    rows = selectors.target_rows(zone.pk, year)
    can_write = bool(roles_in(request.user, zone.pk) & {Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})
    return TemplateResponse(
        request,
        "assessment/targets.html",
        _context(
            request,
            f"{year}年目标与完成情况",
            zone=zone,
            year=year,
            rows=rows,
            bodies=selectors.holder_ranking(zone.pk, year, level="body"),
            parks=selectors.holder_ranking(zone.pk, year, level="park"),
            can_write=can_write,
            as_of=timezone.localdate(),
        ),
    )


@require_POST
@_guard
def targets_compute(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    year = _year(request)
    result = services.actuals_compute(actor=request.user, zone_id=zone.pk, year=year)
    messages.success(
        request, f"已根据业务记录重新计算 {result['computed']} 项实际值；{result['unavailable']} 项暂无记录来源。"
    )
    return HttpResponseRedirect(f"{reverse('assessment:targets')}?year={year}")


@require_POST
@_guard
def actual_enter(request: HttpRequest, target_id: int) -> HttpResponse:
    zone = _zone(request)
    target = get_object_or_404(Target.objects.select_related("indicator"), pk=target_id, zone_id=zone.pk)
    try:
        services.actual_enter(
            actor=request.user,
            target=target,
            value=request.POST.get("value", ""),
            evidence_reference=request.POST.get("evidence_reference", ""),
            evidence=checked_upload(request.FILES.get("evidence"), allowed=DOCUMENTS),
            note=request.POST.get("note", ""),
        )
        messages.success(request, f"已填报“{target.indicator.name}”的实际值。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(f"{reverse('assessment:targets')}?year={target.year}")


@_guard
def rankings(request: HttpRequest) -> HttpResponse:
    """The evaluations the user may see: every one for the province level, published ones for a zone."""
    evaluations = list(selectors.evaluations_visible(request.user))
    return TemplateResponse(
        request,
        "assessment/rankings.html",
        _context(
            request,
            "开发区考核排名",
            evaluations=evaluations,
            sees_all=selectors.can_see_all_zones(request.user),
        ),
    )


def _evaluation_for(request: HttpRequest, evaluation_id: int) -> Evaluation:
    evaluation = selectors.evaluations_visible(request.user).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise Http404("该评价不存在，或尚未发布。")
    return evaluation


@_guard
def ranking(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = _evaluation_for(request, evaluation_id)
    table = selectors.ranking(evaluation, request.user)
    return TemplateResponse(
        request,
        "assessment/ranking.html",
        _context(request, f"{evaluation.scheme.name} · {evaluation.year}年排名", table=table, evaluation=evaluation),
    )


@require_POST
@_guard
def ranking_action(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=evaluation_id)
    action = request.POST.get("action")
    try:
        if action == "compute":
            services.evaluation_compute(actor=request.user, scheme=evaluation.scheme, year=evaluation.year)
            messages.success(request, "已重新计算。")
        elif action in {"published", "draft"}:
            services.evaluation_transition(actor=request.user, evaluation=evaluation, to=action)
            messages.success(request, "已发布。" if action == "published" else "已撤回为草稿。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("assessment:ranking", args=[evaluation.pk]))


@_guard
def zone_detail(request: HttpRequest, zone_id: int) -> HttpResponse:
    """A zone's indicator values and its rank history (its own users and the province level only)."""
    require_read(request.user, zone_id=zone_id)
    zone = get_object_or_404(Zone, pk=zone_id)
    scheme = selectors.scheme_for_zone(zone)
    year = _year(request, default=timezone.localdate().year - 1)
    history = selectors.rank_history(zone.pk, request.user, scheme=scheme) if scheme else []
    chart = _chart(
        "line",
        [p.year for p in history],
        [{"label": "全省排名", "data": [p.rank for p in history], "borderColor": "#2563eb"}],
        {"scales": {"y": {"reverse": True, "min": 1}}},
    )
    return TemplateResponse(
        request,
        "assessment/zone.html",
        _context(
            request,
            f"{zone.name} · 评价指标值",
            zone=zone,
            year=year,
            scheme=scheme,
            rows=selectors.zone_value_rows(zone.pk, year, scheme) if scheme else [],
            history=history,
            chart=chart,
            growth=selectors.growth(zone),
        ),
    )


def _number(raw: str) -> Decimal | None:
    try:
        return Decimal(raw.strip().replace(",", "")) if raw and raw.strip() else None
    except InvalidOperation:
        return None


@_guard
def whatif(request: HttpRequest) -> HttpResponse:
    """Change a zone's values, see its score and rank move, and which indicator gains it most places."""
    zone = _zone(request)
    _require_leader(request, zone)
    evaluations = list(selectors.evaluations_visible(request.user).filter(scheme__province_code=zone.province_code))
    if not evaluations:
        return TemplateResponse(
            request, "assessment/whatif.html", _context(request, "排名模拟", evaluation=None, evaluations=[])
        )
    chosen = request.GET.get("evaluation")
    evaluation = next((e for e in evaluations if str(e.pk) == chosen), evaluations[0])
    target_zone = zone
    if selectors.can_see_all_zones(request.user) and request.GET.get("zone"):
        target_zone = get_object_or_404(Zone, pk=request.GET["zone"], province_code=zone.province_code)
    tree = selectors.scheme_tree(evaluation.scheme)
    values = selectors.zone_values_for_evaluation(evaluation.scheme, evaluation.year, tree)
    if target_zone.pk not in values:
        values[target_zone.pk] = {}
    try:
        pct = Decimal(request.GET.get("pct") or "10")
    except InvalidOperation:
        pct = Decimal(10)
    overrides = {}
    for leaf in tree.leaves():
        raw = request.GET.get(f"v_{leaf.key}")
        if raw is not None and raw.strip():
            number = _number(raw)
            if number is not None:
                overrides[leaf.key] = number
    rule = evaluation.missing_rule
    result = what_if(tree, values, target_zone.pk, overrides, missing_rule=rule)
    options = leaf_options(tree, values, target_zone.pk, improvement_pct=pct, missing_rule=rule)
    leaves = [
        {"leaf": leaf, "current": values[target_zone.pk].get(leaf.key), "override": overrides.get(leaf.key)}
        for leaf in tree.leaves()
    ]
    return TemplateResponse(
        request,
        "assessment/whatif.html",
        _context(
            request,
            f"排名模拟 · {target_zone.name}",
            evaluation=evaluation,
            evaluations=evaluations,
            zone=target_zone,
            zones=Zone.objects.filter(province_code=zone.province_code).order_by("name")
            if selectors.can_see_all_zones(request.user)
            else [],
            result=result,
            options=options,
            leaves=leaves,
            pct=pct,
            missing_rule=rule,
            missing_rule_label=MISSING_RULES.get(rule, rule),
        ),
    )


# --- exports and report ---------------------------------------------------------------------


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _file_or_job(request: HttpRequest, zone: Zone, what: str, content_type: str, **params: Any) -> HttpResponse:
    """GET: the file now. POST: a background job making it, whose page offers the file when ready."""
    if request.method == "POST":
        job = assessment_file_start(actor=request.user, zone=zone, what=what, **params)
        return HttpResponseRedirect(job_url(job))
    name, content = assessment_file(actor=request.user, zone=zone, what=what, **params)
    return _file(content, name, content_type)


@_guard
def export_targets(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    _require_leader(request, zone)
    return _file_or_job(request, zone, "targets", reports.XLSX, year=_year(request))


@_guard
def export_ranking(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = _evaluation_for(request, evaluation_id)
    return _file_or_job(
        request, _zone(request), "ranking", reports.XLSX, year=evaluation.year, evaluation_id=evaluation.pk
    )


@_guard
def ranking_report(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The ranking as a 公文 (结果通报, .docx)."""
    evaluation = _evaluation_for(request, evaluation_id)
    return _file_or_job(
        request, _zone(request), "ranking_report", reports.DOCX, year=evaluation.year, evaluation_id=evaluation.pk
    )


@_guard
def export_dashboard(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    _require_leader(request, zone)
    return _file_or_job(request, zone, "dashboard", reports.XLSX, year=_year(request))


@_guard
def report_docx(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    _require_leader(request, zone)
    return _file_or_job(request, zone, "report", reports.DOCX, year=_year(request))


def chart_json(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False)
