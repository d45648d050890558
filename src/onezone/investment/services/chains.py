"""Writes of the industry chains: chains, their nodes and enterprises, targets."""

from __future__ import annotations

from typing import Any

from onezone.core.errors import InvalidInput
from onezone.core.services import record_save
from onezone.investment import rules
from onezone.investment.models import (
    Chain,
    ChainNode,
    ChainTarget,
    NodeEnterprise,
)
from onezone.investment.services.common import CHAIN_WRITERS
from onezone.zones.services import industry_normalise

# Chains ---------------------------------------------------------------------------------------


def chain_create(*, actor: Any, zone_id: int, name: str, cluster: str = "", description: str = "", order: int = 100):
    """Register an industry chain."""
    return record_save(
        actor=actor,
        obj=Chain(zone_id=zone_id, name=name, cluster=cluster, description=description, order=order),
        roles=CHAIN_WRITERS,
    )


def chain_node_add(
    *,
    actor: Any,
    chain: Chain,
    name: str,
    stage: str,
    industry_code: str,
    parent: ChainNode | None = None,
    key_products: str = "",
    order: int = 100,
) -> ChainNode:
    """Add a node to a chain; its parent must belong to the same chain."""
    if parent is not None and parent.chain_id != chain.pk:
        raise InvalidInput("上级环节必须属于同一条产业链。", fields={"parent": "请选择本产业链的环节。"})
    return record_save(
        actor=actor,
        obj=ChainNode(
            zone_id=chain.zone_id,
            chain=chain,
            parent=parent,
            name=name,
            stage=stage,
            industry_code=industry_normalise(industry_code),
            key_products=key_products,
            order=order,
        ),
        roles=CHAIN_WRITERS,
    )


def node_enterprise_add(
    *, actor: Any, node: ChainNode, name: str = "", uscc: str = "", products: str = "", enterprise: Any = None
) -> NodeEnterprise:
    """Put a local enterprise on a node (the node is no longer a gap). With ``enterprise`` (the
    registry's record) its name and credit code are taken from the registry."""
    if enterprise is not None:
        if enterprise.zone_id != node.zone_id:
            raise InvalidInput("企业必须属于本开发区。", fields={"enterprise": "请选择本开发区的企业。"})
        name = name or enterprise.name
        uscc = uscc or getattr(enterprise, "uscc", "") or ""
    if not name.strip():
        raise InvalidInput("请填写企业名称。", fields={"name": "请填写企业名称。"})
    return record_save(
        actor=actor,
        obj=NodeEnterprise(
            zone_id=node.zone_id, node=node, enterprise=enterprise, name=name.strip(), uscc=uscc, products=products
        ),
        roles=CHAIN_WRITERS,
    )


def chain_target_add(
    *, actor: Any, node: ChainNode, company: str, location: str = "", products: str = "", approach: str = "", priority=2
) -> ChainTarget:
    """Name an enterprise elsewhere to approach for a node."""
    return record_save(
        actor=actor,
        obj=ChainTarget(
            zone_id=node.zone_id,
            node=node,
            company=company,
            location=location,
            products=products,
            approach=approach,
            priority=priority,
        ),
        roles=CHAIN_WRITERS,
    )


def chain_role_for(node: ChainNode | None) -> str:
    """The role a project on ``node`` plays, judged from the chain's local enterprises now."""
    if node is None:
        return ""
    local = list(
        NodeEnterprise.objects.filter(node__chain_id=node.chain_id).values_list("node_id", "node__stage").distinct()
    )
    return rules.chain_role(
        node_stage=node.stage,
        node_local_count=sum(1 for node_id, _ in local if node_id == node.pk),
        chain_local_stages={stage for _, stage in local},
    )


# Projects -------------------------------------------------------------------------------------
