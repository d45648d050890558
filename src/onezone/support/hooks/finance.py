"""Sidebar section, landing panel and the enterprise portal's section of 找资金 (imported in ready())."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.dashboard import Panel, register_panel
from onezone.core.navigation import NavItem, register
from onezone.enterprises.portal_sections import PortalSection
from onezone.enterprises.portal_sections import register as register_portal_section
from onezone.support.services.markets import DESK_READERS

register(
    "support.finance",
    order=55,
    title="找资金",
    items=[
        NavItem("融资概览", "/desk/support/finance/", icon="account_balance", roles=DESK_READERS),
        NavItem("融资需求", "/desk/support/finance/needs/", icon="request_quote", roles=DESK_READERS, oversight=False),
        NavItem("融资落地", "/desk/support/finance/loans/", icon="payments", roles=DESK_READERS, oversight=False),
        NavItem(
            "金融机构",
            "admin:support_institution_changelist",
            icon="account_balance_wallet",
            roles=DESK_READERS,
            oversight=False,
        ),
        NavItem(
            "金融产品",
            "admin:support_financeproduct_changelist",
            icon="inventory_2",
            roles=DESK_READERS,
            oversight=False,
        ),
        NavItem(
            "银企对接会", "admin:support_bankmeeting_changelist", icon="groups", roles=DESK_READERS, oversight=False
        ),
    ],
)


def _finance_section(request, enterprise) -> PortalSection:
    from onezone.core.money import format_amount
    from onezone.support.selectors.finance import needs_of_enterprise

    rows = [
        [
            (row.need.purpose, "/portal/support/finance/"),
            format_amount(row.need.amount),
            row.need.get_status_display(),
            f"{len(row.products)} 个",
        ]
        for row in needs_of_enterprise(enterprise)[:5]
    ]
    return PortalSection(
        title="我的融资需求",
        headers=["用途", "金额", "状态", "可对接产品"],
        rows=rows,
        empty="还没有提交融资需求。",
        link="/portal/support/finance/",
        link_text="找资金",
    )


register_portal_section("support.finance", order=56, build=_finance_section)


def _financing_panel(request, zone_id):
    from onezone.core.money import format_amount
    from onezone.core.permissions import roles_in
    from onezone.support.selectors.finance import financing_helped

    if not roles_in(request.user, zone_id) & DESK_READERS:
        return None
    year = timezone.localdate().year
    got = financing_helped(zone_id=zone_id, year=year)
    overall = financing_helped(zone_id=zone_id)
    if not overall.count:
        return None
    return Panel(
        title="助力企业融资",
        figures=[
            (f"{year}年", format_amount(got.total), f"/desk/support/finance/loans/?year={year}"),
            ("累计", format_amount(overall.total), "/desk/support/finance/loans/"),
            ("累计企业", f"{overall.enterprises} 家", "/desk/support/finance/loans/"),
        ],
        link="/desk/support/finance/",
        link_text="找资金",
    )


register_panel("support.financing", group="zone", order=63, build=_financing_panel)
