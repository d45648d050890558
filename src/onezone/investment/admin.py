"""Back-office lists and forms of the investment module. Projects are written through the services;
ledgers, stage changes and awards are read-only here (they change only through their workflows)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from onezone.core.admin_base import ZoneScopedAdmin, ZoneTabularInline
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.investment import services
from onezone.investment.models import (
    Chain,
    ChainNode,
    ChainTarget,
    FundsEntry,
    InvestmentProgress,
    Milestone,
    NodeEnterprise,
    Project,
    ProjectStageChange,
    RewardAward,
    RewardPolicy,
)
from onezone.zones.models import Park

PROJECT_WRITERS = frozenset(services.PROJECT_WRITERS)
CHAIN_WRITERS = frozenset(services.CHAIN_WRITERS)


class ZoneReadOnlyAdmin(ZoneScopedAdmin):
    """A zone's records that change only through their service functions."""

    write_roles = frozenset()

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ZoneScopedAdmin):
    write_roles = PROJECT_WRITERS
    list_display = ("name", "investor_name", "park", "stage", "is_key", "planned_start_year", "officer", "page_link")
    list_filter = ("stage", "is_key", "park", "planned_start_year")
    list_select_related = ("park", "officer")
    search_fields = ("name", "investor_name", "referrer")
    fields = (
        "name",
        "investor_name",
        "enterprise",
        "industry_code",
        "park",
        "chain_node",
        "planned_investment",
        "is_key",
        "planned_start_year",
        "officer",
        "referrer",
        "is_real_estate",
        "is_loan_funded",
        "is_ppp",
        "note",
    )
    raw_id_fields = ("enterprise",)

    @admin.display(description="项目页")
    def page_link(self, obj):
        return format_html('<a href="{}">打开</a>', reverse("investment-project", args=[obj.pk]))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        zone_id = current_zone_id(request)
        if db_field.name == "park":
            kwargs["queryset"] = Park.objects.filter(zone_id=zone_id)
        elif db_field.name == "chain_node":
            kwargs["queryset"] = ChainNode.objects.filter(zone_id=zone_id).select_related("chain")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in self.fields}
        try:
            if change:
                changed = {k: v for k, v in data.items() if k in form.changed_data}
                saved = services.project_update(actor=request.user, project=obj, **changed) if changed else obj
            else:
                saved = services.project_create(actor=request.user, zone_id=current_zone_id(request), **data)
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        raise DjangoPermissionDenied("招商项目不能删除；不再推进的项目请在项目页“终止”，并填写原因。")

    def has_delete_permission(self, request, obj=None):
        return False


class NodeEnterpriseInline(ZoneTabularInline):
    model = NodeEnterprise
    fields = ("name", "uscc", "products", "enterprise")
    raw_id_fields = ("enterprise",)


class ChainTargetInline(ZoneTabularInline):
    model = ChainTarget
    fields = ("company", "location", "products", "priority", "approach")


@admin.register(Chain)
class ChainAdmin(ZoneScopedAdmin):
    write_roles = CHAIN_WRITERS
    list_display = ("name", "cluster", "order", "map_link")
    search_fields = ("name", "cluster")

    @admin.display(description="图谱")
    def map_link(self, obj):
        return format_html('<a href="{}">查看</a>', reverse("investment-chain", args=[obj.pk]))


@admin.register(ChainNode)
class ChainNodeAdmin(ZoneScopedAdmin):
    write_roles = CHAIN_WRITERS
    list_display = ("name", "chain", "stage", "industry_code", "parent", "key_products")
    list_filter = ("chain", "stage")
    list_select_related = ("chain", "parent__chain")
    search_fields = ("name", "key_products", "industry_code")
    inlines = [NodeEnterpriseInline, ChainTargetInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        zone_id = current_zone_id(request)
        if db_field.name == "chain":
            kwargs["queryset"] = Chain.objects.filter(zone_id=zone_id)
        elif db_field.name == "parent":
            kwargs["queryset"] = ChainNode.objects.filter(zone_id=zone_id).select_related("chain")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(RewardPolicy)
class RewardPolicyAdmin(ZoneScopedAdmin):
    write_roles = frozenset(services.POLICY_WRITERS)
    list_display = ("name", "document_number", "effective_from", "effective_to", "tier_mode", "cap")

    def save_record(self, request, obj):
        return services.reward_policy_save(actor=request.user, policy=obj)


@admin.register(FundsEntry)
class FundsEntryAdmin(ZoneReadOnlyAdmin):
    list_display = ("project", "received_on", "amount", "source", "evidence_reference", "corrects", "note")
    list_filter = ("source",)
    list_select_related = ("project", "corrects")
    date_hierarchy = "received_on"
    search_fields = ("project__name", "evidence_reference")


@admin.register(InvestmentProgress)
class InvestmentProgressAdmin(ZoneReadOnlyAdmin):
    list_display = ("project", "month", "amount", "corrects", "note")
    list_select_related = ("project", "corrects")
    date_hierarchy = "month"
    search_fields = ("project__name",)


@admin.register(ProjectStageChange)
class ProjectStageChangeAdmin(ZoneReadOnlyAdmin):
    list_display = ("project", "from_stage", "to_stage", "on", "actor", "reason")
    list_filter = ("to_stage",)
    list_select_related = ("project", "actor")
    search_fields = ("project__name",)


@admin.register(Milestone)
class MilestoneAdmin(ZoneReadOnlyAdmin):
    list_display = ("project", "kind", "status", "planned_on", "done_on", "case_number")
    list_filter = ("kind", "status")
    list_select_related = ("project",)


@admin.register(RewardAward)
class RewardAwardAdmin(ZoneReadOnlyAdmin):
    list_display = ("project", "referrer", "claimed_on", "funds_base", "amount", "status")
    list_filter = ("status",)
    list_select_related = ("project",)
