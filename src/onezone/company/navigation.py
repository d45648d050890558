"""The company's sidebar section and landing panels."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.money import format_amount
from onezone.core.navigation import NavItem, register
from onezone.core.roles import Role

STAFF = frozenset({Role.COMPANY_STAFF})
READERS = frozenset({Role.COMPANY_STAFF, Role.LEADER, Role.DEPT_HEAD, Role.ADMIN, Role.PROVINCE_SUPERVISOR})

register(
    "company",
    order=80,
    title="开发运营公司",
    items=[
        NavItem("资产", "admin:company_asset_changelist", "domain", READERS, oversight=False),
        NavItem("租赁合同", "admin:company_lease_changelist", "handshake", READERS, oversight=False),
        NavItem("租金账单", "admin:company_rentbill_changelist", "receipt_long", READERS, oversight=False),
        NavItem("租金收款", "admin:company_rentpayment_changelist", "payments", READERS, oversight=False),
        NavItem("欠租账龄", "company-arrears", "hourglass_bottom", READERS),
        NavItem("借款与债券", "admin:company_loan_changelist", "account_balance", READERS, oversight=False),
        NavItem("建设项目", "admin:company_constructionproject_changelist", "construction", READERS),
        NavItem("月度报表", "company-statements", "summarize", READERS),
        NavItem("决策限额设置", "admin:company_companysettings_changelist", "gavel", frozenset({Role.ADMIN})),
    ],
)


def _repayments_due(request, zone_id):
    """Company staff: loan instalments due in the next 30 days."""
    from onezone.company.selectors import repayments_due
    from onezone.core.permissions import roles_in

    if Role.COMPANY_STAFF not in roles_in(request.user, zone_id):
        return None
    today = timezone.localdate()
    due = repayments_due(zone_id, today, days=30)
    return Panel(
        title="30天内到期的借款还款",
        headers=["还款日", "贷款人", "期次", "还款额（元）", "其中利息（元）"],
        rows=[
            PanelRow(
                cells=[
                    d.instalment.due_on.isoformat(),
                    f"{d.loan.lender} {d.loan.contract_number}",
                    f"{d.instalment.number}/{d.loan.term_months}",
                    f"{d.instalment.payment:,.2f}",
                    f"{d.instalment.interest:,.2f}",
                ],
                link=f"/company/loans/{d.loan.pk}/",
                tone="warning" if (d.instalment.due_on - today).days <= 7 else "",
            )
            for d in due
        ],
        empty="30天内没有到期的还款。",
        link="/admin/company/loan/",
        link_text="全部借款",
    )


def _key_figures(request, zone_id):
    """Leaders and company staff: the company's assets, arrears and debt today."""
    from onezone.company.selectors import key_figures
    from onezone.core.permissions import roles_in

    if not roles_in(request.user, zone_id) & {Role.LEADER, Role.COMPANY_STAFF, Role.ADMIN, Role.DEPT_HEAD}:
        return None
    figures = key_figures(zone_id, timezone.localdate())
    return Panel(
        title="开发运营公司",
        figures=[
            ("资产账面价值", format_amount(figures.assets_book_value), "/admin/company/asset/"),
            ("欠租", format_amount(figures.arrears), "/company/arrears/"),
            ("借款与债券余额", format_amount(figures.debt), "/admin/company/loan/"),
            ("在租合同", f"{figures.leases_active}份", "/admin/company/lease/"),
        ],
    )


register_panel("company.repayments", group="work", order=80, build=_repayments_due)
register_panel("company.figures", group="zone", order=80, build=_key_figures)
