"""Back office of the three lists: items, enforcement items, batches, delegations, adjustments, versions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from onezone.core.admin_base import ZoneScopedAdmin, ZoneTabularInline
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.jobs import job_url
from onezone.core.middleware import current_zone_id
from onezone.core.uploads import DOCUMENTS, checked_upload, read_upload
from onezone.org.models import Body
from onezone.powers import selectors, services
from onezone.powers.importers import write_json, write_workbook
from onezone.powers.models import (
    Adjustment,
    Delegation,
    DelegationBatch,
    EnforcementItem,
    Fee,
    ItemMaterial,
    ListVersion,
    PowerItem,
    Responsibility,
    SpecialProcedure,
)
from onezone.powers.services import ITEM_FIELDS, item_check
from onezone.powers.tasks import powers_import_start

EDITORS = frozenset(services.LIST_EDITORS)
PUBLISHERS = frozenset(services.PUBLISHERS)
DELEGATORS = frozenset(services.DELEGATION_ROLES)


class _ZoneBodyMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Body:
            kwargs["queryset"] = Body.objects.filter(zone_id=current_zone_id(request))
        elif db_field.related_model is PowerItem:
            kwargs["queryset"] = PowerItem.objects.filter(zone_id=current_zone_id(request))
        elif db_field.related_model is DelegationBatch:
            kwargs["queryset"] = DelegationBatch.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MaterialForm(forms.ModelForm):
    """Blank forms and samples are checked by content and stored under a safe name."""

    def _checked(self, field: str):
        value = self.cleaned_data.get(field)
        if not isinstance(value, UploadedFile):  # unchanged, cleared or empty
            return value
        try:
            return checked_upload(value, allowed=DOCUMENTS)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_blank_form(self):
        return self._checked("blank_form")

    def clean_sample(self):
        return self._checked("sample")


class MaterialInline(ZoneTabularInline):
    model = ItemMaterial
    form = MaterialForm
    fields = ("order", "name", "necessity", "form", "copies", "source", "standard", "blank_form", "sample")


class FeeInline(ZoneTabularInline):
    model = Fee
    fields = ("name", "standard", "basis", "reduction")


class ResponsibilityInline(ZoneTabularInline):
    model = Responsibility
    fields = ("order", "stage", "content", "accountability")


class PowerItemForm(forms.ModelForm):
    special_procedures = forms.MultipleChoiceField(
        label="特别程序（不计入时限）",
        choices=SpecialProcedure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adjustment_reason = forms.CharField(label="调整理由", max_length=500, help_text="每次新增或修改都记入清单调整记录")
    adjustment_document = forms.CharField(label="文件依据（文号）", max_length=200, required=False)

    class Meta:
        model = PowerItem
        fields = tuple(name.removesuffix("_id") for name in ITEM_FIELDS)

    def clean(self):
        data = super().clean()
        values = {name: data.get(name.removesuffix("_id") if name.endswith("_id") else name) for name in ITEM_FIELDS}
        body = data.get("implementing_body")
        values["implementing_body_id"] = body.pk if body else None
        problems = item_check(values)
        if problems:
            raise forms.ValidationError(problems)
        return data


class AdjustmentActionForm(ActionForm):
    reason = forms.CharField(label="理由", required=False)
    document = forms.CharField(label="文号", required=False)


@admin.register(PowerItem)
class PowerItemAdmin(_ZoneBodyMixin, ZoneScopedAdmin):
    write_roles = EDITORS
    form = PowerItemForm
    list_display = ("implementation_code", "name", "category", "implementing_body", "limits", "handling_type", "status")
    list_filter = ("status", "category", "handling_type", "joint_handling", "implementing_body")
    list_select_related = ("implementing_body",)
    search_fields = ("name", "implementation_code", "basic_code")
    readonly_fields = ("status", "status_since")
    inlines = [MaterialInline, FeeInline, ResponsibilityInline]
    action_form = AdjustmentActionForm
    actions = ["suspend_items", "resume_items", "revoke_items"]
    change_list_template = "powers/admin/item_changelist.html"

    def get_fields(self, request, obj=None):
        # A reader sees the item; the reason and document boxes belong to an edit (read-only, Django
        # would label them from their names, in English).
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields = [name for name in fields if name not in ("adjustment_reason", "adjustment_document")]
        return fields

    @admin.display(description="法定/承诺时限")
    def limits(self, obj: PowerItem) -> str:
        from onezone.powers.rules import limit_text

        committed = (
            "即办" if obj.handling_type == "instant" else limit_text(obj.committed_limit, obj.committed_limit_unit)
        )
        return f"{limit_text(obj.legal_limit, obj.legal_limit_unit)} / {committed}"

    def save_model(self, request, obj, form, change):
        data = {name: getattr(obj, name) for name in ITEM_FIELDS}
        reason = form.cleaned_data["adjustment_reason"]
        document = form.cleaned_data.get("adjustment_document", "")
        if change:
            changed = {k: v for k, v in data.items() if k.removesuffix("_id") in form.changed_data}
            saved = services.item_update(
                actor=request.user, item_id=obj.pk, changes=changed, reason=reason, document=document
            )
        else:
            saved = services.item_create(
                actor=request.user, zone_id=current_zone_id(request), data=data, reason=reason, document=document
            )
        obj.pk = saved.pk
        obj.zone_id = saved.zone_id
        obj._state.adding = False

    def _status_action(self, request, queryset, kind: str) -> None:
        reason = request.POST.get("reason", "").strip()
        document = request.POST.get("document", "").strip()
        done = 0
        for item in queryset:
            try:
                services.item_status_change(
                    actor=request.user, item_id=item.pk, kind=kind, reason=reason, document=document
                )
                done += 1
            except DomainError as exc:
                messages.error(request, f"{item.name}：{exc.message}")
        if done:
            messages.success(request, f"已处理{done}项。")

    @admin.action(description="暂停所选事项（填写理由）")
    def suspend_items(self, request, queryset):
        self._status_action(request, queryset, "suspend")

    @admin.action(description="恢复所选事项（填写理由）")
    def resume_items(self, request, queryset):
        self._status_action(request, queryset, "resume")

    @admin.action(description="取消所选事项（填写理由）")
    def revoke_items(self, request, queryset):
        self._status_action(request, queryset, "revoke")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="powers_poweritem_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload an .xlsx; every row is checked and the whole file is refused if any is wrong."""
        zone_id = current_zone_id(request)
        report = ""
        if request.method == "POST" and zone_id:
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise InvalidInput("请选择要导入的 .xlsx 文件。")
                job = powers_import_start(
                    actor=request.user,
                    zone_id=zone_id,
                    data=read_upload(upload),
                    filename=upload.name,
                    reason=request.POST.get("reason", ""),
                    document=request.POST.get("document", ""),
                )
                messages.success(request, "文件已提交，正在后台逐行校验并导入；本页显示进度，完成后给出结果。")
                return HttpResponseRedirect(job_url(job))
            except DomainError as exc:
                report = exc.message
        context = {
            **self.admin_site.each_context(request),
            "title": "导入清单（.xlsx）",
            "report": report,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "powers/admin/import.html", context)


