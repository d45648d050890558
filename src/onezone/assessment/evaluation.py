"""Province-wide evaluation of zones: pure functions of plain data (no Django).

The scheme is an indicator **tree**. Every node has a weight in per cent of its parent; the
children of a node sum to exactly 100. A leaf is an indicator measured per zone and year; it says
whether higher or lower is better and how its raw values are **normalised** to 0–100 points
across the zones evaluated together:

``minmax``
    ``(v − min) / (max − min) × 100`` (lower is better: ``(max − v) / (max − min) × 100``);
    when every zone has the same value each gets 100.
``zscore``
    the standard score ``z = (v − mean) / sd`` (population standard deviation), scaled so that
    the mean gets 50 and three standard deviations reach 0 or 100: ``50 + z × 50 / 3``, clamped
    to 0–100 (lower is better: ``50 − z × 50 / 3``); when every zone has the same value each gets 50.
``ratio``
    ratio to the best: ``v / max × 100`` (lower is better: ``min / v × 100``); the best gets 100.

A node's score is the weighted sum of its children's scores; the root's score is the zone's
composite score, rounded half-up to two decimals.

**Missing values** follow the scheme's rule:

``zero``
    a missing leaf scores 0 for that leaf, and the zone is marked 数据不全 (incomplete);
``renormalise``
    a missing leaf is left out and the weights of its present siblings are scaled up to 100;
    a node whose leaves are all missing is left out of its parent the same way. The zone is
    marked 数据不全 too. A zone with no value at all gets no score and no rank.

Normalisation uses only the values present. **Ranks** are competition ranks on the two-decimal
scores: equal scores share a rank and the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from onezone.assessment.scoring import competition_ranks

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
METHODS = {"minmax": "最小-最大值法", "zscore": "标准分（Z分数）换算", "ratio": "与最优值之比"}
MISSING_RULES = {
    "zero": "缺失指标记 0 分，并标注“数据不全”",
    "renormalise": "缺失指标不计，同级其余指标按权重比例补足 100%，并标注“数据不全”",
}

Values = Mapping[Hashable, Mapping[str, Decimal | None]]


class TreeError(ValueError):
    """An indicator tree that cannot be used; ``problems`` lists every fault in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Node:
    key: str
    name: str
    weight: Decimal = HUNDRED
    children: tuple[Node, ...] = ()
    higher_is_better: bool = True
    method: str = "minmax"
    unit: str = ""
    maximum: Decimal | None = None  # a value the indicator cannot exceed (a share: 100)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> list[Node]:
        if self.is_leaf:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def tree_problems(root: Node) -> list[str]:
    """Every fault of the tree, in Chinese; empty when it can be used."""
    problems: list[str] = []
    seen: set[str] = set()
    for node in root.walk():
        if node.key in seen:
            problems.append(f"指标代码“{node.key}”重复，每个指标的代码应唯一。")
        seen.add(node.key)
        if node is not root and node.weight <= 0:
            problems.append(f"指标“{node.name}”的权重应大于 0。")
        if node.children:
            total = sum((child.weight for child in node.children), Decimal(0))
            if total != HUNDRED:
                problems.append(f"“{node.name}”的下级指标权重合计为 {total}%，应为 100%。")
        elif node.method not in METHODS:
            problems.append(f"指标“{node.name}”的标准化方法“{node.method}”无效，应为 minmax、zscore 或 ratio。")
    if root.is_leaf:
        problems.append("指标体系至少需要一个下级指标。")
    return problems


def check_tree(root: Node) -> None:
    problems = tree_problems(root)
    if problems:
        raise TreeError(problems)


