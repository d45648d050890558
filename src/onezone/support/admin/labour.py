"""Back-office lists of jobs, shared labour and talent needs. They are read here; every change goes
through the area's services from the desk pages (/desk/support/...) and the portal, so the admin
offers no add, change or delete. Applications are not listed: their phones belong to the enterprise."""

from __future__ import annotations

from django.contrib import admin

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.support.models.labour import JobPosting, LabourSharing, TalentNeed, TalentPlacement
from onezone.support.services.labour_authority import READ_ROLES


class _ReadOnly(ZoneScopedAdmin):
    view_roles = READ_ROLES
    write_roles = frozenset()


@admin.register(JobPosting)
class JobPostingAdmin(_ReadOnly):
    list_display = ["title", "enterprise", "places", "pay_min", "pay_max", "status", "published_on", "valid_until"]
    list_filter = ["status"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(LabourSharing)
class LabourSharingAdmin(_ReadOnly):
    list_display = ["lender", "borrower", "workers", "start", "end", "status"]
    list_filter = ["status"]
    list_select_related = ["lender", "borrower"]


@admin.register(TalentNeed)
class TalentNeedAdmin(_ReadOnly):
    list_display = ["year", "field", "title", "needed"]
    list_filter = ["year", "field"]


@admin.register(TalentPlacement)
class TalentPlacementAdmin(_ReadOnly):
    list_display = ["person_name", "need", "enterprise", "placed_on"]
    list_select_related = ["need", "enterprise"]
