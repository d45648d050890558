"""Pure rules of the investment pipeline: stage transitions, stage statistics and chain roles.

Plain data in, plain data out; no database.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

LEAD = "lead"
NEGOTIATING = "negotiating"
SIGNED = "signed"
REGISTERED = "registered"
CONSTRUCTION_STARTED = "construction_started"
COMPLETED = "completed"
IN_PRODUCTION = "in_production"
DROPPED = "dropped"

# The pipeline in order. A project moves one step forward, or is dropped from any stage before
# production. Nothing moves backwards: a mistaken move is corrected by dropping and re-entering.
PIPELINE: tuple[str, ...] = (LEAD, NEGOTIATING, SIGNED, REGISTERED, CONSTRUCTION_STARTED, COMPLETED, IN_PRODUCTION)

TRANSITIONS: dict[str, frozenset[str]] = {
    stage: frozenset({PIPELINE[i + 1], DROPPED}) for i, stage in enumerate(PIPELINE[:-1])
} | {IN_PRODUCTION: frozenset(), DROPPED: frozenset()}


def transition_allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def stage_rank(stage: str) -> int:
    """Position in the pipeline; dropped has none (-1)."""
    return PIPELINE.index(stage) if stage in PIPELINE else -1


@dataclass(frozen=True)
class Change:
    """One stage change of one project: it entered ``to_stage`` on ``on``."""

    project_id: int
    from_stage: str
    to_stage: str
    on: dt.date


@dataclass(frozen=True)
class StageStats:
    per_stage: dict[str, int]  # projects in each stage (and dropped) at the end of the period
    reached: dict[str, int]  # projects that ever entered each pipeline stage
    conversion: dict[str, Decimal | None]  # share of those reaching a stage that reached the next one
    mean_days: dict[str, Decimal | None]  # mean days spent in a stage, over stays that ended


def stage_stats(changes: Iterable[Change], *, until: dt.date) -> StageStats:
    """Per-stage counts, conversion and mean time in stage from the change log, as of ``until``.

    Changes after ``until`` are ignored. A stay counts towards the mean once it has ended (the
    project moved on or was dropped); the current stay of a project does not.
    """
    by_project: dict[int, list[Change]] = {}
    for change in changes:
        if change.on <= until:
            by_project.setdefault(change.project_id, []).append(change)
    per_stage = dict.fromkeys((*PIPELINE, DROPPED), 0)
    reached = dict.fromkeys(PIPELINE, 0)
    stays: dict[str, list[int]] = {stage: [] for stage in PIPELINE}
    for rows in by_project.values():
        rows.sort(key=lambda c: (c.on, stage_rank(c.to_stage) if c.to_stage != DROPPED else 99))
        per_stage[rows[-1].to_stage] += 1
        for index, change in enumerate(rows):
            if change.to_stage in reached:
                reached[change.to_stage] += 1
            if index + 1 < len(rows) and change.to_stage in stays:
                stays[change.to_stage].append((rows[index + 1].on - change.on).days)
    conversion: dict[str, Decimal | None] = {}
    for here, nxt in itertools.pairwise(PIPELINE):
        conversion[here] = ratio(reached[nxt], reached[here])
    mean_days = {
        stage: (Decimal(sum(days)) / Decimal(len(days))).quantize(Decimal("0.1")) if days else None
        for stage, days in stays.items()
    }
    return StageStats(per_stage=per_stage, reached=reached, conversion=conversion, mean_days=mean_days)


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """``numerator ÷ denominator`` to four places, or None when there is nothing to divide by."""
    if denominator <= 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def days_in_stages(changes: Sequence[Change], *, today: dt.date) -> list[tuple[Change, int, bool]]:
    """For one project's changes in order: each stay with its length in days and whether it is current."""
    ordered = sorted(changes, key=lambda c: (c.on, stage_rank(c.to_stage) if c.to_stage != DROPPED else 99))
    out = []
    for index, change in enumerate(ordered):
        current = index + 1 == len(ordered)
        end = today if current else ordered[index + 1].on
        out.append((change, max((end - change.on).days, 0), current))
    return out


# Chain roles (建链/延链/补链/强链)
BUILD = "build"
EXTEND = "extend"
FILL = "fill"
STRENGTHEN = "strengthen"
CHAIN_ROLE_LABELS = {BUILD: "建链", EXTEND: "延链", FILL: "补链", STRENGTHEN: "强链"}

UPSTREAM = "upstream"
MIDSTREAM = "midstream"
DOWNSTREAM = "downstream"
CHAIN_STAGES = (UPSTREAM, MIDSTREAM, DOWNSTREAM)


def chain_role(*, node_stage: str, node_local_count: int, chain_local_stages: Iterable[str]) -> str:
    """What a project on a node does to its chain, judged from the chain's state before it.

    - the chain has no local enterprise on any node → build (建链);
    - the node already has local enterprises → strengthen (强链);
    - the node is a gap lying upstream of the chain's most upstream local stage, or downstream of
      its most downstream one → extend (延链): it lengthens the chain;
    - otherwise the node is a gap inside the stretch the chain already covers → fill (补链).
    """
    stages = {s for s in chain_local_stages if s in CHAIN_STAGES}
    if not stages:
        return BUILD
    if node_local_count > 0:
        return STRENGTHEN
    ranks = [CHAIN_STAGES.index(s) for s in stages]
    rank = CHAIN_STAGES.index(node_stage)
    if rank < min(ranks) or rank > max(ranks):
        return EXTEND
    return FILL
