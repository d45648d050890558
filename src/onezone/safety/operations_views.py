"""Back-office pages of special work, closed management, emergency and the park's risk level.

``desk/safety/`` is the emergency bureau's desk with the park map; the other pages list one kind of
record each. Views parse input, call services and selectors, and render; nothing here writes by itself.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.jobs import job_url
from onezone.core.permissions import roles_in
from onezone.core.uploads import read_upload
from onezone.safety import map as park_map
from onezone.safety import risklevel, worktime
from onezone.safety.models import SpecialWork, SpotCheck
from onezone.safety.selectors import base as base_selectors
from onezone.safety.selectors import operations as selectors
from onezone.safety.services import operations as services
from onezone.safety.services.operations_access import READ_ROLES, REVIEW_ROLES, SUPERVISE_ROLES
from onezone.safety.services.operations_emergency import plan_review_years
from onezone.safety.services.operations_gates import gate_passages_template
from onezone.safety.tasks import gate_passages_import_start


def _desk(roles=READ_ROLES):
    return desk_view(roles)


def _context(request, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _work_point(work, sites: dict[int, Any], installations: dict[int, Any]) -> park_map.Point | None:
    """Where a filing is drawn: its own coordinates, else its installation's, else its enterprise's site."""
    x, y = work.x_m, work.y_m
    if x is None and work.installation_id in installations:
        x, y = installations[work.installation_id].x_m, installations[work.installation_id].y_m
    if x is None and work.enterprise_id in sites:
        x, y = sites[work.enterprise_id].x_m, sites[work.enterprise_id].y_m
    if x is None or y is None:
        return None
    start, end = timezone.localtime(work.starts_at), timezone.localtime(work.ends_at)
    return park_map.Point(
        kind=park_map.WORK,
        x=x,
        y=y,
        label=f"{work.get_kind_display()} {work.enterprise.name}",
        detail=f"{work.place}，{start:%m-%d %H:%M}至{end:%m-%d %H:%M}，管理级别{work.get_managed_level_display()}",
        tone="special" if work.is_special_hot else "",
        link=f"/desk/safety/work/{work.pk}/",
    )


def map_svg(*, zone_id: int, works: list) -> str:
    """The park map of the zone: enterprise sites, installations by level, gates, parking, today's work."""
    sites = {s.enterprise_id: s for s in base_selectors.enterprise_sites_for_map(zone_id=zone_id)}
    installations = {i.id: i for i in base_selectors.installations_for_map(zone_id=zone_id)}
    points = [
        park_map.Point(
            kind=park_map.SITE,
            x=s.x_m,
            y=s.y_m,
            label=s.enterprise_name,
            detail=f"重大危险源 {s.major_installations} 处" if s.major_installations else "",
            link=f"/desk/safety/enterprises/{s.enterprise_id}/",
        )
        for s in sites.values()
    ]
    points += [
        park_map.Point(
            kind=park_map.INSTALLATION,
            x=i.x_m,
            y=i.y_m,
            label=i.name,
            detail=f"{i.enterprise_name}，{park_map.LEVEL_NAMES.get(i.level, '')}",
            tone=str(i.level or 4),
        )
        for i in installations.values()
    ]
    points += [
        park_map.Point(kind=park_map.GATE, x=g.x_m, y=g.y_m, label=g.name, detail=g.get_kind_display(), tone=g.kind)
        for g in selectors.gates_of(zone_id)
    ]
    points += [
        park_map.Point(
            kind=park_map.PARKING,
            x=o["area"].x_m,
            y=o["area"].y_m,
            label=o["area"].name,
            detail=f"在停 {o['used']} / {o['capacity']} 辆",
        )
        for o in selectors.parking_occupancy(zone_id=zone_id)
    ]
    points += [p for p in (_work_point(w, sites, installations) for w in works) if p is not None]
    return park_map.draw(points)


def _safe_map(*, zone_id: int, works: list) -> str:
    """The map markup, safe to insert: ``safety.map`` escapes every label and link it writes."""
    return mark_safe(map_svg(zone_id=zone_id, works=works))  # noqa: S308  # nosec B308 B703


