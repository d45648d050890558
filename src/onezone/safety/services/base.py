"""Writes of the safety base: profiles, licences, processes, chemicals, filings, contractors, installations
and their grading, responsibility and its checks, risk points, safety inspections.

Safety staff of the zone keep every record; an enterprise user keeps its own enterprise's records (its
own systems report them through the API). Every write is audited. Hidden hazards are in base_hazards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record, diff, snapshot
from onezone.core.errors import Conflict, InvalidInput, NotFound
from onezone.core.permissions import require
from onezone.safety import grading
from onezone.safety.models import (
    Contractor,
    EnterpriseChemical,
    EnterpriseProcess,
    Installation,
    InstallationSubstance,
    KeyProcess,
    Licence,
    OperationFiling,
    ResponsibilityCheck,
    Responsible,
    RiskLevel,
    RiskPoint,
    SafetyInspection,
    SafetyProfile,
)
from onezone.safety.services.base_common import (
    SAFETY_STAFF_ROLES,
    date_range,
    decimal,
    require_staff_or_own,
    text,
)

MAX_COORDINATE = Decimal("99999999")
MAX_TONNES = Decimal("999999999")


def _write(*, actor: Any, obj: Any, action: str, before: dict | None = None) -> Any:
    """Save ``obj`` and its audit entry in the caller's transaction."""
    creating = obj._state.adding
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"{obj._meta.verbose_name}与已有记录重复，请检查后再保存。") from exc
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        changes=diff(before or {}, snapshot(obj)) if not creating else snapshot(obj),
    )
    return obj


def profile_save(
    *,
    actor: Any,
    enterprise: Any,
    x_m: Decimal | None,
    y_m: Decimal | None,
    hazardous_chemicals: bool,
    safety_manager: str = "",
    safety_phone: str = "",
) -> SafetyProfile:
    """Set an enterprise's safety profile (its site on the park's map in metres east and north of the origin)."""
    require_staff_or_own(actor, enterprise, action="维护企业安全档案")
    coords = {}
    for field, value in (("x_m", x_m), ("y_m", y_m)):
        coords[field] = (
            None
            if value is None
            else decimal(value, field=field, label="坐标（米）", minimum=-MAX_COORDINATE, maximum=MAX_COORDINATE)
        )
    manager = text(safety_manager, field="safety_manager", label="安全管理负责人", limit=50, required=False)
    phone = text(safety_phone, field="safety_phone", label="安全值班电话", limit=20, required=False)
    with transaction.atomic():
        profile = SafetyProfile.objects.select_for_update().filter(enterprise=enterprise).first()
        before = snapshot(profile) if profile else None
        profile = profile or SafetyProfile(zone_id=enterprise.zone_id, enterprise=enterprise)
        profile.x_m, profile.y_m = coords["x_m"], coords["y_m"]
        profile.hazardous_chemicals = bool(hazardous_chemicals)
        profile.safety_manager, profile.safety_phone = manager, phone
        return _write(actor=actor, obj=profile, action="safety.profile.save", before=before)


def processes_set(*, actor: Any, enterprise: Any, processes: Sequence[str], unit: str = "") -> list[EnterpriseProcess]:
    """Set which of the 18 key supervised hazardous processes the enterprise runs (replacing the list)."""
    require_staff_or_own(actor, enterprise, action="维护重点监管危险化工工艺")
    wanted = list(dict.fromkeys(processes))[: len(KeyProcess) + 1]
    unknown = [p for p in wanted if p not in KeyProcess.values]
    if unknown:
        message = f"“{str(unknown[0])[:30]}”不是重点监管危险化工工艺的代码；应为 {'、'.join(KeyProcess.values)} 之一。"
        raise InvalidInput(message, fields={"processes": message})
    unit = text(unit, field="unit", label="所在装置", limit=100, required=False)
    with transaction.atomic():
        current = {p.process: p for p in EnterpriseProcess.objects.select_for_update().filter(enterprise=enterprise)}
        removed = [code for code in current if code not in wanted]
        EnterpriseProcess.objects.filter(enterprise=enterprise, process__in=removed).delete()
        added = [code for code in wanted if code not in current]
        EnterpriseProcess.objects.bulk_create(
            [EnterpriseProcess(zone_id=enterprise.zone_id, enterprise=enterprise, process=c, unit=unit) for c in added]
        )
        audit_record(
            actor=actor,
            action="safety.processes.set",
            obj=enterprise,
            changes={"added": added, "removed": removed},
            object_type="safety.enterpriseprocess",
        )
    return list(EnterpriseProcess.objects.filter(enterprise=enterprise).order_by("process"))