@admin.register(EnforcementItem)
class EnforcementItemAdmin(_ZoneBodyMixin, ZoneScopedAdmin):
    write_roles = EDITORS
    list_display = ("name", "kind", "enforcing_body", "item", "active")
    list_filter = ("kind", "enforcing_body", "active")
    list_select_related = ("enforcing_body", "item")
    search_fields = ("name", "code", "basis")


@admin.register(Responsibility)
class ResponsibilityAdmin(_ZoneBodyMixin, ZoneScopedAdmin):
    write_roles = EDITORS
    list_display = ("item", "stage", "content")
    list_filter = ("stage",)
    list_select_related = ("item",)
    search_fields = ("item__name", "content")


@admin.register(DelegationBatch)
class DelegationBatchAdmin(ZoneScopedAdmin):
    write_roles = DELEGATORS
    list_display = ("number", "title", "document_number", "issued_on", "delegation_count")
    search_fields = ("title", "document_number")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(delegations_total=Count("delegations"))

    @admin.display(description="赋权事项数", ordering="delegations_total")
    def delegation_count(self, obj):
        return obj.delegations_total


@admin.register(Delegation)
class DelegationAdmin(_ZoneBodyMixin, ZoneScopedAdmin):
    write_roles = DELEGATORS
    list_display = (
        "item",
        "batch",
        "form",
        "original_department",
        "receiving_body",
        "status",
        "staff_trained",
        "window_ready",
        "effective_on",
    )
    list_filter = ("status", "form", "batch", "receiving_body")
    list_select_related = ("item", "batch", "receiving_body")
    search_fields = ("item__name", "original_department")
    readonly_fields = ("status", "issued_on", "taken_over_on", "operating_on", "withdrawn_on")
    actions = ["to_issued", "to_taken_over", "to_operating", "to_withdrawn"]

    def has_change_permission(self, request, obj=None):
        # Status moves only through the actions; a delegation's terms are fixed once proposed.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.delegation_propose(
            actor=request.user,
            batch_id=obj.batch_id,
            item_id=obj.item_id,
            form=obj.form,
            original_department=obj.original_department,
            receiving_body_id=obj.receiving_body_id,
            effective_on=obj.effective_on,
            note=obj.note,
        )

    def _move(self, request, queryset, to: str, **facts: Any) -> None:
        done = 0
        for d in queryset:
            try:
                services.delegation_transition(actor=request.user, delegation_id=d.pk, to=to, **facts)
                done += 1
            except DomainError as exc:
                messages.error(request, f"{d.item.name}：{exc.message}")
        if done:
            messages.success(request, f"已处理{done}项。")

    @admin.action(description="转为“已发文”")
    def to_issued(self, request, queryset):
        self._move(request, queryset, "issued")

    @admin.action(description="转为“已承接”（确认人员已培训、窗口已就绪）")
    def to_taken_over(self, request, queryset):
        self._move(request, queryset, "taken_over", staff_trained=True, window_ready=True)

    @admin.action(description="转为“运行中”")
    def to_operating(self, request, queryset):
        self._move(request, queryset, "operating")

    @admin.action(description="收回所选赋权")
    def to_withdrawn(self, request, queryset):
        self._move(request, queryset, "withdrawn")