@_desk()
def desk(request, zone_id: int):
    today, now = timezone.localdate(), timezone.now()
    works = selectors.works_on(zone_id=zone_id, day=today)
    plans = selectors.plans_status(zone_id=zone_id, today=today)
    figures = selectors.ops_figures(zone_id=zone_id, today=today, now=now)
    context = _context(
        request,
        "安全监管工作台",
        today=today,
        figures=figures,
        base_figures=base_selectors.safety_figures(zone_id=zone_id, today=today),
        overdue=base_selectors.hazards_overdue(zone_id=zone_id, today=today)[:20],
        supervised=base_selectors.hazards_supervised(zone_id=zone_id, today=today)[:20],
        licences=base_selectors.licences_expiring(zone_id=zone_id, today=today)[:20],
        works=works,
        in_progress=selectors.works_in_progress_by_park(zone_id=zone_id, now=now),
        inside=selectors.hazmat_inside(zone_id=zone_id, now=now)[:30],
        stay_hours=selectors.hazmat_stay_hours(),
        drills=[p for p in plans if p.drill_overdue or p.drill_soon][:20],
        stale=[p for p in plans if p.stale][:20],
        duty=selectors.duty_on(zone_id=zone_id, day=today),
        map=_safe_map(zone_id=zone_id, works=works),
        now=now,
    )
    return render(request, "safety/ops_desk.html", context)


@_desk()
def work_list(request, zone_id: int):
    status = request.GET.get("status") or None
    if status is not None and status not in dict(SpecialWork.Status.choices):
        status = None
    context = _context(
        request,
        "特殊作业报备",
        works=selectors.works_list(zone_id=zone_id, status=status, limit=200),
        in_progress=selectors.works_in_progress_by_park(zone_id=zone_id, now=timezone.now()),
        checks=selectors.spot_checks_recent(zone_id=zone_id),
        statuses=SpecialWork.Status.choices,
        status=status or "",
    )
    return render(request, "safety/ops_work_list.html", context)


class SpotCheckForm(forms.Form):
    result = forms.ChoiceField(label="抽查结果", choices=SpotCheck.Result.choices, widget=forms.RadioSelect)
    findings = forms.CharField(
        label="发现的问题", required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000})
    )
    as_hazard = forms.BooleanField(label="不合格的问题登记为一般事故隐患", required=False)


