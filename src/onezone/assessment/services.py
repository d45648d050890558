"""Every write of the assessment: targets, actuals, zone values, imports and evaluations."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from onezone.assessment import sources
from onezone.assessment.catalogue import DEFAULT_TREE, INDICATORS, MAXIMUMS
from onezone.assessment.evaluation import evaluate, tree_problems
from onezone.assessment.models import (
    Actual,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Indicator,
    Scheme,
    SchemeNode,
    Target,
    TargetLevel,
    ZoneValue,
    ZoneYearFact,
)
from onezone.assessment.scoring import RuleError, rule_from_data
from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound, TransitionNotAllowed
from onezone.core.imports import CellError, Column, Sheet, cell_text, decimal, read_rows
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.core.services import validation_message

TARGET_WRITERS = (Role.ADMIN, Role.LEADER)
ACTUAL_WRITERS = (Role.ADMIN, Role.LEADER, Role.DEPT_HEAD)
VALUE_WRITERS = (Role.ADMIN, Role.LEADER, Role.DEPT_HEAD)
# Province-wide records (schemes, evaluations, imports for many zones) belong to no zone: only the
# site's administrator (a superuser) writes them.
PROVINCE_WRITERS = (Role.ADMIN,)

TRANSITIONS: dict[str, set[str]] = {
    EvaluationStatus.DRAFT: {EvaluationStatus.PUBLISHED},
    EvaluationStatus.PUBLISHED: {EvaluationStatus.DRAFT},
}


def indicators_load_catalogue() -> int:
    """Add the default indicators that are missing (idempotent). Returns how many were added."""
    existing = set(Indicator.objects.values_list("key", flat=True))
    rows = [
        Indicator(key=key, name=name, unit=unit, direction=direction, source=source, cumulative=cumulative, order=order)
        for key, name, unit, direction, source, cumulative, order in INDICATORS
        if key not in existing
    ]
    Indicator.objects.bulk_create(rows)
    return len(rows)


# --- targets and actuals ------------------------------------------------------------------


def _decimal(value: Any, label: str, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}应为数字。", fields={field: "应为数字"}) from exc
    if not number.is_finite():
        raise InvalidInput(f"{label}应为数字。", fields={field: "应为数字"})
    return number


def target_set(
    *,
    actor: Any,
    zone_id: int,
    year: int,
    indicator_key: str,
    value: Decimal | str,
    weight: Decimal | str = Decimal(10),
    rule: dict | None = None,
    level: str = TargetLevel.ZONE,
    park_id: int | None = None,
    body_id: int | None = None,
    note: str = "",
) -> Target:
    """Set (create or change) the yearly target of the zone, a park or a body for one indicator."""
    require(actor, zone_id=zone_id, roles=TARGET_WRITERS, action="下达年度目标")
    indicator = Indicator.objects.filter(key=indicator_key).first()
    if indicator is None:
        raise NotFound(f"指标“{indicator_key}”不在考核指标目录中，请先在指标目录中添加。")
    value = _decimal(value, "目标值", "value")
    weight = _decimal(weight, "权重", "weight")
    if value <= 0:
        raise InvalidInput("目标值应大于 0。", fields={"value": "应大于 0"})
    try:
        rule_from_data(rule)
    except RuleError as exc:
        raise InvalidInput(str(exc), fields={"rule": str(exc)}) from exc
    with transaction.atomic():
        existing = (
            Target.objects.select_for_update()
            .filter(zone_id=zone_id, year=year, indicator=indicator, level=level, park_id=park_id, body_id=body_id)
            .first()
        )
        target = existing or Target(
            zone_id=zone_id, year=year, indicator=indicator, level=level, park_id=park_id, body_id=body_id
        )
        before = {"value": str(target.value), "weight": str(target.weight), "rule": target.rule} if existing else {}
        target.value, target.weight, target.rule, target.note = value, weight, rule or {}, note
        try:
            target.full_clean()
        except DjangoValidationError as exc:
            raise validation_message(exc) from exc
        target.save()
        audit_record(
            actor=actor,
            action="assessment.target.set",
            obj=target,
            changes={"before": before, "value": str(value), "weight": str(weight), "rule": rule or {}},
        )
    return target


def actual_enter(
    *,
    actor: Any,
    target: Target,
    value: Decimal | str,
    evidence_reference: str = "",
    evidence: Any = None,
    note: str = "",
) -> Actual:
    """Enter a target's actual by hand. Only where no module records it, and only with evidence."""
    require(actor, zone_id=target.zone_id, roles=ACTUAL_WRITERS, action="填报实际完成值")
    value = _decimal(value, "实际值", "value")
    if not evidence_reference.strip() and not evidence:
        raise InvalidInput(
            "手工填报实际值须附佐证：请上传佐证材料或填写文号/出处。",
            fields={"evidence_reference": "请上传佐证材料或填写文号/出处"},
        )
    indicator = target.indicator
    if indicator.source != "manual":
        found = sources.figure(
            indicator.source,
            zone_id=target.zone_id,
            year=target.year,
            park_id=target.park_id,
            body_id=target.body_id if target.level == TargetLevel.BODY else None,
        )
        if found.available:
            raise Conflict(
                f"“{indicator.name}”的实际值由{found.source}的记录自动计算，不能手工填报；"
                "如数值有误，请核对并更正业务记录后重新计算。"
            )
    with transaction.atomic():
        actual = Actual.objects.select_for_update().filter(target=target).first() or Actual(
            target=target, zone_id=target.zone_id
        )
        before = str(actual.value) if actual.pk else None
        actual.value = value
        actual.origin = Actual.Origin.MANUAL
        actual.source = "手工填报"
        actual.as_of = timezone.localdate()
        actual.computed_at = timezone.now()
        actual.evidence_reference = evidence_reference.strip()
        if evidence:
            actual.evidence = evidence
        actual.entered_by = actor
        actual.note = note
        actual.save()
        audit_record(
            actor=actor,
            action="assessment.actual.enter",
            obj=actual,
            changes={"value": [before, str(value)], "evidence_reference": actual.evidence_reference},
        )
    return actual


