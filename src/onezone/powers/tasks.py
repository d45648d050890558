"""The lists' import as a background job: the file is checked and the rows written in a worker.

``powers_import_start`` refuses at once what is quick to see (not a sound .xlsx, no reason given,
no right to edit the lists) and starts the job; the task validates every row (progress shown) and
writes them all or none (``services.powers_import``, one transaction).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from onezone.core.imports import import_start
from onezone.core.jobs import Job, JobResult, JobRun, job_task
from onezone.powers.importers import read_workbook
from onezone.powers.services import LIST_EDITORS, _reason_check, duty_list_import, powers_import


@job_task(kind="powers.import", label="导入权力清单")
def import_lists(run: JobRun, *, reason: str, document: str = "", effective_on: str | None = None) -> JobResult:
    rows = read_workbook(run.input_bytes(), zone_id=run.zone_id, progress=run.progress("校验"))
    run.advance(len(rows), len(rows), f"校验通过，共{len(rows)}行，开始写入")
    result = powers_import(
        actor=run.actor,
        zone_id=run.zone_id,
        rows=rows,
        reason=reason,
        document=document,
        effective_on=dt.date.fromisoformat(effective_on) if effective_on else None,
        progress=run.progress("写入"),
    )
    return JobResult(message=result.message, link=reverse("admin:powers_poweritem_changelist"))


def powers_import_start(
    *,
    actor: Any,
    zone_id: int,
    data: bytes,
    filename: str,
    reason: str,
    document: str = "",
    effective_on: dt.date | None = None,
    enqueue: bool = True,
) -> Job:
    """Start importing the lists from an .xlsx; what is wrong with every row is the job's error."""
    _reason_check(reason)
    return import_start(
        actor=actor,
        zone_id=zone_id,
        task=import_lists,
        title="导入权力清单",
        data=data,
        filename=filename,
        kwargs={
            "reason": reason,
            "document": document,
            "effective_on": effective_on.isoformat() if effective_on else None,
        },
        roles=LIST_EDITORS,
        enqueue=enqueue,
    )


@job_task(kind="powers.duty_import", label="导入责任清单或执法事项清单")
def import_duty_list(run: JobRun, *, kind: str) -> JobResult:
    run.advance(0, 1, "逐行检查并写入")
    result = duty_list_import(actor=run.actor, zone_id=run.zone_id, kind=kind, content=run.input_bytes())
    return JobResult(message=result.message, link=reverse("admin:powers_dutylistversion_changelist"))


def duty_list_import_start(
    *, actor: Any, zone_id: int, kind: str, data: bytes, filename: str, enqueue: bool = True
) -> Job:
    """Start importing the responsibility list or the enforcement list from an .xlsx."""
    from onezone.powers.duty_selectors import duty_list_label

    label = duty_list_label(kind)
    return import_start(
        actor=actor,
        zone_id=zone_id,
        task=import_duty_list,
        title=f"导入{label}",
        data=data,
        filename=filename,
        kwargs={"kind": kind},
        roles=LIST_EDITORS,
        enqueue=enqueue,
    )
