"""Who may open the kernel's pages: a job's pages are for staff; the view shows each one its own jobs."""

from onezone.access import STAFF, Policy
from onezone.core.roles import STAFF_ROLES

PAGE_POLICIES = {
    "desk/jobs/": STAFF,
    "desk/jobs/<int:job_id>/": STAFF,
    "desk/jobs/<int:job_id>/progress/": STAFF,
    "desk/jobs/<int:job_id>/result/": STAFF,
    "desk/jobs/<int:job_id>/retry/": Policy(roles=frozenset(STAFF_ROLES), post_only=True),
}
