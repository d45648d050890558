"""Back-office list of the monthly reports and reminders. Reports are written by the enterprise in
its portal and by the import (/desk/support/statistics/import/) through the services; the admin only reads."""

from __future__ import annotations

from django.contrib import admin

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.support.models.statistics import MonthlyReport, ReportReminder
from onezone.support.services.labour_authority import READ_ROLES


class _ReadOnly(ZoneScopedAdmin):
    view_roles = READ_ROLES
    write_roles = frozenset()


@admin.register(MonthlyReport)
class MonthlyReportAdmin(_ReadOnly):
    list_display = ["enterprise", "year", "month", "output_value", "employees", "status", "source"]
    list_filter = ["year", "month", "status", "source"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    list_select_related = ["enterprise"]


@admin.register(ReportReminder)
class ReportReminderAdmin(_ReadOnly):
    list_display = ["enterprise", "year", "month", "sent_on"]
    list_filter = ["year", "month"]
    list_select_related = ["enterprise"]
