"""Appraisal schemes: their indicators (weights adding up to 100, usable sources) and activation.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput
from onezone.core.permissions import require
from onezone.org.models import Body, Post
from onezone.personnel import formula
from onezone.personnel.models import (
    AppraisalScheme,
    Indicator,
)
from onezone.personnel.services.common import HR_ROLES


def check_indicators(rows: Iterable[Mapping[str, Any]]) -> None:
    """Refuse a set of indicators unless the weights add up to exactly 100 and every source is usable.

    ``rows``: ``{"name", "weight", "source", "formula", "metric_key"}``.
    """
    rows = list(rows)
    if not rows:
        raise InvalidInput("考核方案至少需要一个指标。")
    total = Decimal(0)
    names = set()
    for row in rows:
        name = str(row.get("name", "")).strip()
        if not name:
            raise InvalidInput("每个指标都要有名称。")
        if name in names:
            raise InvalidInput(f"指标“{name}”重复。")
        names.add(name)
        try:
            weight = Decimal(str(row.get("weight")))
        except InvalidOperation as exc:
            raise InvalidInput(f"指标“{name}”的权重不是数字。") from exc
        if not weight.is_finite():
            raise InvalidInput(f"指标“{name}”的权重不是数字。")
        if weight <= 0:
            raise InvalidInput(f"指标“{name}”的权重应大于 0。")
        total += weight
        source = row.get("source", Indicator.Source.MANUAL)
        text = str(row.get("formula") or "").strip()
        if source == Indicator.Source.FORMULA:
            if not text:
                raise InvalidInput(f"指标“{name}”按公式计算，请填写公式。")
            try:
                formula.parse(text)
            except formula.FormulaError as exc:
                raise formula.FormulaError(f"指标“{name}”的公式有误：{exc.message}") from exc
        elif source == Indicator.Source.METRIC:
            if not str(row.get("metric_key") or "").strip():
                raise InvalidInput(f"指标“{name}”取业务数据，请选择数据来源。")
            if text:
                try:
                    formula.validate(text, {"value"})
                except formula.FormulaError as exc:
                    raise formula.FormulaError(f"指标“{name}”的换算公式有误：{exc.message}") from exc
        elif source != Indicator.Source.MANUAL:
            raise InvalidInput(f"指标“{name}”的评分方式不正确。")
    if total != 100:
        raise InvalidInput(
            f"各指标权重合计应恰好为 100，现为 {total.normalize():f}；请调整权重。",
            fields={"weight": f"权重合计 {total.normalize():f}，应为 100。"},
        )


def scheme_define(
    *,
    actor: Any,
    zone_id: int,
    name: str,
    category: str,
    indicators: list[Mapping[str, Any]],
    body: Body | None = None,
    note: str = "",
    activate: bool = True,
) -> AppraisalScheme:
    """Create a scheme with its indicators (weights adding up to 100), active unless asked otherwise."""
    require(actor, zone_id=zone_id, roles=HR_ROLES, action="制定考核方案")
    if category not in Post.Category.values:
        raise InvalidInput("岗位类别不正确。", fields={"category": "请选择管理、专业技术或工勤技能岗位。"})
    if body is not None and body.zone_id != zone_id:
        raise InvalidInput("适用机构必须属于本开发区。")
    check_indicators(indicators)
    with transaction.atomic():
        try:
            with transaction.atomic():
                scheme = AppraisalScheme.objects.create(
                    zone_id=zone_id, name=name.strip(), category=category, body=body, note=note
                )
        except IntegrityError as exc:
            raise Conflict(f"考核方案“{name}”已存在，请换一个名称。") from exc
        for order, row in enumerate(indicators, start=1):
            Indicator.objects.create(
                zone_id=zone_id,
                scheme=scheme,
                order=order,
                name=str(row["name"]).strip(),
                weight=Decimal(str(row["weight"])),
                source=row.get("source", Indicator.Source.MANUAL),
                formula=str(row.get("formula") or "").strip(),
                metric_key=str(row.get("metric_key") or "").strip(),
                description=str(row.get("description") or ""),
            )
        audit_record(
            actor=actor,
            action="scheme.define",
            obj=scheme,
            changes={"category": category, "indicators": [dict(r) for r in indicators]},
        )
        if activate:
            _scheme_activate(actor, scheme)
    return scheme


def _scheme_activate(actor: Any, scheme: AppraisalScheme) -> None:
    check_indicators(scheme.indicators.values("name", "weight", "source", "formula", "metric_key"))
    others = AppraisalScheme.objects.select_for_update().filter(
        zone_id=scheme.zone_id, category=scheme.category, body=scheme.body, is_active=True
    )
    for other in others.exclude(pk=scheme.pk):
        other.is_active = False
        other.save(update_fields=["is_active", "updated_at"])
        audit_record(actor=actor, action="scheme.deactivate", obj=other, changes={"replaced_by": scheme.name})
    scheme.is_active = True
    scheme.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="scheme.activate", obj=scheme, changes={"is_active": [False, True]})


def scheme_activate(*, actor: Any, scheme: AppraisalScheme) -> AppraisalScheme:
    """Put a scheme in use (its weights must add up to 100); it replaces the active one of its category."""
    require(actor, zone_id=scheme.zone_id, roles=HR_ROLES, action="启用考核方案")
    with transaction.atomic():
        locked = AppraisalScheme.objects.select_for_update().get(pk=scheme.pk)
        _scheme_activate(actor, locked)
    return locked
