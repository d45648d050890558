"""Who may download funds evidence (bank slips, contracts): the zone's investment officers and
leadership, and the provincial supervisor. Other staff see the ledger's figures, not the documents."""

from onezone.core.files import register_file
from onezone.core.roles import Role
from onezone.investment.models import FundsEntry

FUNDS_EVIDENCE_READERS = (
    Role.ADMIN,
    Role.LEADER,
    Role.DEPT_HEAD,
    Role.INVESTMENT_OFFICER,
    Role.PROVINCE_SUPERVISOR,
)

register_file(FundsEntry, "evidence_file", readers=FUNDS_EVIDENCE_READERS)
