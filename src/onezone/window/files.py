"""Who may read the files of a case's materials and of a pre-review.

A case's files: the zone's window staff who may open the case page (and the provincial supervisor).
A pre-review's files: the same staff, and the users of the enterprise the pre-review belongs to.
Nobody of another zone, and no other enterprise.
"""

from __future__ import annotations

from typing import Any

from onezone.core.files import register_file
from onezone.core.roles import Role
from onezone.window.models_materials import CaseFile, PreReviewFile

MATERIAL_READERS = (
    Role.ADMIN,
    Role.CLERK,
    Role.REVIEWER,
    Role.DEPT_HEAD,
    Role.LEADER,
    Role.AGENT,
    Role.PROVINCE_SUPERVISOR,
)


def _enterprise_of_prereview(user: Any, record: PreReviewFile) -> bool:
    from onezone.enterprises.access import is_member_of

    return is_member_of(user, record.prereview.enterprise)


register_file(CaseFile, "file", readers=MATERIAL_READERS, name_field="original_name")
register_file(
    PreReviewFile,
    "file",
    readers=MATERIAL_READERS,
    record_readers=_enterprise_of_prereview,
    name_field="original_name",
)