def licence_save(
    *,
    actor: Any,
    enterprise: Any,
    kind: str,
    number: str,
    issuer: str,
    valid_from: dt.date,
    valid_to: dt.date,
    scope: str = "",
    licence: Licence | None = None,
) -> Licence:
    """Record (or correct) a hazardous-chemicals licence of the enterprise."""
    require_staff_or_own(actor, enterprise, action="登记危险化学品许可证")
    if kind not in Licence.Kind.values:
        message = "许可证类别应为安全生产许可证、危险化学品经营许可证或危险化学品使用许可证。"
        raise InvalidInput(message, fields={"kind": message})
    number = text(number, field="number", label="证书编号", limit=60)
    issuer = text(issuer, field="issuer", label="发证机关", limit=100)
    scope = text(scope, field="scope", label="许可范围", limit=500, required=False)
    if valid_to <= valid_from:
        message = f"有效期至（{valid_to}）应晚于有效期起（{valid_from}）。"
        raise InvalidInput(message, fields={"valid_to": message})
    with transaction.atomic():
        obj, before = _existing(Licence, licence, enterprise)
        obj = obj or Licence(zone_id=enterprise.zone_id, enterprise=enterprise)
        obj.kind, obj.number, obj.issuer, obj.scope = kind, number, issuer, scope
        obj.valid_from, obj.valid_to = valid_from, valid_to
        return _write(actor=actor, obj=obj, action="safety.licence.save", before=before)


def _existing(model: Any, obj: Any, enterprise: Any) -> tuple[Any, dict | None]:
    """The locked current row of ``obj`` (which must be the enterprise's), or (None, None) for a new one."""
    if obj is None:
        return None, None
    current = model.objects.select_for_update().filter(pk=obj.pk, enterprise_id=enterprise.pk).first()
    if current is None:
        raise NotFound(f"没有找到该{model._meta.verbose_name}，或它不属于该企业。")
    return current, snapshot(current)


def chemical_save(
    *, actor: Any, enterprise: Any, name: str, max_quantity_t: Decimal, cas: str = ""
) -> EnterpriseChemical:
    """Record a hazardous chemical the enterprise keeps with its largest quantity on site (by name: updates)."""
    require_staff_or_own(actor, enterprise, action="登记危险化学品")
    name = text(name, field="name", label="化学品名称", limit=60)
    cas = text(cas, field="cas", label="CAS号", limit=20, required=False)
    quantity = decimal(max_quantity_t, field="max_quantity_t", label="最大存在量（吨）", maximum=MAX_TONNES)
    with transaction.atomic():
        obj = EnterpriseChemical.objects.select_for_update().filter(enterprise=enterprise, name=name).first()
        before = snapshot(obj) if obj else None
        obj = obj or EnterpriseChemical(zone_id=enterprise.zone_id, enterprise=enterprise, name=name)
        obj.cas, obj.max_quantity_t = cas, quantity
        return _write(actor=actor, obj=obj, action="safety.chemical.save", before=before)


def filing_submit(
    *,
    actor: Any,
    enterprise: Any,
    kind: str,
    unit: str,
    starts_on: dt.date,
    ends_on: dt.date,
    measures: str,
) -> OperationFiling:
    """File a start-up, shutdown or major overhaul with the park (装置开停车和大检修备案)."""
    require_staff_or_own(actor, enterprise, action="开停车和大检修备案")
    if kind not in OperationFiling.Kind.values:
        raise InvalidInput("备案类别应为装置开车、装置停车或大检修。", fields={"kind": "类别不正确。"})
    unit = text(unit, field="unit", label="装置", limit=100)
    measures = text(measures, field="measures", label="安全措施", limit=2000)
    date_range(starts_on, ends_on, field="ends_on", label="备案")
    from onezone.safety.services.base_common import today

    with transaction.atomic():
        obj = OperationFiling(
            zone_id=enterprise.zone_id,
            enterprise=enterprise,
            kind=kind,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            measures=measures,
            filed_on=today(),
        )
        return _write(actor=actor, obj=obj, action="safety.filing.submit")


def contractor_save(
    *,
    actor: Any,
    enterprise: Any,
    name: str,
    work: str,
    workers: int,
    on_site_from: dt.date,
    on_site_to: dt.date | None = None,
    contractor: Contractor | None = None,
) -> Contractor:
    """Record a third-party contractor on the enterprise's site (or its leaving)."""
    require_staff_or_own(actor, enterprise, action="登记承包商")
    name = text(name, field="name", label="承包商名称", limit=200)
    work = text(work, field="work", label="作业内容", limit=200)
    if not isinstance(workers, int) or isinstance(workers, bool) or not 0 <= workers <= 100_000:
        raise InvalidInput("进场人数应为0到100000之间的整数。", fields={"workers": "人数不正确。"})
    date_range(on_site_from, on_site_to, field="on_site_to", label="承包商在场")
    with transaction.atomic():
        obj, before = _existing(Contractor, contractor, enterprise)
        obj = obj or Contractor(zone_id=enterprise.zone_id, enterprise=enterprise)
        obj.name, obj.work, obj.workers = name, work, workers
        obj.on_site_from, obj.on_site_to = on_site_from, on_site_to
        return _write(actor=actor, obj=obj, action="safety.contractor.save", before=before)


