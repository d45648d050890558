"""Special work filings and their spot checks; the park's safety-risk self-assessment and its review.

Every write checks who acts (the enterprise for its own filings, the park's supervisors for checks and
the assessment), runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.calendar import load_calendar
from onezone.core.errors import Conflict, InvalidInput, TransitionNotAllowed
from onezone.core.permissions import require
from onezone.safety import risklevel, worktime
from onezone.safety.models import RiskAssessment, RiskAssessmentItem, SpecialWork, SpotCheck
from onezone.safety.services.operations_access import (
    REVIEW_ROLES,
    SUPERVISE_ROLES,
    require_reporter,
    supervising_body,
    text,
)

# --- settings ---------------------------------------------------------------------------------


def _clock(value: str, name: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"设置 {name} 应写成 HH:MM，例如 20:00。") from exc


def night_window() -> worktime.NightWindow:
    """The park's night (ONEZONE_SAFETY_NIGHT_START / _END, default 20:00–06:00)."""
    return worktime.NightWindow(
        start=_clock(getattr(settings, "ONEZONE_SAFETY_NIGHT_START", "20:00"), "ONEZONE_SAFETY_NIGHT_START"),
        end=_clock(getattr(settings, "ONEZONE_SAFETY_NIGHT_END", "06:00"), "ONEZONE_SAFETY_NIGHT_END"),
    )


def other_work_max() -> dt.timedelta:
    """The park's longest validity for the kinds the standard gives none (default 7 days)."""
    return dt.timedelta(days=int(getattr(settings, "ONEZONE_SAFETY_OTHER_WORK_MAX_DAYS", 7)))


def _is_rest_day(day: dt.date) -> bool:
    return not load_calendar().is_workday(day)


def _local(moment: dt.datetime, label: str) -> dt.datetime:
    if timezone.is_naive(moment):
        raise InvalidInput(f"{label}须带时区（北京时间），请重新填写。")
    return timezone.localtime(moment).replace(tzinfo=None)


# --- special work -----------------------------------------------------------------------------

TRANSITIONS: dict[str, frozenset[str]] = {
    SpecialWork.Status.FILED: frozenset({SpecialWork.Status.CLOSED, SpecialWork.Status.CANCELLED}),
    SpecialWork.Status.CLOSED: frozenset(),
    SpecialWork.Status.CANCELLED: frozenset(),
}


