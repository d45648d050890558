"""Pages of 找人才 / 找员工: the public job list and job page (with the application form), the
enterprise's jobs, applications and shared labour in its portal, and the desk's lists (jobs, shared
labour, talent needs). Views parse input, call services and selectors, and render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from onezone.core.desk import desk_view
from onezone.core.errors import DomainError, NotFound
from onezone.core.money import format_amount
from onezone.enterprises.portal_pages import enterprise_page
from onezone.support.models.labour import JobStatus, SharingStatus, TalentField
from onezone.support.selectors import labour as selectors
from onezone.support.services import labour as services
from onezone.support.services import labour_sharing as sharing_services
from onezone.support.services.labour_authority import READ_ROLES, may_act_at_desk

# --- helpers shared by the area's pages ----------------------------------------------------------


def int_param(value: Any, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def desk(roles=READ_ROLES):
    return desk_view(roles)


def admin_context(request, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def form_errors(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed or exc.message not in exc.fields.values():
        form.add_error(None, exc.message)


def public_zone(request):
    """The zone the public pages show: the site's only zone, or the one named by ``?zone=``."""
    from onezone.zones.models import Zone

    code = (request.GET.get("zone") or "")[:32]
    zones = Zone.objects.order_by("-is_demo", "id")
    zone = zones.filter(code=code).first() if code else zones.first()
    if zone is None:
        raise Http404("尚未设置开发区。")
    return zone


def pay(job) -> str:
    return f"{format_amount(job.pay_min)}–{format_amount(job.pay_max)}/月"


# --- public ---------------------------------------------------------------------------------------


def public_jobs(request):
    from onezone.zones.models import Park

    zone = public_zone(request)
    park_id = int_param(request.GET.get("park"))
    industry = (request.GET.get("industry") or "")[:5]
    page = selectors.public_jobs(
        zone.pk,
        q=request.GET.get("q", ""),
        park_id=park_id,
        industry=industry,
        page=int_param(request.GET.get("page"), 1),
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "support/labour_public_jobs.html",
        {
            "title": "找工作 · 园区企业招聘",
            "zone": zone,
            "page": page,
            "rows": [{"job": job, "pay": pay(job)} for job in page.object_list],
            "parks": Park.objects.filter(zone=zone).order_by("code"),
            "industries": selectors.job_industries(zone.pk),
            "params": {"q": request.GET.get("q", "")[:50], "park": park_id, "industry": industry},
            "query": params.urlencode(),
        },
    )


class ApplicationForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=200)
    phone = forms.CharField(label="手机号码", max_length=40)
    note = forms.CharField(
        label="自我介绍",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="300 字以内",
    )


def public_job(request, job_id: int):
    zone = public_zone(request)
    job = selectors.public_job(zone.pk, job_id)
    if job is None:
        raise Http404("该岗位不存在或已结束招聘。")
    form = ApplicationForm(request.POST or None)
    done = False
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.application_rate_check(client=request.META.get("REMOTE_ADDR", ""))
            services.job_apply(actor=request.user, job=job, **form.cleaned_data)
            done = True
            form = ApplicationForm()
        except DomainError as exc:
            form_errors(form, exc)
            status = exc.http_status
    return render(
        request,
        "support/labour_public_job.html",
        {"title": job.title, "job": job, "pay": pay(job), "form": form, "done": done},
        status=status,
    )


# --- enterprise portal ----------------------------------------------------------------------------


class JobForm(forms.Form):
    title = forms.CharField(label="岗位名称", max_length=1000)
    places = forms.IntegerField(label="招聘人数", min_value=1)
    pay_min = forms.DecimalField(label="月薪下限（元）", decimal_places=2, max_digits=12)
    pay_max = forms.DecimalField(label="月薪上限（元）", decimal_places=2, max_digits=12)
    place = forms.CharField(label="工作地点", max_length=1000)
    valid_until = forms.DateField(label="有效期至", widget=forms.DateInput(attrs={"type": "date"}))
    requirements = forms.CharField(label="任职要求", max_length=10000, widget=forms.Textarea(attrs={"rows": 5}))


@enterprise_page
def portal_jobs(request, enterprise):
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_post(actor=request.user, enterprise=enterprise, **form.cleaned_data)
            return HttpResponseRedirect(f"/portal/enterprise/jobs/{job.pk}/")
        except DomainError as exc:
            form_errors(form, exc)
    return render(
        request,
        "support/labour_portal_jobs.html",
        {"title": "我的招聘", "enterprise": enterprise, "jobs": selectors.jobs_of_enterprise(enterprise), "form": form},
    )


