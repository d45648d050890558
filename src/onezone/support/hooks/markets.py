"""Sidebar section, landing panel and the enterprise portal's section of 找市场 / 找订单 (imported in ready())."""

from __future__ import annotations

from onezone.core.dashboard import Panel, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.enterprises.portal_sections import PortalSection
from onezone.enterprises.portal_sections import register as register_portal_section
from onezone.support.services.markets import DESK_READERS

register(
    "support.markets",
    order=54,
    title="找市场 / 找订单",
    items=[
        NavItem("供需信息", "/desk/support/markets/", icon="storefront", roles=DESK_READERS),
        NavItem("供需匹配", "/desk/support/markets/matches/", icon="handshake", roles=DESK_READERS, oversight=False),
        NavItem("供需对接会", "/desk/support/markets/events/", icon="groups", roles=DESK_READERS, oversight=False),
        NavItem("本地配套率", "/desk/support/markets/supply-rate/", icon="hub", roles=DESK_READERS),
        NavItem("链主企业", "admin:support_chainleader_changelist", icon="star", roles=DESK_READERS, oversight=False),
    ],
)

register_link(
    "support.markets",
    PortalLink(
        order=40,
        title="找市场 · 找资金",
        url_name="support-portal-markets",
        description="企业登录后发布采购需求和产品供给，沿产业链匹配园区内外的对接方；提交融资需求，匹配合作金融机构的产品。",
    ),
)


def _markets_section(request, enterprise) -> PortalSection:
    from onezone.support.selectors.markets import match_view, matches_of_enterprise

    rows = []
    for match in matches_of_enterprise(enterprise)[:5]:
        view = match_view(match, enterprise)
        rows.append(
            [
                (view.mine.title, "/portal/support/markets/"),
                f"{view.theirs.enterprise.name}：{view.theirs.title}",
                "；".join(match.reasons),
                match.get_status_display(),
            ]
        )
    return PortalSection(
        title="为我匹配的供需对接方",
        headers=["我的信息", "对方", "匹配理由", "状态"],
        rows=rows,
        empty="暂无匹配。发布采购需求或产品供给后，平台会沿产业链为您匹配。",
        link="/portal/support/markets/",
        link_text="找市场 · 找订单",
    )


register_portal_section("support.markets", order=55, build=_markets_section)


def _supply_panel(request, zone_id):
    from onezone.core.permissions import roles_in
    from onezone.support.selectors.markets import local_supply

    if not roles_in(request.user, zone_id) & DESK_READERS:
        return None
    rows = local_supply(zone_id)
    if not rows:
        return None
    return Panel(
        title="链主企业本地配套率",
        figures=[(row.chain_name, row.rate_percent, "/desk/support/markets/supply-rate/") for row in rows[:6]],
        link="/desk/support/markets/supply-rate/",
        link_text="查看签约明细",
    )


register_panel("support.supply_rate", group="zone", order=62, build=_supply_panel)
