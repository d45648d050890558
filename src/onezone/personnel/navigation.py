"""The 人事薪酬 sidebar section, the HR landing panels and the contract-expiry sweep."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.dashboard import Panel, PanelRow, register_panel
from onezone.core.navigation import NavItem, register
from onezone.core.permissions import has_role
from onezone.core.roles import Role
from onezone.core.sweeps import register_sweep

HR = frozenset({Role.HR_OFFICER})

register(
    "personnel",
    order=70,
    title="人事薪酬",
    items=[
        NavItem("聘用合同", "admin:personnel_employmentcontract_changelist", "contract", HR),
        NavItem("岗位等级工资", "admin:personnel_postgradepay_changelist", "payments", HR),
        NavItem("考核方案", "admin:personnel_appraisalscheme_changelist", "rule", HR),
        NavItem("考核周期", "admin:personnel_appraisalcycle_changelist", "fact_check", HR),
        NavItem("考核申诉", "admin:personnel_appeal_changelist", "gavel", HR),
        NavItem("月度工资核算", "admin:personnel_payrollrun_changelist", "account_balance_wallet", HR),
        NavItem("人事薪酬设置", "admin:personnel_personnelpolicy_changelist", "settings", HR),
        NavItem("我的工资条", "personnel-my-payslips", "receipt_long"),
    ],
)


def _expiring_contracts(request, zone_id):
    if not has_role(request.user, zone_id, HR):
        return None
    from onezone.personnel.selectors import contracts_expiring, contracts_flagged, policy_of

    today = timezone.localdate()
    days = policy_of(zone_id).expiry_notice_days
    expiring = list(contracts_expiring(zone_id, today=today, days=days)[:10])
    flagged = list(contracts_flagged(zone_id)[:10])
    rows = [
        PanelRow(
            cells=[c.person.name, str(c.post), c.end.isoformat(), f"{(c.end - today).days} 天后到期"],
            link=f"/admin/personnel/employmentcontract/{c.pk}/change/",
            tone="danger" if (c.end - today).days <= 30 else "warning",
        )
        for c in expiring
    ] + [
        PanelRow(
            cells=[c.person.name, str(c.post), c.end.isoformat() if c.end else "无固定期限", c.review_reason],
            link=f"/admin/personnel/employmentcontract/{c.pk}/change/",
            tone="danger",
        )
        for c in flagged
    ]
    return Panel(
        title=f"即将到期（{days} 天内）和待审查的聘用合同",
        headers=["姓名", "岗位", "合同终止日期", "提示"],
        rows=rows,
        empty=f"{days} 天内没有到期的合同。",
        link="/admin/personnel/employmentcontract/?status__exact=active",
        link_text="全部合同",
    )


register_panel("personnel.contracts", group="work", order=40, build=_expiring_contracts)


def _expire_contracts() -> str:
    from onezone.personnel.services import contracts_expire_due

    count = contracts_expire_due(today=timezone.localdate())
    return f"到期终止的聘用合同 {count} 份"


register_sweep("personnel.contracts_expire", _expire_contracts, order=70)
