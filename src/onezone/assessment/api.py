"""Targets, actuals, evaluations and rankings over the API, with the same visibility as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from onezone.assessment import selectors, services
from onezone.assessment.models import Target, ZoneValue
from onezone.core.api_types import Year
from onezone.core.errors import NotFound
from onezone.core.permissions import require_read

router = Router(tags=["目标考核与评价"])


class TargetOut(Schema):
    id: int
    year: Year
    level: str
    holder: str
    indicator_key: str
    indicator_name: str
    unit: str
    target: Decimal
    weight: Decimal
    rule: dict
    actual: Decimal | None
    actual_origin: str | None
    actual_source: str
    actual_computed_at: dt.datetime | None
    evidence_reference: str
    achievement_pct: Decimal | None
    score: Decimal | None
    at_risk: bool


def _target_out(row: selectors.TargetRow) -> dict:
    t, a = row.target, row.actual
    return {
        "id": t.pk,
        "year": t.year,
        "level": t.level,
        "holder": t.holder_name,
        "indicator_key": t.indicator.key,
        "indicator_name": t.indicator.name,
        "unit": t.indicator.unit,
        "target": t.value,
        "weight": t.weight,
        "rule": t.rule or {"kind": "linear", "cap": 120},
        "actual": a.value if a else None,
        "actual_origin": a.origin if a else None,
        "actual_source": row.origin_label,
        "actual_computed_at": a.computed_at if a else None,
        "evidence_reference": a.evidence_reference if a else "",
        "achievement_pct": row.ratio_pct,
        "score": row.score,
        "at_risk": row.at_risk,
    }


@router.get("/zones/{zone_id}/targets", response=list[TargetOut], summary="开发区年度目标及完成情况")
def list_targets(request, zone_id: int, year: Year):
    require_read(request.user, zone_id=zone_id)
    return [_target_out(r) for r in selectors.target_rows(zone_id, year)]


@router.get("/zones/{zone_id}/actuals", response=list[TargetOut], summary="已有实际值的目标（注明计算或手工填报）")
def list_actuals(request, zone_id: int, year: Year):
    require_read(request.user, zone_id=zone_id)
    return [_target_out(r) for r in selectors.target_rows(zone_id, year) if r.actual is not None]


class ActualIn(Schema):
    value: Decimal
    evidence_reference: str
    note: str = ""


@router.post("/targets/{target_id}/actual", response=TargetOut, summary="手工填报实际值（须附佐证）")
def enter_actual(request, target_id: int, payload: ActualIn):
    target = get_object_or_404(Target.objects.select_related("indicator"), pk=target_id)
    require_read(request.user, zone_id=target.zone_id)
    services.actual_enter(
        actor=request.user,
        target=target,
        value=payload.value,
        evidence_reference=payload.evidence_reference,
        note=payload.note,
    )
    row = next(r for r in selectors.target_rows(target.zone_id, target.year) if r.target.pk == target.pk)
    return _target_out(row)


class EvaluationOut(Schema):
    id: int
    scheme: str
    province_code: str
    year: Year
    status: str
    missing_rule: str
    zone_count: int
    computed_at: dt.datetime | None
    published_at: dt.datetime | None


def _evaluation_out(e) -> dict:
    return {
        "id": e.pk,
        "scheme": e.scheme.name,
        "province_code": e.scheme.province_code,
        "year": e.year,
        "status": e.status,
        "missing_rule": e.missing_rule,
        "zone_count": e.zone_count,
        "computed_at": e.computed_at,
        "published_at": e.published_at,
    }


@router.get("/evaluations", response=list[EvaluationOut], summary="可查看的年度评价（开发区用户仅见已发布）")
def list_evaluations(request):
    return [_evaluation_out(e) for e in selectors.evaluations_visible(request.user)]


class RankingRowOut(Schema):
    rank: int | None
    zone_id: int
    zone_name: str
    score: Decimal | None
    complete: bool
    missing: list[str]
    values: dict[str, str] | None
    points: dict[str, str | None] | None


class RankingOut(Schema):
    evaluation: EvaluationOut
    missing_rule: str
    rows: list[RankingRowOut]


@router.get("/evaluations/{evaluation_id}/ranking", response=RankingOut, summary="评价排名")
def get_ranking(request, evaluation_id: int):
    evaluation = selectors.evaluations_visible(request.user).filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound("该评价不存在，或尚未发布。")
    table = selectors.ranking(evaluation, request.user)
    return {
        "evaluation": _evaluation_out(evaluation),
        "missing_rule": table.missing_rule_label,
        "rows": [
            {
                "rank": r.rank,
                "zone_id": r.zone_id,
                "zone_name": r.zone_name,
                "score": r.score,
                "complete": r.complete,
                "missing": r.missing,
                "values": r.values,
                "points": r.points,
            }
            for r in table.rows
        ],
    }


class ValueOut(Schema):
    key: str
    year: Year
    value: Decimal
    origin: str
    source: str
    recorded_at: dt.datetime


@router.get("/zones/{zone_id}/values", response=list[ValueOut], summary="开发区的评价指标值")
def list_values(request, zone_id: int, year: Year):
    require_read(request.user, zone_id=zone_id)
    return list(ZoneValue.objects.filter(zone_id=zone_id, year=year).order_by("key"))


class RankPointOut(Schema):
    year: Year
    rank: int | None
    score: Decimal | None
    zone_count: int
    published: bool


@router.get("/zones/{zone_id}/rank-history", response=list[RankPointOut], summary="开发区排名历史")
def rank_history(request, zone_id: int):
    require_read(request.user, zone_id=zone_id)
    return [p.__dict__ for p in selectors.rank_history(zone_id, request.user)]
