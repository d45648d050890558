"""The gate systems' exports imported as a background job (checked and written in a worker)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onezone.core.imports import import_start
from onezone.core.jobs import Job, JobResult, JobRun, job_task
from onezone.safety.services.operations_access import SUPERVISE_ROLES
from onezone.safety.services.operations_gates import gate_passages_import


@job_task(kind="safety.gates_import", label="导入卡口通行记录")
def import_gate_passages(run: JobRun) -> JobResult:
    run.advance(0, 1, "逐行检查并写入")
    result = gate_passages_import(actor=run.actor, zone_id=run.zone_id, content=run.input_bytes())
    return JobResult(message=result.summary, link=reverse("safety-gates"))


def gate_passages_import_start(*, actor: Any, zone_id: int, data: bytes, filename: str, enqueue: bool = True) -> Job:
    """Start importing a gate system's export (.xlsx or CSV); a damaged .xlsx is refused now."""
    return import_start(
        actor=actor,
        zone_id=zone_id,
        task=import_gate_passages,
        title="导入卡口通行记录",
        data=data,
        filename=filename,
        roles=SUPERVISE_ROLES,
        csv_allowed=True,
        enqueue=enqueue,
    )
