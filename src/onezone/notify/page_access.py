"""Who may open each notification page (merged into onezone.access)."""

from onezone.access import ENTERPRISE, STAFF, Policy, roles

STAFF_POST = Policy(roles=STAFF.roles, post_only=True)
ENTERPRISE_POST = Policy(roles=ENTERPRISE.roles, post_only=True)

PAGE_POLICIES: dict[str, Policy] = {
    # Everyone reads their own inbox only (the view and the service filter on the signed-in user).
    "desk/notify/": STAFF,
    "desk/notify/<int:pk>/read/": STAFF_POST,
    "desk/notify/read-all/": STAFF_POST,
    "desk/notify/preferences/": STAFF,
    "desk/notify/failures/": roles("admin"),
    "desk/notify/failures/<int:pk>/retry/": roles("admin", post_only=True),
    "portal/notify/": ENTERPRISE,
    "portal/notify/<int:pk>/read/": ENTERPRISE_POST,
    "portal/notify/read-all/": ENTERPRISE_POST,
    "portal/notify/preferences/": ENTERPRISE,
}
