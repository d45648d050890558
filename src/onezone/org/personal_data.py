"""A member of staff's personal data (个人信息保护法): masked wherever shown, whole only on request.

The person pages show the ID number and the mobile masked; whoever needs them whole asks for them
(``person_personal_data``), and every such view is logged, as for an enterprise's contacts.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.permissions import require
from onezone.core.roles import Role
from onezone.org.models import Person

# See a member of staff's full ID number and mobile: the administrator and personnel (HR) staff.
PERSONAL_DATA_ROLES = frozenset({Role.ADMIN, Role.HR_OFFICER})


def person_personal_data(*, actor: Any, person: Person) -> dict[str, str]:
    """The person's full ID number and mobile; the view is logged."""
    require(actor, zone_id=person.zone_id, roles=PERSONAL_DATA_ROLES, action="查看人员完整身份信息")
    with transaction.atomic():
        audit_record(actor=actor, action="person.view_personal_data", obj=person)
    return {"name": person.name, "id_number": person.id_number, "mobile": person.mobile}
