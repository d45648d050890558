"""Back office: the policy library with its conditions, the enterprises that qualify and why, grants."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from onezone.core.admin_base import ZoneScopedAdmin
from onezone.core.errors import DomainError
from onezone.core.middleware import current_zone_id
from onezone.core.money import format_amount
from onezone.core.permissions import roles_in
from onezone.enterprises.models import Enterprise
from onezone.org.models import Body
from onezone.policies import selectors
from onezone.policies.forms import PolicyForm
from onezone.policies.models import GrantStatus, Policy, PolicyGrant, PolicyMatch, PolicyNotice
from onezone.policies.services import (
    PAYMENT_APPROVERS,
    POLICY_EDITORS,
    grant_pay,
    policy_expire,
    policy_match_run,
    policy_publish,
)


class ComputedRecordAdmin(ZoneScopedAdmin):
    """A zone's records that only services write: listed and read here, never edited."""

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


def _run_actions(request: Any, fn, queryset, done: str) -> None:
    count = 0
    for obj in queryset:
        try:
            fn(obj)
            count += 1
        except DomainError as exc:
            messages.error(request, f"{obj}：{exc.message}")
    if count:
        messages.success(request, f"{done} {count} 项。")


@admin.register(Policy)
class PolicyAdmin(ZoneScopedAdmin):
    form = PolicyForm
    write_roles = POLICY_EDITORS
    list_display = ("title", "kind", "issuer", "document_number", "valid_from", "valid_to", "auto_grant", "status")
    list_filter = ("status", "kind", "auto_grant")
    search_fields = ("title", "document_number", "issuer", "summary")
    readonly_fields = ("status", "published_at", "matches_link")
    actions = ("publish_selected", "expire_selected", "run_matching")
    fieldsets = (
        (None, {"fields": ("title", "kind", "issuer", "issuing_body", "document_number", "summary")}),
        ("有效期与兑现", {"fields": ("valid_from", "valid_to", "amount_description", "auto_grant", "amount_rule")}),
        ("资格条件", {"fields": ("conditions",)}),
        ("状态", {"fields": ("status", "published_at", "is_demo", "matches_link")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issuing_body":
            kwargs["queryset"] = Body.objects.filter(zone_id=current_zone_id(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="符合条件的企业")
    def matches_link(self, obj: Policy) -> str:
        if not obj.pk:
            return "保存后可查看"
        return format_html(
            '<a href="{}">查看符合条件的企业及理由</a>', reverse("admin:policies_policy_matches", args=[obj.pk])
        )

    @admin.action(description="发布选中的政策")
    def publish_selected(self, request, queryset):
        _run_actions(request, lambda p: policy_publish(actor=request.user, policy=p), queryset, "已发布")

    @admin.action(description="停止执行选中的政策")
    def expire_selected(self, request, queryset):
        _run_actions(request, lambda p: policy_expire(actor=request.user, policy=p), queryset, "已停止执行")

    @admin.action(description="立即运行政策匹配（全区）")
    def run_matching(self, request, queryset):
        try:
            result = policy_match_run(actor=request.user, zone_id=current_zone_id(request))
        except DomainError as exc:
            messages.error(request, exc.message)
            return
        messages.success(request, result.summary())

    def get_urls(self):
        return [
            path(
                "<int:policy_id>/matches/",
                self.admin_site.admin_view(self.matches_view),
                name="policies_policy_matches",
            ),
            path(
                "by-enterprise/", self.admin_site.admin_view(self.enterprise_view), name="policies_policy_by_enterprise"
            ),
            *super().get_urls(),
        ]

    def matches_view(self, request, policy_id: int):
        """The enterprises that qualify for one policy now, with the reasons, and what was recorded."""
        zone_id = current_zone_id(request)
        if not self.has_view_permission(request):
            raise Http404
        policy = Policy.objects.filter(zone_id=zone_id, pk=policy_id).first()
        if policy is None:
            raise Http404("没有找到该政策。")
        show_all = request.GET.get("all") == "1"
        rows = selectors.policy_qualifying(zone_id, policy, include_unqualified=show_all)
        recorded = {m.enterprise_id: m for m in selectors.matches_of_policy(zone_id, policy.pk)}
        context = {
            **self.admin_site.each_context(request),
            "title": f"符合条件的企业 · {policy.title}",
            "policy": policy,
            "conditions": selectors.policy_conditions_text(policy),
            "rows": [(row, recorded.get(row.enterprise_id)) for row in rows],
            "qualified": sum(1 for row in rows if row.eligible),
            "show_all": show_all,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "policies/admin_matches.html", context)

    def enterprise_view(self, request):
        """For one enterprise: the policies in force it qualifies for, and those it does not, with reasons."""
        zone_id = current_zone_id(request)
        if not self.has_view_permission(request):
            raise Http404
        enterprises = Enterprise.objects.filter(zone_id=zone_id).order_by("name").values_list("pk", "name")
        enterprise = None
        fits, misses = [], []
        raw = request.GET.get("enterprise", "")
        if raw.isdigit():
            enterprise = Enterprise.objects.filter(zone_id=zone_id, pk=int(raw)).first()
            if enterprise is not None:
                fits, misses = selectors.enterprise_policies(zone_id, enterprise.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "企业可享政策",
            "enterprises": list(enterprises),
            "enterprise": enterprise,
            "fits": fits,
            "misses": misses,
            "grants": list(selectors.grants_of_enterprise(enterprise)) if enterprise else [],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "policies/admin_enterprise.html", context)


@admin.register(PolicyMatch)
class PolicyMatchAdmin(ComputedRecordAdmin):
    list_display = ("enterprise", "policy", "eligible", "first_matched_at", "notified_at", "checked_at")
    list_filter = ("eligible", "policy")
    list_select_related = ("enterprise", "policy")
    search_fields = ("enterprise__name", "policy__title")
    readonly_fields = (
        "policy",
        "enterprise",
        "eligible",
        "first_matched_at",
        "checked_at",
        "notified_at",
        "reason_list",
    )
    exclude = ("reasons",)

    @admin.display(description="符合理由")
    def reason_list(self, obj: PolicyMatch) -> str:
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in obj.reasons)))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj)


