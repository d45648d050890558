"""The enterprise module's sidebar section, landing panels and public front-page link."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.core.roles import Role
from onezone.enterprises.access import INSPECTION_ROLES, REGISTRY_ROLES, REQUEST_STAFF_ROLES

# Who works with the register, the inspections and the request desk's settings.
REGISTER_READERS = (
    frozenset(
        {Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.CLERK, Role.AGENT, Role.INVESTMENT_OFFICER, Role.SAFETY_OFFICER}
    )
    | frozenset({Role.PROVINCE_SUPERVISOR})
    | frozenset(REGISTRY_ROLES)
)
INSPECTORS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.SAFETY_OFFICER}) | frozenset(INSPECTION_ROLES)
KEEPERS = frozenset({Role.ADMIN, Role.DEPT_HEAD})

register(
    "enterprises",
    order=50,
    title="企业服务",
    items=[
        NavItem("企业名录", "admin:enterprises_enterprise_changelist", "factory", REGISTER_READERS),
        NavItem("诉求受理台", "enterprises:desk-requests", "support_agent", REQUEST_STAFF_ROLES),
        NavItem("涉企检查登记", "enterprises:desk-inspections", "fact_check", INSPECTORS),
        NavItem("检查日历", "enterprises:desk-inspection-calendar", "calendar_month", INSPECTORS, oversight=False),
        NavItem("企业导入导出", "enterprises:desk-import", "upload_file", REGISTRY_ROLES),
        NavItem("诉求类别", "admin:enterprises_requestcategory_changelist", "category", KEEPERS),
        NavItem("企业标签", "admin:enterprises_enterprisetag_changelist", "sell", KEEPERS),
        NavItem(
            "涉企检查规则",
            "admin:enterprises_inspectionrule_changelist",
            "rule",
            INSPECTION_ROLES | REGISTRY_ROLES,
            oversight=False,
        ),
        NavItem("企业账号", "admin:enterprises_enterprisemember_changelist", "link", frozenset({Role.ADMIN})),
    ],
)

register_link(
    "enterprises.portal",
    PortalLink(
        order=30,
        title="企业服务",
        url_name="enterprises:portal-home",
        description="企业登录后提交诉求、跟踪办理进度并确认办结，查看本企业的办件与评价。",
    ),
)


def _waiting_requests(request, zone_id):
    from onezone.core.permissions import roles_in
    from onezone.enterprises.selectors import request_next_due, requests_waiting_for

    if not roles_in(request.user, zone_id) & REQUEST_STAFF_ROLES:
        return None
    rows = requests_waiting_for(request.user, zone_id)
    if not rows:
        return None
    today = timezone.localdate()
    stage_names = {"ack": "签收", "respond": "答复", "resolve": "办结"}
    out = []
    for r in rows:
        stage, due = request_next_due(r)
        tone = "danger" if due < today else ("warning" if (due - today).days <= 2 else "")
        out.append(
            PanelRow(
                cells=[
                    f"{r.number} {r.title}",
                    r.enterprise.name,
                    r.get_status_display(),
                    f"{stage_names[stage]} {due}",
                ],
                link=f"/desk/enterprises/requests/{r.pk}/",
                tone=tone,
            )
        )
    return Panel(
        title="待本单位办理的企业诉求",
        headers=["诉求", "企业", "状态", "下一期限"],
        rows=out,
        link="/desk/enterprises/requests/?open=1",
        link_text="诉求受理台",
    )


def _enterprise_figures(request, zone_id):
    from onezone.enterprises.selectors import enterprise_figures, open_requests_count

    figures = enterprise_figures(zone_id=zone_id, year=timezone.localdate().year - 1)
    if not figures.enterprises:
        return None
    base = "/admin/enterprises/enterprise/"
    return Panel(
        title="企业服务",
        figures=[
            ("企业总数", str(figures.enterprises), base),
            ("规上企业", str(figures.by_size.get("规上", 0)), f"{base}?size__exact=above"),
            ("不符合园区定位", str(figures.misfit), f"{base}?fit=no"),
            ("未关闭诉求", str(open_requests_count(zone_id=zone_id)), "/desk/enterprises/requests/?open=1"),
        ],
    )


register_panel("enterprises.requests", group="work", order=40, build=_waiting_requests)
register_panel("enterprises.figures", group="zone", order=40, build=_enterprise_figures)