def tree_from_rows(rows: Iterable[Mapping]) -> Node:
    """Build the tree from flat rows with ``key``, ``parent`` (None for the root), ``name``, ``weight``,
    ``higher_is_better``, ``method``, ``unit``, ``maximum`` (optional) and ``order``."""
    rows = sorted(rows, key=lambda r: (r.get("order", 0), r["key"]))
    by_parent: dict[str | None, list[Mapping]] = {}
    for row in rows:
        by_parent.setdefault(row.get("parent"), []).append(row)
    roots = by_parent.get(None, [])
    if len(roots) != 1:
        raise TreeError([f"指标体系应有且只有一个根节点，现有 {len(roots)} 个。"])

    def build(row: Mapping, depth: int) -> Node:
        if depth > 10:
            raise TreeError(["指标体系层级过深（可能存在循环引用）。"])
        return Node(
            key=row["key"],
            name=row["name"],
            weight=Decimal(str(row.get("weight", 100))),
            children=tuple(build(child, depth + 1) for child in by_parent.get(row["key"], [])),
            higher_is_better=bool(row.get("higher_is_better", True)),
            method=row.get("method") or "minmax",
            unit=row.get("unit", ""),
            maximum=None if row.get("maximum") is None else Decimal(str(row["maximum"])),
        )

    return build(roots[0], 0)


def normalise(
    values: Mapping[Hashable, Decimal | None], *, method: str, higher_is_better: bool = True
) -> dict[Hashable, Decimal | None]:
    """Points 0–100 for each present value (None stays None), by ``method`` across all present values."""
    present = {k: Decimal(v) for k, v in values.items() if v is not None}
    out: dict[Hashable, Decimal | None] = dict.fromkeys(values)
    if not present:
        return out
    numbers = list(present.values())
    if method == "minmax":
        low, high = min(numbers), max(numbers)
        for k, v in present.items():
            if high == low:
                out[k] = HUNDRED
            elif higher_is_better:
                out[k] = (v - low) / (high - low) * HUNDRED
            else:
                out[k] = (high - v) / (high - low) * HUNDRED
    elif method == "zscore":
        n = Decimal(len(numbers))
        mean = sum(numbers, Decimal(0)) / n
        sd = (sum(((v - mean) ** 2 for v in numbers), Decimal(0)) / n).sqrt()
        for k, v in present.items():
            if sd == 0:
                out[k] = Decimal(50)
                continue
            z = (v - mean) / sd
            if not higher_is_better:
                z = -z
            out[k] = min(max(Decimal(50) + z * Decimal(50) / Decimal(3), Decimal(0)), HUNDRED)
    elif method == "ratio":
        if higher_is_better:
            best = max(numbers)
            for k, v in present.items():
                if v >= best:
                    out[k] = HUNDRED
                elif best <= 0:
                    out[k] = Decimal(0)
                else:
                    out[k] = max(v, Decimal(0)) / best * HUNDRED
        else:
            best = min(numbers)
            for k, v in present.items():
                if v <= best:
                    out[k] = HUNDRED
                elif best <= 0:
                    out[k] = Decimal(0)
                else:
                    out[k] = best / v * HUNDRED
    else:
        raise TreeError([f"标准化方法“{method}”无效，应为 minmax、zscore 或 ratio。"])
    return out


@dataclass(frozen=True)
class ZoneScore:
    score: Decimal | None
    rank: int | None
    complete: bool
    missing: tuple[str, ...]
    leaf_points: dict[str, Decimal | None] = field(default_factory=dict)
    node_points: dict[str, Decimal | None] = field(default_factory=dict)


def _leaf_points(root: Node, values: Values) -> dict[str, dict[Hashable, Decimal | None]]:
    return {
        leaf.key: normalise(
            {zone: zone_values.get(leaf.key) for zone, zone_values in values.items()},
            method=leaf.method,
            higher_is_better=leaf.higher_is_better,
        )
        for leaf in root.leaves()
    }


def _aggregate(node: Node, points: Mapping[str, Decimal | None], missing_rule: str, out: dict) -> Decimal | None:
    """The node's points (0–100) from its leaves' points; None when nothing under it is present."""
    if node.is_leaf:
        value = points.get(node.key)
        out[node.key] = value
        if value is None and missing_rule == "zero":
            return Decimal(0)
        return value
    total = Decimal(0)
    weight = Decimal(0)
    for child in node.children:
        child_points = _aggregate(child, points, missing_rule, out)
        if child_points is None:
            continue
        total += child.weight * child_points
        weight += child.weight
    if weight == 0:
        result = None if missing_rule == "renormalise" else Decimal(0)
    elif missing_rule == "renormalise":
        result = total / weight
    else:
        result = total / HUNDRED
    out[node.key] = result
    return result


