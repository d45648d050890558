from onezone.core.navigation import NavItem, register
from onezone.core.portal_links import PortalLink, register_link
from onezone.core.roles import Role
from onezone.powers.services import DELEGATION_ROLES, LIST_EDITORS, PUBLISHERS

# The lists are kept by the committee and read by the province; the window works from the power list.
LIST_READERS = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR})
WINDOW = frozenset({Role.CLERK, Role.REVIEWER, Role.AGENT})
ENFORCEMENT_READERS = LIST_READERS | {Role.SAFETY_OFFICER}

register(
    "powers",
    order=30,
    title="三张清单",
    items=[
        NavItem("权力清单", "admin:powers_poweritem_changelist", "checklist", LIST_READERS | WINDOW),
        NavItem("责任清单", "admin:powers_responsibility_changelist", "assignment_ind", LIST_READERS),
        NavItem(
            "执法事项清单",
            "admin:powers_enforcementitem_changelist",
            "gavel",
            LIST_READERS | {Role.SAFETY_OFFICER},
            oversight=False,
        ),
        NavItem("赋权批次", "admin:powers_delegationbatch_changelist", "inventory_2", LIST_READERS, oversight=False),
        NavItem("赋权事项", "admin:powers_delegation_changelist", "move_down", LIST_READERS),
        NavItem("清单调整记录", "admin:powers_adjustment_changelist", "history", LIST_READERS, oversight=False),
        NavItem("清单版本", "admin:powers_listversion_changelist", "library_books", LIST_READERS, oversight=False),
        NavItem(
            "责任清单与执法事项清单版本",
            "admin:powers_dutylistversion_changelist",
            "collections_bookmark",
            LIST_READERS,
            oversight=False,
        ),
        NavItem("导入清单", "admin:powers_poweritem_import", "upload_file", frozenset(LIST_EDITORS)),
        NavItem("发布新版本", "admin:powers_listversion_publish", "publish", frozenset(PUBLISHERS)),
        NavItem(
            "版本比较",
            "admin:powers_listversion_diff",
            "difference",
            frozenset(PUBLISHERS | DELEGATION_ROLES),
            oversight=False,
        ),
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

register_link(
    "powers-responsibilities",
    PortalLink(
        order=11,
        title="责任清单",
        url_name="powers-public-responsibilities",
        description="每个权力事项在受理、审查、决定、送达和事后监管各环节的责任事项与追责情形，以及历次版本的变化。",
    ),
)
register_link(
    "powers-enforcement",
    PortalLink(
        order=12,
        title="执法事项清单",
        url_name="powers-public-enforcement",
        description="本开发区的行政处罚、行政检查和行政强制事项：执法主体、执法依据、裁量基准，以及历次版本的变化。",
    ),
)
