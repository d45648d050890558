from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.filters.admin import RangeDateTimeFilter
from unfold.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm

from onezone.core.admin_base import ReadOnlyAdmin
from onezone.core.audit import audit_record
from onezone.core.models import ApiToken, AuditEvent, CalendarDay, CalendarYear, RoleGrant
from onezone.core.roles import Role

ADMIN_ONLY = frozenset({Role.ADMIN})


class LockoutAuthenticationForm(AdminAuthenticationForm):
    """The admin login, saying plainly when an account or address is locked and until when."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确，请检查后重试（密码区分大小写）。",
        "inactive": "该账号已停用，请联系本单位的系统管理员。",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = getattr(self.request, "onezone_locked_until", None)
            if until is not None:
                local = timezone.localtime(until)
                raise ValidationError(
                    f"登录失败次数过多，已暂时锁定，请于 {local:%H:%M} 后再试；如忘记密码请联系系统管理员。",
                    code="locked",
                ) from None
            raise


admin.site.login_form = LockoutAuthenticationForm
admin.site.unregister(User)
admin.site.unregister(Group)


class RoleGrantInline(TabularInline):
    model = RoleGrant
    extra = 0
    fields = ("zone", "role")


@admin.register(User)
class UserAdmin(BaseUserAdmin, ModelAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = AdminPasswordChangeForm
    inlines = [RoleGrantInline]
    list_display = ("username", "first_name", "is_active", "is_staff", "last_login")

    # Accounts and role grants are the keys to everything else: every change is audited.
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            fields = sorted(set(form.changed_data) - {"password", "password1", "password2"})
            audit_record(
                actor=request.user,
                action="auth.user.update" if change else "auth.user.create",
                obj=obj,
                changes={"fields": fields, "password_changed": "password" in form.changed_data},
            )

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            instances = formset.save(commit=False)
            for grant in formset.deleted_objects:
                audit_record(
                    actor=request.user,
                    action="core.rolegrant.delete",
                    obj=grant,
                    zone_id=grant.zone_id,
                    changes={"user": grant.user.username, "role": grant.role},
                )
                grant.delete()
            for grant in instances:
                grant.save()
                audit_record(
                    actor=request.user,
                    action="core.rolegrant.save",
                    obj=grant,
                    zone_id=grant.zone_id,
                    changes={"user": grant.user.username, "role": grant.role},
                )
            formset.save_m2m()

    def delete_model(self, request: Any, obj: Any) -> None:
        with transaction.atomic():
            audit_record(actor=request.user, action="auth.user.delete", obj=obj)
            super().delete_model(request, obj)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin, ModelAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    view_roles = ADMIN_ONLY
    list_display = ("at", "actor_name", "action", "object_type", "object_repr", "zone_id", "ip")
    list_filter = (("at", RangeDateTimeFilter), "action", "object_type")
    search_fields = ("actor_name", "object_repr", "object_id", "action")
    list_filter_submit = True
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def get_queryset(self, request: Any):
        from onezone.core.middleware import current_zone_id

        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # A zone administrator sees the zone's entries and site-wide ones (logins, calendar).
        from django.db.models import Q

        return qs.filter(Q(zone_id=current_zone_id(request)) | Q(zone_id__isnull=True))


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "document", "imported_at")


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    view_roles = ADMIN_ONLY
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")


# The task queue's rows are the worker's own bookkeeping, in English: people follow their work on
# the job pages, which say in Chinese what ran, how far it got and what came of it.
def _unregister_task_queue() -> None:
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)


_unregister_task_queue()
