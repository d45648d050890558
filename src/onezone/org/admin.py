from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from onezone.core.admin_base import RoleTabularInline, ZoneScopedAdmin
from onezone.core.codes import CodeError, validate_mobile, validate_resident_id
from onezone.core.errors import DomainError, TransitionNotAllowed
from onezone.core.middleware import current_zone_id
from onezone.org import services
from onezone.org.models import AgendaItem, Appointment, Body, FollowUpTask, Meeting, Person, Post, RoutingRule
from onezone.org.personal_data import person_personal_data
from onezone.org.selectors import cross_appointed

ORG_WRITERS = frozenset(services.ORG_ROLES)
MEETING_WRITERS = frozenset(services.MEETING_ROLES)

# Each record of the organisation's pages (the form's and its inline rows) saves through its service.
SAVE = {
    Body: lambda actor, obj: services.body_save(actor=actor, body=obj),
    Post: lambda actor, obj: services.post_save(actor=actor, post=obj),
    Person: lambda actor, obj: services.person_save(actor=actor, person=obj),
    Appointment: lambda actor, obj: services.appointment_save(actor=actor, appointment=obj),
    RoutingRule: lambda actor, obj: services.routing_rule_save(actor=actor, rule=obj),
    Meeting: lambda actor, obj: services.meeting_save(actor=actor, meeting=obj),
    AgendaItem: lambda actor, obj: services.agenda_item_save(actor=actor, item=obj),
    FollowUpTask: lambda actor, obj: services.task_save(actor=actor, task=obj),
}


class OrgAdmin(ZoneScopedAdmin):
    """The organisation's pages: choices from the current zone, every record saved through its service."""

    write_roles = ORG_WRITERS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in SAVE:
            kwargs["queryset"] = db_field.related_model.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_record(self, request, obj):
        return SAVE[type(obj)](request.user, obj)

    def delete_record(self, request, obj):
        if isinstance(obj, Meeting | AgendaItem):
            services.meeting_part_delete(actor=request.user, obj=obj)
        elif isinstance(obj, FollowUpTask):
            raise TransitionNotAllowed("督办任务不能删除；不再办理的任务请把状态改为“已撤销”并写明原因。")
        else:
            services.registry_delete(actor=request.user, obj=obj)


class PostInline(RoleTabularInline):
    model = Post
    fields = ("title", "category", "grade", "is_head", "headcount")


@admin.register(Body)
class BodyAdmin(OrgAdmin):
    list_display = ("name", "kind", "parent", "headcount_quota", "phone")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "short_name", "functions")
    inlines = [PostInline]


@admin.register(Post)
class PostAdmin(OrgAdmin):
    list_display = ("title", "body", "category", "grade", "is_head", "headcount")
    list_filter = ("category", "body")
    list_select_related = ("body",)
    search_fields = ("title", "body__name")


class AppointmentInline(RoleTabularInline):
    model = Appointment
    fields = ("post", "start", "end", "is_concurrent", "document")
    autocomplete_fields = ("post",)


class PersonForm(forms.ModelForm):
    """The person's form never holds the full ID number or mobile: they are shown masked, and replaced
    only when a new value is typed in."""

    new_id_number = forms.CharField(
        label="身份证号码", max_length=18, required=False, help_text="留空则保持不变；填写则替换为新号码。"
    )
    new_mobile = forms.CharField(
        label="手机号码", max_length=11, required=False, help_text="留空则保持不变；填写则替换为新号码。"
    )

    class Meta:
        model = Person
        fields = ("name", "user")

    def clean(self):
        cleaned = super().clean()
        for field, attr, check in (
            ("new_id_number", "id_number", validate_resident_id),
            ("new_mobile", "mobile", validate_mobile),
        ):
            value = (cleaned.get(field) or "").strip().upper()
            if not value:
                continue
            try:
                check(value)
            except CodeError as exc:
                self.add_error(field, exc.message)
                continue
            setattr(self.instance, attr, value)
        return cleaned


