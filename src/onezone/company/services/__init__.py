"""Writes of the operating company's books. Only company staff write them (政企分开、财务分设).

The committee's leaders, department heads and the system administrator read the company's figures
but change none of them; the administrator alone sets the committee's decision threshold
(``company_settings_save``), because the rule binds the company and the company must not relax it.
"""

from onezone.company.services.assets import ASSET_TRANSITIONS, asset_dispose, asset_register, asset_set_status
from onezone.company.services.building import (
    construction_payment_record,
    contract_sign,
    loan_register,
    progress_record,
    project_create,
)
from onezone.company.services.common import LEASABLE_KINDS, SETTINGS_ROLES, WRITE_ROLES, company_settings_save
from onezone.company.services.leases import (
    bills_generate,
    bills_generate_all,
    lease_sign,
    lease_terminate,
    payment_record,
)

__all__ = [
    "ASSET_TRANSITIONS",
    "LEASABLE_KINDS",
    "SETTINGS_ROLES",
    "WRITE_ROLES",
    "asset_dispose",
    "asset_register",
    "asset_set_status",
    "bills_generate",
    "bills_generate_all",
    "company_settings_save",
    "construction_payment_record",
    "contract_sign",
    "lease_sign",
    "lease_terminate",
    "loan_register",
    "payment_record",
    "progress_record",
    "project_create",
]
