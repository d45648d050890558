"""The industry chains: each chain's map with its local enterprises, gaps, projects and targets, the
chains' summaries, and their output from the enterprises' monthly statistics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from onezone.core.errors import NotFound
from onezone.core.prepared import Prepared
from onezone.investment import rules
from onezone.investment.models import (
    Chain,
    ChainNode,
    ChainTarget,
    NodeEnterprise,
    Project,
    Stage,
)
from onezone.investment.selectors.projects import ZERO


def chains_of(zone_id: int) -> QuerySet[Chain]:
    return Chain.objects.filter(zone_id=zone_id).order_by("order", "name")


@dataclass
class NodeView:
    node: ChainNode
    depth: int
    enterprises: list[NodeEnterprise]
    targets: list[ChainTarget]
    projects: list[Project]
    role: str  # what a new project on this node would do to the chain

    @property
    def is_gap(self) -> bool:
        return not self.enterprises

    @property
    def role_label(self) -> str:
        return rules.CHAIN_ROLE_LABELS.get(self.role, "")


@dataclass
class ChainMap:
    chain: Chain
    nodes: list[NodeView]  # depth-first, parents before children

    @property
    def gaps(self) -> list[NodeView]:
        return [n for n in self.nodes if n.is_gap]

    @property
    def filling_projects(self) -> list[tuple[NodeView, Project]]:
        return [(n, p) for n in self.gaps for p in n.projects]

    @property
    def targets(self) -> list[tuple[NodeView, ChainTarget]]:
        return [(n, t) for n in self.nodes for t in n.targets]


def chain_map(zone_id: int, chain_id: int) -> ChainMap:
    """A chain's tree with its local enterprises, gaps, projects and targets (4 queries)."""
    chain = Chain.objects.filter(zone_id=zone_id, pk=chain_id).first()
    if chain is None:
        raise NotFound("产业链不存在，或不属于本开发区。")
    nodes = list(ChainNode.objects.filter(chain=chain).order_by("order", "id"))
    enterprises: dict[int, list[NodeEnterprise]] = defaultdict(list)
    for e in NodeEnterprise.objects.filter(node__chain=chain).order_by("name"):
        enterprises[e.node_id].append(e)
    targets: dict[int, list[ChainTarget]] = defaultdict(list)
    for t in ChainTarget.objects.filter(node__chain=chain).order_by("priority", "company"):
        targets[t.node_id].append(t)
    projects: dict[int, list[Project]] = defaultdict(list)
    for p in Project.objects.filter(chain_node__chain=chain).exclude(stage=Stage.DROPPED).order_by("name"):
        projects[p.chain_node_id].append(p)
    local_stages = {n.stage for n in nodes if enterprises.get(n.pk)}
    children: dict[int | None, list[ChainNode]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    ordered: list[NodeView] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, []):
            ordered.append(
                NodeView(
                    node=node,
                    depth=depth,
                    enterprises=enterprises.get(node.pk, []),
                    targets=targets.get(node.pk, []),
                    projects=projects.get(node.pk, []),
                    role=rules.chain_role(
                        node_stage=node.stage,
                        node_local_count=len(enterprises.get(node.pk, [])),
                        chain_local_stages=local_stages,
                    ),
                )
            )
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ChainMap(chain=chain, nodes=ordered)


@dataclass(frozen=True)
class ChainSummary:
    chain: Chain
    nodes: int
    gaps: int
    enterprises: int
    projects: int
    targets: int


# The chain summaries' reads (the dashboard's chain gaps), compiled once per process.
_CHAINS = Prepared(chains_of, zone_id=int)
_CHAIN_NODES = Prepared(
    lambda zone_id: ChainNode.objects.filter(zone_id=zone_id).order_by().values_list("id", "chain_id"), zone_id=int
)
_NODE_ENTERPRISES = Prepared(
    lambda zone_id: NodeEnterprise.objects.filter(zone_id=zone_id).order_by().values_list("node_id", flat=True),
    zone_id=int,
)
_NODE_PROJECTS = Prepared(
    lambda zone_id: (
        Project.objects.filter(zone_id=zone_id, chain_node__isnull=False)
        .exclude(stage=Stage.DROPPED)
        .order_by()
        .values_list("chain_node_id", flat=True)
    ),
    zone_id=int,
)
_NODE_TARGETS = Prepared(
    lambda zone_id: ChainTarget.objects.filter(zone_id=zone_id).order_by().values_list("node_id", flat=True),
    zone_id=int,
)


