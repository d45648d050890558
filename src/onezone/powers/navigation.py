from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.powers.services import DELEGATION_ROLES, LIST_EDITORS, PUBLISHERS

register(
    "powers",
    order=30,
    title="三张清单",
    items=[
        NavItem("权力清单", "admin:powers_poweritem_changelist", "checklist"),
        NavItem("责任清单", "admin:powers_responsibility_changelist", "assignment_ind"),
        NavItem("执法事项清单", "admin:powers_enforcementitem_changelist", "gavel"),
        NavItem("赋权批次", "admin:powers_delegationbatch_changelist", "inventory_2"),
        NavItem("赋权事项", "admin:powers_delegation_changelist", "move_down"),
        NavItem("清单调整记录", "admin:powers_adjustment_changelist", "history"),
        NavItem("清单版本", "admin:powers_listversion_changelist", "library_books"),
        NavItem("导入清单", "admin:powers_poweritem_import", "upload_file", frozenset(LIST_EDITORS)),
        NavItem("发布新版本", "admin:powers_listversion_publish", "publish", frozenset(PUBLISHERS)),
        NavItem("版本比较", "admin:powers_listversion_diff", "difference", frozenset(PUBLISHERS | DELEGATION_ROLES)),
    ],
)

register_link(
    "powers",
    PortalLink(
        order=10,
        title="权责清单与办事指南",
        url_name="powers-public-list",
        description="本开发区施行的权力清单、办事指南（申请材料、办理时限、收费、地点），以及清单的历次版本和调整。",
    ),
)
