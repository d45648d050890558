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


def in_zone(form_class: Any, zone_id: int | None) -> Any:
    """``form_class`` whose new record belongs to ``zone_id`` before it is validated, so a model's own rule
    (a parent of the same zone) sees the zone the record is being added to."""

    class InZone(form_class):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if getattr(self.instance, "zone_id", False) is None:
                self.instance.zone_id = zone_id

    InZone.__name__ = form_class.__name__
    return InZone


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

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change=change, **kwargs)
        return in_zone(form, current_zone_id(request)) if self.zone_field == "zone" else form

    def save_record(self, request: Any, obj: Any) -> Any:
        """Save one record of this page, the form's or an inline row's, through its domain's service.

        The generic audited save serves plain registry records; an admin whose records have rules of their
        own (a workflow, a date that must not precede another) overrides this to call its service.
        """
        return record_save(actor=request.user, obj=obj, roles=self.write_roles)

    def delete_record(self, request: Any, obj: Any) -> None:
        """Delete one record of this page through its domain's service."""
        record_delete(actor=request.user, obj=obj, roles=self.write_roles)

    def _refuse(self, request: Any, exc: DomainError) -> None:
        # The form was valid, so this is a rule the service enforces; show it and keep nothing (the admin's
        # view runs in one transaction, which the exception rolls back).
        messages.error(request, exc.message)
        raise DjangoPermissionDenied(exc.message) from exc

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if self.zone_field == "zone" and not change:
            obj.zone_id = current_zone_id(request)
        try:
            saved = self.save_record(request, obj)
        except DomainError as exc:
            self._refuse(request, exc)
        if saved is not None and saved is not obj:
            # The service saved its own copy; the form's object carries its key for the inlines and the redirect.
            obj.pk = saved.pk
            obj._state.adding = False

    def delete_model(self, request: Any, obj: Any) -> None:
        try:
            self.delete_record(request, obj)
        except DomainError as exc:
            self._refuse(request, exc)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        try:
            for obj in queryset:
                self.delete_record(request, obj)
        except DomainError as exc:
            self._refuse(request, exc)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        try:
            for obj in formset.deleted_objects:
                self.delete_record(request, obj)
            for obj in instances:
                if hasattr(obj, "zone_id") and obj.zone_id is None:
                    obj.zone_id = current_zone_id(request)
                self.save_record(request, obj)
        except DomainError as exc:
            self._refuse(request, exc)
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


class RoleInlineMixin:
    """An inline's rows may be added, changed and deleted by whoever may change the record it hangs from
    (by role in the zone, as the page itself); the page's ``save_record`` saves them. Without it an inline
    asks Django's model permissions, which the roles do not grant, and shows no row to anyone but a superuser."""

    extra = 0

    def get_formset(self, request: Any, obj: Any = None, **kwargs: Any):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = in_zone(formset.form, current_zone_id(request))
        return formset

    def _parent_admin(self) -> Any:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)


class ZoneTabularInline(TabularInline):
    extra = 0


class ZoneStackedInline(StackedInline):
    extra = 0


class RoleTabularInline(RoleInlineMixin, TabularInline):
    """Rows edited on their parent's page by the parent's writers, each saved by the parent's ``save_record``."""