@admin.register(Adjustment)
class AdjustmentAdmin(ZoneScopedAdmin):
    write_roles = frozenset()
    list_display = ("id", "kind", "item", "reason", "document", "effective_on", "actor", "version")
    list_filter = ("kind", "version")
    list_select_related = ("item", "actor", "version")
    search_fields = ("item__name", "item__implementation_code", "reason", "document")

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PublishForm(forms.Form):
    title = forms.CharField(label="版本标题", max_length=200)
    document = forms.CharField(label="发布文件（文号）", max_length=200, required=False)
    effective_on = forms.DateField(label="生效日期", initial=timezone.localdate)


@admin.register(ListVersion)
class ListVersionAdmin(ZoneScopedAdmin):
    write_roles = PUBLISHERS
    list_display = ("number", "title", "document", "effective_on", "item_count", "summary", "published_by")
    list_select_related = ("published_by",)
    change_list_template = "powers/admin/version_changelist.html"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("publish/", view(self.publish_view), name="powers_listversion_publish"),
            path("diff/", view(self.diff_view), name="powers_listversion_diff"),
            path("export/", view(self.export_view), name="powers_listversion_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_publish": bool(self._roles(request) & PUBLISHERS), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def publish_view(self, request):
        zone_id = current_zone_id(request)
        form = PublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.list_publish(
                    actor=request.user,
                    zone_id=zone_id,
                    title=form.cleaned_data["title"],
                    document=form.cleaned_data["document"],
                    effective_on=form.cleaned_data["effective_on"],
                )
                messages.success(request, f"已发布第{version.number}版：{version.summary}。")
                return HttpResponseRedirect(reverse("admin:powers_listversion_changelist"))
            except DomainError as exc:
                form.add_error(None, exc.message)
        context = {
            **self.admin_site.each_context(request),
            "title": "发布清单版本",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "powers/admin/publish.html", context)

    def diff_view(self, request):
        zone_id = current_zone_id(request)
        versions = list(selectors.versions_of(zone_id)) if zone_id else []
        diff = a = b = None
        error = ""
        if request.GET.get("a") and request.GET.get("b"):
            try:
                a = selectors.version_get(zone_id, int(request.GET["a"]))
                b = selectors.version_get(zone_id, int(request.GET["b"]))
                diff = selectors.versions_diff(a, b)
            except (DomainError, ValueError) as exc:
                error = getattr(exc, "message", "版本编号不正确。")
        context = {
            **self.admin_site.each_context(request),
            "title": "清单版本比较",
            "versions": versions,
            "diff": diff,
            "a": a,
            "b": b,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "powers/admin/diff.html", context)

    def export_view(self, request):
        zone_id = current_zone_id(request)
        version_id = request.GET.get("version")
        fmt = request.GET.get("format", "xlsx")
        try:
            snaps, meta = selectors.export_snapshots(zone_id, int(version_id) if version_id else None)
        except (DomainError, ValueError):
            messages.error(request, "要导出的版本不存在。")
            return HttpResponseRedirect(reverse("admin:powers_listversion_changelist"))
        name = f"powers-{'v' + str(meta['version']) if meta['version'] else 'live'}-{timezone.localdate():%Y%m%d}"
        if fmt == "json":
            response = HttpResponse(write_json(snaps, meta=meta), content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        response = HttpResponse(
            write_workbook(snaps), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


from onezone.powers import admin_duties  # noqa: E402, F401  # the responsibility and enforcement lists' versions
