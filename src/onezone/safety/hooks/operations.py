"""Sidebar sections, landing panels, sweeps and portal sections this area registers (imported in ready())."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.core.sweeps import register_sweep
from onezone.enterprises.portal_sections import PortalSection
from onezone.enterprises.portal_sections import register as register_portal_section
from onezone.notify.events import register_event
from onezone.safety.services.operations_access import READ_ROLES, SUPERVISE_ROLES

register(
    "safety_operations",
    order=60,
    title="安全监管与应急",
    items=[
        NavItem("安全监管工作台", "safety-desk", "health_and_safety", READ_ROLES),
        NavItem("特殊作业报备", "safety-work-list", "local_fire_department", READ_ROLES, oversight=False),
        NavItem("封闭化管理", "safety-gates", "local_shipping", READ_ROLES, oversight=False),
        NavItem("应急管理", "safety-emergency", "emergency", READ_ROLES),
        NavItem("园区安全风险等级", "safety-risk", "assessment", READ_ROLES),
        NavItem("园区卡口", "admin:safety_gate_changelist", "door_sliding", SUPERVISE_ROLES, oversight=False),
        NavItem(
            "危化品停车场", "admin:safety_parkingarea_changelist", "local_parking", SUPERVISE_ROLES, oversight=False
        ),
        NavItem("应急救援队伍", "admin:safety_emergencyteam_changelist", "groups", SUPERVISE_ROLES, oversight=False),
        NavItem("应急物资", "admin:safety_emergencysupply_changelist", "inventory_2", SUPERVISE_ROLES, oversight=False),
        NavItem("应急值班", "admin:safety_dutyshift_changelist", "event_available", SUPERVISE_ROLES, oversight=False),
    ],
)

register_event(
    "safety.plan_stale",
    label="应急预案超期未修订",
    subject="应急预案“{{ title }}”已超过评审修订期限",
    body="{{ owner }}的应急预案“{{ title }}”最近修订于 {{ revised_on }}，应于 {{ due }} 前评审修订，请尽快组织评审。",
)
register_event(
    "safety.drill_overdue",
    label="应急演练逾期",
    subject="应急预案“{{ title }}”的演练已逾期",
    body="{{ owner }}的应急预案“{{ title }}”上次演练：{{ last }}，应于 {{ due }} 前演练，请尽快组织并登记。",
)
register_event(
    "safety.vehicle_overstay",
    label="危化品车辆超时滞留",
    subject="危化品车辆 {{ plate }} 超时滞留园区",
    body="装载{{ chemical }}的车辆 {{ plate }} 已在园 {{ hours }} 小时，超过允许停留时间，请核查。",
)


def _sweep() -> str:
    from onezone.safety.services.operations_sweep import operations_sweep

    return operations_sweep()


register_sweep("safety.operations", _sweep, order=60)


def _panel(request, zone_id):
    from onezone.core.permissions import roles_in
    from onezone.safety.selectors.operations import ops_figures

    if not roles_in(request.user, zone_id) & READ_ROLES:
        return None
    figures = ops_figures(zone_id=zone_id, today=timezone.localdate(), now=timezone.now())
    return Panel(
        title="安全监管与应急",
        figures=[
            ("今日特殊作业", str(figures.work_today), "/desk/safety/work/"),
            ("特级动火", str(figures.special_hot_today), "/desk/safety/work/"),
            ("在园危化品车辆", str(figures.hazmat_inside), "/desk/safety/gates/"),
            ("超时滞留", str(figures.overstaying), "/desk/safety/gates/"),
            ("演练逾期", str(figures.drills_overdue), "/desk/safety/emergency/"),
            ("预案超期", str(figures.plans_stale), "/desk/safety/emergency/"),
        ],
        link="/desk/safety/",
        link_text="安全监管工作台",
    )


def _work_panel(request, zone_id):
    """Today's 特级 hot work and night work, for those who supervise it."""
    from onezone.core.permissions import roles_in
    from onezone.safety.selectors.operations import works_on

    if not roles_in(request.user, zone_id) & SUPERVISE_ROLES:
        return None
    works = [w for w in works_on(zone_id=zone_id, day=timezone.localdate()) if w.is_special_hot or w.at_night]
    if not works:
        return None
    return Panel(
        title="今日需盯防的特殊作业",
        headers=["编号", "企业", "作业", "时间"],
        rows=[
            PanelRow(
                cells=[
                    w.number,
                    w.enterprise.name,
                    f"{w.get_kind_display()}（{w.get_managed_level_display()}）",
                    f"{timezone.localtime(w.starts_at):%H:%M}–{timezone.localtime(w.ends_at):%m-%d %H:%M}",
                ],
                link=f"/desk/safety/work/{w.pk}/",
                tone="danger" if w.is_special_hot else "warning",
            )
            for w in works[:10]
        ],
        link="/desk/safety/work/",
        link_text="特殊作业报备",
    )


register_panel("safety.operations.work", group="work", order=45, build=_work_panel)
register_panel("safety.operations.figures", group="zone", order=45, build=_panel)


def _portal_section(request, enterprise):
    from onezone.safety.selectors.operations import plans_status, works_list

    works = works_list(zone_id=enterprise.zone_id, enterprise_id=enterprise.pk, limit=5)
    plans = plans_status(zone_id=enterprise.zone_id, today=timezone.localdate(), enterprise_id=enterprise.pk)
    rows = [
        [w.number, w.get_kind_display(), f"{timezone.localtime(w.starts_at):%Y-%m-%d %H:%M}", w.get_status_display()]
        for w in works
    ]
    alerts = sum(1 for p in plans if p.stale or p.drill_overdue)
    return PortalSection(
        title="安全生产（特殊作业报备）" + (f"：{alerts} 项预案或演练需处理" if alerts else ""),
        headers=["编号", "作业", "开始", "状态"],
        rows=rows,
        empty="还没有报备特殊作业。",
        link="/portal/safety/",
        link_text="安全生产",
    )


register_portal_section("safety.operations", order=40, build=_portal_section)

register_link(
    "safety.portal",
    PortalLink(
        order=45,
        title="安全生产报备",
        url_name="safety-portal",
        description="企业登录后报备特殊作业、应急预案和演练，报告事故。",
    ),
)
