"""Back-office pages of investment attraction: pipeline, project, figures, chain maps, the agent's
checklists and the awards. Views parse input and call services and selectors only."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onezone.core.errors import DomainError, InvalidInput, PermissionDenied
from onezone.core.files import can_download
from onezone.core.middleware import current_zone_id
from onezone.core.money import format_amount
from onezone.core.params import year_param
from onezone.core.permissions import require_read, roles_in
from onezone.core.redirects import safe_target
from onezone.core.roles import Role
from onezone.core.uploads import DOCUMENTS, checked_upload
from onezone.investment import clawback, rules, selectors, services
from onezone.investment.models import (
    AwardStatus,
    FundsEntry,
    FundsSource,
    InvestmentProgress,
    Milestone,
    RewardAward,
    Stage,
)
from onezone.zones.models import Park


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _zone_id(request: HttpRequest) -> int:
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise PermissionDenied("您的账号尚未获得任何开发区的角色授权，请联系系统管理员。")
    require_read(request.user, zone_id=zone_id)
    return zone_id


def _page(view):
    """Staff only; domain errors become a page with the message and the right status."""

    @staff_member_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return TemplateResponse(
                request,
                "investment/error.html",
                _context(request, "无法显示", message=exc.message),
                status=exc.http_status,
            )

    return wrapped


def _date(value: str, field: str, label: str, default: dt.date | None = None) -> dt.date:
    if not value:
        if default is not None:
            return default
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}格式不对，应为 YYYY-MM-DD。", fields={field: "日期格式应为 YYYY-MM-DD。"}) from exc


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("year"))


@_page
def pipeline_view(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_id(request)
    park_id = _int(request.GET.get("park"))
    columns = selectors.pipeline(zone_id, park_id=park_id)
    return TemplateResponse(
        request,
        "investment/pipeline.html",
        _context(
            request,
            "招商项目看板",
            columns=columns,
            parks=Park.objects.filter(zone_id=zone_id).order_by("code"),
            park_id=park_id,
        ),
    )


@_page
def project_view(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone_id(request)
    page = selectors.project_page(zone_id, pk)
    roles = roles_in(request.user, zone_id)
    return TemplateResponse(
        request,
        "investment/project.html",
        _context(
            request,
            page.project.name,
            page=page,
            p=page.project,
            can_move=bool(roles & set(services.PROJECT_WRITERS)),
            can_ledger=bool(roles & set(services.LEDGER_WRITERS)),
            can_see_evidence=can_download(request.user, FundsEntry, "evidence_file", zone_id=zone_id),
            can_milestones=bool(roles & {Role.ADMIN, Role.INVESTMENT_OFFICER})
            or page.project.agent_id == request.user.pk,
            sources=FundsSource.choices,
            statuses=Milestone.Status.choices,
            today=timezone.localdate(),
            funds_text=format_amount(page.funds_total),
            progress_text=format_amount(page.progress_total),
        ),
    )


@staff_member_required
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One form post on the project page: move, funds, correct, progress, milestone."""
    target = reverse("investment-project", args=[pk])
    try:
        zone_id = _zone_id(request)
        project = selectors.project_get(zone_id, pk)
        post = request.POST
        if action == "move":
            services.project_move(
                actor=request.user,
                project=project,
                to_stage=post.get("to_stage", ""),
                on=_date(post.get("on", ""), "on", "日期", timezone.localdate()),
                reason=post.get("reason", ""),
                expected_stage=post.get("expected_stage") or None,
            )
            messages.success(request, "阶段已更新。")
        elif action == "funds":
            services.funds_receipt_record(
                actor=request.user,
                project=project,
                amount=post.get("amount", ""),
                received_on=_date(post.get("received_on", ""), "received_on", "到位日期"),
                source=post.get("source", ""),
                evidence_reference=post.get("evidence_reference", ""),
                evidence_file=checked_upload(request.FILES.get("evidence_file"), allowed=DOCUMENTS),
                note=post.get("note", ""),
            )
            messages.success(request, "到位资金已登记。")
        elif action == "correct":
            entry = FundsEntry.objects.get(zone_id=zone_id, project=project, pk=_int(post.get("entry")))
            services.funds_entry_correct(
                actor=request.user,
                entry=entry,
                correct_amount=post.get("correct_amount", ""),
                reason=post.get("reason", ""),
            )
            messages.success(request, "更正分录已登记。")
        elif action == "progress":
            services.progress_record(
                actor=request.user,
                project=project,
                month=_date(
                    (post.get("month", "") + "-01") if len(post.get("month", "")) == 7 else "", "month", "月份"
                ),
                amount=post.get("amount", ""),
                note=post.get("note", ""),
            )
            messages.success(request, "完成投资已登记。")
        elif action == "progress_correct":
            entry = InvestmentProgress.objects.get(zone_id=zone_id, project=project, pk=_int(post.get("entry")))
            services.progress_correct(
                actor=request.user,
                entry=entry,
                correct_amount=post.get("correct_amount", ""),
                reason=post.get("reason", ""),
            )
            messages.success(request, "完成投资更正已登记。")
        elif action == "milestone":
            milestone = Milestone.objects.select_related("project").get(
                zone_id=zone_id, project=project, pk=_int(post.get("milestone"))
            )
            services.milestone_update(
                actor=request.user,
                milestone=milestone,
                status=post.get("status") or None,
                planned_on=_date(post["planned_on"], "planned_on", "计划日期") if post.get("planned_on") else None,
                done_on=_date(post["done_on"], "done_on", "完成日期") if post.get("done_on") else None,
                case_number=post.get("case_number"),
            )
            messages.success(request, "代办事项已更新。")
        else:
            raise InvalidInput("未知的操作。")
    except (FundsEntry.DoesNotExist, InvestmentProgress.DoesNotExist, Milestone.DoesNotExist):
        messages.error(request, "要操作的记录不存在，请刷新页面。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(safe_target(request, request.POST.get("next"), target))


@_page
def figures_view(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_id(request)
    year = _year(request)
    park_id, chain_id, officer_id = (_int(request.GET.get(k)) for k in ("park", "chain", "officer"))
    figures = selectors.investment_figures(
        zone_id=zone_id, year=year, park_id=park_id, chain_id=chain_id, officer_id=officer_id
    )
    stages = [
        {
            "label": str(Stage(s).label),
            "count": figures.per_stage[s],
            "reached": figures.reached.get(s),
            "conversion": figures.conversion.get(s),
            "mean_days": figures.mean_days_in_stage.get(s),
        }
        for s in (*rules.PIPELINE, rules.DROPPED)
    ]
    years = selectors.figure_years(zone_id) or [year]
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return TemplateResponse(
        request,
        "investment/figures.html",
        _context(
            request,
            f"{year}年招商引资指标",
            year=year,
            years=years,
            f=figures,
            stages=stages,
            funds_text=format_amount(figures.funds_in_place),
            cumulative_text=format_amount(figures.cumulative_completed),
            in_year_text=format_amount(figures.completed_in_year),
            breakdown=selectors.figures_breakdown(zone_id, year),
            filtered=any(v is not None for v in (park_id, chain_id, officer_id)),
        ),
    )


@_page
def chains_view(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_id(request)
    return TemplateResponse(
        request,
        "investment/chains.html",
        _context(
            request,
            "产业链图谱",
            summaries=zip(
                selectors.chain_summaries(zone_id), selectors.chain_outputs(zone_id, _year(request)), strict=True
            ),
            year=_year(request),
        ),
    )


@_page
def chain_view(request: HttpRequest, pk: int) -> HttpResponse:
    zone_id = _zone_id(request)
    chain_map = selectors.chain_map(zone_id, pk)
    return TemplateResponse(
        request, "investment/chain.html", _context(request, f"产业链图谱：{chain_map.chain.name}", m=chain_map)
    )


@_page
def targets_export(request: HttpRequest) -> HttpResponse:
    """The list of target enterprises to approach, as .xlsx (one chain with ?chain=, else all)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    zone_id = _zone_id(request)
    chain_id = _int(request.GET.get("chain"))
    book = Workbook()
    sheet = book.active
    sheet.title = "招商目标企业"
    headers = [
        "产业链",
        "环节",
        "位置",
        "行业代码",
        "是否缺链",
        "目标企业",
        "所在地",
        "主要产品",
        "优先级",
        "对接方式与进展",
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    gap_nodes = selectors.gap_node_ids(zone_id)
    for t in selectors.chain_targets(zone_id, chain_id=chain_id):
        sheet.append(
            [
                t.node.chain.name,
                t.node.name,
                t.node.get_stage_display(),
                t.node.industry_code,
                "是" if t.node_id in gap_nodes else "否",
                t.company,
                t.location,
                t.products,
                t.get_priority_display(),
                t.approach,
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (14, 16, 8, 10, 8, 28, 14, 24, 8, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=investment-targets.xlsx"
    return response


@_page
def agent_view(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_id(request)
    rows = selectors.agent_projects(zone_id, request.user)
    return TemplateResponse(
        request,
        "investment/agent.html",
        _context(request, "我的代办项目", rows=rows, statuses=Milestone.Status.choices),
    )


@_page
def awards_view(request: HttpRequest) -> HttpResponse:
    zone_id = _zone_id(request)
    status = request.GET.get("status") or None
    roles = roles_in(request.user, zone_id)
    return TemplateResponse(
        request,
        "investment/awards.html",
        _context(
            request,
            "招商引资奖励",
            awards=selectors.awards_list(zone_id, status=status)[:200],
            statuses=AwardStatus.choices,
            status=status,
            policies=selectors.policies_of(zone_id),
            can_decide=bool(roles & set(services.AWARD_DECIDERS)),
            transitions={k: sorted(v) for k, v in services.AWARD_TRANSITIONS.items()},
        ),
    )


def _amount(text: str, *, blank_is_none: bool = False) -> Decimal | None:
    text = text.replace(",", "").strip()
    if not text and blank_is_none:
        return None
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise InvalidInput("金额应为数字（元），例如 12000.00。", fields={"amount": "请填写数字。"}) from exc


@staff_member_required
@require_POST
def award_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        zone_id = _zone_id(request)
        award = RewardAward.objects.get(zone_id=zone_id, pk=pk)
        reason = request.POST.get("reason", "")
        if action == "approve":
            services.award_approve(actor=request.user, award=award)
        elif action == "reject":
            services.award_reject(actor=request.user, award=award, reason=reason)
        elif action == "pay":
            services.award_pay(actor=request.user, award=award, payment_reference=request.POST.get("reference", ""))
        elif action == "claw_back":
            amount = _amount(request.POST.get("amount", ""), blank_is_none=True)
            services.award_claw_back(actor=request.user, award=award, reason=reason, amount=amount)
        elif action == "recover":
            clawback.award_recovery_record(
                actor=request.user,
                award=award,
                received_on=_date(request.POST.get("received_on", "").strip(), "received_on", "收回日期"),
                amount=_amount(request.POST.get("amount", "")),
                reference=request.POST.get("reference", ""),
            )
        else:
            raise InvalidInput("未知的操作。")
        messages.success(request, "奖励状态已更新。")
    except RewardAward.DoesNotExist:
        messages.error(request, "奖励记录不存在，请刷新页面。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("investment-awards"))
