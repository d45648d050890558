"""The evaluation's reads: scheme trees, zone values, rankings and rank histories."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from onezone.assessment.evaluation import MISSING_RULES, Node, tree_from_rows
from onezone.assessment.models import (
    Direction,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Scheme,
    SchemeNode,
    ZoneValue,
)
from onezone.core.permissions import readable_zone_ids
from onezone.core.prepared import Prepared

# --- evaluation ------------------------------------------------------------------------------


# Every zone's result of an evaluation, best first (the ranking page), compiled once per process.
_RESULTS = Prepared(
    lambda evaluation_id: (
        EvaluationResult.objects.filter(evaluation_id=evaluation_id)
        .order_by("rank", "zone__name")
        .values_list("zone_id", "zone__name", "zone__code", "score", "rank", "complete", "missing", "values", "points")
    ),
    evaluation_id=int,
)


def scheme_nodes(scheme: Scheme) -> list[SchemeNode]:
    return list(SchemeNode.objects.filter(scheme=scheme).select_related("parent").order_by("order", "key"))


# The columns of the scheme's tree, read without building a node instance per row (the ranking's reads).
_TREE_ROWS = Prepared(
    lambda scheme_id: (
        SchemeNode.objects.filter(scheme_id=scheme_id)
        .order_by("order", "key")
        .values_list("key", "parent__key", "name", "weight", "direction", "method", "unit", "maximum", "order")
    ),
    scheme_id=int,
)


def scheme_tree(scheme: Scheme, nodes: list[SchemeNode] | None = None) -> Node:
    if nodes is not None:
        rows = [
            (
                n.key,
                n.parent.key if n.parent_id else None,
                n.name,
                n.weight,
                n.direction,
                n.method,
                n.unit,
                n.maximum,
                n.order,
            )
            for n in nodes
        ]
    else:
        rows = _TREE_ROWS(scheme_id=scheme.pk)
    return tree_from_rows(
        {
            "key": key,
            "parent": parent,
            "name": name,
            "weight": weight,
            "higher_is_better": direction == Direction.HIGHER,
            "method": method,
            "unit": unit,
            "maximum": maximum,
            "order": order,
        }
        for key, parent, name, weight, direction, method, unit, maximum, order in rows
    )


def zone_values_for_evaluation(scheme: Scheme, year: int, tree: Node | None = None) -> dict[int, dict[str, Decimal]]:
    """``{zone_id: {leaf key: value}}`` for the province's zones that have a value that year."""
    tree = tree or scheme_tree(scheme)
    keys = [leaf.key for leaf in tree.leaves()]
    values: dict[int, dict[str, Decimal]] = {}
    rows = ZoneValue.objects.filter(year=year, key__in=keys, zone__province_code=scheme.province_code).values_list(
        "zone_id", "key", "value"
    )
    for zone_id, key, value in rows:
        values.setdefault(zone_id, {})[key] = value
    return values


def can_see_all_zones(user: Any) -> bool:
    """The provincial supervisor (and the site's administrator) sees every zone's values and drafts."""
    return readable_zone_ids(user) is None


def evaluations_visible(user: Any, *, province_code: str | None = None) -> QuerySet[Evaluation]:
    """Evaluations ``user`` may see: all for the province level, published ones for a zone's users."""
    qs = Evaluation.objects.select_related("scheme").order_by("scheme__name", "-year")
    if province_code:
        qs = qs.filter(scheme__province_code=province_code)
    if not can_see_all_zones(user):
        zone_ids = readable_zone_ids(user) or set()
        from onezone.zones.models import Zone

        provinces = set(Zone.objects.filter(pk__in=zone_ids).values_list("province_code", flat=True))
        qs = qs.filter(status=EvaluationStatus.PUBLISHED, scheme__province_code__in=provinces)
    return qs


@dataclass
class RankingRow:
    zone_id: int
    zone_name: str
    zone_code: str
    score: Decimal | None
    rank: int | None
    complete: bool
    missing: list[str]
    values: dict[str, str] | None  # None: the user may not see this zone's values
    points: dict[str, str | None] | None
    own: bool