def _substance_rows(substances: Sequence[dict[str, Any]]) -> list[tuple[str, Decimal, str]]:
    rows = []
    for item in list(substances)[: grading.MAX_SUBSTANCES + 1]:
        category = text(item.get("category", ""), field="category", label="危险性类别", limit=8, required=False)
        rows.append((str(item.get("name", "")), item.get("quantity_t"), category))
    return rows


def installation_grade(*, substances: Sequence[dict[str, Any]], people_exposed: int) -> grading.Grading:
    """Identify and grade substances and exposure by GB 18218-2018; the standard's refusals as InvalidInput."""
    try:
        return grading.grade(_substance_rows(substances), people_exposed=people_exposed)
    except grading.GradingError as exc:
        raise InvalidInput(exc.message, fields={exc.field or "substances": exc.message}) from exc


def installation_save(
    *,
    actor: Any,
    enterprise: Any,
    name: str,
    kind: str,
    substances: Sequence[dict[str, Any]],
    people_exposed: int,
    x_m: Decimal | None = None,
    y_m: Decimal | None = None,
    record_number: str = "",
    installation: Installation | None = None,
) -> Installation:
    """Record an installation with its substances (largest quantities) and store its identification and grading."""
    require_staff_or_own(actor, enterprise, action="登记危险化学品单元")
    name = text(name, field="name", label="单元名称", limit=100)
    record_number = text(record_number, field="record_number", label="备案编号", limit=60, required=False)
    if kind not in Installation.Kind.values:
        raise InvalidInput("单元类型应为生产单元或储存单元。", fields={"kind": "单元类型不正确。"})
    result = installation_grade(substances=substances, people_exposed=people_exposed)
    coords = {
        field: None
        if v is None
        else decimal(v, field=field, label="坐标（米）", minimum=-MAX_COORDINATE, maximum=MAX_COORDINATE)
        for field, v in (("x_m", x_m), ("y_m", y_m))
    }
    with transaction.atomic():
        obj, before = _existing(Installation, installation, enterprise)
        obj = obj or Installation(zone_id=enterprise.zone_id, enterprise=enterprise)
        obj.name, obj.kind, obj.people_exposed, obj.record_number = name, kind, people_exposed, record_number
        obj.x_m, obj.y_m = coords["x_m"], coords["y_m"]
        obj.s_value = Decimal(grading.as_figure(result.s)).quantize(Decimal("0.0001"))
        obj.r_value = Decimal(grading.as_figure(result.r)).quantize(Decimal("0.0001"))
        obj.major, obj.level = result.major, result.level
        _write(actor=actor, obj=obj, action="safety.installation.save", before=before)
        obj.substances.all().delete()
        InstallationSubstance.objects.bulk_create(
            [
                InstallationSubstance(
                    zone_id=obj.zone_id,
                    installation=obj,
                    name=line.name,
                    category=line.source if line.source != "表1" else "",
                    quantity_t=line.quantity_t,
                )
                for line in result.lines
            ]
        )
    return obj


def installation_grading(installation: Installation) -> grading.Grading:
    """The grading of a stored installation, with its calculation steps (from its stored substances)."""
    rows = [(s.name, s.quantity_t, s.category) for s in installation.substances.all()]
    return grading.grade(rows, people_exposed=installation.people_exposed)


def responsible_save(
    *, actor: Any, installation: Installation, duty: str, name: str, post: str, phone: str
) -> Responsible:
    """Name the 主要/技术/操作负责人 of a major hazard (包保责任人), replacing the one before."""
    require_staff_or_own(actor, installation.enterprise, action="确定包保责任人")
    if not installation.major:
        raise InvalidInput(f"“{installation.name}”未构成重大危险源，无需确定包保责任人。")
    if duty not in Responsible.Duty.values:
        raise InvalidInput("包保职责应为主要负责人、技术负责人或操作负责人。", fields={"duty": "职责不正确。"})
    name = text(name, field="name", label="姓名", limit=50)
    post = text(post, field="post", label="职务", limit=50)
    phone = text(phone, field="phone", label="联系电话", limit=20)
    with transaction.atomic():
        obj = Responsible.objects.select_for_update().filter(installation=installation, duty=duty).first()
        before = snapshot(obj) if obj else None
        obj = obj or Responsible(zone_id=installation.zone_id, installation=installation, duty=duty)
        obj.name, obj.post, obj.phone = name, post, phone
        return _write(actor=actor, obj=obj, action="safety.responsible.save", before=before)