def chain_summaries(zone_id: int) -> list[ChainSummary]:
    """Per chain: nodes, gaps, local enterprises, live projects and targets (5 queries).

    The four lists are read unordered: they are only counted, and the models' default orderings
    would join the chain and the zone to sort them."""
    chains = _CHAINS(zone_id=zone_id)
    node_chain = dict(_CHAIN_NODES(zone_id=zone_id))
    enterprise_nodes = _NODE_ENTERPRISES(zone_id=zone_id)
    with_enterprise = set(enterprise_nodes)
    counts: dict[int, dict[str, int]] = {c.pk: defaultdict(int) for c in chains}
    for node_id, chain_id in node_chain.items():
        counts[chain_id]["nodes"] += 1
        if node_id not in with_enterprise:
            counts[chain_id]["gaps"] += 1
    for node_id in enterprise_nodes:
        counts[node_chain[node_id]]["enterprises"] += 1
    for node_id in _NODE_PROJECTS(zone_id=zone_id):
        counts[node_chain[node_id]]["projects"] += 1
    for node_id in _NODE_TARGETS(zone_id=zone_id):
        counts[node_chain[node_id]]["targets"] += 1
    return [
        ChainSummary(
            chain=c,
            nodes=counts[c.pk]["nodes"],
            gaps=counts[c.pk]["gaps"],
            enterprises=counts[c.pk]["enterprises"],
            projects=counts[c.pk]["projects"],
            targets=counts[c.pk]["targets"],
        )
        for c in chains
    ]


def chain_targets(zone_id: int, *, chain_id: int | None = None) -> QuerySet[ChainTarget]:
    """Targets to approach, with their node and chain, gaps first is the page's business."""
    qs = ChainTarget.objects.filter(zone_id=zone_id).select_related("node__chain")
    if chain_id is not None:
        qs = qs.filter(node__chain_id=chain_id)
    return qs.order_by("node__chain__order", "node__chain__name", "node__order", "priority", "company")


def gap_node_ids(zone_id: int) -> set[int]:
    """Nodes of the zone's chains with no local enterprise."""
    return set(ChainNode.objects.filter(zone_id=zone_id, enterprises__isnull=True).values_list("pk", flat=True))


def chain_nodes_of(zone_id: int) -> QuerySet[ChainNode]:
    return ChainNode.objects.filter(zone_id=zone_id).select_related("chain").order_by("chain__order", "order", "id")


# Rewards --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainOutput:
    """A chain's output in a year from its enterprises' confirmed monthly reports (``support``)."""

    chain: Chain
    enterprises: int  # registry enterprises on the chain's nodes, each counted once
    reporting: int  # of which reported (confirmed) in the year
    output: Decimal  # their confirmed output of the year, in yuan
    leaders: list[str]  # the chain leaders (链主) among the zone's enterprises
    leaders_output: Decimal  # the leaders' confirmed output of the year, in yuan


def chain_outputs(zone_id: int, year: int) -> list[ChainOutput]:
    """Per chain: the output of its local enterprises and of its leaders in ``year``, summed from the
    enterprises' confirmed monthly reports (four queries). A node's enterprise not linked to the registry
    has no reports and adds nothing; an enterprise on several nodes of a chain counts once."""
    from onezone.support.selectors.markets import leaders_of_zone
    from onezone.support.selectors.statistics import output_by_enterprise

    chains = _CHAINS(zone_id=zone_id)
    members: dict[int, set[int]] = defaultdict(set)
    rows = (
        NodeEnterprise.objects.filter(zone_id=zone_id, enterprise__isnull=False)
        .order_by()
        .values_list("node__chain_id", "enterprise_id")
    )
    for chain_id, enterprise_id in rows:
        members[chain_id].add(enterprise_id)
    leaders: dict[int, dict[int, str]] = defaultdict(dict)
    for leader in leaders_of_zone(zone_id):
        leaders[leader.chain_id][leader.enterprise_id] = leader.enterprise.name
    everyone = set().union(*members.values(), *(set(led) for led in leaders.values()))
    output = output_by_enterprise(zone_id, year, everyone) if everyone else {}
    return [
        ChainOutput(
            chain=c,
            enterprises=len(members[c.pk]),
            reporting=sum(1 for e in members[c.pk] if e in output),
            output=sum((output.get(e, ZERO) for e in members[c.pk]), ZERO),
            leaders=sorted(leaders[c.pk].values()),
            leaders_output=sum((output.get(e, ZERO) for e in leaders[c.pk]), ZERO),
        )
        for c in chains
    ]
