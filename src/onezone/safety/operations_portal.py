"""The enterprise portal's safety pages: its own special work filings, plans, drills and incidents.

An enterprise user sees and files only its own enterprise's records; views parse the form and call the
services, which check again who acts.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from onezone.core.errors import DomainError
from onezone.enterprises.portal_pages import enterprise_page
from onezone.safety import worktime
from onezone.safety.models import DrillRecord, EmergencyPlan
from onezone.safety.selectors import operations as selectors
from onezone.safety.services import operations as services
from onezone.safety.services import operations_emergency as emergency

LOCAL = {"type": "datetime-local"}
DATE = {"type": "date"}


def _portal(view):
    """A portal page for a signed-in enterprise user; the view gets the user's enterprise."""
    return enterprise_page(view, title="安全生产")


def _errors(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for field, message in exc.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@_portal
def home(request, enterprise):
    today = timezone.localdate()
    context = {
        "title": "安全生产",
        "enterprise": enterprise,
        "works": selectors.works_list(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, limit=50),
        "plans": selectors.plans_status(zone_id=enterprise.zone_id, today=today, enterprise_id=enterprise.pk),
        "drills": selectors.drills_of(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, limit=20),
        "incidents": selectors.incidents_of(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, limit=20),
    }
    return render(request, "safety/ops_portal_home.html", context)


class WorkForm(forms.Form):
    kind = forms.ChoiceField(label="作业类别", choices=list(worktime.KIND_LABELS.items()))
    level = forms.ChoiceField(
        label="作业级别",
        required=False,
        choices=[(k, worktime.LEVEL_LABELS[k]) for k in (worktime.NO_LEVEL, *worktime.HOT_LEVELS)],
        help_text="动火作业选择特级、一级或二级，其他作业选择不分级",
    )
    permit_number = forms.CharField(label="作业票编号", max_length=50)
    place = forms.CharField(label="作业地点", max_length=200)
    content = forms.CharField(label="作业内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = forms.DateTimeField(label="开始时间", widget=forms.DateTimeInput(attrs=LOCAL))
    ends_at = forms.DateTimeField(label="结束时间", widget=forms.DateTimeInput(attrs=LOCAL))
    guardians = forms.CharField(label="监护人", max_length=200, help_text="多人用顿号分开")
    approver = forms.CharField(label="审批人", max_length=50)
    extension_approved = forms.BooleanField(label="临时用电超过15天，已经审批", required=False)


@_portal
def work_new(request, enterprise):
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["starts_at"], data["ends_at"] = _aware(data["starts_at"]), _aware(data["ends_at"])
        try:
            work = services.special_work_file(actor=request.user, enterprise=enterprise, **data)
            return HttpResponseRedirect(f"/portal/safety/?filed={work.number}")
        except DomainError as exc:
            _errors(form, exc)
    return render(
        request,
        "safety/ops_portal_form.html",
        {
            "title": "特殊作业报备",
            "form": form,
            "lead": "按 GB 30871-2022：特级、一级动火作业票最长 8 小时，二级动火 72 小时，受限空间 24 小时，"
            "临时用电不超过 15 天（经审批不超过 30 天）；节假日、公休日和夜间的动火作业升级管理。",
        },
    )


class PlanForm(forms.Form):
    title = forms.CharField(label="预案名称", max_length=200)
    kind = forms.ChoiceField(label="预案类别", choices=EmergencyPlan.Kind.choices)
    version = forms.CharField(label="版本", max_length=20)
    issued_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs=DATE))
    revised_on = forms.DateField(label="最近修订（评审）日期", required=False, widget=forms.DateInput(attrs=DATE))


@_portal
def plan_new(request, enterprise):
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            emergency.emergency_plan_file(
                actor=request.user, zone_id=enterprise.zone_id, enterprise=enterprise, **form.cleaned_data
            )
            return HttpResponseRedirect("/portal/safety/")
        except DomainError as exc:
            _errors(form, exc)
    lead = (
        f"预案每 {emergency.plan_review_years()} 年至少评审修订一次；"
        "综合和专项预案每年至少演练一次，现场处置方案每半年至少一次。"
    )
    return render(request, "safety/ops_portal_form.html", {"title": "应急预案报备", "form": form, "lead": lead})


class DrillForm(forms.Form):
    plan = forms.TypedChoiceField(label="演练的预案", coerce=int)
    held_on = forms.DateField(label="演练日期", widget=forms.DateInput(attrs=DATE))
    form = forms.ChoiceField(label="演练形式", choices=DrillRecord.Form.choices)
    participants = forms.IntegerField(label="参演人数", min_value=1, max_value=100_000)
    summary = forms.CharField(label="演练评估", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


@_portal
def drill_new(request, enterprise):
    plans = list(EmergencyPlan.objects.filter(zone_id=enterprise.zone_id, enterprise=enterprise).order_by("title"))
    form = DrillForm(request.POST or None)
    form.fields["plan"].choices = [(p.pk, p.title) for p in plans]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        plan = next(p for p in plans if p.pk == data.pop("plan"))
        try:
            emergency.drill_record(actor=request.user, plan=plan, **data)
            return HttpResponseRedirect("/portal/safety/")
        except DomainError as exc:
            _errors(form, exc)
    lead = "" if plans else "请先报备应急预案，再登记演练。"
    return render(request, "safety/ops_portal_form.html", {"title": "应急演练登记", "form": form, "lead": lead})


class IncidentForm(forms.Form):
    title = forms.CharField(label="事故简述", max_length=200)
    place = forms.CharField(label="事发地点", max_length=200)
    occurred_at = forms.DateTimeField(label="发生时间", widget=forms.DateTimeInput(attrs=LOCAL))
    deaths = forms.IntegerField(label="死亡人数", min_value=0, max_value=10_000, initial=0)
    injuries = forms.IntegerField(label="受伤人数", min_value=0, max_value=10_000, initial=0)
    missing = forms.IntegerField(label="失踪人数", min_value=0, max_value=10_000, initial=0)
    cause = forms.CharField(label="初步原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(
        label="已采取的措施", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


@_portal
def incident_new(request, enterprise):
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["occurred_at"] = _aware(data["occurred_at"])
        try:
            emergency.incident_report(actor=request.user, enterprise=enterprise, **data)
            return HttpResponseRedirect("/portal/safety/")
        except DomainError as exc:
            _errors(form, exc)
    lead = f"事故发生后应在 {emergency.incident_report_hours()} 小时内报告；报告时间按提交时刻记录，迟报时长会被标注。"
    return render(request, "safety/ops_portal_form.html", {"title": "事故快报", "form": form, "lead": lead})
