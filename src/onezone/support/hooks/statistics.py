"""Sidebar section, the chase of missing reports in the sweep, its notification and the enterprise
portal's section of the monthly statistics (imported in ready())."""

from __future__ import annotations

from onezone.core.navigation import NavItem, register
from onezone.core.sweeps import register_sweep
from onezone.enterprises.portal_sections import PortalSection
from onezone.enterprises.portal_sections import register as register_portal_section
from onezone.notify.events import register_event
from onezone.support.services.labour_authority import DESK_ROLES, READ_ROLES
from onezone.support.services.statistics import REMINDER_EVENT

register(
    "support.statistics",
    order=57,
    title="企业月度统计",
    items=[
        NavItem("月度统计", "/desk/support/statistics/", icon="monitoring", roles=READ_ROLES),
        NavItem(
            "导入统计局月报", "/desk/support/statistics/import/", icon="upload_file", roles=DESK_ROLES, oversight=False
        ),
    ],
)

register_event(
    REMINDER_EVENT,
    label="企业月报缺报提醒",
    subject="请报送{{ month }}企业月度统计报表",
    body=(
        "{{ enterprise }}：{{ month }}的月度统计报表应于 {{ due }} 前报送，系统尚未收到。"
        "请登录企业服务平台“月度统计”填报。"
    ),
    audience="enterprise",
)


def _chase() -> str:
    from onezone.support.services.statistics import reports_chase

    return reports_chase()


register_sweep("support.statistics.chase", _chase, order=75)


def _reports_section(request, enterprise) -> PortalSection:
    from onezone.core.money import format_amount
    from onezone.support.selectors.statistics import reports_of_enterprise

    rows = [
        [
            (f"{r.year}年{r.month}月", "/portal/enterprise/statistics/"),
            format_amount(r.output_value),
            r.get_status_display(),
        ]
        for r in reports_of_enterprise(enterprise, limit=6)
    ]
    return PortalSection(
        title="月度统计报表",
        headers=["月份", "工业总产值", "状态"],
        rows=rows,
        empty="还没有报送月报。",
        link="/portal/enterprise/statistics/",
        link_text="填报与确认",
    )


register_portal_section("support.statistics", order=61, build=_reports_section)
