"""Back-office lists of the enterprise module. Workflow pages (request desk, inspection register,
enterprise page, import) live in ``views.py``; every save here goes through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from onezone.core.admin_base import ZoneScopedAdmin, ZoneTabularInline
from onezone.core.audit import audit_record
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role
from onezone.enterprises.access import INSPECTION_ROLES, REGISTRY_ROLES, REQUEST_STAFF_ROLES
from onezone.enterprises.models import (
    CategoryWord,
    Enterprise,
    EnterpriseContact,
    EnterpriseMember,
    EnterpriseRequest,
    EnterpriseTag,
    EnterpriseYear,
    Inspection,
    InspectionRule,
    RequestCategory,
)
from onezone.enterprises.selectors import enterprise_by_uscc, fits_park_expression, industry_name
from onezone.enterprises.services import (
    enterprise_register,
    enterprise_update,
    member_link,
    normalise_industry,
    normalise_uscc,
)
from onezone.enterprises.services.registry import ENTERPRISE_FIELDS
from onezone.zones.models import Park


class FitFilter(admin.SimpleListFilter):
    title = "园区定位（错位发展）"
    parameter_name = "fit"

    def lookups(self, request, model_admin):
        return [("no", "不符合园区定位"), ("yes", "符合园区定位")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(fits_park=False)
        if self.value() == "yes":
            return queryset.filter(fits_park=True)
        return queryset


class ParkFilter(admin.SimpleListFilter):
    title = "所在园区"
    parameter_name = "park"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.name) for p in Park.objects.filter(zone_id=current_zone_id(request)).order_by("code")]

    def queryset(self, request, queryset):
        return queryset.filter(park_id=self.value()) if self.value() else queryset


class IndustryFilter(admin.SimpleListFilter):
    title = "行业大类"
    parameter_name = "industry"

    def lookups(self, request, model_admin):
        codes = (
            Enterprise.objects.filter(zone_id=current_zone_id(request))
            .values_list("industry_code", flat=True)
            .distinct()
        )
        divisions = sorted({c[:3] for c in codes})
        return [(d, f"{d} {industry_name(d)}") for d in divisions]

    def queryset(self, request, queryset):
        return queryset.filter(industry_code__startswith=self.value()) if self.value() else queryset


class TagFilter(admin.SimpleListFilter):
    title = "标签"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(t.code, t.name) for t in EnterpriseTag.objects.filter(zone_id=current_zone_id(request))]

    def queryset(self, request, queryset):
        return queryset.filter(tags__code=self.value()).distinct() if self.value() else queryset


class EnterpriseForm(forms.ModelForm):
    zone_id: int | None = None

    class Meta:
        model = Enterprise
        fields = (
            "uscc",
            "name",
            "legal_representative",
            "registered_capital",
            "industry_code",
            "park",
            "address",
            "size",
            "status",
            "established",
            "risk_level",
            "tags",
        )

    def clean_uscc(self):
        try:
            code = normalise_uscc(self.cleaned_data.get("uscc", ""))
        except DomainError as exc:
            raise ValidationError(exc.message) from exc
        existing = enterprise_by_uscc(zone_id=self.zone_id, uscc=code) if self.zone_id else None
        if existing is not None and existing.pk != self.instance.pk:
            raise ValidationError(f"该统一社会信用代码已登记为“{existing.name}”，不能重复登记。")
        return code

    def clean_industry_code(self):
        try:
            return normalise_industry(self.cleaned_data.get("industry_code", ""))
        except DomainError as exc:
            raise ValidationError(exc.message) from exc


class ContactInline(ZoneTabularInline):
    model = EnterpriseContact
    fields = ("name", "role", "mobile", "id_number", "is_primary")


class YearInline(ZoneTabularInline):
    model = EnterpriseYear
    fields = ("year", "output_value", "revenue", "tax", "employees", "energy_tce", "rd_spend", "exports")


@admin.register(Enterprise)
class EnterpriseAdmin(ZoneScopedAdmin):
    form = EnterpriseForm
    write_roles = REGISTRY_ROLES
    list_display = (
        "name",
        "uscc",
        "park",
        "industry",
        "size",
        "status",
        "risk_level",
        "fit_flag",
        "tag_names",
        "page_link",
    )
    list_filter = (ParkFilter, IndustryFilter, "size", TagFilter, FitFilter, "status", "risk_level")
    search_fields = ("name", "uscc", "legal_representative")
    filter_horizontal = ("tags",)
    inlines = [ContactInline, YearInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("park")
            .prefetch_related("tags")
            .annotate(fits_park=fits_park_expression())
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.zone_id = current_zone_id(request)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "park":
            kwargs["queryset"] = Park.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["queryset"] = EnterpriseTag.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="行业")
    def industry(self, obj):
        return f"{obj.industry_code} {industry_name(obj.industry_code)}"

    @admin.display(description="园区定位", boolean=False)
    def fit_flag(self, obj):
        if getattr(obj, "fits_park", True):
            return "符合"
        return format_html('<span class="oz-badge oz-badge-provisional">{}</span>', "不符合园区定位")

    @admin.display(description="标签")
    def tag_names(self, obj):
        return "、".join(t.name for t in obj.tags.all())

    @admin.display(description="企业页面")
    def page_link(self, obj):
        return format_html('<a href="/desk/enterprises/{}/">查看</a>', obj.pk)

    def save_model(self, request, obj, form, change):
        zone_id = current_zone_id(request)
        tags = list(form.cleaned_data.get("tags") or [])
        try:
            if change:
                changes = {f: form.cleaned_data[f] for f in form.changed_data if f in ENTERPRISE_FIELDS}
                enterprise_update(actor=request.user, enterprise=obj, tags=tags, **changes)
            else:
                created = enterprise_register(
                    actor=request.user,
                    zone_id=zone_id,
                    tags=tags,
                    **{f: form.cleaned_data.get(f) for f in ENTERPRISE_FIELDS if f in form.cleaned_data},
                )
                obj.pk = created.pk
                obj.zone_id = zone_id
                obj._state.adding = False
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc

    def save_related(self, request, form, formsets, change):
        # The tags were saved by the service; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The contacts inline shows full mobiles and ID numbers: a full view of personal data is logged.
        if request.method == "GET":
            enterprise = self.get_object(request, object_id)
            if enterprise is not None:
                for contact in enterprise.contacts.exclude(mobile="", id_number=""):
                    audit_record(actor=request.user, action="enterprises.contact.view_personal_data", obj=contact)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(EnterpriseTag)
class EnterpriseTagAdmin(ZoneScopedAdmin):
    write_roles = REGISTRY_ROLES
    list_display = ("name", "code", "order")
    search_fields = ("name", "code")


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(ZoneScopedAdmin):
    write_roles = REGISTRY_ROLES
    list_display = ("enterprise", "year", "output_value", "revenue", "tax", "employees", "energy_tce")
    list_filter = ("year",)
    list_select_related = ("enterprise",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    autocomplete_fields = ("enterprise",)


class MemberForm(forms.ModelForm):
    class Meta:
        model = EnterpriseMember
        fields = ("user", "enterprise")


@admin.register(EnterpriseMember)
class EnterpriseMemberAdmin(ZoneScopedAdmin):
    form = MemberForm
    write_roles = frozenset({Role.ADMIN})
    list_display = ("user", "enterprise")
    list_select_related = ("user", "enterprise")
    search_fields = ("user__username", "enterprise__name")
    autocomplete_fields = ("enterprise",)

    def save_model(self, request, obj, form, change):
        try:
            member = member_link(actor=request.user, user=obj.user, enterprise=obj.enterprise)
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk = member.pk
        obj.zone_id = member.zone_id
        obj._state.adding = False


@admin.register(RequestCategory)
class RequestCategoryAdmin(ZoneScopedAdmin):
    write_roles = frozenset({Role.ADMIN})
    list_display = ("name", "code", "routing_category", "ack_days", "respond_days", "resolve_days", "training_count")
    search_fields = ("name", "code")


@admin.register(CategoryWord)
class CategoryWordAdmin(ZoneScopedAdmin):
    write_roles = frozenset({Role.ADMIN})
    view_roles = REQUEST_STAFF_ROLES
    list_display = ("word", "category", "weight")
    list_filter = ("category",)
    list_select_related = ("category",)
    search_fields = ("word",)


class ReadOnlyZoneAdmin(ZoneScopedAdmin):
    write_roles = frozenset()

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EnterpriseRequest)
class EnterpriseRequestAdmin(ReadOnlyZoneAdmin):
    list_display = ("number_link", "title", "enterprise", "category", "status", "handling_body", "resolve_due")
    list_filter = ("status", "category", "handling_body")
    list_select_related = ("enterprise", "category", "handling_body")
    search_fields = ("number", "title", "enterprise__name")
    date_hierarchy = "submitted_on"

    @admin.display(description="编号", ordering="number")
    def number_link(self, obj):
        return format_html('<a href="/desk/enterprises/requests/{}/">{}</a>', obj.pk, obj.number)


@admin.register(InspectionRule)
class InspectionRuleAdmin(ZoneScopedAdmin):
    write_roles = INSPECTION_ROLES | REGISTRY_ROLES
    list_display = ("__str__", "max_routine", "period", "joint_window_days", "exempt_low_risk")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyZoneAdmin):
    list_display = ("planned_on", "enterprise", "body", "kind", "status", "purpose")
    list_filter = ("kind", "status", "body")
    list_select_related = ("enterprise", "body")
    search_fields = ("enterprise__name", "purpose")
    date_hierarchy = "planned_on"
