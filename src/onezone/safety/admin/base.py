"""Back-office admin of the safety base; every save goes through the area's services.

The forms collect the fields; ``save_model`` hands them to the service (which checks the role, the
limits and writes the audit entry). Hidden hazards are listed here read-only: their steps are taken on
the hazard's desk page (/desk/safety/hazards/<id>/).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.html import format_html

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.middleware import current_zone_id
from onezone.safety.models import (
    Contractor,
    EnterpriseChemical,
    Hazard,
    HazardAlert,
    Installation,
    Licence,
    OperationFiling,
    ResponsibilityCheck,
    Responsible,
    RiskPoint,
    SafetyProfile,
)
from onezone.safety.services import base as services
from onezone.safety.services.base_common import SAFETY_READ_ROLES, SAFETY_STAFF_ROLES

_ZONE_FIELDS = {"enterprise", "installation", "responsible", "risk_point"}


class SafetyAdmin(ZoneScopedAdmin):
    """A zone's safety records: safety staff write through the services, the provincial supervisor reads."""

    view_roles: ClassVar[frozenset[str]] = SAFETY_READ_ROLES
    write_roles: ClassVar[frozenset[str]] = SAFETY_STAFF_ROLES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in _ZONE_FIELDS:
            kwargs["queryset"] = db_field.related_model.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        try:
            self.save_through_service(request, obj, form.cleaned_data, change)
        except DomainError as exc:
            messages.error(request, exc.message)
            raise DjangoPermissionDenied(exc.message) from exc

    def save_through_service(self, request: Any, obj: Any, data: dict[str, Any], change: bool) -> None:
        raise NotImplementedError


@admin.register(SafetyProfile)
class SafetyProfileAdmin(SafetyAdmin):
    list_display = ("enterprise", "hazardous_chemicals", "x_m", "y_m", "safety_manager")
    list_filter = ("hazardous_chemicals",)
    list_select_related = ("enterprise",)
    search_fields = ("enterprise__name",)
    fields = ("enterprise", "hazardous_chemicals", "x_m", "y_m", "safety_manager", "safety_phone")

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.profile_save(
            actor=request.user,
            enterprise=data["enterprise"],
            x_m=data.get("x_m"),
            y_m=data.get("y_m"),
            hazardous_chemicals=data.get("hazardous_chemicals", False),
            safety_manager=data.get("safety_manager", ""),
            safety_phone=data.get("safety_phone", ""),
        ).pk


