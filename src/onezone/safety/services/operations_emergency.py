"""Emergency management: plans and their revisions, drills, incidents' first reports.

Plans of an enterprise are filed by the enterprise (or by the park's supervisors for it); the park's own
plans (no enterprise) by the supervisors. Teams, supplies and the duty roster are registry records kept in
the back office through ``core.services.record_save``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import InvalidInput
from onezone.core.permissions import require
from onezone.safety.models import DrillRecord, EmergencyPlan, Incident
from onezone.safety.services.operations import _next_number
from onezone.safety.services.operations_access import SUPERVISE_ROLES, require_reporter, text

# 生产安全事故应急预案管理办法: a drill of the comprehensive or a specific plan every year, of an
# on-site plan every half year.
DRILL_MONTHS = {
    EmergencyPlan.Kind.COMPREHENSIVE: 12,
    EmergencyPlan.Kind.SPECIFIC: 12,
    EmergencyPlan.Kind.ON_SITE: 6,
}


def plan_review_years() -> int:
    """A plan not revised for this many years is out of date (default 3)."""
    return int(getattr(settings, "ONEZONE_SAFETY_PLAN_REVIEW_YEARS", 3))


def incident_report_hours() -> int:
    """The first report is due within this many hours of the incident (default 1)."""
    return int(getattr(settings, "ONEZONE_SAFETY_INCIDENT_REPORT_HOURS", 1))


def _check_owner(actor: Any, *, zone_id: int, enterprise: Any, action: str) -> None:
    if enterprise is None:
        require(actor, zone_id=zone_id, roles=SUPERVISE_ROLES, action=action)
    else:
        require_reporter(actor, enterprise, action=action)


def _past_date(value: dt.date, *, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if value > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天。", fields={field: f"{label}不能晚于今天。"})
    if value.year < 2000:
        raise InvalidInput(f"{label}不能早于 2000 年。", fields={field: f"{label}不能早于 2000 年。"})
    return value


def _drill_months(kind: str, months: int | None) -> int:
    if kind not in EmergencyPlan.Kind.values:
        raise InvalidInput(
            "预案类别应为综合应急预案、专项应急预案或现场处置方案。", fields={"kind": "请选择预案类别。"}
        )
    months = DRILL_MONTHS[kind] if months in (None, "") else int(months)
    if not 1 <= months <= DRILL_MONTHS[kind]:
        label, most = EmergencyPlan.Kind(kind).label, DRILL_MONTHS[kind]
        message = f"{label}至少每 {most} 个月演练一次，演练频次应在 1 到 {most} 个月之间。"
        raise InvalidInput(message, fields={"drill_every_months": message})
    return months


def emergency_plan_file(
    *,
    actor: Any,
    zone_id: int,
    enterprise: Any = None,
    title: str,
    kind: str,
    version: str,
    issued_on: dt.date,
    revised_on: dt.date | None = None,
    drill_every_months: int | None = None,
) -> EmergencyPlan:
    """File a plan of the park (``enterprise`` None) or of an enterprise, with its dates."""
    if enterprise is not None and enterprise.zone_id != zone_id:
        raise InvalidInput("企业不属于该开发区。")
    _check_owner(actor, zone_id=zone_id, enterprise=enterprise, action="报备应急预案")
    issued_on = _past_date(issued_on, field="issued_on", label="发布日期")
    revised_on = _past_date(revised_on or issued_on, field="revised_on", label="修订日期")
    if revised_on < issued_on:
        raise InvalidInput("修订日期不能早于发布日期。", fields={"revised_on": "修订日期不能早于发布日期。"})
    with transaction.atomic():
        plan = EmergencyPlan.objects.create(
            zone_id=zone_id,
            enterprise=enterprise,
            title=text(title, field="title", label="预案名称", limit=200),
            kind=kind,
            version=text(version, field="version", label="版本", limit=20),
            issued_on=issued_on,
            revised_on=revised_on,
            drill_every_months=_drill_months(kind, drill_every_months),
            filed_by=actor,
        )
        audit_record(actor=actor, action="safety.emergencyplan.file", obj=plan, changes=snapshot(plan))
    return plan


def emergency_plan_revise(*, actor: Any, plan: EmergencyPlan, version: str, revised_on: dt.date) -> EmergencyPlan:
    """A plan revised (or reviewed and confirmed) on ``revised_on``, as ``version``."""
    _check_owner(actor, zone_id=plan.zone_id, enterprise=plan.enterprise, action="修订应急预案")
    revised_on = _past_date(revised_on, field="revised_on", label="修订日期")
    version = text(version, field="version", label="版本", limit=20)
    with transaction.atomic():
        locked = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
        if revised_on < locked.revised_on:
            raise InvalidInput(
                f"修订日期不能早于上次修订日期 {locked.revised_on}。", fields={"revised_on": "修订日期早于上次修订。"}
            )
        before = snapshot(locked)
        locked.version, locked.revised_on, locked.stale_warned_on = version, revised_on, None
        locked.save(update_fields=["version", "revised_on", "stale_warned_on", "updated_at"])
        audit_record(
            actor=actor, action="safety.emergencyplan.revise", obj=locked, changes=diff(before, snapshot(locked))
        )
    return locked


def drill_record(
    *, actor: Any, plan: EmergencyPlan, held_on: dt.date, form: str, participants: int, summary: str
) -> DrillRecord:
    """A drill of ``plan`` held on ``held_on``."""
    _check_owner(actor, zone_id=plan.zone_id, enterprise=plan.enterprise, action="登记应急演练")
    held_on = _past_date(held_on, field="held_on", label="演练日期")
    if form not in DrillRecord.Form.values:
        raise InvalidInput("演练形式应为桌面推演或实战演练。", fields={"form": "请选择演练形式。"})
    if not isinstance(participants, int) or not 1 <= participants <= 100_000:
        raise InvalidInput("参演人数应为 1 到 100000 之间的整数。", fields={"participants": "参演人数不在范围内。"})
    with transaction.atomic():
        drill = DrillRecord.objects.create(
            zone_id=plan.zone_id,
            plan=plan,
            held_on=held_on,
            form=form,
            participants=participants,
            summary=text(summary, field="summary", label="演练评估", limit=1000),
            recorded_by=actor,
        )
        EmergencyPlan.objects.filter(pk=plan.pk).update(drill_warned_on=None)
        audit_record(actor=actor, action="safety.drill.record", obj=drill, changes=snapshot(drill))
    return drill


def _count(value: Any, *, field: str, label: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10_000:
        raise InvalidInput(f"{label}应为 0 到 10000 之间的整数。", fields={field: f"{label}不在范围内。"})
    return value


def incident_report(
    *,
    actor: Any,
    enterprise: Any,
    title: str,
    place: str,
    occurred_at: dt.datetime,
    reported_at: dt.datetime | None = None,
    deaths: int = 0,
    injuries: int = 0,
    missing: int = 0,
    cause: str,
    measures: str = "",
) -> Incident:
    """The first report of an incident (事故快报): when it happened, when it was reported, casualties, cause."""
    require_reporter(actor, enterprise, action="报告事故")
    now = timezone.now()
    reported_at = reported_at or now
    for moment, field, label in ((occurred_at, "occurred_at", "发生时间"), (reported_at, "reported_at", "报告时间")):
        if not isinstance(moment, dt.datetime) or timezone.is_naive(moment):
            raise InvalidInput(f"{label}须为带时区的时间。", fields={field: f"请填写{label}。"})
        if moment > now + dt.timedelta(minutes=5):
            raise InvalidInput(f"{label}不能晚于现在。", fields={field: f"{label}不能晚于现在。"})
    if reported_at < occurred_at:
        raise InvalidInput("报告时间不能早于发生时间。", fields={"reported_at": "报告时间不能早于发生时间。"})
    with transaction.atomic():
        incident = Incident.objects.create(
            zone_id=enterprise.zone_id,
            number=_next_number(enterprise.zone_id, f"SG{timezone.localdate().year}-", Incident),
            enterprise=enterprise,
            title=text(title, field="title", label="事故简述", limit=200),
            place=text(place, field="place", label="事发地点", limit=200),
            occurred_at=occurred_at,
            reported_at=reported_at,
            deaths=_count(deaths, field="deaths", label="死亡人数"),
            injuries=_count(injuries, field="injuries", label="受伤人数"),
            missing=_count(missing, field="missing", label="失踪人数"),
            cause=text(cause, field="cause", label="初步原因", limit=1000),
            measures=text(measures, field="measures", label="已采取的措施", limit=1000, required=False),
            reported_by=actor,
        )
        audit_record(actor=actor, action="safety.incident.report", obj=incident, changes=snapshot(incident))
    return incident
