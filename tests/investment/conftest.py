"""Fixtures of the investment tests: parks, a chain, an officer, and projects built through services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.investment import services
from onezone.investment.models import RewardPolicy
from onezone.zones.services import park_create


@pytest.fixture
def parks(zone, root):
    return {
        "chem": park_create(
            actor=root,
            zone=zone,
            name="化工园",
            code="chem",
            planned_area_km2=Decimal("10"),
            built_area_km2=Decimal("5"),
            industry_codes=["C26", "C25"],
        ),
        "food": park_create(
            actor=root,
            zone=zone,
            name="食品园",
            code="food",
            planned_area_km2=Decimal("10"),
            built_area_km2=Decimal("5"),
            industry_codes=["C13"],
        ),
    }


@pytest.fixture
def officer(users):
    return users["investment_officer"]


@pytest.fixture
def chain(zone, officer):
    chain = services.chain_create(actor=officer, zone_id=zone.pk, name="氟化工", cluster="化工")
    root = services.chain_node_add(actor=officer, chain=chain, name="萤石", stage="upstream", industry_code="B10")
    hf = services.chain_node_add(
        actor=officer, chain=chain, name="氢氟酸", stage="midstream", industry_code="C2611", parent=root
    )
    refrigerant = services.chain_node_add(
        actor=officer, chain=chain, name="制冷剂", stage="downstream", industry_code="C2614", parent=hf
    )
    film = services.chain_node_add(
        actor=officer, chain=chain, name="含氟膜材料", stage="downstream", industry_code="C2651", parent=hf
    )
    return {"chain": chain, "root": root, "hf": hf, "refrigerant": refrigerant, "film": film}


def walk(project, actor, stages_and_dates):
    """Move ``project`` through ``[(stage, date), ...]`` with the service."""
    for stage, on in stages_and_dates:
        services.project_move(actor=actor, project=project, to_stage=stage, on=on)
    return project


def signed_project(zone, parks, actor, *, name="项目", on=dt.date(2024, 1, 10), **kw):
    project = services.project_create(
        actor=actor,
        zone_id=zone.pk,
        name=name,
        investor_name=kw.pop("investor_name", "某投资公司"),
        industry_code=kw.pop("industry_code", "C2614"),
        park=kw.pop("park", parks["chem"]),
        officer=kw.pop("officer", actor),
        on=on,
        **kw,
    )
    walk(project, actor, [("negotiating", on), ("signed", on)])
    project.refresh_from_db()
    return project


@pytest.fixture
def policy(zone, users):
    return services.reward_policy_save(
        actor=users["leader"],
        policy=RewardPolicy(
            zone=zone,
            name="招商引资奖励办法",
            effective_from=dt.date(2020, 1, 1),
            tiers=[
                {"up_to": "10000000", "rate": "0.003"},
                {"up_to": "100000000", "rate": "0.004"},
                {"up_to": None, "rate": "0.005"},
            ],
            tier_mode="marginal",
            cap=Decimal("1000000"),
            exclusions=["real_estate", "loan_funded", "ppp"],
            claim_window_months=12,
        ),
    )
