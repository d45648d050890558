from django.contrib import admin

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.roles import Role
from onezone.zones.models import Industry, Park, Town, Zone


@admin.register(Zone)
class ZoneAdmin(ZoneScopedAdmin):
    zone_field = None
    list_display = ("name", "level", "area_code", "approved_area_km2", "planned_area_km2", "merged_town", "is_demo")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        from onezone.core.permissions import readable_zone_ids

        qs = super().get_queryset(request)
        ids = readable_zone_ids(request.user)
        return qs if ids is None else qs.filter(id__in=ids)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser


@admin.register(Park)
class ParkAdmin(ZoneScopedAdmin):
    list_display = ("name", "industry_labels", "planned_area_km2", "built_area_km2")
    search_fields = ("name", "code", "industry_labels")
    filter_horizontal = ("leading_industries",)


@admin.register(Town)
class TownAdmin(ZoneScopedAdmin):
    zone_field = None
    list_display = ("name", "area_code", "population")

    def get_queryset(self, request):
        from onezone.core.middleware import current_zone_id

        return super().get_queryset(request).filter(merged_zones__id=current_zone_id(request))


@admin.register(Industry)
class IndustryAdmin(ZoneScopedAdmin):
    zone_field = None
    write_roles = frozenset()
    view_roles = frozenset({Role.ADMIN})
    list_display = ("code", "name", "parent")
    list_select_related = ("parent",)
    search_fields = ("code", "name")
