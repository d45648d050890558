"""Who may open each page of this area (merged into onezone.access)."""

from onezone.access import ENTERPRISE, Policy, roles

# The desk of enterprise services: the committee's leaders, department heads, investment officers, the
# administrator, and the provincial supervisor reading.
DESK_READERS = roles("admin", "dept_head", "investment_officer", "leader", "province_supervisor")

PAGE_POLICIES: dict[str, Policy] = {
    "portal/support/markets/": ENTERPRISE,
    "portal/support/markets/new/": ENTERPRISE,
    "desk/support/markets/": DESK_READERS,
    "desk/support/markets/matches/": DESK_READERS,
    "desk/support/markets/events/": DESK_READERS,
    "desk/support/markets/events/<int:pk>/": DESK_READERS,
    "desk/support/markets/supply-rate/": DESK_READERS,
}