@_desk()
def work_page(request, zone_id: int, pk: int):
    work = selectors.work_get(zone_id=zone_id, work_id=pk)
    can_check = bool(roles_in(request.user, zone_id) & SUPERVISE_ROLES)
    form = SpotCheckForm(request.POST or None)
    if request.method == "POST":
        if not can_check:
            return HttpResponseForbidden("只有园区安全监管人员可以抽查特殊作业。")
        if form.is_valid():
            try:
                services.special_work_spot_check(actor=request.user, work=work, **form.cleaned_data)
                messages.success(request, "已记录抽查结果。")
                return HttpResponseRedirect(request.path)
            except DomainError as exc:
                form.add_error(None, exc.message)
    start, end = timezone.localtime(work.starts_at), timezone.localtime(work.ends_at)
    context = _context(
        request,
        f"特殊作业 {work.number}",
        work=work,
        start=start,
        end=end,
        duration=worktime.duration_text(work.ends_at - work.starts_at),
        form=form,
        can_check=can_check,
        checks=list(work.checks.all()),
    )
    return render(request, "safety/ops_work.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label="卡口系统导出的通行记录（.xlsx 或 .csv）")


@_desk()
def gates_page(request, zone_id: int):
    can_import = bool(roles_in(request.user, zone_id) & SUPERVISE_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        if not can_import:
            return HttpResponseForbidden("只有园区安全监管人员可以导入卡口通行记录。")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = gate_passages_import_start(
                    actor=request.user, zone_id=zone_id, data=read_upload(upload), filename=upload.name
                )
            except DomainError as exc:
                head, _sep, rest = exc.message.partition("\n")
                form.add_error(None, head)
                errors = rest.splitlines()
            else:
                messages.success(request, "文件已提交，正在后台逐行检查并导入；本页显示进度，完成后给出结果。")
                return HttpResponseRedirect(job_url(job))
    now = timezone.now()
    context = _context(
        request,
        "封闭化管理",
        gates=selectors.gates_of(zone_id),
        inside=selectors.hazmat_inside(zone_id=zone_id, now=now),
        stay_hours=selectors.hazmat_stay_hours(),
        parking=selectors.parking_occupancy(zone_id=zone_id),
        form=form,
        errors=errors,
        can_import=can_import,
    )
    return render(request, "safety/ops_gates.html", context)


@_desk(SUPERVISE_ROLES)
def gates_template(request, zone_id: int):
    response = HttpResponse(
        gate_passages_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="gate-passages-template.xlsx"'
    return response


@_desk()
def emergency_page(request, zone_id: int):
    today = timezone.localdate()
    context = _context(
        request,
        "应急管理",
        today=today,
        plans=selectors.plans_status(zone_id=zone_id, today=today),
        drills=selectors.drills_of(zone_id=zone_id, limit=30),
        teams=selectors.teams_of(zone_id=zone_id),
        supplies=selectors.supplies_of(zone_id=zone_id),
        incidents=selectors.incidents_of(zone_id=zone_id, limit=30),
        duty=selectors.duty_on(zone_id=zone_id, day=today),
        review_years=plan_review_years(),
    )
    return render(request, "safety/ops_emergency.html", context)


class AssessmentForm(forms.Form):
    park = forms.TypedChoiceField(label="园区", coerce=int)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    items = forms.CharField(
        label="评估项目（每行一项：编号,项目,满分,得分）",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
    )


class ReviewForm(forms.Form):
    level = forms.ChoiceField(label="省级复核等级", choices=list(risklevel.LEVEL_LABELS.items()))
    reviewed_on = forms.DateField(label="复核日期", widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.CharField(label="复核文件", max_length=100)


def _parse_items(text: str) -> list[dict[str, str]]:
    rows = []
    for line in text.splitlines()[: risklevel.MAX_ITEMS + 1]:
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 4:
            raise InvalidInput(f"“{line[:40]}”应为 编号,项目,满分,得分 四项，用逗号分开。")
        rows.append(dict(zip(("code", "name", "full", "score"), parts, strict=True)))
    return rows


@_desk()
def risk_page(request, zone_id: int):
    from onezone.zones.models import Park

    parks = list(Park.objects.filter(zone_id=zone_id).order_by("code"))
    roles = roles_in(request.user, zone_id)
    form = AssessmentForm(request.POST if request.POST.get("action") == "submit" else None)
    form.fields["park"].choices = [(p.pk, p.name) for p in parks]
    review = ReviewForm(request.POST if request.POST.get("action") == "review" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit" and form.is_valid():
                park = next(p for p in parks if p.pk == form.cleaned_data["park"])
                done = services.risk_assessment_submit(
                    actor=request.user,
                    park=park,
                    year=form.cleaned_data["year"],
                    items=_parse_items(form.cleaned_data["items"]),
                )
                messages.success(
                    request, f"已登记{park.name}{done.year}年自评：{done.total} 分，{done.get_level_display()}。"
                )
                return HttpResponseRedirect(request.path)
            if action == "review" and review.is_valid():
                assessment = selectors.risk_assessment_get(
                    zone_id=zone_id, assessment_id=int(request.POST.get("assessment") or 0)
                )
                services.risk_assessment_review(actor=request.user, assessment=assessment, **review.cleaned_data)
                messages.success(request, "已登记省级复核等级。")
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            (form if action == "submit" else review).add_error(None, exc.message)
        except ValueError:
            review.add_error(None, "请选择要复核的评估。")
    context = _context(
        request,
        "园区安全风险等级",
        history=selectors.risk_history(zone_id=zone_id),
        form=form,
        review=review,
        can_submit=bool(roles & SUPERVISE_ROLES),
        can_review=bool(roles & REVIEW_ROLES),
        bounds="A类 低于60分；B类 60分至低于70分；C类 70分至低于85分；D类 85分及以上",
    )
    return render(request, "safety/ops_risk.html", context)


@_desk()
def enterprise_page(request, zone_id: int, pk: int):
    today = timezone.localdate()
    base = base_selectors.enterprise_safety(zone_id=zone_id, enterprise_id=pk, today=today)
    context = _context(
        request,
        f"{base.enterprise_name} · 安全档案",
        base=base,
        today=today,
        works=selectors.works_list(zone_id=zone_id, enterprise_id=pk, limit=50),
        plans=selectors.plans_status(zone_id=zone_id, today=today, enterprise_id=pk),
        drills=selectors.drills_of(zone_id=zone_id, enterprise_id=pk, limit=20),
        incidents=selectors.incidents_of(zone_id=zone_id, enterprise_id=pk, limit=20),
    )
    return render(request, "safety/ops_enterprise.html", context)
