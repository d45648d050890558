"""The assessment's background jobs: the yearly report (.docx), the .xlsx exports, the values' import.

A page starts the job (``assessment_file_start``) and the job's page offers the file when it is
ready. ``assessment_file`` builds a file; the task and the pages' direct downloads both use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from onezone.assessment import reports, selectors
from onezone.assessment.ranking_report import ranking_report_docx
from onezone.core.errors import InvalidInput, NotFound
from onezone.core.imports import import_start
from onezone.core.jobs import Job, JobResult, JobRun, job_start, job_task
from onezone.core.permissions import require, require_read


@dataclass(frozen=True)
class FileKind:
    label: str
    leaders_only: bool
    title: str  # the job's title, and the name the file is offered under


FILES: dict[str, FileKind] = {
    "report": FileKind("年度发展情况报告", leaders_only=True, title="{zone}{year}年度发展情况报告"),
    "dashboard": FileKind("领导驾驶舱数据", leaders_only=True, title="{zone}{year}年领导驾驶舱数据"),
    "targets": FileKind("目标任务完成情况", leaders_only=True, title="{zone}{year}年目标任务完成情况"),
    "ranking": FileKind("综合评价排名", leaders_only=False, title="{year}年开发区综合评价排名"),
    "ranking_report": FileKind("综合评价结果通报", leaders_only=False, title="{year}年开发区综合评价结果通报"),
}


def _leaders() -> frozenset[str]:
    from onezone.assessment.views import LEADERS

    return frozenset(LEADERS)


def assessment_file(
    *, actor: Any, zone: Any, what: str, year: int | None = None, evaluation_id: int | None = None
) -> tuple[str, bytes]:
    """One of ``FILES`` as (name, bytes), for ``actor`` who works in ``zone``."""
    kind = FILES.get(what)
    if kind is None:
        raise InvalidInput(f"没有“{what}”这种报表；可选：{'、'.join(FILES)}。")
    require_read(actor, zone_id=zone.pk)
    if kind.leaders_only:
        require(actor, zone_id=zone.pk, roles=_leaders(), action=f"生成{kind.label}")
    if what in {"ranking", "ranking_report"}:
        evaluation = selectors.evaluations_visible(actor).filter(pk=evaluation_id).first()
        if evaluation is None:
            raise NotFound("该评价不存在，或尚未发布。")
        table = selectors.ranking(evaluation, actor)
        if what == "ranking_report":
            return f"ranking-report-{evaluation.year}.docx", ranking_report_docx(table)
        return f"ranking-{evaluation.year}.xlsx", reports.ranking_xlsx(table)
    if what == "targets":
        return f"targets-{zone.code}-{year}.xlsx", reports.targets_xlsx(zone, year)
    board = selectors.dashboard(zone, actor, year=year)
    if what == "dashboard":
        return f"dashboard-{zone.code}-{board.year}.xlsx", reports.dashboard_xlsx(board)
    rows = selectors.target_rows(zone.pk, board.year)
    return f"report-{zone.code}-{board.year}.docx", reports.yearly_report_docx(board, rows)


@job_task(kind="assessment.file", label="生成评价报表")
def make_file(run: JobRun, *, what: str, year: int | None = None, evaluation_id: int | None = None) -> JobResult:
    from onezone.zones.models import Zone

    run.advance(0, 1, "正在汇总数据并生成文件")
    zone = Zone.objects.get(pk=run.zone_id)
    name, content = assessment_file(actor=run.actor, zone=zone, what=what, year=year, evaluation_id=evaluation_id)
    return JobResult(message=f"{FILES[what].label}已生成，可以下载。", file=(name, content))


def assessment_file_start(
    *, actor: Any, zone: Any, what: str, year: int | None = None, evaluation_id: int | None = None
) -> Job:
    """Start making one of ``FILES`` in the background; who may have it is checked now and again when it runs."""
    kind = FILES.get(what)
    if kind is None:
        raise InvalidInput(f"没有“{what}”这种报表；可选：{'、'.join(FILES)}。")
    return job_start(
        actor=actor,
        zone_id=zone.pk,
        task=make_file,
        title=kind.title.format(zone=zone.name, year=year or timezone.localdate().year),
        kwargs={"what": what, "year": year, "evaluation_id": evaluation_id},
        roles=_leaders() if kind.leaders_only else None,
    )


@job_task(kind="assessment.values_import", label="导入开发区评价指标值")
def import_values(run: JobRun, *, scheme_id: int, year: int) -> JobResult:
    from onezone.assessment.models import Scheme
    from onezone.assessment.services import zone_values_import

    scheme = Scheme.objects.filter(pk=scheme_id).first()
    if scheme is None:
        raise NotFound("该评价指标体系已不存在。")
    run.advance(0, 1, "逐行检查并写入")
    count = zone_values_import(actor=run.actor, scheme=scheme, year=year, data=run.input_bytes())
    return JobResult(
        message=f"已导入 {count} 个指标值。", link=reverse("admin:assessment_scheme_tools", args=[scheme.pk])
    )


def zone_values_import_start(*, actor: Any, scheme: Any, year: int, data: bytes, filename: str) -> Job:
    """Start importing zones' values for a scheme (province-wide: the job names no zone)."""
    from onezone.assessment.services import PROVINCE_WRITERS

    return import_start(
        actor=actor,
        zone_id=None,
        task=import_values,
        title=f"导入{scheme.name}{year}年指标值",
        data=data,
        filename=filename,
        kwargs={"scheme_id": scheme.pk, "year": year},
        roles=PROVINCE_WRITERS,
    )
