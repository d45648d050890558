"""The notifications' sidebar section."""

from __future__ import annotations

from onezone.core.navigation import NavItem, register
from onezone.core.roles import STAFF_ROLES, Role

register(
    "notify",
    order=5,
    title="消息",
    items=[
        NavItem("我的消息", "/desk/notify/", "notifications", frozenset(STAFF_ROLES)),
        NavItem("通知偏好", "/desk/notify/preferences/", "tune", frozenset(STAFF_ROLES)),
        NavItem("通知模板", "admin:notify_template_changelist", "edit_note", frozenset({Role.ADMIN})),
        NavItem("发送失败", "/desk/notify/failures/", "report", frozenset({Role.ADMIN})),
    ],
)
