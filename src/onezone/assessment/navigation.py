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
