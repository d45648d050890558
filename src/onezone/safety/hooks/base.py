"""The safety base's sidebar section, its part of the sweep and the notifications it sends (imported in ready())."""

from __future__ import annotations

from onezone.core.navigation import NavItem, register
from onezone.core.sweeps import register_sweep
from onezone.notify.events import register_event
from onezone.safety.services.base_common import SAFETY_READ_ROLES, SAFETY_STAFF_ROLES

register(
    "safety.base",
    order=61,
    title="重大危险源与双重预防",
    items=[
        NavItem("重大危险源", "/desk/safety/installations/", icon="warning", roles=SAFETY_READ_ROLES),
        NavItem("隐患排查治理", "/desk/safety/hazards/", icon="report", roles=SAFETY_READ_ROLES),
        NavItem("风险分级管控", "/desk/safety/risk-points/", icon="stacks", roles=SAFETY_READ_ROLES, oversight=False),
        NavItem(
            "企业安全档案",
            "admin:safety_safetyprofile_changelist",
            icon="badge",
            roles=SAFETY_STAFF_ROLES,
            oversight=False,
        ),
        NavItem(
            "危险化学品许可证",
            "admin:safety_licence_changelist",
            icon="verified",
            roles=SAFETY_STAFF_ROLES,
            oversight=False,
        ),
        NavItem(
            "危险化学品单元",
            "admin:safety_installation_changelist",
            icon="propane_tank",
            roles=SAFETY_STAFF_ROLES,
            oversight=False,
        ),
        NavItem(
            "开停车和大检修",
            "admin:safety_operationfiling_changelist",
            icon="build",
            roles=SAFETY_STAFF_ROLES,
            oversight=False,
        ),
        NavItem(
            "承包商",
            "admin:safety_contractor_changelist",
            icon="engineering",
            roles=SAFETY_STAFF_ROLES,
            oversight=False,
        ),
    ],
)

register_event(
    "safety.hazard_warning",
    label="隐患整改临期提醒",
    subject="隐患{{ number }}将于{{ deadline }}到整改期限",
    body=(
        "{{ enterprise }}的隐患{{ number }}（{{ title }}）整改期限为{{ deadline }}，还有{{ days }}天，请督促按期整改。"
    ),
)
register_event(
    "safety.hazard_warning_enterprise",
    label="隐患整改临期提醒（企业）",
    subject="隐患{{ number }}将于{{ deadline }}到整改期限",
    body=(
        "贵单位的隐患{{ number }}（{{ title }}）整改期限为{{ deadline }}，还有{{ days }}天，请按期完成整改并申请验收。"
    ),
    audience="enterprise",
)
register_event(
    "safety.hazard_overdue",
    label="隐患整改逾期督办",
    subject="隐患{{ number }}已逾期未整改，提请督办",
    body=(
        "{{ enterprise }}的隐患{{ number }}（{{ title }}）整改期限{{ deadline }}已过{{ days }}天仍未整改完成，"
        "提请督办。"
    ),
)
register_event(
    "safety.licence_expiring",
    label="危险化学品许可证临期提醒",
    subject="{{ kind }}有效期至{{ valid_to }}",
    body=("{{ enterprise }}的{{ kind }}（{{ number }}）有效期至{{ valid_to }}，请及时办理延期或换证。"),
    audience="enterprise",
)
register_event(
    "safety.check_overdue",
    label="重大危险源包保检查逾期提醒",
    subject="{{ installation }}的{{ duty }}检查已逾期",
    body=(
        "{{ enterprise }}“{{ installation }}”的{{ duty }}{{ name }}的{{ what }}应于{{ due }}前完成，"
        "尚未登记，请尽快检查并登记。"
    ),
    audience="enterprise",
)


def _sweep() -> str:
    from onezone.safety.sweep import sweep

    return sweep()


register_sweep("safety.base", _sweep, order=65)
