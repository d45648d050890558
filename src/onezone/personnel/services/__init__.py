"""Writes of personnel: contracts, appraisal schemes and cycles, appeals, payroll.

Every function checks the actor's role first, runs in one transaction and writes its audit entry.
Pay is read through functions here too, because every view of pay is audited. The services live in
one module per subject; this package exports them all, so callers import from
``onezone.personnel.services``.
"""

from onezone.personnel.services.appeals import APPEAL_TRANSITIONS, appeal_decide, appeal_review, appeal_submit
from onezone.personnel.services.common import HR_ROLES
from onezone.personnel.services.contracts import (
    CONTRACT_TRANSITIONS,
    Contract,
    contract_activate,
    contract_create,
    contract_renew,
    contract_review_clear,
    contract_terminate,
    contracts_expire_due,
)
from onezone.personnel.services.cycles import (
    FINAL_FORMULA_NAMES,
    cycle_close,
    cycle_open,
    indicator_inputs_record,
    ratings_record,
)
from onezone.personnel.services.pay import (
    PAYROLL_TRANSITIONS,
    PAYSLIP_HEADERS,
    own_payslips_open,
    payroll_run_approve,
    payroll_run_create,
    payroll_run_export,
    payroll_run_open,
    payroll_run_pay,
    payslip_item_add,
    payslip_open,
)
from onezone.personnel.services.schemes import check_indicators, scheme_activate, scheme_define

__all__ = [
    "APPEAL_TRANSITIONS",
    "CONTRACT_TRANSITIONS",
    "FINAL_FORMULA_NAMES",
    "HR_ROLES",
    "PAYROLL_TRANSITIONS",
    "PAYSLIP_HEADERS",
    "Contract",
    "appeal_decide",
    "appeal_review",
    "appeal_submit",
    "check_indicators",
    "contract_activate",
    "contract_create",
    "contract_renew",
    "contract_review_clear",
    "contract_terminate",
    "contracts_expire_due",
    "cycle_close",
    "cycle_open",
    "indicator_inputs_record",
    "own_payslips_open",
    "payroll_run_approve",
    "payroll_run_create",
    "payroll_run_export",
    "payroll_run_open",
    "payroll_run_pay",
    "payslip_item_add",
    "payslip_open",
    "ratings_record",
    "scheme_activate",
    "scheme_define",
]