def actuals_compute(*, actor: Any, zone_id: int, year: int) -> dict[str, int]:
    """Recompute from the modules' records every actual whose indicator has a source.

    A hand-entered actual stays as it is. Returns how many were computed and how many had no source.
    """
    require(actor, zone_id=zone_id, roles=ACTUAL_WRITERS, action="重新计算实际完成值")
    now = timezone.now()
    computed = unavailable = 0
    with transaction.atomic():
        targets = (
            Target.objects.select_for_update()
            .filter(zone_id=zone_id, year=year)
            .exclude(indicator__source="manual")
            .select_related("indicator")
        )
        existing = {a.target_id: a for a in Actual.objects.filter(target__in=targets)}
        for target in targets:
            actual = existing.get(target.pk)
            if actual is not None and actual.origin == Actual.Origin.MANUAL:
                continue
            found = sources.figure(
                target.indicator.source,
                zone_id=zone_id,
                year=year,
                park_id=target.park_id,
                body_id=target.body_id if target.level == TargetLevel.BODY else None,
            )
            if not found.available:
                unavailable += 1
                continue
            actual = actual or Actual(target=target, zone_id=zone_id)
            actual.value = found.value.quantize(Decimal("0.0001"))
            actual.origin = Actual.Origin.COMPUTED
            actual.source = found.source
            actual.as_of = found.as_of
            actual.computed_at = now
            actual.entered_by = None
            actual.save()
            computed += 1
        audit_record(
            actor=actor,
            action="assessment.actuals.compute",
            zone_id=zone_id,
            object_type="assessment.target",
            object_repr=f"{year}年目标实际值",
            changes={"year": year, "computed": computed, "unavailable": unavailable},
        )
    return {"computed": computed, "unavailable": unavailable}


