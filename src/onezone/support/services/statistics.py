"""Monthly enterprise statistics: the enterprise's report of a month, its confirmation when it is
held for a flag, and the chase of missing reports by the sweep.

A report that came late or holds a figure ten times off the enterprise's usual month
(``statistics_rules``) is held as 待确认 with the reasons; it counts in the zone's figures only once
the enterprise confirms it or corrects it to plausible figures.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.errors import InvalidInput, TransitionNotAllowed
from onezone.support.models.statistics import MonthlyReport, ReportReminder, ReportSource, ReportStatus
from onezone.support.services import statistics_rules as rules
from onezone.support.services.labour_authority import require_member

MONEY_MAX = Decimal("1000000000000")  # 1万亿元 a month: beyond it a figure is a typing error
ENERGY_MAX = Decimal("100000000")
EMPLOYEES_MAX = 1_000_000
REMINDER_EVENT = "support.report_missing"

# held (待确认) ⇄ confirmed: confirming releases it, a correction may hold it again.
REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.PENDING: frozenset({ReportStatus.CONFIRMED}),
    ReportStatus.CONFIRMED: frozenset({ReportStatus.PENDING}),
}


def _figure(value: Any, key: str) -> Decimal | int:
    label = rules.FIGURES[key]
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError, AttributeError) as exc:
        raise InvalidInput(f"{label}应为数字，收到“{str(value)[:20]}”。", fields={key: "请填写数字。"}) from exc
    if not number.is_finite() or number < 0:
        raise InvalidInput(f"{label}不能为负数或空。", fields={key: "请填写不小于 0 的数字。"})
    if key == "employees":
        if number != number.to_integral_value() or number > EMPLOYEES_MAX:
            raise InvalidInput(f"从业人员应为不超过 {EMPLOYEES_MAX:,} 的整数（人）。", fields={key: "请填写整数。"})
        return int(number)
    cap = ENERGY_MAX if key == "energy_tce" else MONEY_MAX
    if number > cap:
        raise InvalidInput(f"{label}数值过大（上限 {cap:,}），请核对单位。", fields={key: "数值过大。"})
    return number.quantize(Decimal("0.01"))


def clean_figures(raw: dict[str, Any]) -> dict[str, Decimal | int]:
    """The five figures of a report, checked (money in yuan, employees, energy in tce)."""
    missing = [rules.FIGURES[k] for k in rules.FIGURES if raw.get(k) in (None, "")]
    if missing:
        raise InvalidInput(
            f"请填写：{'、'.join(missing)}。", fields={k: "请填写。" for k in rules.FIGURES if raw.get(k) in (None, "")}
        )
    return {key: _figure(raw[key], key) for key in rules.FIGURES}


def check_month(year: Any, month: Any, *, today: dt.date) -> tuple[int, int]:
    """A month that has ended (a report covers a whole month), from 2000 on."""
    try:
        y, m = int(year), int(month)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("年度和月份应为整数。", fields={"month": "请选择月份。"}) from exc
    if not (2000 <= y <= 2100 and 1 <= m <= 12):
        raise InvalidInput(f"月份不正确：{y}年{m}月。", fields={"month": "请选择 1–12 月。"})
    if (y, m) >= (today.year, today.month):
        raise InvalidInput(
            f"{y}年{m}月尚未结束，月报在月份结束后报送（{rules.due_date(y, m):%Y-%m-%d} 前）。",
            fields={"month": "只能报送已结束的月份。"},
        )
    return y, m


def history_of(enterprise_id: int, year: int, month: int) -> dict[str, list[Decimal | int]]:
    """The enterprise's confirmed figures of the months before ``year``-``month``, oldest first."""
    rows = list(
        MonthlyReport.objects.filter(enterprise_id=enterprise_id, status=ReportStatus.CONFIRMED)
        .exclude(year__gt=year)
        .exclude(year=year, month__gte=month)
        .order_by("-year", "-month")
        .values(*rules.FIGURES)[: rules.HISTORY_MONTHS]
    )
    rows.reverse()
    return {key: [row[key] for row in rows] for key in rules.FIGURES}


