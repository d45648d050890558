"""Every write of the investment module: projects and their stages, the ledgers, milestones, chains
and rewards. Keyword-only, one transaction each, role check first, audit entry inside."""

from onezone.investment.services.awards import (
    AWARD_STEPS,
    AwardStep,
    award_approve,
    award_claim,
    award_claw_back,
    award_pay,
    award_reject,
    award_step,
    reward_policy_save,
)
from onezone.investment.services.chains import (
    chain_create,
    chain_node_add,
    chain_role_for,
    chain_target_add,
    node_enterprise_add,
)
from onezone.investment.services.common import (
    AWARD_CLAIMERS,
    AWARD_DECIDERS,
    AWARD_TRANSITIONS,
    CHAIN_WRITERS,
    FUNDED_STAGES,
    FUNDS_FIELDS,
    LEDGER_WRITERS,
    MILESTONE_WRITERS,
    POLICY_WRITERS,
    PROJECT_WRITERS,
)
from onezone.investment.services.ledgers import (
    funds_entry_correct,
    funds_receipt_record,
    progress_correct,
    progress_record,
)
from onezone.investment.services.milestones import (
    milestone_update,
    milestones_choose,
)
from onezone.investment.services.projects import (
    EDITABLE_FIELDS,
    project_assign_agent,
    project_create,
    project_move,
    project_update,
)

__all__ = [
    "AWARD_CLAIMERS",
    "AWARD_DECIDERS",
    "AWARD_STEPS",
    "AWARD_TRANSITIONS",
    "CHAIN_WRITERS",
    "EDITABLE_FIELDS",
    "FUNDED_STAGES",
    "FUNDS_FIELDS",
    "LEDGER_WRITERS",
    "MILESTONE_WRITERS",
    "POLICY_WRITERS",
    "PROJECT_WRITERS",
    "AwardStep",
    "award_approve",
    "award_claim",
    "award_claw_back",
    "award_pay",
    "award_reject",
    "award_step",
    "chain_create",
    "chain_node_add",
    "chain_role_for",
    "chain_target_add",
    "funds_entry_correct",
    "funds_receipt_record",
    "milestone_update",
    "milestones_choose",
    "node_enterprise_add",
    "progress_correct",
    "progress_record",
    "project_assign_agent",
    "project_create",
    "project_move",
    "project_update",
    "reward_policy_save",
]
