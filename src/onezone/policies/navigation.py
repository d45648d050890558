"""The back office's 惠企政策 section, landing panels, the matching sweep and the portal link."""

from __future__ import annotations

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.core.roles import Role
from onezone.core.sweeps import register_sweep
from onezone.policies.services import PAYMENT_APPROVERS, POLICY_EDITORS

# Policies are the committee's and the economic bureaus' work: matching, notices, grants.
POLICY_DESK = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER, Role.AGENT}) | frozenset(
    POLICY_EDITORS
)

register(
    "policies",
    order=65,
    title="惠企政策",
    items=[
        NavItem("政策库", "admin:policies_policy_changelist", "policy", POLICY_DESK | {Role.PROVINCE_SUPERVISOR}),
        NavItem(
            "企业可享政策", "admin:policies_policy_by_enterprise", "domain_verification", POLICY_DESK, oversight=False
        ),
        NavItem("政策匹配", "admin:policies_policymatch_changelist", "fact_check", POLICY_DESK, oversight=False),
        NavItem("政策通知", "admin:policies_policynotice_changelist", "campaign", POLICY_DESK, oversight=False),
        NavItem("免申即享兑现", "admin:policies_policygrant_changelist", "payments", POLICY_DESK),
    ],
)


def _grants_to_pay(request, zone_id):
    from onezone.core.money import format_amount
    from onezone.core.permissions import roles_in
    from onezone.policies.models import GrantStatus
    from onezone.policies.selectors import grants_of_zone

    if not roles_in(request.user, zone_id) & PAYMENT_APPROVERS:
        return None
    grants = list(grants_of_zone(zone_id, status=GrantStatus.CONFIRMED)[:10])
    if not grants:
        return None
    return Panel(
        title="待批准拨付的免申即享兑现",
        headers=["企业", "政策", "金额", "企业确认时间"],
        rows=[
            PanelRow(
                cells=[g.enterprise.name, g.policy.title, format_amount(g.amount), f"{g.confirmed_at:%Y-%m-%d}"],
                link=f"/admin/policies/policygrant/{g.pk}/change/",
            )
            for g in grants
        ],
        link="/admin/policies/policygrant/?status__exact=confirmed",
        link_text="全部待拨付",
    )


def _figures(request, zone_id):
    from onezone.core.money import format_amount
    from onezone.core.permissions import roles_in
    from onezone.policies.selectors import policy_figures

    if not roles_in(request.user, zone_id) & (POLICY_EDITORS | PAYMENT_APPROVERS):
        return None
    figures = policy_figures(zone_id)
    return Panel(
        title="惠企政策",
        figures=[
            ("已发布政策", str(figures.published), "/admin/policies/policy/?status__exact=published"),
            ("符合政策的企业", str(figures.matched_enterprises), "/admin/policies/policymatch/?eligible__exact=1"),
            ("待拨付兑现", str(figures.grants_waiting), "/admin/policies/policygrant/?status__exact=confirmed"),
            ("已拨付金额", format_amount(figures.paid_total), "/admin/policies/policygrant/?status__exact=paid"),
        ],
    )


register_panel("policies.grants_to_pay", group="work", order=65, build=_grants_to_pay)
register_panel("policies.figures", group="zone", order=65, build=_figures)


def _sweep() -> str:
    from onezone.policies.services import policies_sweep

    return policies_sweep()


register_sweep("policies.match", _sweep, order=65)
register_link(
    "policies",
    PortalLink(
        order=40,
        title="惠企政策",
        url_name="policies:list",
        description="本区已发布的补贴、奖励和税费优惠；免申即享政策符合条件即兑现。",
    ),
)


def _enterprise_section(request, enterprise):
    """On the enterprise's own portal page: its 免申即享 grants and the policies it qualifies for."""
    from django.urls import reverse

    from onezone.core.money import format_amount
    from onezone.enterprises.portal_sections import PortalSection
    from onezone.policies.selectors import enterprise_policies, grants_of_enterprise

    grants = list(grants_of_enterprise(enterprise))
    fits, _misses = enterprise_policies(enterprise.zone_id, enterprise.pk)
    rows = [
        [
            (g.policy.title, reverse("policies:grant", args=[g.pk])),
            "免申即享 " + format_amount(g.amount),
            g.get_status_display(),
        ]
        for g in grants
    ]
    granted = {g.policy_id for g in grants}
    rows += [
        [
            (f.policy.title, reverse("policies:detail", args=[f.policy.pk])),
            f.policy.amount_description or "—",
            "符合条件",
        ]
        for f in fits
        if f.policy.pk not in granted
    ]
    return PortalSection(
        title="惠企政策",
        headers=["政策", "支持", "状态"],
        rows=rows,
        empty="按目前登记的信息，暂不符合已发布政策的条件。",
        link=reverse("policies:mine"),
        link_text="查看政策通知与符合理由",
    )


def _register_portal_section() -> None:
    from onezone.enterprises.portal_sections import register as register_section

    register_section("policies", order=40, build=_enterprise_section)


_register_portal_section()
