"""Back-office pages of the safety base: installations with their grading, hidden hazards and their
actions, risk points. They parse input and call selectors and services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import admin, messages
from django.shortcuts import redirect, render

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.money import format_amount
from onezone.core.permissions import roles_in
from onezone.safety import base_rules, grading
from onezone.safety.models import Hazard, HazardLevel, HazardStatus, RiskLevel
from onezone.safety.selectors import base as selectors
from onezone.safety.services import base_common
from onezone.safety.services import base_hazards as hazard_services
from onezone.safety.services.base_common import SAFETY_READ_ROLES

LEVEL_TONES = {1: "danger", 2: "danger", 3: "warning", 4: ""}
RISK_TONES = {"major": "danger", "larger": "warning", "general": "", "low": "success"}


_desk = desk_view(SAFETY_READ_ROLES, refused="您没有查看安全监管页面的权限，请联系系统管理员授权。")


def _context(request, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: str, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}应为日期（如 2026-12-31），收到“{value[:20]}”。") from exc


@_desk
def installations_page(request, zone_id: int):
    level = _int(request.GET.get("level"))
    if level is not None and level not in (1, 2, 3, 4):
        level = None
    only_major = request.GET.get("major") == "1"
    rows = selectors.installations_list(zone_id=zone_id, major=True if only_major or level else None, level=level)
    figures = selectors.safety_figures(zone_id=zone_id, today=base_common.today())
    return render(
        request,
        "safety/base_installations.html",
        _context(
            request,
            "危险化学品单元与重大危险源",
            rows=rows,
            figures=figures,
            level=level,
            only_major=only_major,
            tones=LEVEL_TONES,
            levels=[(n, f"{name}重大危险源") for n, name in ((1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"))],
        ),
    )


@_desk
def installation_page(request, zone_id: int, pk: int):
    detail = selectors.installation_detail(zone_id=zone_id, installation_id=pk, today=base_common.today())
    lines = [
        {
            "name": line.name,
            "quantity": grading.fmt(line.quantity_t),
            "threshold": grading.fmt(line.threshold_t),
            "source": line.source,
            "ratio": grading.fmt(line.ratio),
            "beta": grading.fmt(line.beta),
            "beta_source": line.beta_source,
            "weighted": grading.fmt(line.weighted),
        }
        for line in detail.grading.lines
    ]
    return render(
        request,
        "safety/base_installation.html",
        _context(
            request, f"{detail.installation.name}（{detail.installation.enterprise.name}）", d=detail, lines=lines
        ),
    )


@_desk
def hazards_page(request, zone_id: int):
    params = request.GET
    status = params.get("status") if params.get("status") in HazardStatus.values else None
    level = params.get("level") if params.get("level") in HazardLevel.values else None
    overdue = params.get("overdue") == "1"
    page = selectors.hazards_page(
        zone_id=zone_id,
        today=base_common.today(),
        status=status,
        level=level,
        overdue=overdue,
        page=_int(params.get("page")) or 1,
    )
    rest = params.copy()
    rest.pop("page", None)
    return render(
        request,
        "safety/base_hazards.html",
        _context(
            request,
            "事故隐患排查治理",
            page=page,
            status=status or "",
            level=level or "",
            overdue=overdue,
            statuses=HazardStatus.choices,
            levels=HazardLevel.choices,
            query=rest.urlencode(),
        ),
    )


def _hazard_post(request, zone_id: int, hazard: Hazard) -> None:
    """One action of the hazard page: a step of the state machine, the plan, or the supervision."""
    post = request.POST
    action = post.get("action", "")
    if action in base_rules.ACTIONS:
        body = None
        if post.get("body"):
            from onezone.org.models import Body

            body = Body.objects.filter(zone_id=zone_id, pk=_int(post.get("body"))).first()
            if body is None:
                raise InvalidInput("所选机构不属于本开发区。")
        hazard_services.hazard_transition(
            actor=request.user,
            hazard=hazard,
            action=action,
            note=post.get("note", ""),
            body=body,
            deadline=_date(post.get("deadline", ""), "整改期限"),
        )
    elif action == "plan":
        try:
            funds = Decimal(post.get("funds") or "")
        except InvalidOperation as exc:
            raise InvalidInput("经费应为金额（元）。", fields={"funds": "经费应为金额（元）。"}) from exc
        time_limit = _date(post.get("time_limit", ""), "治理时限")
        if time_limit is None:
            raise InvalidInput("请填写治理时限。", fields={"time_limit": "请填写治理时限。"})
        hazard_services.hazard_plan_save(
            actor=request.user,
            hazard=hazard,
            goal=post.get("goal", ""),
            measures=post.get("measures", ""),
            funds=funds,
            materials=post.get("materials", ""),
            responsible=post.get("responsible", ""),
            time_limit=time_limit,
            safety_measures=post.get("safety_measures", ""),
            contingency=post.get("contingency", ""),
        )
    elif action == "supervise":
        from onezone.org.models import Body

        body = Body.objects.filter(zone_id=zone_id, pk=_int(post.get("body"))).first()
        hazard_services.hazard_supervise(
            actor=request.user,
            hazard=hazard,
            body=body,
            leader=post.get("leader", ""),
            document=post.get("document", ""),
            started_on=_date(post.get("started_on", ""), "挂牌日期") or base_common.today(),
        )
    else:
        raise InvalidInput("未知的操作。")


@_desk
def hazard_page(request, zone_id: int, pk: int):
    today = base_common.today()
    detail = selectors.hazard_detail(zone_id=zone_id, hazard_id=pk, today=today)
    error = None
    if request.method == "POST":
        try:
            _hazard_post(request, zone_id, detail.hazard)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "已保存。")
            return redirect(request.path)
    from onezone.org.selectors import bodies_of

    roles = roles_in(request.user, zone_id)
    return render(
        request,
        "safety/base_hazard.html",
        _context(
            request,
            f"隐患 {detail.hazard.number}",
            d=detail,
            steps=hazard_services.hazard_may_act(request.user, detail.hazard),
            can_plan=detail.hazard.level == HazardLevel.MAJOR
            and detail.hazard.status not in {HazardStatus.RECTIFIED, HazardStatus.ACCEPTED}
            and base_common.body_allows(request.user, zone_id=zone_id, body_id=detail.hazard.body_id),
            can_supervise=detail.hazard.level == HazardLevel.MAJOR
            and detail.supervision is None
            and detail.hazard.status != HazardStatus.ACCEPTED
            and bool(roles & hazard_services.SUPERVISE_ROLES),
            bodies=list(bodies_of(zone_id)),
            funds=format_amount(detail.plan.funds) if detail.plan else "",
            error=error,
            post=request.POST if error else {},
        ),
        status=400 if error else 200,
    )


@_desk
def risk_points_page(request, zone_id: int):
    level = request.GET.get("level") if request.GET.get("level") in RiskLevel.values else None
    rows = selectors.risk_points_list(zone_id=zone_id, level=level)
    return render(
        request,
        "safety/base_risk_points.html",
        _context(request, "安全风险分级管控", rows=rows, level=level or "", levels=RiskLevel.choices, tones=RISK_TONES),
    )
