"""The job pages under /desk/jobs/: the list, a job's progress and result, its retry."""

from __future__ import annotations

import posixpath
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from onezone.core.audit import audit_record
from onezone.core.errors import DomainError, NotFound
from onezone.core.files import CONTENT_TYPES, UNKNOWN_CONTENT_TYPE, content_disposition
from onezone.core.jobs import selectors
from onezone.core.jobs.services import job_retry, job_url, kind_label
from onezone.core.middleware import current_zone_id
from onezone.core.models_jobs import Job, JobState
from onezone.core.uploads import detect, safe_filename

REFRESH_MS = 2000


def _page(request: HttpRequest, template: str, title: str, **context: Any) -> TemplateResponse:
    return TemplateResponse(request, template, {**admin.site.each_context(request), "title": title, **context})


def _job(request: HttpRequest, job_id: int) -> Job:
    try:
        return selectors.job_for(user=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def progress_of(job: Job) -> dict[str, Any]:
    """What the page shows of a job, also answered as JSON to the page's refresh."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "finished": job.finished,
        "result_url": f"{job_url(job)}result/" if job.state == JobState.SUCCEEDED and job.result_file else "",
        "result_link": job.result_link if job.state == JobState.SUCCEEDED else "",
    }


@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    zone_id = current_zone_id(request)
    if zone_id is None:
        raise DjangoPermissionDenied("您的账号尚未获得任何开发区的角色授权。")
    try:
        jobs = selectors.jobs_for(user=request.user, zone_id=zone_id)
    except DomainError as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    rows = [{"job": job, "kind": kind_label(job.kind), "url": job_url(job)} for job in jobs]
    return _page(request, "core/jobs/list.html", "我的后台任务", rows=rows, limit=selectors.LIST_LIMIT)


@never_cache
@require_safe
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job(request, job_id)
    return _page(
        request,
        "core/jobs/detail.html",
        job.title,
        job=job,
        kind=kind_label(job.kind),
        progress=progress_of(job),
        refresh_ms=REFRESH_MS,
    )


@never_cache
@require_safe
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    return JsonResponse(progress_of(_job(request, job_id)))


@require_safe
def job_result(request: HttpRequest, job_id: int) -> HttpResponse:
    """The result file, to whoever may see the job; every download is audited."""
    job = _job(request, job_id)
    if job.state != JobState.SUCCEEDED or not job.result_file:
        raise Http404("该任务还没有可下载的结果。")
    try:
        handle = job.result_file.storage.open(job.result_file.name, "rb")
    except OSError as exc:
        raise Http404("结果文件已不在存储中，请重试该任务或联系系统管理员。") from exc
    try:
        kind = detect(handle.read(8 * 1024 * 1024))
        handle.seek(0)
        audit_record(
            actor=request.user,
            action="file.download",
            obj=job,
            changes={"field": "result_file", "file": job.result_file.name},
        )
    except BaseException:
        handle.close()
        raise
    extension = kind.extension if kind is not None else posixpath.splitext(job.result_file.name)[1]
    response = FileResponse(handle, content_type=CONTENT_TYPES.get(kind, UNKNOWN_CONTENT_TYPE))
    response["Content-Disposition"] = content_disposition(safe_filename(job.title, extension))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def job_retry_view(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = job_retry(actor=request.user, job_id=job_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(f"/desk/jobs/{job_id}/")
    messages.success(request, "已重新排队，任务将从头执行。")
    return HttpResponseRedirect(job_url(job))
