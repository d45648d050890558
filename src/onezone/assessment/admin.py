from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from unfold.admin import ModelAdmin

from onezone.assessment import selectors, services
from onezone.assessment.evaluation import tree_problems
from onezone.assessment.models import (
    Actual,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Indicator,
    Scheme,
    SchemeNode,
    Target,
    ZoneValue,
    ZoneYearFact,
)
from onezone.assessment.tasks import zone_values_import_start
from onezone.core.admin_base import ReadOnlyAdmin, RoleAdminMixin, ZoneScopedAdmin, ZoneTabularInline
from onezone.core.errors import DomainError
from onezone.core.jobs import job_url
from onezone.core.middleware import current_zone_id
from onezone.core.roles import STAFF_ROLES, Role
from onezone.core.services import record_delete, record_save
from onezone.core.uploads import read_upload

TARGET_WRITERS = frozenset({Role.ADMIN, Role.LEADER})
VALUE_WRITERS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})


class ProvinceAdmin(RoleAdminMixin, ModelAdmin):
    """Province-wide records: every staff user reads, only the site's administrator writes."""

    view_roles = STAFF_ROLES

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return request.user.is_superuser

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        record_save(actor=request.user, obj=obj, roles=[Role.ADMIN], zone_id=None)

    def delete_model(self, request: Any, obj: Any) -> None:
        record_delete(actor=request.user, obj=obj, roles=[Role.ADMIN])

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(actor=request.user, obj=obj, roles=[Role.ADMIN])
        for obj in instances:
            record_save(actor=request.user, obj=obj, roles=[Role.ADMIN], zone_id=None)
        formset.save_m2m()


@admin.register(Indicator)
class IndicatorAdmin(ProvinceAdmin):
    list_display = ("name", "key", "unit", "direction", "source_name", "cumulative", "order")
    list_filter = ("direction", "cumulative")
    search_fields = ("name", "key")

    @admin.display(description="本站记录来源", ordering="source")
    def source_name(self, obj):
        from onezone.assessment.sources import source_choices

        return dict(source_choices()).get(obj.source or "manual", obj.source)


@admin.register(Target)
class TargetAdmin(ZoneScopedAdmin):
    write_roles = TARGET_WRITERS
    list_display = ("year", "holder", "indicator", "value", "weight", "actual_value", "actual_origin")
    list_filter = ("year", "level", "indicator")
    list_select_related = ("indicator", "park", "body", "actual")
    search_fields = ("indicator__name", "body__name", "park__name")

    def get_readonly_fields(self, request, obj=None):
        # A target is changed for the same year, indicator and holder; another holder is another target.
        return ("year", "indicator", "level", "park", "body") if obj is not None else ()

    def save_record(self, request, obj):
        return services.target_set(
            actor=request.user,
            zone_id=obj.zone_id,
            year=obj.year,
            indicator_key=obj.indicator.key,
            value=obj.value,
            weight=obj.weight,
            rule=obj.rule,
            level=obj.level,
            park_id=obj.park_id,
            body_id=obj.body_id,
            note=obj.note,
        )

    @admin.display(description="考核对象")
    def holder(self, obj: Target) -> str:
        return obj.holder_name

    @admin.display(description="实际值")
    def actual_value(self, obj: Target):
        actual = getattr(obj, "actual", None)
        return actual.value.normalize() if actual else "—"

    @admin.display(description="实际值来源")
    def actual_origin(self, obj: Target) -> str:
        actual = getattr(obj, "actual", None)
        return actual.get_origin_display() if actual else "—"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from onezone.org.models import Body
        from onezone.zones.models import Park

        zone_id = current_zone_id(request)
        if db_field.name == "park":
            kwargs["queryset"] = Park.objects.filter(zone_id=zone_id)
        if db_field.name == "body":
            kwargs["queryset"] = Body.objects.filter(zone_id=zone_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Actual)
class ActualAdmin(ZoneScopedAdmin):
    """Actuals are computed or entered on the targets page (with evidence); here they are read."""

    list_display = ("target", "value", "origin", "source", "as_of", "computed_at", "evidence_reference", "entered_by")
    list_filter = ("origin", "target__year")
    list_select_related = ("target__indicator", "target__park", "target__body", "entered_by")
    write_roles = frozenset()

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SchemeNodeInline(ZoneTabularInline):
    model = SchemeNode
    fk_name = "scheme"
    fields = ("order", "key", "name", "parent", "weight", "direction", "method", "unit", "maximum", "source")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            scheme_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = (
                SchemeNode.objects.filter(scheme_id=scheme_id) if scheme_id else SchemeNode.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Scheme)
