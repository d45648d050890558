import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onezone.investment import rules
from onezone.investment.rules import Change, chain_role, days_in_stages, stage_stats, transition_allowed

D = dt.date


def test_only_one_step_forward_or_a_drop():
    assert transition_allowed("lead", "negotiating")
    assert transition_allowed("signed", "registered")
    assert transition_allowed("completed", "in_production")
    assert transition_allowed("completed", "dropped")
    assert not transition_allowed("lead", "signed")  # no skipping
    assert not transition_allowed("signed", "negotiating")  # no going back
    assert not transition_allowed("in_production", "dropped")
    assert not transition_allowed("dropped", "lead")


def changes_of(pid, *steps):
    prev = ""
    out = []
    for stage, day in steps:
        out.append(Change(pid, prev, stage, day))
        prev = stage
    return out


def test_stage_stats_exact():
    log = [
        *changes_of(1, ("lead", D(2024, 1, 1)), ("negotiating", D(2024, 1, 11)), ("signed", D(2024, 2, 10))),
        *changes_of(2, ("lead", D(2024, 1, 1)), ("negotiating", D(2024, 1, 31)), ("dropped", D(2024, 3, 1))),
        *changes_of(3, ("lead", D(2024, 6, 1))),
        # Moves after the cut-off date are not seen.
        *changes_of(4, ("lead", D(2024, 1, 1)), ("negotiating", D(2025, 1, 5))),
    ]
    stats = stage_stats(log, until=D(2024, 12, 31))
    assert stats.per_stage == {
        "lead": 2,
        "negotiating": 0,
        "signed": 1,
        "registered": 0,
        "construction_started": 0,
        "completed": 0,
        "in_production": 0,
        "dropped": 1,
    }
    assert stats.reached["lead"] == 4 and stats.reached["negotiating"] == 2 and stats.reached["signed"] == 1
    assert stats.conversion["lead"] == Decimal("0.5000")
    assert stats.conversion["negotiating"] == Decimal("0.5000")
    assert stats.conversion["signed"] == Decimal("0.0000")
    assert stats.conversion["registered"] is None
    # Lead stays that ended: 10 and 30 days; negotiation stays: 30 (signed) and 30 (dropped).
    assert stats.mean_days["lead"] == Decimal("20.0")
    assert stats.mean_days["negotiating"] == Decimal("30.0")
    assert stats.mean_days["signed"] is None


def test_days_in_stages_marks_the_current_stay():
    log = changes_of(1, ("lead", D(2024, 1, 1)), ("negotiating", D(2024, 1, 1)), ("signed", D(2024, 1, 21)))
    stays = days_in_stages(log, today=D(2024, 2, 1))
    assert [(c.to_stage, days, current) for c, days, current in stays] == [
        ("lead", 0, False),
        ("negotiating", 20, False),
        ("signed", 11, True),
    ]


def test_ratio():
    assert rules.ratio(37, 50) == Decimal("0.7400")
    assert rules.ratio(1, 3) == Decimal("0.3333")
    assert rules.ratio(0, 0) is None


@pytest.mark.parametrize(
    ("stage", "local_here", "local_stages", "expected"),
    [
        ("midstream", 0, set(), "build"),
        ("upstream", 2, {"upstream"}, "strengthen"),
        ("downstream", 0, {"upstream", "midstream"}, "extend"),
        ("upstream", 0, {"midstream"}, "extend"),
        ("midstream", 0, {"upstream", "downstream"}, "fill"),
        ("midstream", 0, {"midstream"}, "fill"),  # a gap beside a local node at the same stage
    ],
)
def test_chain_role(stage, local_here, local_stages, expected):
    assert chain_role(node_stage=stage, node_local_count=local_here, chain_local_stages=local_stages) == expected


@given(
    stage=st.sampled_from(rules.CHAIN_STAGES),
    here=st.integers(min_value=0, max_value=3),
    local=st.sets(st.sampled_from(rules.CHAIN_STAGES)),
)
def test_chain_role_is_always_one_of_four(stage, here, local):
    role = chain_role(node_stage=stage, node_local_count=here, chain_local_stages=local)
    assert role in rules.CHAIN_ROLE_LABELS
    if not local:
        assert role == "build"
    elif here:
        assert role == "strengthen"
