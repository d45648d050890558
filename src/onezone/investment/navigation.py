"""The sidebar section 招商引资 and the landing panels of the investment module."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.permissions import roles_in
from onezone.core.roles import Role

INVESTMENT_STAFF = frozenset(
    {Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER, Role.AGENT, Role.PROVINCE_SUPERVISOR}
)
FIGURE_READERS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER, Role.PROVINCE_SUPERVISOR})

register(
    "investment",
    order=60,
    title="招商引资",
    items=[
        NavItem("项目看板", "investment-pipeline", "view_kanban", INVESTMENT_STAFF),
        NavItem("招商指标", "investment-figures", "monitoring", FIGURE_READERS),
        NavItem("产业链图谱", "investment-chains", "account_tree", INVESTMENT_STAFF),
        NavItem("我的代办", "investment-agent", "assignment", frozenset({Role.AGENT})),
        NavItem("招商引资奖励", "investment-awards", "workspace_premium", FIGURE_READERS),
        NavItem("招商项目登记", "admin:investment_project_changelist", "edit_note", INVESTMENT_STAFF, oversight=False),
        NavItem("产业链与环节", "admin:investment_chainnode_changelist", "hub", INVESTMENT_STAFF, oversight=False),
        NavItem("奖励办法", "admin:investment_rewardpolicy_changelist", "gavel", FIGURE_READERS, oversight=False),
    ],
)


def _agent_overdue(request, zone_id):
    """The agent's overdue approvals: first thing on their landing page."""
    from onezone.investment.selectors import overdue_items

    if Role.AGENT not in roles_in(request.user, zone_id):
        return None
    items = overdue_items(zone_id, agent=request.user)
    return Panel(
        title="代办超期事项",
        headers=["项目", "事项", "期限"],
        rows=[
            PanelRow(
                cells=[i.milestone.project.name, i.milestone.get_kind_display(), i.due.isoformat() if i.due else "—"],
                link=reverse("investment-project", args=[i.milestone.project_id]),
                tone="danger",
            )
            for i in items[:10]
        ],
        empty="没有超期的代办事项。",
        link=reverse("investment-agent"),
        link_text="我的代办",
    )


def _zone_figures(request, zone_id):
    """The year's investment figures for the zone."""
    from onezone.core.money import format_amount
    from onezone.investment.selectors import investment_figures
    from onezone.investment.templatetags.investment_tags import percent

    if not roles_in(request.user, zone_id) & FIGURE_READERS:
        return None
    year = timezone.localdate().year
    f = investment_figures(zone_id=zone_id, year=year)
    link = reverse("investment-figures") + f"?year={year}"
    return Panel(
        title=f"{year}年招商引资",
        figures=[
            ("到位资金", format_amount(f.funds_in_place), link),
            (f"重点项目开工率（{f.key_started}/{f.key_planned}）", percent(f.start_rate), link),
            ("累计完成投资", format_amount(f.cumulative_completed), link),
        ],
        link=link,
        link_text="全部指标",
    )


register_panel("investment.agent_overdue", group="work", order=40, build=_agent_overdue)
register_panel("investment.figures", group="zone", order=60, build=_zone_figures)
