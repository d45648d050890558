"""Back-office admin of this area; every save goes through the area's services.

Gates, parking areas, teams, supplies and the duty roster are registry records saved through
``core.services.record_save`` (``ZoneScopedAdmin``); filings, stays, plans, drills, incidents and
assessments are written by their services (the desk and portal pages, the API) and only listed here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from onezone.core.admin_base import ReadOnlyAdmin, ZoneScopedAdmin
from onezone.core.middleware import current_zone_id
from onezone.safety.models import (
    DutyShift,
    EmergencySupply,
    EmergencyTeam,
    Gate,
    Incident,
    ParkingArea,
    SpecialWork,
    VehicleStay,
)
from onezone.safety.services.operations_access import READ_ROLES, SUPERVISE_ROLES


class OpsRegistryAdmin(ZoneScopedAdmin):
    view_roles = READ_ROLES
    write_roles = SUPERVISE_ROLES

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any):
        # Choices of the current zone only: a park, team or body of another zone cannot be picked.
        model = db_field.related_model
        if any(f.name == "zone" for f in model._meta.fields) or model._meta.label_lower == "zones.zone":
            field = "pk" if model._meta.label_lower == "zones.zone" else "zone_id"
            kwargs["queryset"] = model._default_manager.filter(**{field: current_zone_id(request)})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Gate)
class GateAdmin(OpsRegistryAdmin):
    list_display = ["code", "name", "kind", "park", "x_m", "y_m"]
    list_filter = ["kind"]
    list_select_related = ["park"]
    search_fields = ["code", "name"]


@admin.register(ParkingArea)
class ParkingAreaAdmin(OpsRegistryAdmin):
    list_display = ["code", "name", "capacity", "park"]
    list_select_related = ["park"]


@admin.register(EmergencyTeam)
class EmergencyTeamAdmin(OpsRegistryAdmin):
    list_display = ["name", "enterprise", "kind", "members", "leader", "phone"]
    list_filter = ["kind"]
    list_select_related = ["enterprise"]
    search_fields = ["name", "leader"]
    raw_id_fields = ["enterprise"]


@admin.register(EmergencySupply)
class EmergencySupplyAdmin(OpsRegistryAdmin):
    list_display = ["name", "quantity", "unit", "location", "team", "checked_on"]
    list_select_related = ["team"]
    search_fields = ["name", "location"]


@admin.register(DutyShift)
class DutyShiftAdmin(OpsRegistryAdmin):
    list_display = ["on", "post", "name", "phone", "body"]
    list_filter = ["post"]
    list_select_related = ["body"]
    date_hierarchy = "on"


@admin.register(SpecialWork)
class SpecialWorkAdmin(ReadOnlyAdmin):
    view_roles = READ_ROLES
    list_display = ["number", "enterprise", "kind", "level", "managed_level", "starts_at", "ends_at", "status"]
    list_filter = ["kind", "status", "managed_level"]
    list_select_related = ["enterprise"]
    search_fields = ["number", "permit_number", "place"]

    def get_queryset(self, request: Any):
        return super().get_queryset(request).filter(zone_id=current_zone_id(request))


@admin.register(VehicleStay)
class VehicleStayAdmin(ReadOnlyAdmin):
    view_roles = READ_ROLES
    list_display = ["plate", "chemical", "un_number", "entered_at", "exited_at", "entry_gate", "parking_area"]
    list_select_related = ["entry_gate", "parking_area"]
    search_fields = ["plate"]

    def get_queryset(self, request: Any):
        return super().get_queryset(request).filter(zone_id=current_zone_id(request))


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    view_roles = READ_ROLES
    list_display = ["number", "enterprise", "title", "occurred_at", "reported_at", "deaths", "injuries"]
    list_select_related = ["enterprise"]

    def get_queryset(self, request: Any):
        return super().get_queryset(request).filter(zone_id=current_zone_id(request))
