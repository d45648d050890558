"""The administrator edits the zone's wording of each event; saves go through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role
from onezone.notify import services
from onezone.notify.events import AUDIENCES, event_kind, event_kinds
from onezone.notify.models import Template


class TemplateForm(forms.ModelForm):
    event = forms.ChoiceField(label="事件")

    class Meta:
        model = Template
        fields = ["event", "subject", "body"]
        help_texts = {
            "subject": "Django 模板语法，如 {{ number }}；可用的变量见默认模板。",
            "body": "Django 模板语法；留空的变量显示为空。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [(k.key, f"{k.label}（{AUDIENCES[k.audience]}）") for k in event_kinds()]
        if not self.instance.pk and not self.is_bound:
            first = event_kinds()[:1]
            if first:
                self.initial.setdefault("subject", first[0].subject)
                self.initial.setdefault("body", first[0].body)


@admin.register(Template)
class TemplateAdmin(ZoneScopedAdmin):
    form = TemplateForm
    view_roles = frozenset({Role.ADMIN})
    write_roles = frozenset({Role.ADMIN})
    list_display = ["event_label", "event", "subject", "updated_at"]
    search_fields = ["event", "subject"]

    @admin.display(description="事件名称")
    def event_label(self, obj: Template) -> str:
        try:
            return event_kind(obj.event).label
        except LookupError:
            return "（已停用的事件）"

    def get_readonly_fields(self, request: Any, obj: Any = None):
        return ["event"] if obj is not None else []

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is not None:
            kwargs["fields"] = ["subject", "body"]
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: Any, obj: Template, form: Any, change: bool) -> None:
        try:
            saved = services.template_save(
                actor=request.user,
                zone_id=current_zone_id(request),
                event=obj.event,
                subject=obj.subject,
                body=obj.body,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk, obj.zone_id = saved.pk, saved.zone_id
        obj._state.adding = False

    def delete_model(self, request: Any, obj: Template) -> None:
        services.template_reset(actor=request.user, zone_id=obj.zone_id, event=obj.event)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            services.template_reset(actor=request.user, zone_id=obj.zone_id, event=obj.event)
