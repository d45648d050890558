"""Who may download assessment evidence: the zone's leadership, who enter and review actuals, and the
provincial supervisor."""

from onezone.assessment.models import Actual
from onezone.core.files import register_file
from onezone.core.roles import Role

EVIDENCE_READERS = (Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR)

register_file(Actual, "evidence", readers=EVIDENCE_READERS)
