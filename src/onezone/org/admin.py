from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path

from onezone.core.admin_base import ZoneScopedAdmin, ZoneTabularInline
from onezone.core.audit import audit_record
from onezone.core.middleware import current_zone_id
from onezone.core.roles import Role
from onezone.org.models import AgendaItem, Appointment, Body, FollowUpTask, Meeting, Person, Post, RoutingRule
from onezone.org.selectors import cross_appointed

ORG_WRITERS = frozenset({Role.ADMIN})
MEETING_WRITERS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})


class PostInline(ZoneTabularInline):
    model = Post
    fields = ("title", "category", "grade", "is_head", "headcount")


@admin.register(Body)
class BodyAdmin(ZoneScopedAdmin):
    write_roles = ORG_WRITERS
    list_display = ("name", "kind", "parent", "headcount_quota", "phone")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    search_fields = ("name", "short_name", "functions")
    inlines = [PostInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Body.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Post)
class PostAdmin(ZoneScopedAdmin):
    write_roles = ORG_WRITERS
    list_display = ("title", "body", "category", "grade", "is_head", "headcount")
    list_filter = ("category", "body")
    list_select_related = ("body",)
    search_fields = ("title", "body__name")


class AppointmentInline(ZoneTabularInline):
    model = Appointment
    fields = ("post", "start", "end", "is_concurrent", "document")
    autocomplete_fields = ("post",)


@admin.register(Person)
class PersonAdmin(ZoneScopedAdmin):
    write_roles = ORG_WRITERS
    list_display = ("name", "id_number_masked", "mobile_masked", "user")
    list_select_related = ("user",)
    search_fields = ("name",)
    inlines = [AppointmentInline]
    change_list_template = "org/person_changelist.html"

    @admin.display(description="身份证号码")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description="手机号码")
    def mobile_masked(self, obj):
        return obj.mobile_masked

    def get_urls(self):
        return [
            path("cross/", self.admin_site.admin_view(self.cross_view), name="org_person_cross"),
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening the form shows the full ID number and mobile: a full view of personal data is logged.
        if request.method == "GET":
            person = self.get_object(request, object_id)
            if person is not None and (person.id_number or person.mobile):
                audit_record(actor=request.user, action="person.view_personal_data", obj=person)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(RoutingRule)
class RoutingRuleAdmin(ZoneScopedAdmin):
    write_roles = ORG_WRITERS
    list_display = ("category_name", "category", "domain", "body", "note")
    list_filter = ("domain",)
    list_select_related = ("body",)
    search_fields = ("category", "category_name")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = Body.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AgendaItemInline(ZoneTabularInline):
    model = AgendaItem
    fields = ("order", "topic", "presenter", "decision", "approved", "amount")


@admin.register(Meeting)
class MeetingAdmin(ZoneScopedAdmin):
    write_roles = MEETING_WRITERS
    list_display = ("held_on", "title", "kind", "chair", "minutes_number")
    list_filter = ("kind",)
    list_select_related = ("chair",)
    date_hierarchy = "held_on"
    search_fields = ("title", "minutes_number", "agenda_items__topic")
    inlines = [AgendaItemInline]


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ZoneScopedAdmin):
    write_roles = MEETING_WRITERS
    list_display = ("description", "owner_body", "owner", "deadline", "status", "done_on")
    list_filter = ("status", "owner_body")
    list_select_related = ("owner_body", "owner")
    search_fields = ("description",)
