"""Base classes for back-office pages: zone scoping, role checks and audited saves."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from unfold.admin import ModelAdmin, StackedInline, TabularInline

from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.permissions import roles_in
from onezone.core.roles import STAFF_ROLES, Role
from onezone.core.services import record_delete, record_save


class RoleAdminMixin:
    """Who may view and who may change, by role in the current zone instead of Django permissions."""

    view_roles: ClassVar[frozenset[str]] = STAFF_ROLES
    write_roles: ClassVar[frozenset[str]] = frozenset({Role.ADMIN})

    def _roles(self, request: Any) -> frozenset[str]:
        return roles_in(request.user, current_zone_id(request))

    def has_module_permission(self, request: Any) -> bool:
        return bool(self._roles(request) & (self.view_roles | self.write_roles))

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(self._roles(request) & (self.view_roles | self.write_roles))

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return bool(self._roles(request) & self.write_roles)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(self._roles(request) & self.write_roles)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return bool(self._roles(request) & self.write_roles)


class ZoneScopedAdmin(RoleAdminMixin, ModelAdmin):
    """A list of one zone's records; new records belong to the current zone."""

    zone_field: ClassVar[str] = "zone"
    list_per_page = 50
    warn_unsaved_form = True

    def get_queryset(self, request: Any):
        qs = super().get_queryset(request)
        zone_id = current_zone_id(request)
        if self.zone_field is None:
            return qs
        if zone_id is None:
            return qs.none()
        return qs.filter(**{f"{self.zone_field}_id" if "__" not in self.zone_field else self.zone_field: zone_id})

    def get_exclude(self, request: Any, obj: Any = None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.zone_field == "zone":
            exclude.append("zone")
        return exclude

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if self.zone_field == "zone" and not change:
            obj.zone_id = current_zone_id(request)
        try:
            record_save(actor=request.user, obj=obj, roles=self.write_roles)
        except DomainError as exc:
            # The form was valid, so this is a rule the service enforces; show it and keep nothing.
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc

    def delete_model(self, request: Any, obj: Any) -> None:
        record_delete(actor=request.user, obj=obj, roles=self.write_roles)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            record_delete(actor=request.user, obj=obj, roles=self.write_roles)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(actor=request.user, obj=obj, roles=self.write_roles)
        for obj in instances:
            if hasattr(obj, "zone_id") and obj.zone_id is None:
                obj.zone_id = current_zone_id(request)
            record_save(actor=request.user, obj=obj, roles=self.write_roles)
        formset.save_m2m()


class ReadOnlyAdmin(RoleAdminMixin, ModelAdmin):
    """A list nobody edits in the back office (audit log, computed records)."""

    write_roles = frozenset()

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class ZoneTabularInline(TabularInline):
    extra = 0


class ZoneStackedInline(StackedInline):
    extra = 0
