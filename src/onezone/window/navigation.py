"""The window's sidebar section, landing panels and public links."""

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.core.roles import Role

WINDOW_STAFF = frozenset({Role.ADMIN, Role.CLERK, Role.REVIEWER, Role.DEPT_HEAD, Role.LEADER, Role.AGENT})
SUPERVISORS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR})

register(
    "window",
    order=40,
    title="政务服务",
    items=[
        NavItem("窗口受理", "window-desk", "point_of_sale", frozenset({Role.ADMIN, Role.CLERK})),
        NavItem("申请材料预审", "window-prereviews", "upload_file", frozenset({Role.ADMIN, Role.CLERK})),
        NavItem("高效办成一件事", "window-bundles", "library_add_check", WINDOW_STAFF | SUPERVISORS),
        NavItem("进驻窗口", "window-centre", "storefront", WINDOW_STAFF | SUPERVISORS),
        NavItem("我的待办", "/desk/window/queue/?scope=mine", "inbox", WINDOW_STAFF),
        NavItem("本机构待办", "/desk/window/queue/?scope=body", "inventory", WINDOW_STAFF),
        NavItem("全部在办", "/desk/window/queue/?scope=zone", "list_alt", WINDOW_STAFF | SUPERVISORS),
        NavItem("办件效能", "window-efficiency", "speed", WINDOW_STAFF | SUPERVISORS),
        NavItem("一件事办理效能", "window-bundle-efficiency", "compare_arrows", WINDOW_STAFF | SUPERVISORS),
        NavItem("赋权事项运行情况", "window-delegations", "fact_check", WINDOW_STAFF | SUPERVISORS),
        NavItem("预警与督办", "admin:window_alert_changelist", "notifications", WINDOW_STAFF | SUPERVISORS),
        NavItem("投诉与差评整改", "window-follow-up", "rule", WINDOW_STAFF | SUPERVISORS),
        NavItem("投诉", "admin:window_complaint_changelist", "report", WINDOW_STAFF | SUPERVISORS, oversight=False),
        NavItem(
            "好差评与整改",
            "admin:window_rating_changelist",
            "thumbs_up_down",
            WINDOW_STAFF | SUPERVISORS,
            oversight=False,
        ),
    ],
)


def _my_cases(request, zone_id):
    from onezone.core.permissions import roles_in
    from onezone.window.selectors import queue_page

    if not roles_in(request.user, zone_id) & WINDOW_STAFF:
        return None
    page = queue_page(zone_id=zone_id, scope="mine", user=request.user, size=10)
    if not page.rows:
        return None
    tones = {"warning": "warning", "overdue": "danger", "violation": "danger"}
    return Panel(
        title="我的办件（按时限排序）",
        headers=["办件编号", "事项", "状态", "时限", "剩余工作日"],
        rows=[
            PanelRow(
                cells=[
                    r.number,
                    r.item_name,
                    r.state_label,
                    f"{r.due_on or '—'}{'（暂定）' if r.provisional else ''}",
                    "—" if r.working_days_left is None else r.working_days_left,
                ],
                link=f"/desk/window/cases/{r.id}/",
                tone=tones.get(r.colour, ""),
            )
            for r in page.rows
        ],
        link="/desk/window/queue/?scope=mine",
        link_text="全部待办",
    )


def _zone_figures(request, zone_id):
    from django.utils import timezone

    from onezone.window.selectors import zone_case_figures

    year = timezone.localdate().year
    f = zone_case_figures(zone_id=zone_id, year=year)
    if not f.cases:
        return None
    return Panel(
        title=f"{year}年政务服务办件",
        figures=[
            ("办件量", str(f.cases), "/desk/window/efficiency/"),
            ("按承诺时限办结率", "—" if f.on_time_rate is None else f"{f.on_time_rate}%", "/desk/window/efficiency/"),
            ("当前超期", str(f.overdue_now), "/desk/window/queue/?scope=zone&colour=overdue"),
            ("超法定时限", str(f.violations), "/desk/window/queue/?scope=zone&colour=violation"),
        ],
    )


register_panel("window.my_cases", group="work", order=10, build=_my_cases)
register_panel("window.figures", group="zone", order=40, build=_zone_figures)
register_link(
    "window.lookup",
    PortalLink(
        order=20,
        title="办件进度查询",
        url_name="window-public-lookup",
        description="凭办件编号和查询码查询办理进度、评价服务",
    ),
)
register_link(
    "window.bundles",
    PortalLink(
        order=22,
        title="高效办成一件事",
        url_name="window-public-bundles",
        description="一次申请、一套材料、一窗受理：企业开办、项目开工等一件事的办事指南与进度查询",
    ),
)
register_link(
    "window.complaint",
    PortalLink(
        order=25, title="政务服务投诉", url_name="window-public-complaint", description="对办件或窗口服务提出投诉"
    ),
)


def _enterprise_cases(request, enterprise):
    """The enterprise's own cases on its portal page, each linked to the public status look-up."""
    from django.urls import reverse

    from onezone.enterprises.portal_sections import PortalSection
    from onezone.window.selectors import cases_for_applicant

    rows = [
        [
            (c.case_number, reverse("window-enterprise-case", args=[c.case_number])),
            c.item_name,
            c.state_label,
            c.committed_deadline or "—",
        ]
        for c in cases_for_applicant(zone_id=enterprise.zone_id, uscc=enterprise.uscc)[:50]
    ]
    return PortalSection(title="我的办件", headers=["办件编号", "事项", "状态", "承诺办结日期"], rows=rows)


def _register_enterprise_section() -> None:
    from onezone.enterprises.portal_sections import register as register_section

    register_section("window.cases", order=20, build=_enterprise_cases)


_register_enterprise_section()
