"""Back office of the responsibility list and the enforcement list: versions, publication, diff, import, export."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError, InvalidInput
from onezone.core.jobs import job_url
from onezone.core.middleware import current_zone_id
from onezone.core.uploads import read_upload
from onezone.powers import duty_selectors as selectors
from onezone.powers import services
from onezone.powers.duty_importers import write_duty_workbook
from onezone.powers.models import DutyList, DutyListVersion
from onezone.powers.tasks import duty_list_import_start

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DutyPublishForm(forms.Form):
    title = forms.CharField(label="版本标题", max_length=200)
    document = forms.CharField(label="发布文件（文号）", max_length=200, required=False)
    effective_on = forms.DateField(label="生效日期", initial=timezone.localdate)


def _kind(request) -> str:
    kind = request.GET.get("kind") or request.POST.get("kind") or DutyList.RESPONSIBILITIES
    return kind if kind in DutyList.values else DutyList.RESPONSIBILITIES


@admin.register(DutyListVersion)
class DutyListVersionAdmin(ZoneScopedAdmin):
    write_roles = frozenset(services.PUBLISHERS)
    list_display = ("kind", "number", "title", "document", "effective_on", "entry_count", "summary", "published_by")
    list_filter = ("kind",)
    list_select_related = ("published_by",)
    change_list_template = "powers/admin/duty_changelist.html"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("publish/", view(self.publish_view), name="powers_dutylistversion_publish"),
            path("import/", view(self.import_view), name="powers_dutylistversion_import"),
            path("diff/", view(self.diff_view), name="powers_dutylistversion_diff"),
            path("export/", view(self.export_view), name="powers_dutylistversion_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        roles = self._roles(request)
        extra = {
            "can_publish": bool(roles & frozenset(services.PUBLISHERS)),
            "can_import": bool(roles & frozenset(services.LIST_EDITORS)),
            "kinds": DutyList.choices,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def _page(self, request, template: str, title: str, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **context},
        )

    def publish_view(self, request):
        kind = _kind(request)
        form = DutyPublishForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.duty_list_publish(
                    actor=request.user, zone_id=current_zone_id(request), kind=kind, **form.cleaned_data
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已发布{version}：{version.summary}。")
                return HttpResponseRedirect(reverse("admin:powers_dutylistversion_changelist"))
        label = DutyList(kind).label
        note = f"发布会把当前的{label}冻结为一个新版本；发布后的版本不可修改，公开页面按生效日期展示当日施行的版本。"
        return self._page(request, "powers/admin/duty_form.html", f"发布{label}版本", form=form, kind=kind, note=note)

    def import_view(self, request):
        kind = _kind(request)
        report = ""
        if request.method == "POST":
            upload = request.FILES.get("file")
            try:
                if upload is None:
                    raise InvalidInput("请选择要导入的 .xlsx 文件。")
                job = duty_list_import_start(
                    actor=request.user,
                    zone_id=current_zone_id(request),
                    kind=kind,
                    data=read_upload(upload),
                    filename=upload.name,
                )
            except DomainError as exc:
                report = exc.message
            else:
                messages.success(request, "文件已提交，正在后台逐行校验并导入；本页显示进度，完成后给出结果。")
                return HttpResponseRedirect(job_url(job))
        label = DutyList(kind).label
        note = (
            f"上传按导出格式填写的{label}（.xlsx）。每一行都会校验；只要有一行有错，整个文件都不导入，并逐行列出错误。"
            "已有的条目按文件内容调整，新的条目新增。"
        )
        return self._page(
            request, "powers/admin/duty_form.html", f"导入{label}", kind=kind, note=note, report=report, upload=True
        )

    def diff_view(self, request):
        kind = _kind(request)
        zone_id = current_zone_id(request)
        versions = list(selectors.duty_versions_of(zone_id, kind)) if zone_id else []
        diff = a = b = None
        error = ""
        if request.GET.get("a") and request.GET.get("b"):
            try:
                a = selectors.duty_version_get(zone_id, kind, int(request.GET["a"]))
                b = selectors.duty_version_get(zone_id, kind, int(request.GET["b"]))
                diff = selectors.duty_versions_diff(a, b)
            except (DomainError, ValueError) as exc:
                error = getattr(exc, "message", "版本编号不正确。")
        title = f"{DutyList(kind).label}版本比较"
        return self._page(
            request, "powers/admin/diff.html", title, versions=versions, diff=diff, a=a, b=b, error=error, kind=kind
        )

    def export_view(self, request):
        kind = _kind(request)
        version_id = request.GET.get("version")
        try:
            entries = selectors.duty_export_rows(
                current_zone_id(request), kind, int(version_id) if version_id else None
            )
        except (DomainError, ValueError):
            messages.error(request, "要导出的版本不存在。")
            return HttpResponseRedirect(reverse("admin:powers_dutylistversion_changelist"))
        response = HttpResponse(write_duty_workbook(kind, entries), content_type=XLSX)
        filename = f"{kind}-{'v' + version_id if version_id else 'live'}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
