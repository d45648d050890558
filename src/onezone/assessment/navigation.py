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
        NavItem("排名模拟", "assessment:whatif", "science", LEADERS),
        NavItem("考核指标目录", "admin:assessment_indicator_changelist", "list_alt", frozenset({Role.ADMIN})),
        NavItem("评价指标体系", "admin:assessment_scheme_changelist", "account_tree", frozenset({Role.ADMIN})),
        NavItem("开发区指标值", "admin:assessment_zonevalue_changelist", "table_chart", LEADERS, oversight=False),
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


def _province_overview(request, zone_id):
    """The provincial supervisor's landing page: every zone of the province, by rank, with its warnings."""
    from django.utils import timezone

    from onezone.assessment.province import main_province, province_overview
    from onezone.core.dashboard import Panel, PanelRow

    province = main_province()
    if province is None:
        return None
    year = timezone.localdate().year
    overview = province_overview(user=request.user, province_code=province, year=year)
    basis = f"（排名：{overview.evaluation_label}）" if overview.evaluation_label else "（尚无可查看的考核排名）"
    return Panel(
        title=f"{overview.province_name}开发区一览 · {year}年{basis}",
        headers=["开发区", "排名", "综合得分", "办件量", "按时办结率", "当前超期", "超法定时限", "在办企业诉求"],
        rows=[
            PanelRow(
                cells=[
                    row.zone_name,
                    "—" if row.rank is None else row.rank,
                    "—" if row.score is None else row.score,
                    row.cases,
                    "—" if row.on_time_rate is None else f"{row.on_time_rate}%",
                    row.overdue_now,
                    row.violations,
                    row.open_requests,
                ],
                link=f"/desk/assessment/zones/{row.zone_id}/",
                tone="danger" if row.violations else ("warning" if row.overdue_now else ""),
            )
            for row in overview.rows
        ],
        link="/desk/assessment/rankings/",
        link_text="考核排名",
        wide=True,
    )


register_panel("assessment.province", group="province", order=10, build=_province_overview)
