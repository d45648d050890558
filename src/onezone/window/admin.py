"""Back-office lists of the window. Cases change only through the case page; lists here are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from onezone.core.admin_base import ReadOnlyAdmin
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role
from onezone.window.models import Alert, Case, Complaint, Rating, Rectification

WINDOW_VIEWERS = frozenset(
    {Role.ADMIN, Role.CLERK, Role.REVIEWER, Role.DEPT_HEAD, Role.LEADER, Role.AGENT, Role.PROVINCE_SUPERVISOR}
)


class ZoneReadOnly(ReadOnlyAdmin):
    view_roles = WINDOW_VIEWERS
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(zone_id=current_zone_id(request))


def _case_link(case: Case) -> str:
    return format_html('<a href="{}">{}</a>', reverse("window-case", args=[case.pk]), case.number)


@admin.register(Case)
class CaseAdmin(ZoneReadOnly):
    list_display = (
        "number_link",
        "item_name",
        "applicant_name",
        "state",
        "committed_deadline",
        "legal_deadline",
        "received_on",
    )
    list_filter = ("state", "channel", "deadlines_provisional")
    search_fields = ("number", "applicant_name", "item_name")
    list_select_related = ()
    ordering = ("queue_on", "id")
    exclude = ("applicant_id_number", "contact_mobile", "terms")

    @admin.display(description="办件编号")
    def number_link(self, obj):
        return _case_link(obj)


@admin.register(Alert)
class AlertAdmin(ZoneReadOnly):
    list_display = ("raised_on", "kind", "case_link", "deadline", "recipient_name", "message")
    list_filter = ("kind",)
    list_select_related = ("case",)
    search_fields = ("case__number", "message")

    @admin.display(description="办件")
    def case_link(self, obj):
        return _case_link(obj.case)


@admin.register(Complaint)
class ComplaintAdmin(ZoneReadOnly):
    list_display = ("number", "received_on", "complainant", "mobile_masked", "body", "due_on", "status", "outcome")
    list_filter = ("status", "outcome")
    list_select_related = ("body",)
    search_fields = ("number", "complainant", "content")
    exclude = ("mobile",)

    @admin.display(description="联系电话")
    def mobile_masked(self, obj):
        return obj.mobile_masked


class RectificationInline(admin.StackedInline):
    model = Rectification
    extra = 0
    can_delete = False
    readonly_fields = ("body", "due_on", "status", "measures", "follow_up", "followed_up_on", "done_on")
    exclude = ("zone",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ZoneReadOnly):
    list_display = ("rated_on", "case_link", "level", "comment", "appeal", "rectification_status")
    list_filter = ("level", "appeal")
    list_select_related = ("case", "rectification")
    inlines = [RectificationInline]

    @admin.display(description="办件")
    def case_link(self, obj):
        return _case_link(obj.case)

    @admin.display(description="整改")
    def rectification_status(self, obj):
        rect = getattr(obj, "rectification", None)
        return f"{rect.get_status_display()}（{rect.due_on}）" if rect else "—"