@enterprise_page
def portal_job(request, enterprise, job_id: int):
    job = selectors.job_of_enterprise(enterprise, job_id)
    if job is None:
        raise Http404("没有找到该岗位。")
    revealed = None
    form = JobForm(
        request.POST if request.POST.get("action") == "update" else None,
        initial={k: getattr(job, k) for k in JobForm.base_fields},
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "open":
                application = job.applications.filter(pk=int_param(request.POST.get("application"))).first()
                if application is None:
                    raise NotFound("没有找到该求职申请。")
                revealed = services.application_open(actor=request.user, application=application).pk
            elif action == "close":
                services.job_transition(actor=request.user, job=job, to=JobStatus.CLOSED)
                return HttpResponseRedirect(request.path)
            elif action == "reopen":
                services.job_transition(actor=request.user, job=job, to=JobStatus.PUBLISHED)
                return HttpResponseRedirect(request.path)
            elif action == "update" and form.is_valid():
                services.job_update(actor=request.user, job=job, **form.cleaned_data)
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            if action == "update":
                form_errors(form, exc)
            else:
                messages.error(request, exc.message)
        job.refresh_from_db()
    return render(
        request,
        "support/labour_portal_job.html",
        {
            "title": job.title,
            "job": job,
            "pay": pay(job),
            "form": form,
            "applications": selectors.applications_of_job(job, revealed=revealed),
        },
    )


class SharingForm(forms.Form):
    direction = forms.ChoiceField(
        label="本企业是", choices=[("lend", "调出方（借出员工）"), ("borrow", "调入方（借用员工）")]
    )
    partner = forms.ChoiceField(label="对方企业")
    workers = forms.IntegerField(label="调剂人数", min_value=1)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    work = forms.CharField(label="工作内容", max_length=1000)


def _partners(enterprise) -> list[tuple[str, str]]:
    from onezone.enterprises.models import Enterprise

    others = Enterprise.objects.filter(zone_id=enterprise.zone_id).exclude(pk=enterprise.pk).exclude(status="closed")
    return [(str(pk), name) for pk, name in others.order_by("name").values_list("pk", "name")[:2000]]


@enterprise_page
def portal_labour(request, enterprise):
    from onezone.enterprises.models import Enterprise

    form = SharingForm(request.POST if request.POST.get("action") == "propose" else None)
    form.fields["partner"].choices = _partners(enterprise)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "propose" and form.is_valid():
                partner = Enterprise.objects.get(zone_id=enterprise.zone_id, pk=int(form.cleaned_data["partner"]))
                lend = form.cleaned_data["direction"] == "lend"
                sharing_services.sharing_propose(
                    actor=request.user,
                    lender=enterprise if lend else partner,
                    borrower=partner if lend else enterprise,
                    workers=form.cleaned_data["workers"],
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    work=form.cleaned_data["work"],
                )
                return HttpResponseRedirect(request.path)
            if action in {"confirm", "decline", "cancel"}:
                sharing = selectors.sharing_of_enterprise(enterprise, int_param(request.POST.get("sharing"), 0))
                if sharing is None:
                    raise NotFound("没有找到该用工调剂。")
                reason = request.POST.get("reason", "")
                if action == "confirm":
                    sharing_services.sharing_confirm(actor=request.user, sharing=sharing)
                elif action == "decline":
                    sharing_services.sharing_decline(actor=request.user, sharing=sharing, reason=reason)
                else:
                    sharing_services.sharing_cancel(actor=request.user, sharing=sharing, reason=reason)
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            if action == "propose":
                form_errors(form, exc)
            else:
                messages.error(request, exc.message)
    rows = []
    for sharing in selectors.sharings(enterprise.zone_id, enterprise_id=enterprise.pk):
        side = "lender" if sharing.lender_id == enterprise.pk else "borrower"
        mine = getattr(sharing, f"{side}_confirmed_at")
        rows.append(
            {
                "sharing": sharing,
                "side": "调出" if side == "lender" else "调入",
                "can_confirm": sharing.status == SharingStatus.PROPOSED and mine is None,
                "can_cancel": sharing.status == SharingStatus.PROPOSED and sharing.proposed_by_id == request.user.pk,
            }
        )
    return render(request, "support/labour_portal_sharing.html", {"title": "用工调剂", "rows": rows, "form": form})


# --- desk -----------------------------------------------------------------------------------------


@desk()
def desk_jobs(request, zone_id: int):
    status = request.GET.get("status", "")
    page = selectors.desk_jobs(
        zone_id, status=status, q=request.GET.get("q", ""), page=int_param(request.GET.get("page"), 1)
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "support/labour_desk_jobs.html",
        admin_context(
            request,
            "企业招聘岗位",
            page=page,
            rows=[{"job": job, "pay": pay(job)} for job in page.object_list],
            statuses=JobStatus.choices,
            params={"status": status, "q": request.GET.get("q", "")[:50]},
            query=params.urlencode(),
            today=timezone.localdate(),
        ),
    )


class DeskSharingForm(forms.Form):
    lender = forms.ChoiceField(label="调出企业")
    borrower = forms.ChoiceField(label="调入企业")
    workers = forms.IntegerField(label="调剂人数", min_value=1)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    work = forms.CharField(label="工作内容", max_length=1000)


@desk()
def desk_labour(request, zone_id: int):
    from onezone.enterprises.models import Enterprise

    can_act = may_act_at_desk(request.user, zone_id)
    form = DeskSharingForm(request.POST if request.POST.get("action") == "propose" else None)
    choices = [
        (str(pk), name)
        for pk, name in Enterprise.objects.filter(zone_id=zone_id).order_by("name").values_list("pk", "name")[:2000]
    ]
    form.fields["lender"].choices = form.fields["borrower"].choices = choices
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "propose" and form.is_valid():
                data = form.cleaned_data
                sharing_services.sharing_propose(
                    actor=request.user,
                    lender=Enterprise.objects.get(zone_id=zone_id, pk=int(data["lender"])),
                    borrower=Enterprise.objects.get(zone_id=zone_id, pk=int(data["borrower"])),
                    workers=data["workers"],
                    start=data["start"],
                    end=data["end"],
                    work=data["work"],
                )
                messages.success(request, "已登记用工调剂，待两家企业在企业端确认。")
                return HttpResponseRedirect(request.path)
            if action == "cancel":
                sharing = selectors.sharing_get(zone_id, int_param(request.POST.get("sharing"), 0))
                if sharing is None:
                    raise NotFound("没有找到该用工调剂。")
                sharing_services.sharing_cancel(
                    actor=request.user, sharing=sharing, reason=request.POST.get("reason", "")
                )
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            if action == "propose":
                form_errors(form, exc)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "support/labour_desk_sharing.html",
        admin_context(request, "用工调剂", rows=selectors.sharings(zone_id), form=form, can_act=can_act),
    )


