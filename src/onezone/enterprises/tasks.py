"""The enterprise register's import as a background job (checked and written in a worker, all or nothing)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onezone.core.imports import import_start
from onezone.core.jobs import Job, JobResult, JobRun, job_task
from onezone.enterprises.access import REGISTRY_ROLES
from onezone.enterprises.services import enterprises_import


@job_task(kind="enterprises.import", label="导入企业名录")
def import_register(run: JobRun, *, update_existing: bool = False) -> JobResult:
    run.advance(0, 1, "逐行检查并写入")
    result = enterprises_import(
        actor=run.actor, zone_id=run.zone_id, content=run.input_bytes(), update_existing=update_existing
    )
    return JobResult(message=result.summary, link=reverse("admin:enterprises_enterprise_changelist"))


def enterprises_import_start(
    *, actor: Any, zone_id: int, data: bytes, filename: str, update_existing: bool = False, enqueue: bool = True
) -> Job:
    """Start importing enterprises from an .xlsx; a file that is not a sound workbook is refused at once."""
    return import_start(
        actor=actor,
        zone_id=zone_id,
        task=import_register,
        title="导入企业名录",
        data=data,
        filename=filename,
        kwargs={"update_existing": update_existing},
        roles=REGISTRY_ROLES,
        enqueue=enqueue,
    )
