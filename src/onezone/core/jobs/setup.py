"""What the jobs add to the site when it starts: file policies, the sidebar entry, the stale sweep."""

from __future__ import annotations

from onezone.core.files import register_file
from onezone.core.models_jobs import Job
from onezone.core.navigation import NavItem, register
from onezone.core.roles import STAFF_ROLES, Role
from onezone.core.sweeps import register_sweep


def _stale_sweep() -> str:
    from onezone.core.jobs.services import jobs_fail_stale

    return f"中断的后台任务{jobs_fail_stale()}个"


def setup() -> None:
    from onezone.core.jobs import checks  # noqa: F401  registers the queue check

    # Through the generic download view only the zone's administrators read a job's files; the one
    # who started it downloads the result from the job's own page (core.jobs.views.job_result).
    register_file(Job, "input_file", readers=[Role.ADMIN])
    register_file(Job, "result_file", readers=[Role.ADMIN])
    register(
        "jobs",
        order=990,
        title="后台任务",
        items=[NavItem(title="我的后台任务", link="/desk/jobs/", icon="pending_actions", roles=frozenset(STAFF_ROLES))],
    )
    register_sweep("jobs", _stale_sweep, order=5)
