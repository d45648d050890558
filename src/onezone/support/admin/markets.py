"""Back-office admin of supply and demand; every save goes through the area's services.

Listings and matches are the enterprises' own and are only read here. Chain leaders, events and deals
are added through their services and kept as recorded (a mistake is corrected by a new record).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.support.models import ChainLeader, Deal, Listing, MarketMatch, MatchmakingEvent
from onezone.support.selectors.markets import chain_choices
from onezone.support.services.markets import (
    DESK_ROLES,
    chain_leader_mark,
    chain_leader_unmark,
    deal_record,
    event_create,
)

ZONE_FOREIGN_KEYS = {"enterprise", "buyer", "organiser", "event", "institution", "meeting", "need", "product"}


class ReadOnlyZoneAdmin(ZoneScopedAdmin):
    """A list of the zone's records nobody edits here."""

    write_roles = frozenset()

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class AddThroughServiceAdmin(ZoneScopedAdmin):
    """Records added by a service and then kept as they are: viewed, never changed or deleted here.

    Each subclass says which service adds its record in ``create(request, obj, form)``.
    """

    write_roles = DESK_ROLES

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices from the current zone only (a seller may be of any zone: it is not listed here).
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name in ZONE_FOREIGN_KEYS and field is not None:
            field.queryset = field.queryset.filter(zone_id=current_zone_id(request))
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None:
            field.queryset = field.queryset.filter(zone_id=current_zone_id(request))
        return field

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        try:
            created = self.create(request, obj, form)
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk = created.pk
        obj.zone_id = created.zone_id
        obj._state.adding = False

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        """The service saved the relations."""


@admin.register(Listing)
class ListingAdmin(ReadOnlyZoneAdmin):
    list_display = ("title", "kind", "enterprise", "link_label", "industry_code", "status", "created_at")
    list_filter = ("kind", "status", "subject")
    list_select_related = ("enterprise",)
    search_fields = ("title", "enterprise__name")
    exclude = ("contact_mobile",)


@admin.register(MarketMatch)
class MarketMatchAdmin(ReadOnlyZoneAdmin):
    list_display = ("need", "offer", "score", "status")
    list_filter = ("status",)
    list_select_related = ("need", "offer")


class ChainForm(forms.ModelForm):
    chain_id = forms.TypedChoiceField(label="产业链", coerce=int)


class ChainLeaderForm(ChainForm):
    class Meta:
        model = ChainLeader
        fields = ("enterprise", "chain_id")


@admin.register(ChainLeader)
class ChainLeaderAdmin(AddThroughServiceAdmin):
    form = ChainLeaderForm
    list_display = ("chain_name", "enterprise")
    list_select_related = ("enterprise",)
    autocomplete_fields = ("enterprise",)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return ZoneScopedAdmin.has_delete_permission(self, request, obj)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["chain_id"].choices = chain_choices(current_zone_id(request))
        return form

    def create(self, request, obj, form):
        return chain_leader_mark(actor=request.user, enterprise=obj.enterprise, chain_id=obj.chain_id)

    def delete_model(self, request: Any, obj: Any) -> None:
        chain_leader_unmark(actor=request.user, leader=obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for leader in queryset:
            chain_leader_unmark(actor=request.user, leader=leader)


class EventForm(ChainForm):
    class Meta:
        model = MatchmakingEvent
        fields = ("title", "held_on", "chain_id", "organiser", "participants", "note")


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(AddThroughServiceAdmin):
    form = EventForm
    list_display = ("held_on", "title", "chain_name", "organiser")
    list_select_related = ("organiser",)
    search_fields = ("title",)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if "chain_id" in form.base_fields:
            form.base_fields["chain_id"].choices = chain_choices(current_zone_id(request))
        return form

    def create(self, request, obj, form):
        return event_create(
            actor=request.user,
            zone_id=current_zone_id(request),
            title=obj.title,
            held_on=obj.held_on,
            chain_id=obj.chain_id,
            organiser=obj.organiser,
            participants=form.cleaned_data.get("participants") or [],
            note=obj.note,
        )


@admin.register(Deal)
class DealAdmin(AddThroughServiceAdmin):
    fields = ("event", "buyer", "seller", "seller_name", "subject", "amount", "signed_on")
    list_display = ("signed_on", "event", "buyer", "seller_name", "seller_in_zone", "subject", "amount")
    list_filter = ("seller_in_zone",)
    list_select_related = ("event", "buyer")
    autocomplete_fields = ("buyer", "seller")
    search_fields = ("subject", "seller_name", "buyer__name")

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if "seller_name" in form.base_fields:
            form.base_fields["seller_name"].required = False
            form.base_fields["seller_name"].help_text = "供应方未在平台登记时填写；已登记的请在上方选择"
        return form

    def create(self, request, obj, form):
        return deal_record(
            actor=request.user,
            event=obj.event,
            buyer=obj.buyer,
            seller=obj.seller,
            seller_name=obj.seller_name,
            subject=obj.subject,
            amount=obj.amount,
            signed_on=obj.signed_on,
        )