def report_submit(
    *,
    actor: Any,
    enterprise: Any,
    year: int,
    month: int,
    output_value: Decimal | str,
    revenue: Decimal | str,
    tax: Decimal | str,
    employees: int | str,
    energy_tce: Decimal | str,
) -> MonthlyReport:
    """The enterprise reports a month (or corrects its report). Flags hold it as 待确认."""
    require_member(actor, enterprise, action="报送月度统计")
    now = timezone.now()
    year, month = check_month(year, month, today=timezone.localdate())
    figures = clean_figures(
        {"output_value": output_value, "revenue": revenue, "tax": tax, "employees": employees, "energy_tce": energy_tce}
    )
    with transaction.atomic():
        current = (
            MonthlyReport.objects.select_for_update().filter(enterprise=enterprise, year=year, month=month).first()
        )
        reported_on = timezone.localdate(current.reported_at) if current else timezone.localdate(now)
        flags = rules.report_flags(
            year=year,
            month=month,
            figures=figures,
            history=history_of(enterprise.pk, year, month),
            reported_on=reported_on,
        )
        status = ReportStatus.PENDING if flags else ReportStatus.CONFIRMED
        if current is None:
            report = MonthlyReport.objects.create(
                zone_id=enterprise.zone_id,
                enterprise=enterprise,
                year=year,
                month=month,
                status=status,
                flags=[{"key": f.key, "message": f.message} for f in flags],
                source=ReportSource.PORTAL,
                reported_at=now,
                reported_by=actor,
                confirmed_at=None if flags else now,
                **figures,
            )
            changes: dict[str, Any] = {k: str(v) for k, v in figures.items()}
            action = "support.report.submit"
        else:
            changes = {k: [str(getattr(current, k)), str(v)] for k, v in figures.items() if getattr(current, k) != v}
            if current.status != status and status not in REPORT_TRANSITIONS[current.status]:
                raise TransitionNotAllowed("报表状态不允许此修改，请刷新页面。")
            for key, value in figures.items():
                setattr(current, key, value)
            current.status = status
            current.flags = [{"key": f.key, "message": f.message} for f in flags]
            current.source = ReportSource.PORTAL
            current.reported_by = actor
            current.confirmed_at = None if flags else now
            current.save()
            report = current
            action = "support.report.correct"
        changes["status"] = status
        audit_record(actor=actor, action=action, obj=report, changes=changes)
    return report


def report_confirm(*, actor: Any, report: MonthlyReport) -> MonthlyReport:
    """The enterprise confirms a held report's figures as they are: it then counts."""
    require_member(actor, report.enterprise, action="确认月度统计")
    with transaction.atomic():
        current = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if ReportStatus.CONFIRMED not in REPORT_TRANSITIONS[current.status]:
            raise TransitionNotAllowed("该报表已确认，无需再次确认。")
        current.status = ReportStatus.CONFIRMED
        current.confirmed_at = timezone.now()
        current.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(
            actor=actor,
            action="support.report.confirm",
            obj=current,
            changes={"status": [ReportStatus.PENDING, ReportStatus.CONFIRMED], "flags": current.flags},
        )
    return current


# --- the chase of missing reports ----------------------------------------------------------------


def reports_chase(*, today: dt.date | None = None) -> str:
    """Remind every enterprise whose report of the last due month is missing: once per enterprise and
    month (a reminder already recorded is not sent again). Returns the sweep's summary."""
    from onezone.notify.services import Message, notify_event_bulk
    from onezone.support.selectors.statistics import missing_reporters_all

    today = today or timezone.localdate()
    year, month = rules.last_due_month(today)
    due = rules.due_date(year, month)
    sent = 0
    for zone_id, rows in missing_reporters_all(year=year, month=month).items():
        with transaction.atomic():
            already = set(
                ReportReminder.objects.filter(zone_id=zone_id, year=year, month=month).values_list(
                    "enterprise_id", flat=True
                )
            )
            fresh = [row for row in rows if row.enterprise.pk not in already]
            if not fresh:
                continue
            ReportReminder.objects.bulk_create(
                [
                    ReportReminder(zone_id=zone_id, enterprise=row.enterprise, year=year, month=month, sent_on=today)
                    for row in fresh
                ],
                ignore_conflicts=True,
            )
            notify_event_bulk(
                zone_id=zone_id,
                event=REMINDER_EVENT,
                messages=[
                    Message(
                        key=f"{row.enterprise.pk}:{year}-{month:02d}",
                        recipients=row.members,
                        context={
                            "enterprise": row.enterprise.name,
                            "month": f"{year}年{month}月",
                            "due": f"{due:%Y-%m-%d}",
                        },
                        link="/portal/enterprise/statistics/",
                    )
                    for row in fresh
                ],
            )
            audit_record(
                actor="sweep",
                action="support.report.chase",
                zone_id=zone_id,
                object_type="support.reportreminder",
                object_repr=f"{year}年{month}月月报催报 {len(fresh)} 家",
                changes={"enterprises": [row.enterprise.pk for row in fresh], "month": f"{year}-{month:02d}"},
            )
            sent += len(fresh)
    return f"企业月报催报：{year}年{month}月缺报提醒 {sent} 家"
