"""Back-office admin of financing; every save goes through the area's services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.enterprises.models import Enterprise
from onezone.support.admin.markets import AddThroughServiceAdmin, ReadOnlyZoneAdmin
from onezone.support.models import BankMeeting, Collateral, FinanceProduct, FinancingNeed, Institution, LoanGranted
from onezone.support.services.finance import institution_register, loan_record, meeting_create, product_save
from onezone.support.services.markets import DESK_ROLES


@admin.register(Institution)
class InstitutionAdmin(ZoneScopedAdmin):
    """Institutions are a registry: added through their service, changed with an audited save."""

    write_roles = DESK_ROLES
    list_display = ("name", "kind", "contact")
    list_filter = ("kind",)
    search_fields = ("name",)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            created = institution_register(
                actor=request.user, zone_id=current_zone_id(request), name=obj.name, kind=obj.kind, contact=obj.contact
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk, obj.zone_id = created.pk, created.zone_id
        obj._state.adding = False


class ProductForm(forms.ModelForm):
    collaterals = forms.MultipleChoiceField(
        label="接受的担保方式",
        choices=Collateral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限",
    )
    target_sizes = forms.MultipleChoiceField(
        label="支持的企业规模",
        choices=Enterprise.Size.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选表示不限",
    )
    target_industries = forms.CharField(
        label="支持的行业代码前缀",
        required=False,
        help_text="GB/T 4754 代码前缀，多个用逗号分隔，例如 C26,C32；留空表示不限",
    )

    class Meta:
        model = FinanceProduct
        fields = (
            "institution",
            "name",
            "loan_kind",
            "amount_min",
            "amount_max",
            "term_min",
            "term_max",
            "rate_min",
            "rate_max",
            "collaterals",
            "target_sizes",
            "target_industries",
            "active",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["target_industries"] = ",".join(self.instance.target_industries)

    def clean_target_industries(self) -> list[str]:
        raw = self.cleaned_data.get("target_industries") or ""
        return [p.strip() for p in raw.replace("，", ",").split(",") if p.strip()]


@admin.register(FinanceProduct)
class FinanceProductAdmin(ZoneScopedAdmin):
    form = ProductForm
    write_roles = DESK_ROLES
    list_display = ("name", "institution", "loan_kind", "amount_min", "amount_max", "term_min", "term_max", "active")
    list_filter = ("loan_kind", "active")
    list_select_related = ("institution",)
    search_fields = ("name", "institution__name")

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "institution" and field is not None:
            field.queryset = field.queryset.filter(zone_id=current_zone_id(request))
        return field

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        data = {k: form.cleaned_data[k] for k in ProductForm.Meta.fields if k != "institution"}
        try:
            saved = product_save(
                actor=request.user,
                institution=form.cleaned_data["institution"],
                product=FinanceProduct.objects.get(pk=obj.pk) if change else None,
                **data,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc
        obj.pk, obj.zone_id = saved.pk, saved.zone_id
        obj._state.adding = False


@admin.register(FinancingNeed)
class FinancingNeedAdmin(ReadOnlyZoneAdmin):
    list_display = ("enterprise", "amount", "term_months", "purpose", "collateral", "status", "created_at")
    list_filter = ("status", "collateral")
    list_select_related = ("enterprise",)
    search_fields = ("enterprise__name", "purpose")


@admin.register(BankMeeting)
class BankMeetingAdmin(AddThroughServiceAdmin):
    fields = ("title", "held_on", "organiser", "institutions", "enterprises", "note")
    list_display = ("held_on", "title", "organiser")
    list_select_related = ("organiser",)
    search_fields = ("title",)

    def create(self, request, obj, form):
        return meeting_create(
            actor=request.user,
            zone_id=current_zone_id(request),
            title=obj.title,
            held_on=obj.held_on,
            organiser=obj.organiser,
            institutions=form.cleaned_data.get("institutions") or [],
            enterprises=form.cleaned_data.get("enterprises") or [],
            note=obj.note,
        )


@admin.register(LoanGranted)
class LoanGrantedAdmin(AddThroughServiceAdmin):
    fields = ("institution", "enterprise", "meeting", "need", "product", "amount", "granted_on")
    list_display = ("granted_on", "institution", "enterprise", "meeting", "amount")
    list_select_related = ("institution", "enterprise", "meeting")
    autocomplete_fields = ("enterprise",)
    search_fields = ("enterprise__name", "institution__name")

    def create(self, request, obj, form):
        return loan_record(
            actor=request.user,
            institution=obj.institution,
            enterprise=obj.enterprise,
            amount=obj.amount,
            granted_on=obj.granted_on,
            meeting=obj.meeting,
            need=obj.need,
            product=obj.product,
        )