@dataclass
class Ranking:
    evaluation: Evaluation
    tree: Node
    leaves: list[Node]
    groups: list[Node]
    rows: list[RankingRow]
    sees_all: bool
    missing_rule_label: str = ""
    incomplete: int = 0


def ranking(evaluation: Evaluation, user: Any) -> Ranking:
    """The evaluation's ranking as ``user`` may see it: every zone's values for the province level,
    one's own zone's values only for a zone's users. Two queries whatever the number of zones."""
    sees_all = can_see_all_zones(user)
    own = set() if sees_all else (readable_zone_ids(user) or set())
    tree = scheme_tree(evaluation.scheme)
    leaf_names = {leaf.key: leaf.name for leaf in tree.leaves()}
    rows = []
    for zone_id, name, code, points_total, rank, complete, missing, values, points in _RESULTS(
        evaluation_id=evaluation.pk
    ):
        visible = sees_all or zone_id in own
        rows.append(
            RankingRow(
                zone_id=zone_id,
                zone_name=name,
                zone_code=code,
                score=points_total,
                rank=rank,
                complete=complete,
                missing=[leaf_names.get(k, k) for k in missing] if visible else [],
                values=values if visible else None,
                points=points if visible else None,
                own=zone_id in own,
            )
        )
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.zone_name))
    return Ranking(
        evaluation=evaluation,
        tree=tree,
        leaves=tree.leaves(),
        groups=list(tree.children),
        rows=rows,
        sees_all=sees_all,
        missing_rule_label=MISSING_RULES.get(evaluation.missing_rule, evaluation.missing_rule),
        incomplete=sum(1 for r in rows if not r.complete),
    )


@dataclass(frozen=True)
class RankPoint:
    year: int
    rank: int | None
    score: Decimal | None
    zone_count: int
    published: bool
    complete: bool


def rank_history(zone_id: int, user: Any, *, scheme: Scheme | None = None) -> list[RankPoint]:
    """The zone's rank year by year (published evaluations; drafts too for the province level)."""
    published_only = not can_see_all_zones(user)
    if scheme is not None:
        results = _HISTORY_OF_SCHEME(published_only, zone_id=zone_id, scheme_id=scheme.pk)
    else:
        results = _HISTORY(published_only, zone_id=zone_id)
    return [
        RankPoint(
            year=r.evaluation.year,
            rank=r.rank,
            score=r.score,
            zone_count=r.evaluation.zone_count,
            published=r.evaluation.status == EvaluationStatus.PUBLISHED,
            complete=r.complete,
        )
        for r in results
    ]


def _history(published_only: bool, zone_id: int, scheme_id: int | None = None) -> QuerySet[EvaluationResult]:
    qs = EvaluationResult.objects.filter(zone_id=zone_id).select_related("evaluation")
    if scheme_id is not None:
        qs = qs.filter(evaluation__scheme_id=scheme_id)
    if published_only:
        qs = qs.filter(evaluation__status=EvaluationStatus.PUBLISHED)
    return qs.order_by("evaluation__year")


# The rank history (the dashboard's), with drafts or without (the shape), compiled once per process.
_HISTORY = Prepared(_history, zone_id=int)
_HISTORY_OF_SCHEME = Prepared(_history, zone_id=int, scheme_id=int)
_SCHEME_OF_PROVINCE = Prepared(
    lambda province_code: Scheme.objects.filter(province_code=province_code).order_by("pk")[:1], province_code=str
)


def scheme_for_zone(zone: Any) -> Scheme | None:
    return _SCHEME_OF_PROVINCE.first(province_code=zone.province_code)


def zone_value_rows(zone_id: int, year: int, scheme: Scheme) -> list[dict[str, Any]]:
    """Each leaf of the scheme with the zone's value for the year and where it came from."""
    tree = scheme_tree(scheme)
    stored = {v.key: v for v in ZoneValue.objects.filter(zone_id=zone_id, year=year)}
    return [
        {"leaf": leaf, "value": stored.get(leaf.key), "direction": "越大越好" if leaf.higher_is_better else "越小越好"}
        for leaf in tree.leaves()
    ]