def _next_number(zone_id: int, prefix: str, model: Any) -> str:
    last = (
        model.objects.filter(zone_id=zone_id, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def special_work_check(
    *,
    kind: str,
    level: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    extension_approved: bool = False,
) -> worktime.PermitCheck:
    """The GB 30871 check of a permit as the park applies it (its night, its calendar, its settings)."""
    try:
        return worktime.check_permit(
            kind=kind,
            level=level,
            start=_local(starts_at, "作业开始时间"),
            end=_local(ends_at, "作业结束时间"),
            is_rest_day=_is_rest_day,
            night=night_window(),
            approved=extension_approved,
            other_max=other_work_max(),
        )
    except worktime.PermitError as exc:
        raise InvalidInput(str(exc), fields={"kind": str(exc)}) from exc


def special_work_file(
    *,
    actor: Any,
    enterprise: Any,
    kind: str,
    level: str,
    permit_number: str,
    place: str,
    content: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    guardians: str,
    approver: str,
    installation: Any = None,
    x_m: Decimal | None = None,
    y_m: Decimal | None = None,
    extension_approved: bool = False,
) -> SpecialWork:
    """File one permit of special work; refused when it runs longer than its level allows.

    The managed level (raised for rest days and night hot work) and the night and rest-day flags are
    stored with the filing.
    """
    require_reporter(actor, enterprise, action="报备特殊作业")
    values = {
        "permit_number": text(permit_number, field="permit_number", label="作业票编号", limit=50),
        "place": text(place, field="place", label="作业地点", limit=200),
        "content": text(content, field="content", label="作业内容", limit=500),
        "guardians": text(guardians, field="guardians", label="监护人", limit=200),
        "approver": text(approver, field="approver", label="审批人", limit=50),
    }
    if installation is not None and installation.enterprise_id != enterprise.pk:
        raise InvalidInput("所选单元不属于该企业，请重新选择。", fields={"installation": "所选单元不属于该企业。"})
    check = special_work_check(
        kind=kind, level=level, starts_at=starts_at, ends_at=ends_at, extension_approved=extension_approved
    )
    if check.over:
        message = worktime.refusal(check)
        raise InvalidInput(message, fields={"ends_at": message})
    with transaction.atomic():
        work = SpecialWork.objects.create(
            zone_id=enterprise.zone_id,
            number=_next_number(enterprise.zone_id, f"TS{timezone.localdate().year}-", SpecialWork),
            enterprise=enterprise,
            kind=kind,
            level=level,
            managed_level=check.effective_level,
            installation=installation,
            x_m=x_m,
            y_m=y_m,
            starts_at=starts_at,
            ends_at=ends_at,
            extension_approved=bool(extension_approved and kind == worktime.ELECTRICITY),
            at_night=check.night,
            on_rest_day=check.rest_day,
            filed_by=actor,
            **values,
        )
        audit_record(
            actor=actor,
            action="safety.specialwork.file",
            obj=work,
            changes={
                "kind": kind,
                "level": level,
                "managed_level": check.effective_level,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "reasons": list(check.reasons),
            },
        )
    return work


def special_work_transition(*, actor: Any, work: SpecialWork, to: str, note: str = "") -> SpecialWork:
    """Move a filing along its table of transitions (filed → closed or cancelled)."""
    require_reporter(actor, work.enterprise, action="关闭或取消特殊作业")
    note = text(note, field="note", label="说明", limit=200, required=to == SpecialWork.Status.CANCELLED)
    with transaction.atomic():
        locked = SpecialWork.objects.select_for_update().get(pk=work.pk)
        if to not in TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(
                f"特殊作业{locked.number}当前为“{locked.get_status_display()}”，"
                f"不能改为“{SpecialWork.Status(to).label}”。"
            )
        before = locked.status
        locked.status = to
        locked.closed_note = note
        locked.save(update_fields=["status", "closed_note", "updated_at"])
        audit_record(
            actor=actor,
            action=f"safety.specialwork.{to}",
            obj=locked,
            changes={"status": [before, to], "note": note},
        )
    return locked


def special_work_close(*, actor: Any, work: SpecialWork, note: str = "") -> SpecialWork:
    """The work is done and the site handed back."""
    return special_work_transition(actor=actor, work=work, to=SpecialWork.Status.CLOSED, note=note)


def special_work_cancel(*, actor: Any, work: SpecialWork, reason: str) -> SpecialWork:
    """The work will not be done (a reason is required)."""
    return special_work_transition(actor=actor, work=work, to=SpecialWork.Status.CANCELLED, note=reason)


def spot_check_hazard_days() -> int:
    """The time limit of a hazard found by a spot check, in days (default 7)."""
    return int(getattr(settings, "ONEZONE_SAFETY_SPOT_CHECK_HAZARD_DAYS", 7))


def _hazard_from_check(*, actor: Any, check: SpotCheck, body: Any) -> Any:
    """A failed spot check's finding as a 一般 hidden hazard, through the dual-prevention service."""
    if importlib.util.find_spec("onezone.safety.services.base_hazards") is None:
        return None
    from onezone.safety.services.base_hazards import hazard_report

    work = check.work
    found_on = timezone.localdate()
    return hazard_report(
        actor=actor,
        enterprise=work.enterprise,
        title=f"特殊作业抽查不合格：{work.get_kind_display()}"[:100],
        description=f"{work.number}（作业票 {work.permit_number}，{work.place}）：{check.findings}",
        level="general",
        found_on=found_on,
        deadline=found_on + dt.timedelta(days=spot_check_hazard_days()),
        source="park",
        body=body,
        installation=work.installation,
    )


def special_work_spot_check(
    *,
    actor: Any,
    work: SpecialWork,
    result: str,
    findings: str = "",
    as_hazard: bool = False,
) -> SpotCheck:
    """The park checks a filed permit online (在线抽查) and records 合格 or 不合格 with its findings.

    A 不合格 check needs findings; with ``as_hazard`` the finding is registered as a hidden hazard.
    """
    require(actor, zone_id=work.zone_id, roles=SUPERVISE_ROLES, action="抽查特殊作业")
    if result not in SpotCheck.Result.values:
        raise InvalidInput("抽查结果应为“合格”或“不合格”。", fields={"result": "请选择抽查结果。"})
    findings = text(
        findings, field="findings", label="发现的问题", limit=1000, required=result == SpotCheck.Result.FAIL
    )
    if as_hazard and result != SpotCheck.Result.FAIL:
        raise InvalidInput("只有不合格的抽查才能转为隐患。", fields={"as_hazard": "只有不合格的抽查才能转为隐患。"})
    body = supervising_body(actor, work.zone_id)
    with transaction.atomic():
        if work.status == SpecialWork.Status.CANCELLED:
            raise Conflict(f"特殊作业{work.number}已取消，不能抽查。")
        check = SpotCheck.objects.create(
            zone_id=work.zone_id,
            work=work,
            body=body,
            checked_by=actor,
            checked_at=timezone.now(),
            result=result,
            findings=findings,
        )
        if as_hazard:
            hazard = _hazard_from_check(actor=actor, check=check, body=body)
            if hazard is None:
                raise Conflict("隐患登记功能尚未启用，请先记录抽查结果，再在隐患台账中登记。")
            check.hazard = hazard
            check.save(update_fields=["hazard", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.specialwork.spot_check",
            obj=check,
            changes={"work": work.number, "result": result, "findings": findings, "hazard": check.hazard_id},
        )
    return check


# --- the park's risk level --------------------------------------------------------------------


def _items(items: Iterable[Mapping[str, Any]]) -> list[risklevel.Item]:
    out = []
    for index, raw in enumerate(items, start=1):
        if index > risklevel.MAX_ITEMS:
            raise InvalidInput(f"评估项目最多 {risklevel.MAX_ITEMS} 项。")
        try:
            full, score = Decimal(str(raw.get("full"))), Decimal(str(raw.get("score")))
        except (ArithmeticError, ValueError) as exc:
            raise InvalidInput(f"第{index}项的满分或得分不是数值。") from exc
        out.append(
            risklevel.Item(
                code=text(raw.get("code"), field="items", label=f"第{index}项的编号", limit=16),
                name=text(raw.get("name"), field="items", label=f"第{index}项的名称", limit=100),
                full=full,
                score=score,
            )
        )
    return out


def risk_assessment_submit(*, actor: Any, park: Any, year: int, items: Iterable[Mapping[str, Any]]) -> RiskAssessment:
    """The park's self-assessment for ``year``: its items' scores, the total and the level by the rules.

    Submitting again for the same year replaces the items and the park's own level; a reviewed level
    already entered stays.
    """
    require(actor, zone_id=park.zone_id, roles=SUPERVISE_ROLES, action="填报园区安全风险评估")
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput(f"年度应在 2000 到 2100 之间，收到 {year}。", fields={"year": "年度不在范围内。"})
    parsed = _items(items)
    try:
        total = risklevel.total_of(parsed).quantize(Decimal("0.01"))
    except risklevel.ScoreError as exc:
        raise InvalidInput(str(exc), fields={"items": str(exc)}) from exc
    level = risklevel.level_of(total)
    with transaction.atomic():
        assessment, created = RiskAssessment.objects.select_for_update().get_or_create(
            zone_id=park.zone_id,
            park=park,
            year=year,
            defaults={"total": total, "level": level, "submitted_by": actor},
        )
        before = {"total": str(assessment.total), "level": assessment.level}
        if not created:
            assessment.total, assessment.level, assessment.submitted_by = total, level, actor
            assessment.save(update_fields=["total", "level", "submitted_by", "updated_at"])
            assessment.items.all().delete()
        RiskAssessmentItem.objects.bulk_create(
            [
                RiskAssessmentItem(
                    zone_id=park.zone_id, assessment=assessment, code=i.code, name=i.name, full=i.full, score=i.score
                )
                for i in parsed
            ]
        )
        audit_record(
            actor=actor,
            action="safety.riskassessment.submit",
            obj=assessment,
            changes={
                "year": year,
                "total": [None if created else before["total"], str(total)],
                "level": [None if created else before["level"], level],
            },
        )
    return assessment


def risk_assessment_review(
    *, actor: Any, assessment: RiskAssessment, level: str, reviewed_on: dt.date, document: str
) -> RiskAssessment:
    """The province's reviewed level of the park, kept beside the park's own."""
    require(actor, zone_id=assessment.zone_id, roles=REVIEW_ROLES, action="登记省级复核等级")
    if level not in risklevel.LEVEL_LABELS:
        raise InvalidInput("复核等级应为 A、B、C 或 D。", fields={"level": "复核等级应为 A、B、C 或 D。"})
    document = text(document, field="document", label="复核文件", limit=100)
    if reviewed_on > timezone.localdate():
        raise InvalidInput("复核日期不能晚于今天。", fields={"reviewed_on": "复核日期不能晚于今天。"})
    with transaction.atomic():
        locked = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        before = [locked.reviewed_level, str(locked.reviewed_on or "")]
        locked.reviewed_level, locked.reviewed_on, locked.review_document = level, reviewed_on, document
        locked.save(update_fields=["reviewed_level", "reviewed_on", "review_document", "updated_at"])
        audit_record(
            actor=actor,
            action="safety.riskassessment.review",
            obj=locked,
            changes={"reviewed_level": [before[0], level], "reviewed_on": [before[1], str(reviewed_on)]},
        )
    return locked
