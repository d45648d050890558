"""What the job pages read: a user's jobs in a zone, one job the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from onezone.core.errors import NotFound
from onezone.core.jobs.services import can_see_job
from onezone.core.models_jobs import Job
from onezone.core.permissions import require_read, roles_in
from onezone.core.roles import Role

LIST_LIMIT = 100


def jobs_for(*, user: Any, zone_id: int, limit: int = LIST_LIMIT) -> list[Job]:
    """The zone's jobs the user may see, newest first: their own; an administrator's, all of them.

    Province-wide jobs (no zone) are listed too: one's own, and for a superuser all of them (the
    scheduled sweep, a synthetic province).
    """
    require_read(user, zone_id=zone_id)
    zone_scope = Q(zone_id=zone_id)
    if Role.ADMIN not in roles_in(user, zone_id):
        zone_scope &= Q(started_by=user)
    province_scope = Q(zone__isnull=True) if user.is_superuser else Q(zone__isnull=True, started_by=user)
    jobs = Job.objects.filter(zone_scope | province_scope).select_related("started_by")
    return list(jobs.order_by("-id")[: max(1, min(limit, LIST_LIMIT))])


def job_for(*, user: Any, job_id: int) -> Job:
    """One job, if the user may see it (else ``NotFound``: whether it exists is not told)."""
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None or not can_see_job(user, job):
        raise NotFound("找不到该后台任务，或您无权查看：任务只对发起人和本开发区的系统管理员可见。")
    return job
