from onezone.core.dashboard import register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.roles import Role

LEADERS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR})

register(
    "assessment",
    order=90,
    title="目标考核",
    items=[
        NavItem("领导驾驶舱", "assessment:dashboard", "monitoring", LEADERS),
        NavItem("年度目标与完成", "assessment:targets", "flag", LEADERS),
        NavItem("开发区考核排名", "assessment:rankings", "leaderboard"),
        NavItem("排名模拟（what-if）", "assessment:whatif", "science", LEADERS),
        NavItem("考核指标目录", "admin:assessment_indicator_changelist", "list_alt", frozenset({Role.ADMIN})),
        NavItem("评价指标体系", "admin:assessment_scheme_changelist", "account_tree", frozenset({Role.ADMIN})),
        NavItem("开发区指标值", "admin:assessment_zonevalue_changelist", "table_chart", LEADERS),
    ],
)


def _key_figures(request, zone_id):
    """The zone's key figures on the landing page, each linked to its records; the dashboard has the rest."""
    from django.urls import reverse

    from onezone.assessment import sources
    from onezone.core.dashboard import Panel
    from onezone.core.permissions import roles_in

    if not roles_in(request.user, zone_id) & LEADERS:
        return None
    from django.utils import timezone

    today = timezone.localdate()
    figures = []
    for key in (
        "investment.funds_in_place",
        "investment.start_rate",
        "window.overdue_now",
        "enterprises.open_requests",
    ):
        found = sources.figure(key, zone_id=zone_id, year=today.year, as_of=today)
        shown = "无数据" if found.value is None else f"{found.value:,.2f}".rstrip("0").rstrip(".") + found.unit
        figures.append(
            (f"{found.label}（截至 {today:%Y-%m-%d}）", shown, found.link or reverse("assessment:dashboard"))
        )
    return Panel(
        title="关键指标",
        figures=figures,
        link=reverse("assessment:dashboard"),
        link_text="领导驾驶舱",
        wide=True,
    )


register_panel("assessment.figures", group="zone", order=20, build=_key_figures)
