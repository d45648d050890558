"""Who may open each page of this area (merged into onezone.access)."""

from onezone.access import Policy, roles

# Safety staff and the provincial supervisor read; the services decide who acts (by body).
SAFETY_READERS = roles("admin", "dept_head", "leader", "province_supervisor", "safety_officer")

PAGE_POLICIES: dict[str, Policy] = {
    "desk/safety/installations/": SAFETY_READERS,
    "desk/safety/installations/<int:pk>/": SAFETY_READERS,
    "desk/safety/hazards/": SAFETY_READERS,
    "desk/safety/hazards/<int:pk>/": SAFETY_READERS,
    "desk/safety/risk-points/": SAFETY_READERS,
}