def zone_fact_record(
    *,
    actor: Any,
    zone_id: int,
    year: int,
    planned_area_km2: Decimal,
    industrial_output: Decimal,
    employees: int,
    source: str = "",
) -> ZoneYearFact:
    """Record (or correct) a zone's basic facts at the end of a year."""
    require(actor, zone_id=zone_id, roles=TARGET_WRITERS, action="登记开发区年度基本情况")
    with transaction.atomic():
        fact, created = ZoneYearFact.objects.select_for_update().update_or_create(
            zone_id=zone_id,
            year=year,
            defaults={
                "planned_area_km2": planned_area_km2,
                "industrial_output": industrial_output,
                "employees": employees,
                "source": source,
            },
        )
        audit_record(
            actor=actor,
            action="assessment.fact.record",
            obj=fact,
            changes={
                "created": created,
                "planned_area_km2": planned_area_km2,
                "industrial_output": industrial_output,
                "employees": employees,
            },
        )
    return fact


# --- evaluation schemes and zone values ---------------------------------------------------


def scheme_create_default(
    *, actor: Any, province_code: str, name: str = "开发区综合发展水平考核评价", missing_rule: str = "zero"
) -> Scheme:
    """Create the province's scheme with the default tree (the Ministry of Commerce's five indicators)."""
    require(actor, zone_id=None, roles=PROVINCE_WRITERS, action="建立评价指标体系")
    with transaction.atomic():
        if Scheme.objects.filter(province_code=province_code, name=name).exists():
            raise Conflict(f"本省已有名为“{name}”的指标体系，请换一个名称或直接修改原体系。")
        scheme = Scheme.objects.create(name=name, province_code=province_code, missing_rule=missing_rule)
        nodes: dict[str, SchemeNode] = {}
        for order, (key, parent, label, weight, direction, method, unit, source) in enumerate(DEFAULT_TREE):
            nodes[key] = SchemeNode.objects.create(
                scheme=scheme,
                parent=nodes.get(parent) if parent else None,
                key=key,
                name=label,
                weight=Decimal(weight),
                direction=direction,
                method=method,
                unit=unit,
                maximum=Decimal(MAXIMUMS[key]) if key in MAXIMUMS else None,
                source=source,
                order=order,
            )
        audit_record(
            actor=actor,
            action="assessment.scheme.create",
            obj=scheme,
            changes={"province_code": province_code, "nodes": len(nodes), "missing_rule": missing_rule},
        )
    return scheme


def _leaf_keys(scheme: Scheme) -> dict[str, SchemeNode]:
    nodes = list(scheme.nodes.all())
    parents = {n.parent_id for n in nodes if n.parent_id}
    return {n.key: n for n in nodes if n.pk not in parents}


