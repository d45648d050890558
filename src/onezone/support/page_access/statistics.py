"""Who may open each page of the monthly enterprise statistics (merged into onezone.access).

The enterprise reports its own months; every member of staff of the zone reads the figures; the
import is offered to the desk's roles (the service also checks the economic-development body).
"""

from onezone.access import ENTERPRISE, STAFF, Policy, roles

STATISTICS_IMPORTERS = roles("admin", "dept_head", "investment_officer", "leader")

PAGE_POLICIES: dict[str, Policy] = {
    "portal/enterprise/statistics/": ENTERPRISE,
    "desk/support/statistics/": STAFF,
    "desk/support/statistics/import/": STATISTICS_IMPORTERS,
    "desk/support/statistics/import-template.xlsx": STATISTICS_IMPORTERS,
}