class TalentNeedForm(forms.Form):
    field = forms.ChoiceField(label="领域", choices=TalentField.choices)
    title = forms.CharField(label="岗位或专业", max_length=1000)
    needed = forms.IntegerField(label="需求人数", min_value=1)
    note = forms.CharField(label="说明", max_length=2000, required=False)


class PlacementForm(forms.Form):
    need = forms.IntegerField(widget=forms.HiddenInput)
    person_name = forms.CharField(label="姓名", max_length=200)
    placed_on = forms.DateField(label="到岗日期", widget=forms.DateInput(attrs={"type": "date"}))
    enterprise = forms.ChoiceField(label="就职企业", required=False)


@desk()
def desk_talent(request, zone_id: int):
    from onezone.core.params import year_param
    from onezone.enterprises.models import Enterprise

    year = year_param(request.GET.get("year"))
    action = request.POST.get("action")
    need_form = TalentNeedForm(request.POST if action == "need" else None)
    place_form = PlacementForm(request.POST if action == "place" else None)
    place_form.fields["enterprise"].choices = [("", "（未指定）")] + [
        (str(pk), name)
        for pk, name in Enterprise.objects.filter(zone_id=zone_id).order_by("name").values_list("pk", "name")[:2000]
    ]
    if request.method == "POST":
        try:
            if action == "need" and need_form.is_valid():
                sharing_services.talent_need_save(
                    actor=request.user, zone_id=zone_id, year=year, **need_form.cleaned_data
                )
                return HttpResponseRedirect(f"{request.path}?year={year}")
            if action == "place" and place_form.is_valid():
                data = place_form.cleaned_data
                need = selectors.talent_need_get(zone_id, data["need"])
                if need is None:
                    raise NotFound("没有找到该人才需求。")
                enterprise = (
                    Enterprise.objects.filter(zone_id=zone_id, pk=int_param(data["enterprise"])).first()
                    if data["enterprise"]
                    else None
                )
                sharing_services.talent_place(
                    actor=request.user,
                    need=need,
                    person_name=data["person_name"],
                    placed_on=data["placed_on"],
                    enterprise=enterprise,
                )
                return HttpResponseRedirect(f"{request.path}?year={year}")
        except DomainError as exc:
            form_errors(need_form if action == "need" else place_form, exc)
    rows, fields, total = selectors.talent_needs(zone_id, year)
    return render(
        request,
        "support/labour_desk_talent.html",
        admin_context(
            request,
            f"{year}年人才需求与到岗",
            year=year,
            rows=rows,
            fields=fields,
            total=total,
            need_form=need_form,
            place_form=place_form,
            can_act=may_act_at_desk(request.user, zone_id),
        ),
    )
