"""Sidebar section and the enterprise portal's section of 找人才 / 找员工 (imported in ready())."""

from __future__ import annotations

from onezone.core.navigation import NavItem, register
from onezone.enterprises.portal_sections import PortalSection
from onezone.enterprises.portal_sections import register as register_portal_section
from onezone.support.services.labour_authority import READ_ROLES

register(
    "support.labour",
    order=56,
    title="找人才 / 找员工",
    items=[
        NavItem("招聘岗位", "/desk/support/jobs/", icon="work", roles=READ_ROLES, oversight=False),
        NavItem("用工调剂", "/desk/support/labour/", icon="swap_horiz", roles=READ_ROLES, oversight=False),
        NavItem("人才需求与到岗", "/desk/support/talent/", icon="school", roles=READ_ROLES),
    ],
)


def _jobs_section(request, enterprise) -> PortalSection:
    from onezone.support.selectors.labour import jobs_of_enterprise

    rows = [
        [
            (job.title, f"/portal/enterprise/jobs/{job.pk}/"),
            job.get_status_display(),
            f"{job.valid_until:%Y-%m-%d}",
            f"{job.applications_count}（未查看 {job.unread}）",
        ]
        for job in jobs_of_enterprise(enterprise)[:10]
    ]
    return PortalSection(
        title="我的招聘",
        headers=["岗位", "状态", "截止日期", "申请"],
        rows=rows,
        empty="还没有发布岗位。",
        link="/portal/enterprise/jobs/",
        link_text="发布与管理岗位",
    )


register_portal_section("support.jobs", order=60, build=_jobs_section)