def _round(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def _scores(
    root: Node, zones: Iterable[Hashable], leaf_points: Mapping[str, Mapping[Hashable, Decimal | None]], rule: str
) -> dict[Hashable, tuple[Decimal | None, dict]]:
    result = {}
    for zone in zones:
        points = {key: by_zone.get(zone) for key, by_zone in leaf_points.items()}
        nodes: dict[str, Decimal | None] = {}
        composite = _aggregate(root, points, rule, nodes)
        if rule == "zero" and all(v is None for v in points.values()):
            composite = Decimal(0)
        result[zone] = (_round(composite), nodes)
    return result


def evaluate(root: Node, values: Values, *, missing_rule: str = "zero") -> dict[Hashable, ZoneScore]:
    """Composite score, rank and completeness of every zone in ``values``."""
    if missing_rule not in MISSING_RULES:
        raise TreeError([f"缺失值规则“{missing_rule}”无效，应为 zero 或 renormalise。"])
    check_tree(root)
    leaf_points = _leaf_points(root, values)
    scored = _scores(root, values.keys(), leaf_points, missing_rule)
    ranks = competition_ranks({zone: s for zone, (s, _) in scored.items()})
    leaves = root.leaves()
    out = {}
    for zone, (composite, nodes) in scored.items():
        missing = tuple(leaf.key for leaf in leaves if values[zone].get(leaf.key) is None)
        out[zone] = ZoneScore(
            score=composite,
            rank=ranks[zone],
            complete=not missing,
            missing=missing,
            leaf_points={leaf.key: _round(nodes.get(leaf.key)) for leaf in leaves},
            node_points={key: _round(v) for key, v in nodes.items()},
        )
    return out


def ranks(root: Node, values: Values, *, missing_rule: str = "zero") -> dict[Hashable, int | None]:
    """Only the ranks of :func:`evaluate` (for searches that evaluate many times)."""
    scored = _scores(root, values.keys(), _leaf_points(root, values), missing_rule)
    return competition_ranks({zone: s for zone, (s, _) in scored.items()})


# --- what-if ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIf:
    score_before: Decimal | None
    rank_before: int | None
    score_after: Decimal | None
    rank_after: int | None

    @property
    def places_gained(self) -> int:
        if self.rank_before is None or self.rank_after is None:
            return 0
        return self.rank_before - self.rank_after


@dataclass(frozen=True)
class LeafOption:
    """What one leaf could do for a zone's rank."""

    key: str
    name: str
    unit: str
    current: Decimal | None
    improved: Decimal | None  # the value after the given improvement
    rank_after: int | None  # the rank with the improved value
    places_gained: int
    needed: Decimal | None  # the value that moves the zone up one place; None: this leaf alone cannot
    needed_change_pct: Decimal | None


def _with(values: Values, zone: Hashable, overrides: Mapping[str, Decimal | None]) -> dict:
    changed = {z: dict(v) for z, v in values.items()}
    changed[zone].update(overrides)
    return changed


def what_if(
    root: Node, values: Values, zone: Hashable, overrides: Mapping[str, Decimal | None], *, missing_rule: str = "zero"
) -> WhatIf:
    """The zone's score and rank now and with ``overrides`` applied to its leaf values."""
    before = evaluate(root, values, missing_rule=missing_rule)[zone]
    after = evaluate(root, _with(values, zone, overrides), missing_rule=missing_rule)[zone]
    return WhatIf(before.score, before.rank, after.score, after.rank)


class _LeafProbe:
    """Re-scores the zones with one leaf's value of one zone changed, reusing every other leaf."""

    def __init__(self, root: Node, values: Values, zone: Hashable, leaf: Node, missing_rule: str) -> None:
        self.root, self.zone, self.leaf, self.rule = root, zone, leaf, missing_rule
        self.values = values
        self.base_points = _leaf_points(root, values)
        self.column = {z: v.get(leaf.key) for z, v in values.items()}

    def rank(self, value: Decimal) -> int | None:
        column = dict(self.column)
        column[self.zone] = value
        points = dict(self.base_points)
        points[self.leaf.key] = normalise(column, method=self.leaf.method, higher_is_better=self.leaf.higher_is_better)
        scored = _scores(self.root, self.values.keys(), points, self.rule)
        return competition_ranks({z: s for z, (s, _) in scored.items()})[self.zone]


def _improve(value: Decimal, pct: Decimal, leaf: Node) -> Decimal:
    """``value`` made ``pct`` % better, never past what the indicator can reach."""
    factor = pct / HUNDRED
    changed = value * (1 + factor) if leaf.higher_is_better else value * (1 - factor)
    if leaf.maximum is not None:
        changed = min(changed, leaf.maximum)
    return changed.quantize(CENT, rounding=ROUND_HALF_UP)


def _needed_value(probe: _LeafProbe, current: Decimal, rank_now: int) -> Decimal | None:
    """The least change of the leaf (in its good direction) that ranks the zone above ``rank_now``."""
    leaf = probe.leaf
    column = [v for v in probe.column.values() if v is not None]
    bound = max([*column, current, Decimal(1)]) * 3 if leaf.higher_is_better else Decimal(0)
    if leaf.higher_is_better and leaf.maximum is not None:
        bound = max(min(bound, leaf.maximum), current)
    if (probe.rank(bound) or rank_now) >= rank_now:
        return None
    near, far = current, bound
    for _ in range(48):
        middle = (near + far) / 2
        if (probe.rank(middle) or rank_now) < rank_now:
            far = middle
        else:
            near = middle
        if abs(far - near) < CENT / 4:
            break
    rounding = "ROUND_CEILING" if leaf.higher_is_better else "ROUND_FLOOR"
    candidate = far.quantize(CENT, rounding=rounding)
    if (probe.rank(candidate) or rank_now) >= rank_now:
        return far
    step = CENT if leaf.higher_is_better else -CENT
    for _ in range(2):  # the search stops within a quarter cent; the cent before may still do
        closer = candidate - step
        if (closer - current) * step <= 0 or (probe.rank(closer) or rank_now) >= rank_now:
            break
        candidate = closer
    return candidate


def leaf_options(
    root: Node,
    values: Values,
    zone: Hashable,
    *,
    improvement_pct: Decimal = Decimal(10),
    missing_rule: str = "zero",
) -> list[LeafOption]:
    """For each leaf: the places a ``improvement_pct`` % better value would gain the zone, and the
    value needed to move up one place. Sorted with the most places gained first, then the
    smallest change needed."""
    now = evaluate(root, values, missing_rule=missing_rule)[zone]
    options = []
    for leaf in root.leaves():
        current = values[zone].get(leaf.key)
        if current is None or now.rank is None:
            options.append(LeafOption(leaf.key, leaf.name, leaf.unit, current, None, None, 0, None, None))
            continue
        current = Decimal(current)
        probe = _LeafProbe(root, values, zone, leaf, missing_rule)
        improved = _improve(current, improvement_pct, leaf)
        rank_after = probe.rank(improved)
        needed = _needed_value(probe, current, now.rank) if now.rank > 1 else None
        change = None
        if needed is not None and current != 0:
            change = ((needed - current) / abs(current) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
        options.append(
            LeafOption(
                key=leaf.key,
                name=leaf.name,
                unit=leaf.unit,
                current=current,
                improved=improved,
                rank_after=rank_after,
                places_gained=(now.rank - rank_after) if rank_after is not None else 0,
                needed=needed,
                needed_change_pct=change,
            )
        )

    def order(option: LeafOption):
        change = abs(option.needed_change_pct) if option.needed_change_pct is not None else Decimal("Infinity")
        return (-option.places_gained, change, option.key)

    return sorted(options, key=order)