class SchemeAdmin(ProvinceAdmin):
    list_display = ("name", "province_code", "missing_rule", "tree_status")
    inlines = [SchemeNodeInline]
    readonly_fields = ("tree_status",)

    def get_queryset(self, request):
        # The list checks each scheme's tree: its nodes come in one query for the page.
        nodes = SchemeNode.objects.select_related("parent").order_by("order", "key")
        return super().get_queryset(request).prefetch_related(Prefetch("nodes", queryset=nodes))

    @admin.display(description="指标体系检查")
    def tree_status(self, obj: Scheme) -> str:
        if not obj.pk:
            return ""
        try:
            problems = tree_problems(selectors.scheme_tree(obj, list(obj.nodes.all())))
        except DomainError as exc:
            return exc.message
        except ValueError as exc:
            return str(exc)
        return "；".join(problems) if problems else "权重与标准化方法均有效"

    def get_urls(self):
        return [
            path("<int:scheme_id>/tools/", self.admin_site.admin_view(self.tools_view), name="assessment_scheme_tools"),
            *super().get_urls(),
        ]

    def tools_view(self, request, scheme_id: int):
        """Import zones' values from .xlsx (all or nothing) and compute a year's evaluation."""
        scheme = get_object_or_404(Scheme, pk=scheme_id)
        errors: dict[str, str] = {}
        if request.method == "POST":
            try:
                year = int(request.POST.get("year", ""))
            except ValueError:
                messages.error(request, "请填写年度，例如 2025。")
                return HttpResponseRedirect(request.path)
            try:
                if request.POST.get("action") == "import":
                    upload = request.FILES.get("file")
                    if upload is None:
                        messages.error(request, "请选择要导入的 .xlsx 文件。")
                    else:
                        job = zone_values_import_start(
                            actor=request.user, scheme=scheme, year=year, data=read_upload(upload), filename=upload.name
                        )
                        messages.success(request, "文件已提交，正在后台逐行检查并导入；本页显示进度，完成后给出结果。")
                        return HttpResponseRedirect(job_url(job))
                else:
                    evaluation = services.evaluation_compute(actor=request.user, scheme=scheme, year=year)
                    messages.success(request, f"已计算 {year} 年评价（{evaluation.zone_count} 个开发区）。")
                    return HttpResponseRedirect(reverse("assessment:ranking", args=[evaluation.pk]))
            except DomainError as exc:
                messages.error(request, exc.message)
                errors = exc.fields
            if not errors:
                return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{scheme.name} · 导入与计算",
            "scheme": scheme,
            "errors": errors,
            "leaves": selectors.scheme_tree(scheme).leaves(),
            "year": timezone.localdate().year - 1,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "assessment/scheme_tools.html", context)


@admin.register(ZoneValue)
class ZoneValueAdmin(ZoneScopedAdmin):
    write_roles = VALUE_WRITERS
    list_display = ("year", "key", "value", "origin", "source", "recorded_at")
    list_filter = ("year", "origin")
    search_fields = ("key",)
    fields = ("year", "key", "value", "source")

    def get_readonly_fields(self, request, obj=None):
        # A correction changes the value of the same year and indicator.
        return ("year", "key") if obj is not None else ()

    def save_record(self, request, obj):
        # A value typed here is the zone's report: the same service (and audit event) as the import and the API.
        return services.zone_value_set(
            actor=request.user,
            zone_id=obj.zone_id,
            year=obj.year,
            key=obj.key,
            value=obj.value,
            source=obj.source,
        )


@admin.register(ZoneYearFact)
class ZoneYearFactAdmin(ZoneScopedAdmin):
    write_roles = TARGET_WRITERS
    list_display = ("year", "planned_area_km2", "industrial_output", "employees", "source")


class ResultInline(admin.TabularInline):
    model = EvaluationResult
    fields = ("rank", "zone", "score", "complete")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("rank",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ProvinceAdmin):
    list_display = ("scheme", "year", "status", "zone_count", "computed_at", "published_at")
    list_filter = ("status", "year")
    readonly_fields = ("status", "missing_rule", "computed_at", "published_at", "zone_count")
    fields = ("scheme", "year", *readonly_fields)
    actions = ["publish", "withdraw"]

    def get_queryset(self, request):
        return selectors.evaluations_visible(request.user)

    def has_add_permission(self, request, *args):
        return False

    @admin.action(description="发布所选评价")
    def publish(self, request, queryset):
        self._transition(request, queryset, EvaluationStatus.PUBLISHED)

    @admin.action(description="撤回所选评价（改为草稿）")
    def withdraw(self, request, queryset):
        self._transition(request, queryset, EvaluationStatus.DRAFT)

    def _transition(self, request, queryset, to):
        for evaluation in queryset:
            try:
                services.evaluation_transition(actor=request.user, evaluation=evaluation, to=to)
            except DomainError as exc:
                messages.error(request, f"{evaluation}：{exc.message}")


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnlyAdmin):
    list_display = ("evaluation", "rank", "zone", "score", "complete")
    list_filter = ("evaluation",)
    list_select_related = ("evaluation__scheme", "zone")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("evaluation__scheme", "zone")
        if selectors.can_see_all_zones(request.user):
            return qs
        return qs.filter(zone_id=current_zone_id(request), evaluation__status=EvaluationStatus.PUBLISHED)
