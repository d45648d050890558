"""An import as a job: what is quick to see is refused at once, the rows are checked and written in a worker."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django_tasks.base import Task

from onezone.core.errors import InvalidInput
from onezone.core.jobs import Job, job_start
from onezone.core.uploads import check_xlsx, safe_filename


def import_start(
    *,
    actor: Any,
    zone_id: int | None,
    task: Task,
    title: str,
    data: bytes,
    filename: str,
    roles: Collection[str] | None,
    kwargs: dict[str, Any] | None = None,
    csv_allowed: bool = False,
    enqueue: bool = True,
) -> Job:
    """Start ``task`` on the uploaded file; a file that is not a sound .xlsx (or CSV) is refused now.

    The job's title is ``title：<safe file name>``; the task reads the file with ``run.input_bytes()``.
    """
    if not data:
        raise InvalidInput("上传的文件是空的，请重新选择文件。")
    is_xlsx = data.startswith(b"PK\x03\x04") or not csv_allowed
    if is_xlsx:
        check_xlsx(data)
    name = safe_filename(filename, ".xlsx" if is_xlsx else ".csv")
    return job_start(
        actor=actor,
        zone_id=zone_id,
        task=task,
        title=f"{title}：{name}",
        kwargs=kwargs or {},
        roles=roles,
        input_file=(name, data),
        enqueue=enqueue,
    )