@admin.register(PolicyNotice)
class PolicyNoticeAdmin(ComputedRecordAdmin):
    list_display = ("title", "enterprise", "policy", "sent_at", "read_at")
    list_filter = ("policy",)
    list_select_related = ("enterprise", "policy")
    search_fields = ("title", "enterprise__name")
    readonly_fields = ("title", "enterprise", "policy", "body", "sent_at", "read_at")
    exclude = ("match",)


@admin.register(PolicyGrant)
class PolicyGrantAdmin(ComputedRecordAdmin):
    list_display = ("enterprise", "policy", "amount_text", "status", "proposed_at", "confirmed_at", "paid_at")
    list_filter = ("status", "policy")
    list_select_related = ("enterprise", "policy")
    search_fields = ("enterprise__name", "policy__title", "payment_reference")
    readonly_fields = (
        "policy",
        "enterprise",
        "amount",
        "basis",
        "status",
        "proposed_at",
        "confirmed_at",
        "confirmed_by",
        "bank_account_note",
        "declined_at",
        "decline_reason",
        "paid_at",
        "paid_by",
        "payment_reference",
    )
    exclude = ("match",)
    actions = ("pay_selected",)

    @admin.display(description="核定金额", ordering="amount")
    def amount_text(self, obj: PolicyGrant) -> str:
        return format_amount(obj.amount)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not roles_in(request.user, current_zone_id(request)) & PAYMENT_APPROVERS:
            actions.pop("pay_selected", None)
        return actions

    @admin.action(description="批准拨付选中的已确认兑现")
    def pay_selected(self, request, queryset):
        queryset = queryset.filter(status=GrantStatus.CONFIRMED)
        _run_actions(request, lambda g: grant_pay(actor=request.user, grant_id=g.pk), queryset, "已批准拨付")