@admin.register(Person)
class PersonAdmin(OrgAdmin):
    form = PersonForm
    list_display = ("name", "id_number_masked", "mobile_masked", "user")
    list_select_related = ("user",)
    search_fields = ("name",)
    inlines = [AppointmentInline]
    change_list_template = "org/person_changelist.html"
    readonly_fields = ("id_number_masked", "mobile_masked", "personal_data")

    def get_fields(self, request, obj=None):
        shown = ["name", "user", "id_number_masked", "mobile_masked", "personal_data"]
        if self.has_change_permission(request, obj):
            shown += ["new_id_number", "new_mobile"]
        return shown if obj is not None else ["name", "user", "new_id_number", "new_mobile"]

    @admin.display(description="身份证号码")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description="手机号码")
    def mobile_masked(self, obj):
        return obj.mobile_masked

    @admin.display(description="完整信息")
    def personal_data(self, obj):
        if not (obj.pk and (obj.id_number or obj.mobile)):
            return "—"
        url = reverse("admin:org_person_personal_data", args=[obj.pk])
        # The change form is itself a form: the button posts it (with its CSRF token) to the full view.
        return format_html(
            '<button class="oz-button oz-button-secondary" type="submit" formaction="{}" formmethod="post" '
            "formnovalidate>查看完整信息（将记录查看）</button>",
            url,
        )

    def get_urls(self):
        return [
            path("cross/", self.admin_site.admin_view(self.cross_view), name="org_person_cross"),
            path(
                "<int:person_id>/personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name="org_person_personal_data",
            ),
            *super().get_urls(),
        ]

    def cross_view(self, request):
        """交叉任职: people holding posts in several bodies at once."""
        zone_id = current_zone_id(request)
        context = {
            **self.admin_site.each_context(request),
            "title": "交叉任职人员",
            "rows": cross_appointed(zone_id) if zone_id else [],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "org/cross_appointed.html", context)

    def personal_data_view(self, request, person_id: int):
        """The full ID number and mobile of one person: a separate, audited action (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        person = self.get_queryset(request).filter(pk=person_id).first()
        if person is None:
            raise Http404("没有找到该人员。")
        try:
            data = person_personal_data(actor=request.user, person=person)
        except DomainError as exc:
            return TemplateResponse(
                request,
                "org/person_personal_data.html",
                {**self.admin_site.each_context(request), "title": "查看完整身份信息", "error": exc.message},
                status=403,
            )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{person.name}的完整身份信息",
            "data": data,
            "person": person,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "org/person_personal_data.html", context)


@admin.register(RoutingRule)
class RoutingRuleAdmin(OrgAdmin):
    list_display = ("category_name", "category", "domain", "body", "note")
    list_filter = ("domain",)
    list_select_related = ("body",)
    search_fields = ("category", "category_name")


class AgendaItemInline(RoleTabularInline):
    model = AgendaItem
    fields = ("order", "topic", "presenter", "decision", "approved", "amount")


@admin.register(Meeting)
class MeetingAdmin(OrgAdmin):
    write_roles = MEETING_WRITERS
    list_display = ("held_on", "title", "kind", "chair", "minutes_number")
    list_filter = ("kind",)
    list_select_related = ("chair",)
    date_hierarchy = "held_on"
    search_fields = ("title", "minutes_number", "agenda_items__topic")
    inlines = [AgendaItemInline]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(OrgAdmin):
    write_roles = MEETING_WRITERS
    list_display = ("description", "owner_body", "owner", "deadline", "status", "done_on")
    list_filter = ("status", "owner_body")
    list_select_related = ("owner_body", "owner")
    search_fields = ("description",)

    def get_readonly_fields(self, request, obj=None):
        # A task stays with the agenda item that gave it; it is not moved to another meeting.
        return ("agenda_item",) if obj is not None else ()
