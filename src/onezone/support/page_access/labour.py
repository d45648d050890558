"""Who may open each page of 找人才 / 找员工 (merged into onezone.access).

The public sees published jobs; an enterprise its own jobs, applications and shared labour; every
member of staff of the zone reads the desk (acting there is checked by the services: the
economic-development body, leaders and administrators).
"""

from onezone.access import ENTERPRISE, PUBLIC, STAFF, Policy

PAGE_POLICIES: dict[str, Policy] = {
    "portal/jobs/": PUBLIC,
    "portal/jobs/<int:job_id>/": PUBLIC,
    "portal/enterprise/jobs/": ENTERPRISE,
    "portal/enterprise/jobs/<int:job_id>/": ENTERPRISE,
    "portal/enterprise/labour/": ENTERPRISE,
    "desk/support/jobs/": STAFF,
    "desk/support/labour/": STAFF,
    "desk/support/talent/": STAFF,
}
