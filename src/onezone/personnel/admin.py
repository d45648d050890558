"""Back office of personnel: contracts, pay scales, schemes, cycles with rating entry, appeals, payroll.

Everything here is for HR (人事专员). Workflow steps go through the services; the custom pages are in
``personnel.backoffice`` and hang off these admins' URLs.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from onezone.core.admin_base import ZoneScopedAdmin, ZoneTabularInline
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role
from onezone.personnel import backoffice
from onezone.personnel.metrics import metric_choices
from onezone.personnel.models import (
    Appeal,
    AppraisalCycle,
    AppraisalScheme,
    EmploymentContract,
    Indicator,
    PayrollRun,
    PersonnelPolicy,
    PostGradePay,
)
from onezone.personnel.services import check_indicators, contract_activate, scheme_activate

HR = frozenset({Role.HR_OFFICER})


class HRAdmin(ZoneScopedAdmin):
    view_roles = HR
    write_roles = HR


@admin.register(PersonnelPolicy)
class PersonnelPolicyAdmin(HRAdmin):
    list_display = (
        "__str__",
        "expiry_notice_days",
        "excellent_quota_percent",
        "excellent_min",
        "competent_min",
        "basic_min",
    )

    def has_add_permission(self, request, *args):
        zone_id = current_zone_id(request)
        exists = PersonnelPolicy.objects.filter(zone_id=zone_id).exists()
        return super().has_add_permission(request, *args) and not exists


@admin.register(PostGradePay)
class PostGradePayAdmin(HRAdmin):
    list_display = ("category", "grade", "base_pay", "effective_from")
    list_filter = ("category",)
    search_fields = ("grade",)


@admin.register(EmploymentContract)
class EmploymentContractAdmin(HRAdmin):
    list_display = ("number", "person", "post", "term_type", "start", "end", "status", "review_marker", "operations")
    list_filter = ("status", "term_type", "review_flag")
    list_select_related = ("person", "post__body")
    search_fields = ("number", "person__name")
    date_hierarchy = "end"
    actions = ["activate_selected"]
    readonly_fields = (
        "number",
        "person",
        "post",
        "term_type",
        "start",
        "end",
        "probation_months",
        "status",
        "previous",
        "terminated_on",
        "termination_reason",
        "review_flag",
        "review_reason",
    )

    @admin.display(description="审查")
    def review_marker(self, obj):
        return obj.review_reason if obj.review_flag else ""

    @admin.display(description="操作")
    def operations(self, obj):
        if obj.status == EmploymentContract.Status.ACTIVE:
            return format_html(
                '<a class="oz-more" href="{}">续订</a> · <a class="oz-more" href="{}">解除</a>{}',
                reverse("admin:personnel_contract_renew", args=[obj.pk]),
                reverse("admin:personnel_contract_terminate", args=[obj.pk]),
                format_html(
                    ' · <a class="oz-more" href="{}">审查</a>',
                    reverse("admin:personnel_contract_review", args=[obj.pk]),
                )
                if obj.review_flag
                else "",
            )
        return ""

    @admin.action(description="签订所选草拟合同（生效）")
    def activate_selected(self, request, queryset):
        done = 0
        for contract in queryset.filter(status=EmploymentContract.Status.DRAFT):
            try:
                contract_activate(actor=request.user, contract=contract)
                done += 1
            except DomainError as exc:
                messages.error(request, exc.message)
        if done:
            messages.success(request, f"已签订 {done} 份合同。")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/renew/", wrap(backoffice.contract_renew_view), name="personnel_contract_renew"),
            path("<int:pk>/terminate/", wrap(backoffice.contract_terminate_view), name="personnel_contract_terminate"),
            path("<int:pk>/review/", wrap(backoffice.contract_review_view), name="personnel_contract_review"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return backoffice.contract_new_view(request)

    def save_model(self, request, obj, form, change):
        """Contracts change only through their workflow pages."""


class IndicatorForm(forms.ModelForm):
    metric_key = forms.CharField(label="业务数据来源", required=False, widget=forms.Select(choices=[]))

    class Meta:
        model = Indicator
        fields = ("order", "name", "weight", "source", "metric_key", "formula", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("metric_key") or ""
        choices = [("", "—"), *metric_choices()]
        if current and current not in dict(choices):
            choices.append((current, f"{current}（尚未启用）"))
        self.fields["metric_key"].widget.choices = choices


class IndicatorFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE", False)
        ]
        try:
            check_indicators(rows)
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class IndicatorInline(ZoneTabularInline):
    model = Indicator
    form = IndicatorForm
    formset = IndicatorFormSet
    fields = ("order", "name", "weight", "source", "metric_key", "formula", "description")


@admin.register(AppraisalScheme)
class AppraisalSchemeAdmin(HRAdmin):
    list_display = ("name", "category", "body", "is_active", "weights")
    list_filter = ("category", "is_active")
    list_select_related = ("body",)
    readonly_fields = ("is_active",)
    inlines = [IndicatorInline]
    actions = ["activate_selected"]

    @admin.display(description="指标（权重）")
    def weights(self, obj):
        return "；".join(f"{i.name} {i.weight.normalize():f}" for i in obj.indicators.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicators")

    @admin.action(description="启用所选方案（替换同类别的现行方案）")
    def activate_selected(self, request, queryset):
        for scheme in queryset:
            try:
                scheme_activate(actor=request.user, scheme=scheme)
                messages.success(request, f"已启用“{scheme.name}”。")
            except DomainError as exc:
                messages.error(request, f"“{scheme.name}”：{exc.message}")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            from onezone.org.models import Body

            kwargs["queryset"] = Body.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AppraisalCycle)
class AppraisalCycleAdmin(HRAdmin):
    list_display = ("name", "period", "start", "end", "status", "formula_words", "board_link")
    list_filter = ("period", "status")

    @admin.display(description="总分公式")
    def formula_words(self, obj):
        from onezone.personnel.formula import in_words
        from onezone.personnel.grading import RATER_LABELS

        return in_words(obj.final_formula, RATER_LABELS)

    @admin.display(description="评分与等次")
    def board_link(self, obj):
        return format_html(
            '<a class="oz-more" href="{}">打开</a>', reverse("admin:personnel_cycle_board", args=[obj.pk])
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/board/", wrap(backoffice.cycle_board_view), name="personnel_cycle_board"),
            path("<int:pk>/close/", wrap(backoffice.cycle_close_view), name="personnel_cycle_close"),
            path("rate/<int:appraisal_id>/", wrap(backoffice.appraisal_rate_view), name="personnel_appraisal_rate"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return backoffice.cycle_new_view(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:personnel_cycle_board", args=[object_id]))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(HRAdmin):
    list_display = ("appraisal", "status", "grade_before", "grade_after", "created_at", "handle_link")
    list_filter = ("status",)
    list_select_related = ("appraisal__person", "appraisal__cycle")

    @admin.display(description="处理")
    def handle_link(self, obj):
        return format_html(
            '<a class="oz-more" href="{}">处理</a>', reverse("admin:personnel_appeal_handle", args=[obj.pk])
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/handle/", wrap(backoffice.appeal_handle_view), name="personnel_appeal_handle"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return backoffice.appeal_new_view(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:personnel_appeal_handle", args=[object_id]))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PayrollRun)
class PayrollRunAdmin(HRAdmin):
    list_display = ("__str__", "body", "month", "pool", "status", "run_link")
    list_filter = ("status", "body")
    list_select_related = ("body",)

    @admin.display(description="工资条")
    def run_link(self, obj):
        return format_html(
            '<a class="oz-more" href="{}">打开</a>', reverse("admin:personnel_payroll_run", args=[obj.pk])
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/sheet/", wrap(backoffice.payroll_run_view), name="personnel_payroll_run"),
            path("<int:pk>/export/", wrap(backoffice.payroll_export_view), name="personnel_payroll_export"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return backoffice.payroll_new_view(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:personnel_payroll_run", args=[object_id]))

    def has_delete_permission(self, request, obj=None):
        return False
