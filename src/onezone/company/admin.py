"""Back-office lists of the company's books.

The committee's roles read every list; only company staff write, and they write through the
company's own pages (which call the services), so the lists here add, change and delete nothing
that carries money: an "add" goes to the form page, a row opens its detail page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from onezone.company.depreciation import book_value
from onezone.company.models import Asset, CompanySettings, ConstructionProject, Lease, Loan, RentBill, RentPayment
from onezone.company.schedules import outstanding_on
from onezone.company.selectors import READ_ROLES, projects_of
from onezone.company.services import asset_set_status, company_settings_save
from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role

COMPANY_WRITERS = frozenset({Role.COMPANY_STAFF})


class CompanyAdmin(ZoneScopedAdmin):
    view_roles = READ_ROLES
    write_roles = COMPANY_WRITERS

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class FormPageAdmin(CompanyAdmin):
    """Adding opens the company's form page; a row opens the record's detail page."""

    add_url_name = ""
    detail_url_name = ""

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse(self.add_url_name))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self.detail_url_name:
            obj = self.get_object(request, object_id)
            if obj is not None:
                return HttpResponseRedirect(reverse(self.detail_url_name, args=[obj.pk]))
        return super().change_view(request, object_id, form_url, extra_context)


def _yuan(value) -> str:
    return f"{value:,.2f}"


@admin.register(Asset)
class AssetAdmin(CompanyAdmin):
    list_display = ("code", "name", "kind", "park", "status", "cost_display", "book_value_today", "acquired_on", "act")
    list_filter = ("kind", "status", "park")
    list_select_related = ("park",)
    search_fields = ("code", "name", "location")
    fields = (
        "code",
        "name",
        "kind",
        "park",
        "location",
        "area_m2",
        "cost",
        "acquired_on",
        "useful_life_months",
        "residual_rate",
        "status",
        "disposed_on",
        "disposal_proceeds",
        "disposal_decision",
        "note",
    )
    # Only the description is edited here; the figures change through the services.
    readonly_fields = (
        "code",
        "kind",
        "park",
        "cost",
        "acquired_on",
        "useful_life_months",
        "residual_rate",
        "status",
        "disposed_on",
        "disposal_proceeds",
        "disposal_decision",
    )

    actions = ["mark_in_use", "mark_idle"]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("company-asset-new"))

    def _set_status(self, request, queryset, status: str) -> None:
        done = 0
        for asset in queryset:
            try:
                asset_set_status(actor=request.user, asset=asset, status=status)
                done += 1
            except DomainError as exc:
                messages.error(request, f"“{asset}”：{exc.message}")
        if done:
            messages.success(request, f"已将 {done} 项资产改为“{Asset.Status(status).label}”。")

    @admin.action(description="所选资产改为自用", permissions=["change"])
    def mark_in_use(self, request, queryset):
        self._set_status(request, queryset, Asset.Status.IN_USE)

    @admin.action(description="所选资产改为闲置", permissions=["change"])
    def mark_idle(self, request, queryset):
        self._set_status(request, queryset, Asset.Status.IDLE)

    @admin.display(description="原值（元）")
    def cost_display(self, obj: Asset) -> str:
        return _yuan(obj.cost)

    @admin.display(description="今日账面价值（元）")
    def book_value_today(self, obj: Asset) -> str:
        return _yuan(book_value(obj.basis, timezone.localdate()))

    @admin.display(description="操作")
    def act(self, obj: Asset) -> str:
        if obj.status == Asset.Status.DISPOSED:
            return "—"
        return format_html('<a href="{}">处置</a>', reverse("company-asset-dispose", args=[obj.pk]))


@admin.register(Lease)
class LeaseAdmin(FormPageAdmin):
    add_url_name = "company-lease-new"
    detail_url_name = "company-lease"
    list_display = ("number", "lessee_name", "asset", "start", "end", "rent", "rent_unit", "billing_cycle", "status")
    list_filter = ("status", "billing_cycle", "asset__park")
    list_select_related = ("asset",)
    search_fields = ("number", "lessee_name", "lessee_uscc", "asset__name")


@admin.register(RentBill)
class RentBillAdmin(CompanyAdmin):
    list_display = ("number", "lease_link", "period_start", "period_end", "due_on", "amount", "paid", "unpaid")
    list_filter = ("due_on",)
    list_select_related = ("lease",)
    search_fields = ("number", "lease__number", "lease__lessee_name")
    date_hierarchy = "due_on"

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.display(description="租赁合同")
    def lease_link(self, obj: RentBill) -> str:
        return format_html('<a href="{}">{}</a>', reverse("company-lease", args=[obj.lease_id]), obj.lease)

    @admin.display(description="未收（元）")
    def unpaid(self, obj: RentBill) -> str:
        return _yuan(obj.outstanding)


@admin.register(RentPayment)
class RentPaymentAdmin(CompanyAdmin):
    list_display = ("paid_on", "lease", "amount", "reference")
    list_select_related = ("lease",)
    search_fields = ("lease__number", "lease__lessee_name", "reference")
    date_hierarchy = "paid_on"

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Loan)
class LoanAdmin(FormPageAdmin):
    add_url_name = "company-loan-new"
    detail_url_name = "company-loan"
    list_display = (
        "contract_number",
        "kind",
        "lender",
        "principal",
        "annual_rate",
        "start",
        "term_months",
        "method",
        "owed",
    )
    list_filter = ("kind", "method")
    search_fields = ("contract_number", "lender")

    @admin.display(description="今日未还本金（元）")
    def owed(self, obj: Loan) -> str:
        return _yuan(outstanding_on(obj.schedule(), obj.principal, obj.start, timezone.localdate()))


@admin.register(ConstructionProject)
class ConstructionProjectAdmin(FormPageAdmin):
    add_url_name = "company-project-new"
    detail_url_name = "company-project"
    list_display = ("name", "park", "budget", "contracted", "paid", "progress")
    search_fields = ("name",)

    def get_queryset(self, request: Any):
        zone_id = current_zone_id(request)
        return projects_of(zone_id) if zone_id else ConstructionProject.objects.none()

    @admin.display(description="合同金额（元）")
    def contracted(self, obj) -> str:
        return _yuan(obj.contracted_total)

    @admin.display(description="已付（元）")
    def paid(self, obj) -> str:
        return _yuan(obj.paid_total)

    @admin.display(description="形象进度")
    def progress(self, obj) -> str:
        return "—" if obj.progress_percent is None else f"{obj.progress_percent}%（{obj.progress_on}）"


@admin.register(CompanySettings)
class CompanySettingsAdmin(ZoneScopedAdmin):
    """The committee's rule for its company, set by the system administrator."""

    view_roles = READ_ROLES
    write_roles = frozenset({Role.ADMIN})
    list_display = ("zone", "decision_threshold")
    fields = ("decision_threshold",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def save_model(self, request: Any, obj: CompanySettings, form: Any, change: bool) -> None:
        try:
            row = company_settings_save(
                actor=request.user, zone_id=current_zone_id(request), decision_threshold=obj.decision_threshold
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk, obj.zone_id = row.pk, row.zone_id