def zone_value_set(
    *, actor: Any, zone_id: int, year: int, key: str, value: Decimal | str, source: str = ""
) -> ZoneValue:
    """A zone reports (or corrects) its value of one evaluation indicator for a year."""
    require(actor, zone_id=zone_id, roles=VALUE_WRITERS, action="填报评价指标值")
    number = _decimal(value, "指标值", "value")
    with transaction.atomic():
        before = ZoneValue.objects.select_for_update().filter(zone_id=zone_id, year=year, key=key).first()
        row, _ = ZoneValue.objects.update_or_create(
            zone_id=zone_id,
            year=year,
            key=key,
            defaults={
                "value": number,
                "origin": ZoneValue.Origin.REPORTED,
                "source": source or "开发区填报",
                "recorded_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action="assessment.value.set",
            obj=row,
            changes={"value": [str(before.value) if before else None, str(number)]},
        )
    return row


def zone_values_collect(*, actor: Any, zone_id: int, year: int, scheme: Scheme) -> dict[str, Decimal]:
    """Compute the zone's values of every leaf the site's records cover, and store them."""
    require(actor, zone_id=zone_id, roles=VALUE_WRITERS, action="采集评价指标值")
    from onezone.zones.models import Zone

    zone = Zone.objects.get(pk=zone_id)
    with transaction.atomic():
        return _collect(actor=actor, zone=zone, year=year, leaves=_leaf_keys(scheme), now=timezone.now())


def _collect(*, actor: Any, zone: Any, year: int, leaves: dict[str, SchemeNode], now: Any) -> dict[str, Decimal]:
    """Store the zone's computed value of each leaf that has a source (in the caller's transaction)."""
    collected = sources.leaf_values(zone, year, {key: node.source for key, node in leaves.items() if node.source})
    for key, value in collected.items():
        ZoneValue.objects.update_or_create(
            zone_id=zone.pk,
            year=year,
            key=key,
            defaults={
                "value": value,
                "origin": ZoneValue.Origin.COMPUTED,
                "source": f"本站记录：{leaves[key].source}",
                "recorded_at": now,
            },
        )
    audit_record(
        actor=actor,
        action="assessment.values.collect",
        zone_id=zone.pk,
        object_type="assessment.zonevalue",
        object_repr=f"{year}年评价指标值",
        changes={k: str(v) for k, v in collected.items()},
    )
    return collected


def zones_on_site(province_code: str) -> list[Any]:
    """The province's zones that run on this site: those whose enterprises are registered here. The others
    (zones only ranked here) have no records, and their values are reported or imported."""
    from onezone.enterprises.figures import zones_with_enterprises
    from onezone.zones.models import Zone

    zones = list(Zone.objects.filter(province_code=province_code).order_by("pk"))
    running = zones_with_enterprises(zone_ids=[z.pk for z in zones])
    return [z for z in zones if z.pk in running]


IMPORT_CODE_HEADER = "开发区代码"


def _value_columns(scheme: Scheme) -> tuple[Column, ...]:
    """The import's columns: the zone's code and one per leaf indicator (by its name, code or "名称（代码）")."""
    from onezone.zones.models import Zone

    zones = {z.code: z for z in Zone.objects.filter(province_code=scheme.province_code)}

    def zone(raw: Any) -> Any:
        found = zones.get(cell_text(raw))
        if found is None:
            raise CellError(f"“{cell_text(raw)[:30]}”不是本省的开发区。")
        return found

    leaves = [
        Column(node.name, key, decimal(), aliases=(key, f"{node.name}（{key}）"))
        for key, node in _leaf_keys(scheme).items()
    ]
    return (Column(IMPORT_CODE_HEADER, "zone", zone, required=True), *leaves)


def zone_values_import(*, actor: Any, scheme: Scheme, year: int, data: bytes) -> int:
    """Import zones' values from an .xlsx file: every row or none.

    The first row holds the headers: 开发区代码, optionally 开发区名称, and one column per leaf
    indicator (its name, its code, or "名称（代码）"). An empty cell means "not reported".
    On any error nothing is imported and ``ImportRefused`` (an ``InvalidInput``) gives the row report.
    """
    require(actor, zone_id=None, roles=PROVINCE_WRITERS, action="导入开发区评价指标值")
    sheet = Sheet(
        _value_columns(scheme),
        each="每行一个开发区",
        unknown_header="列“{header}”不是本指标体系的末级指标",
        ignored_headers=frozenset({"开发区名称"}),
    )
    rows, report = read_rows(data, sheet)
    parsed: list[tuple[int, str, Decimal]] = []
    seen: dict[str, int] = {}
    for row in rows:
        zone = row.get("zone")
        if zone is None:
            continue
        if zone.code in seen:
            report.refuse(row.number, f"开发区“{zone.name}”与第{seen[zone.code]}行重复。", column=IMPORT_CODE_HEADER)
            continue
        seen[zone.code] = row.number
        parsed.extend((zone.pk, key, value) for key, value in row.values.items() if key != "zone" and value is not None)
    report.raise_if_refused()
    if not parsed:
        raise InvalidInput("文件中没有任何指标值，未导入。")
    now = timezone.now()
    with transaction.atomic():
        keys = {(zone_id, key) for zone_id, key, _ in parsed}
        ZoneValue.objects.filter(year=year, zone_id__in={z for z, _ in keys}, key__in={k for _, k in keys}).delete()
        ZoneValue.objects.bulk_create(
            ZoneValue(
                zone_id=zone_id,
                year=year,
                key=key,
                value=value,
                origin=ZoneValue.Origin.IMPORTED,
                source="Excel 导入",
                recorded_at=now,
            )
            for zone_id, key, value in parsed
        )
        audit_record(
            actor=actor,
            action="assessment.values.import",
            obj=scheme,
            zone_id=None,
            changes={"year": year, "values": len(parsed), "zones": len(seen)},
        )
    return len(parsed)


# --- evaluations ------------------------------------------------------------------------


def evaluation_compute(*, actor: Any, scheme: Scheme, year: int) -> Evaluation:
    """Score and rank the province's zones for the year (a draft; published evaluations are frozen).

    The values of the zones that run on this site are first collected from their records (every leaf with a
    source); the other zones' values are those reported or imported."""
    require(actor, zone_id=None, roles=PROVINCE_WRITERS, action="计算年度评价")
    from onezone.assessment.selectors import scheme_tree, zone_values_for_evaluation

    tree = scheme_tree(scheme)
    problems = tree_problems(tree)
    if problems:
        raise InvalidInput("指标体系有误，不能计算：" + "；".join(problems))
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().filter(scheme=scheme, year=year).first()
        if evaluation is not None and evaluation.status == EvaluationStatus.PUBLISHED:
            raise TransitionNotAllowed(f"{year}年评价已发布，不能重新计算；如需更正，请先撤回发布。")
        leaves = _leaf_keys(scheme)
        now = timezone.now()
        collected = {
            zone.pk: _collect(actor=actor, zone=zone, year=year, leaves=leaves, now=now)
            for zone in zones_on_site(scheme.province_code)
        }
        values = zone_values_for_evaluation(scheme, year)
        if not values:
            raise InvalidInput(f"{year}年还没有任何开发区的指标值，请先采集、填报或导入。")
        results = evaluate(tree, values, missing_rule=scheme.missing_rule)
        evaluation = evaluation or Evaluation(scheme=scheme, year=year)
        evaluation.missing_rule = scheme.missing_rule
        evaluation.computed_at = timezone.now()
        evaluation.zone_count = len(results)
        evaluation.save()
        evaluation.results.all().delete()
        EvaluationResult.objects.bulk_create(
            EvaluationResult(
                evaluation=evaluation,
                zone_id=zone_id,
                score=result.score,
                rank=result.rank,
                complete=result.complete,
                missing=list(result.missing),
                values={k: str(v) for k, v in values[zone_id].items() if v is not None},
                points={k: (str(v) if v is not None else None) for k, v in result.node_points.items()},
            )
            for zone_id, result in results.items()
        )
        audit_record(
            actor=actor,
            action="assessment.evaluation.compute",
            obj=evaluation,
            zone_id=None,
            changes={
                "year": year,
                "zones": len(results),
                "collected": {str(z): len(v) for z, v in collected.items()},
                "missing_rule": scheme.missing_rule,
            },
        )
    return evaluation


def evaluation_transition(*, actor: Any, evaluation: Evaluation, to: str) -> Evaluation:
    """Publish a draft evaluation, or withdraw a published one back to draft."""
    require(actor, zone_id=None, roles=PROVINCE_WRITERS, action="发布或撤回年度评价")
    with transaction.atomic():
        current = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if to not in TRANSITIONS.get(current.status, set()):
            label = EvaluationStatus(current.status).label
            raise TransitionNotAllowed(f"该评价当前为“{label}”，不能改为“{EvaluationStatus(to).label}”。")
        if to == EvaluationStatus.PUBLISHED and current.computed_at is None:
            raise TransitionNotAllowed("该评价尚未计算，请先计算再发布。")
        before = current.status
        current.status = to
        current.published_at = timezone.now() if to == EvaluationStatus.PUBLISHED else None
        current.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action="assessment.evaluation.transition",
            obj=current,
            zone_id=None,
            changes={"status": [before, to]},
        )
    return current
