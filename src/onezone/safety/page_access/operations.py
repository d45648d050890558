"""Who may open each page of this area (merged into onezone.access)."""

from onezone.access import ENTERPRISE, Policy, roles

# The safety desk and its lists: the emergency bureau, the leadership, department heads, the province.
SAFETY_READERS = roles("admin", "dept_head", "leader", "province_supervisor", "safety_officer")
# The import template is for those who import.
SAFETY_SUPERVISORS = roles("admin", "leader", "safety_officer")

PAGE_POLICIES: dict[str, Policy] = {
    "desk/safety/": SAFETY_READERS,
    "desk/safety/work/": SAFETY_READERS,
    "desk/safety/work/<int:pk>/": SAFETY_READERS,
    "desk/safety/gates/": SAFETY_READERS,
    "desk/safety/gates/template.xlsx": SAFETY_SUPERVISORS,
    "desk/safety/emergency/": SAFETY_READERS,
    "desk/safety/risk/": SAFETY_READERS,
    "desk/safety/enterprises/<int:pk>/": SAFETY_READERS,
    "portal/safety/": ENTERPRISE,
    "portal/safety/work/new/": ENTERPRISE,
    "portal/safety/plans/new/": ENTERPRISE,
    "portal/safety/drills/new/": ENTERPRISE,
    "portal/safety/incidents/new/": ENTERPRISE,
}
