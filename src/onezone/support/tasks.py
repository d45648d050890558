"""The statistics bureau's monthly table imported as a background job (checked and written in a worker)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onezone.core.imports import import_start
from onezone.core.jobs import Job, JobResult, JobRun, job_task
from onezone.support.services.labour_authority import require_desk
from onezone.support.services.statistics_import import statistics_import


@job_task(kind="support.statistics_import", label="导入统计局企业月报")
def import_statistics(run: JobRun) -> JobResult:
    run.advance(0, 1, "逐行检查并写入")
    result = statistics_import(actor=run.actor, zone_id=run.zone_id, content=run.input_bytes())
    return JobResult(message=result.summary, link=reverse("support-desk-statistics"))


def statistics_import_start(*, actor: Any, zone_id: int, data: bytes, filename: str, enqueue: bool = True) -> Job:
    """Start importing the bureau's table; the desk's authority is checked now and again when it runs."""
    require_desk(actor, zone_id=zone_id, action="导入统计局月报")
    return import_start(
        actor=actor,
        zone_id=zone_id,
        task=import_statistics,
        title="导入统计局企业月报",
        data=data,
        filename=filename,
        roles=None,
        enqueue=enqueue,
    )