@admin.register(Licence)
class LicenceAdmin(SafetyAdmin):
    list_display = ("number", "kind", "enterprise", "issuer", "valid_from", "valid_to")
    list_filter = ("kind",)
    list_select_related = ("enterprise",)
    search_fields = ("number", "enterprise__name")
    fields = ("enterprise", "kind", "number", "issuer", "valid_from", "valid_to", "scope")

    def save_through_service(self, request, obj, data, change):
        saved = services.licence_save(
            actor=request.user,
            enterprise=data["enterprise"],
            kind=data["kind"],
            number=data["number"],
            issuer=data["issuer"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            scope=data.get("scope", ""),
            licence=obj if change else None,
        )
        obj.pk = saved.pk


@admin.register(EnterpriseChemical)
class ChemicalAdmin(SafetyAdmin):
    list_display = ("name", "enterprise", "cas", "max_quantity_t")
    list_select_related = ("enterprise",)
    search_fields = ("name", "enterprise__name")
    fields = ("enterprise", "name", "cas", "max_quantity_t")

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.chemical_save(
            actor=request.user,
            enterprise=data["enterprise"],
            name=data["name"],
            cas=data.get("cas", ""),
            max_quantity_t=data["max_quantity_t"],
        ).pk


@admin.register(OperationFiling)
class FilingAdmin(SafetyAdmin):
    list_display = ("unit", "kind", "enterprise", "starts_on", "ends_on", "filed_on")
    list_filter = ("kind",)
    list_select_related = ("enterprise",)
    fields = ("enterprise", "kind", "unit", "starts_on", "ends_on", "measures")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.filing_submit(
            actor=request.user,
            enterprise=data["enterprise"],
            kind=data["kind"],
            unit=data["unit"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            measures=data["measures"],
        ).pk


@admin.register(Contractor)
class ContractorAdmin(SafetyAdmin):
    list_display = ("name", "enterprise", "work", "workers", "on_site_from", "on_site_to")
    list_select_related = ("enterprise",)
    fields = ("enterprise", "name", "work", "workers", "on_site_from", "on_site_to")

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.contractor_save(
            actor=request.user,
            enterprise=data["enterprise"],
            name=data["name"],
            work=data["work"],
            workers=data["workers"],
            on_site_from=data["on_site_from"],
            on_site_to=data.get("on_site_to"),
            contractor=obj if change else None,
        ).pk


def parse_substances(text: str) -> list[dict[str, Any]]:
    """Lines of "名称 数量[ 类别]" (数量 in t; 类别 only for a substance Table 1 does not list)."""
    rows = []
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > 200:
        raise InvalidInput(f"一个单元最多填写200种物质，收到{len(lines)}行。")
    for number, line in enumerate(lines, start=1):
        parts = line.replace("，", " ").replace(",", " ").split()
        if len(parts) not in (2, 3):
            raise InvalidInput(f"第{number}行应为“物质名称 最大存在量（吨）[ 危险性类别]”，收到“{line[:40]}”。")
        try:
            quantity = Decimal(parts[1])
        except InvalidOperation as exc:
            raise InvalidInput(f"第{number}行的数量“{parts[1][:20]}”不是数字。") from exc
        rows.append({"name": parts[0], "quantity_t": quantity, "category": parts[2] if len(parts) == 3 else ""})
    return rows


class InstallationForm(forms.ModelForm):
    substances_text = forms.CharField(
        label="物质及最大存在量",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="每行一种：物质名称 最大存在量（吨），表1未列出的物质再写危险性类别代码，如“某混合气 3 W2”。",
    )

    class Meta:
        model = Installation
        fields = ("enterprise", "name", "kind", "people_exposed", "x_m", "y_m", "record_number")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["substances_text"].initial = "\n".join(
                f"{s.name} {s.quantity_t.normalize():f}{' ' + s.category if s.category else ''}"
                for s in self.instance.substances.all()
            )


@admin.register(Installation)
class InstallationAdmin(SafetyAdmin):
    form = InstallationForm
    list_display = ("name", "enterprise", "kind", "s_value", "r_value", "level", "desk_link")
    list_filter = ("major", "level", "kind")
    list_select_related = ("enterprise",)
    search_fields = ("name", "enterprise__name")
    readonly_fields = ("s_value", "r_value", "major", "level")

    @admin.display(description="辨识分级")
    def desk_link(self, obj):
        return format_html('<a href="/desk/safety/installations/{}/">计算过程</a>', obj.pk)

    def save_through_service(self, request, obj, data, change):
        saved = services.installation_save(
            actor=request.user,
            enterprise=data["enterprise"],
            name=data["name"],
            kind=data["kind"],
            substances=parse_substances(data["substances_text"]),
            people_exposed=data["people_exposed"],
            x_m=data.get("x_m"),
            y_m=data.get("y_m"),
            record_number=data.get("record_number", ""),
            installation=obj if change else None,
        )
        obj.pk = saved.pk


@admin.register(Responsible)
class ResponsibleAdmin(SafetyAdmin):
    list_display = ("installation", "duty", "name", "post", "phone_masked")
    list_select_related = ("installation",)
    fields = ("installation", "duty", "name", "post", "phone")

    @admin.display(description="联系电话")
    def phone_masked(self, obj):
        return obj.phone_masked

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.responsible_save(
            actor=request.user,
            installation=data["installation"],
            duty=data["duty"],
            name=data["name"],
            post=data["post"],
            phone=data["phone"],
        ).pk


@admin.register(ResponsibilityCheck)
class ResponsibilityCheckAdmin(SafetyAdmin):
    list_display = ("responsible", "kind", "checked_on", "holiday")
    list_select_related = ("responsible__installation",)
    fields = ("responsible", "kind", "checked_on", "holiday", "findings")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.responsibility_check_record(
            actor=request.user,
            responsible=data["responsible"],
            kind=data["kind"],
            checked_on=data["checked_on"],
            holiday=data.get("holiday", ""),
            findings=data["findings"],
        ).pk


@admin.register(RiskPoint)
class RiskPointAdmin(SafetyAdmin):
    list_display = ("name", "enterprise", "level", "installation", "owner")
    list_filter = ("level",)
    list_select_related = ("enterprise", "installation")
    search_fields = ("name", "enterprise__name")
    fields = ("enterprise", "installation", "name", "level", "controls", "owner")

    def save_through_service(self, request, obj, data, change):
        obj.pk = services.risk_point_save(
            actor=request.user,
            enterprise=data["enterprise"],
            installation=data.get("installation"),
            name=data["name"],
            level=data["level"],
            controls=data["controls"],
            owner=data["owner"],
            risk_point=obj if change else None,
        ).pk


class ReadOnlySafetyAdmin(SafetyAdmin):
    """A zone's list nobody edits here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hazard)
class HazardAdmin(ReadOnlySafetyAdmin):
    list_display = ("number", "title", "enterprise", "level", "status", "body", "deadline", "desk_link")
    list_filter = ("level", "status", "source")
    list_select_related = ("enterprise", "body")
    search_fields = ("number", "title", "enterprise__name")

    @admin.display(description="办理")
    def desk_link(self, obj):
        return format_html('<a href="/desk/safety/hazards/{}/">办理</a>', obj.pk)


@admin.register(HazardAlert)
class HazardAlertAdmin(ReadOnlySafetyAdmin):
    list_display = ("raised_on", "kind", "message", "due")
    list_filter = ("kind",)