def responsibility_check_record(
    *,
    actor: Any,
    responsible: Responsible,
    checked_on: dt.date,
    findings: str,
    kind: str = "periodic",
    holiday: str = "",
) -> ResponsibilityCheck:
    """Record a responsible person's check of their major hazard (periodic, or before a holiday)."""
    installation = responsible.installation
    require_staff_or_own(actor, installation.enterprise, action="登记包保责任人检查")
    if kind not in ResponsibilityCheck.Kind.values:
        raise InvalidInput("检查类别应为定期检查或节假日前检查。", fields={"kind": "类别不正确。"})
    findings = text(findings, field="findings", label="检查情况", limit=2000)
    holiday = text(holiday, field="holiday", label="节假日", limit=30, required=kind == "holiday")
    from onezone.safety.services.base_common import today

    if checked_on > today():
        raise InvalidInput(f"检查日期（{checked_on}）不能晚于今天。", fields={"checked_on": "日期不能晚于今天。"})
    with transaction.atomic():
        obj = ResponsibilityCheck(
            zone_id=responsible.zone_id,
            responsible=responsible,
            kind=kind,
            checked_on=checked_on,
            holiday=holiday,
            findings=findings,
        )
        return _write(actor=actor, obj=obj, action="safety.responsibility_check.record")


def risk_point_save(
    *,
    actor: Any,
    enterprise: Any,
    name: str,
    level: str,
    controls: str,
    owner: str,
    installation: Installation | None = None,
    risk_point: RiskPoint | None = None,
) -> RiskPoint:
    """Record a risk point with its level (重大/较大/一般/低) and controls."""
    require_staff_or_own(actor, enterprise, action="登记安全风险点")
    if level not in RiskLevel.values:
        raise InvalidInput("风险等级应为重大、较大、一般或低风险。", fields={"level": "风险等级不正确。"})
    if installation is not None and installation.enterprise_id != enterprise.pk:
        raise InvalidInput("所在单元不属于该企业。", fields={"installation": "单元不属于该企业。"})
    name = text(name, field="name", label="风险点", limit=100)
    controls = text(controls, field="controls", label="管控措施", limit=2000)
    owner = text(owner, field="owner", label="管控责任人", limit=50)
    with transaction.atomic():
        obj, before = _existing(RiskPoint, risk_point, enterprise)
        obj = obj or RiskPoint(zone_id=enterprise.zone_id, enterprise=enterprise)
        obj.name, obj.level, obj.controls, obj.owner, obj.installation = name, level, controls, owner, installation
        return _write(actor=actor, obj=obj, action="safety.risk_point.save", before=before)


def safety_inspection_plan(
    *,
    actor: Any,
    enterprise: Any,
    body: Any,
    planned_on: dt.date,
    purpose: str,
    installation: Installation | None = None,
    enforcement_item: Any = None,
    join: bool = False,
) -> SafetyInspection:
    """Plan a safety inspection in the inspection register (无事不打扰), under an enforcement item.

    A safety inspection of a major hazard installation is outside the routine quota (the register's
    rule is told so); any other is planned as a routine inspection under the rule. Another body's plan
    close by is offered as one joint inspection, as the register does; with ``join`` they become one.
    """
    require(actor, zone_id=enterprise.zone_id, roles=SAFETY_STAFF_ROLES, action="安排安全检查")
    from onezone.enterprises.services.inspections import inspection_plan

    if installation is not None and installation.enterprise_id != enterprise.pk:
        raise InvalidInput("所选单元不属于该企业。", fields={"installation": "单元不属于该企业。"})
    if enforcement_item is not None and (enforcement_item.zone_id != enterprise.zone_id or not enforcement_item.active):
        raise InvalidInput(
            "所选执法事项不属于本开发区执法事项清单或已失效。", fields={"enforcement_item": "执法事项不正确。"}
        )
    exempt = ""
    if installation is not None and installation.major:
        exempt = f"重大危险源“{installation.name}”（{installation.level_name}）安全检查"
    # The register records its own refusals (a blocked plan stays as a row): not inside this transaction.
    inspection = inspection_plan(
        actor=actor,
        enterprise=enterprise,
        body=body,
        kind="routine",
        planned_on=planned_on,
        purpose=purpose,
        quota_exempt=exempt,
        join=join,
    )
    with transaction.atomic():
        row = SafetyInspection.objects.create(
            zone_id=enterprise.zone_id,
            inspection=inspection,
            installation=installation,
            enforcement_item=enforcement_item,
        )
        audit_record(
            actor=actor,
            action="safety.inspection.plan",
            obj=row,
            changes={
                "inspection": inspection.pk,
                "installation": getattr(installation, "pk", None),
                "exempt": bool(exempt),
            },
        )
    return row
