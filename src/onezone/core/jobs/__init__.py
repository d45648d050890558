"""Background jobs with progress: the public API (see docs/jobs.md).

Define a task with ``job_task``, start it with ``job_start`` (enqueued when the transaction
commits), report progress through the ``JobRun`` it receives, return a ``JobResult``.
"""

from onezone.core.jobs.runner import JobRun, job_task, run_inline
from onezone.core.jobs.services import (
    JobResult,
    can_see_job,
    job_advance,
    job_fail,
    job_finish,
    job_retry,
    job_start,
    job_url,
    jobs_fail_stale,
)
from onezone.core.models_jobs import Job, JobState

__all__ = [
    "Job",
    "JobResult",
    "JobRun",
    "JobState",
    "can_see_job",
    "job_advance",
    "job_fail",
    "job_finish",
    "job_retry",
    "job_start",
    "job_task",
    "job_url",
    "jobs_fail_stale",
    "run_inline",
]
