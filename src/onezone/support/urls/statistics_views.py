"""Pages of the monthly enterprise statistics: the enterprise's reports in its portal (report a month,
confirm a held one), the desk's figures by month, park and industry with the missing reporters and the
held reports, and the import of the statistics bureau's table."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone

from onezone.core.errors import DomainError, NotFound
from onezone.core.jobs import job_url
from onezone.core.money import WAN, format_amount
from onezone.core.params import year_param
from onezone.core.uploads import read_upload
from onezone.enterprises.portal_pages import enterprise_page
from onezone.support.selectors import statistics as selectors
from onezone.support.services import statistics as services
from onezone.support.services import statistics_rules as rules
from onezone.support.services.labour_authority import DESK_ROLES, may_act_at_desk
from onezone.support.services.statistics_import import statistics_import_template
from onezone.support.tasks import statistics_import_start
from onezone.support.urls.labour_views import admin_context, desk, form_errors, int_param

MONTHS_OFFERED = 24


def _months(today) -> list[tuple[str, str]]:
    year, month = rules.previous_month(today.year, today.month)
    out = []
    for _ in range(MONTHS_OFFERED):
        out.append((f"{year}-{month:02d}", f"{year}年{month}月"))
        year, month = rules.previous_month(year, month)
    return out


class ReportForm(forms.Form):
    period = forms.ChoiceField(label="月份")
    output_value = forms.DecimalField(label="工业总产值（万元）", min_value=0, max_digits=16, decimal_places=4)
    revenue = forms.DecimalField(label="营业收入（万元）", min_value=0, max_digits=16, decimal_places=4)
    tax = forms.DecimalField(label="实缴税金（万元）", min_value=0, max_digits=16, decimal_places=4)
    employees = forms.IntegerField(label="从业人员（人）", min_value=0)
    energy_tce = forms.DecimalField(label="综合能耗（吨标准煤）", min_value=0, max_digits=14, decimal_places=2)


def _report_row(report) -> dict:
    return {
        "report": report,
        "output": format_amount(report.output_value),
        "revenue": format_amount(report.revenue),
        "tax": format_amount(report.tax),
    }


@enterprise_page
def portal_statistics(request, enterprise):
    today = timezone.localdate()
    form = ReportForm(request.POST if request.POST.get("action") == "report" else None)
    form.fields["period"].choices = _months(today)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "report" and form.is_valid():
                data = form.cleaned_data
                year, month = (int(part) for part in data["period"].split("-"))
                report = services.report_submit(
                    actor=request.user,
                    enterprise=enterprise,
                    year=year,
                    month=month,
                    output_value=data["output_value"] * WAN,
                    revenue=data["revenue"] * WAN,
                    tax=data["tax"] * WAN,
                    employees=data["employees"],
                    energy_tce=data["energy_tce"],
                )
                if report.flags:
                    messages.warning(
                        request, f"{year}年{month}月报表已保存，但需要您核实确认：请查看下方“待确认”报表。"
                    )
                else:
                    messages.success(request, f"{year}年{month}月报表已报送。")
                return HttpResponseRedirect(request.path)
            if action == "confirm":
                report = selectors.report_of_enterprise(enterprise, int_param(request.POST.get("report"), 0))
                if report is None:
                    raise NotFound("没有找到该报表。")
                services.report_confirm(actor=request.user, report=report)
                messages.success(request, f"已确认 {report.year}年{report.month}月报表的数据。")
                return HttpResponseRedirect(request.path)
        except DomainError as exc:
            if action == "report":
                form_errors(form, exc)
            else:
                messages.error(request, exc.message)
    reports = selectors.reports_of_enterprise(enterprise)
    due_year, due_month = rules.last_due_month(today)
    owed = not any(r.year == due_year and r.month == due_month for r in reports)
    return render(
        request,
        "support/statistics_portal.html",
        {
            "title": "月度统计报表",
            "enterprise": enterprise,
            "form": form,
            "rows": [_report_row(r) for r in reports],
            "held": [_report_row(r) for r in reports if r.status == "pending"],
            "owed": f"{due_year}年{due_month}月" if owed else "",
            "due": rules.due_date(due_year, due_month),
        },
    )


@desk()
def desk_statistics(request, zone_id: int):
    today = timezone.localdate()
    year = year_param(request.GET.get("year"))
    due_year, due_month = rules.last_due_month(today)
    months = selectors.month_rows(zone_id, year)
    figures = selectors.year_figures(zone_id, year)
    return render(
        request,
        "support/statistics_desk.html",
        admin_context(
            request,
            f"{year}年企业月度统计",
            year=year,
            years=selectors.report_years(zone_id) or [today.year],
            figures=figures,
            totals={
                "output": format_amount(figures.output_value),
                "revenue": format_amount(figures.revenue),
                "tax": format_amount(figures.tax),
                "employees": f"{figures.employees:,}",
                "energy": f"{figures.energy_tce:,.2f}",
            },
            months=[
                {
                    **m,
                    "output": format_amount(m["output_value"]),
                    "tax_shown": format_amount(m["tax"]),
                    "employees_shown": f"{m['employees']:,}",
                    "energy_shown": f"{m['energy_tce']:,.2f}",
                }
                for m in months
            ],
            parks=[
                {**r, "output": format_amount(r["output_value"])}
                for r in selectors.group_rows(zone_id, year, by="park")
            ],
            industries=[
                {**r, "output": format_amount(r["output_value"])}
                for r in selectors.group_rows(zone_id, year, by="industry")
            ],
            due_label=f"{due_year}年{due_month}月",
            due=rules.due_date(due_year, due_month),
            missing=selectors.missing_reporters(zone_id, due_year, due_month, limit=200),
            missing_total=selectors.missing_count(zone_id, due_year, due_month),
            held=[_report_row(r) for r in selectors.held_reports(zone_id)],
            can_import=may_act_at_desk(request.user, zone_id),
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="统计局月报表（.xlsx）")


@desk(DESK_ROLES)
def desk_import(request, zone_id: int):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = statistics_import_start(
                actor=request.user, zone_id=zone_id, data=read_upload(upload), filename=upload.name
            )
        except DomainError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "文件已提交，正在后台逐行检查并导入；本页显示进度，完成后给出结果。")
            return HttpResponseRedirect(job_url(job))
    return render(
        request,
        "support/statistics_import.html",
        admin_context(request, "导入统计局企业月报", form=form),
    )


@desk(DESK_ROLES)
def desk_import_template(request, zone_id: int):
    response = HttpResponse(
        statistics_import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''statistics-template.xlsx"
    return response
