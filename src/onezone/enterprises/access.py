"""Who works on enterprises, and the check that an enterprise user acts only for its own enterprise."""

from __future__ import annotations

from typing import Any

from onezone.core.errors import NotAuthenticated, NotFound
from onezone.core.permissions import roles_in
from onezone.core.roles import STAFF_ROLES, Role

# Keep the registry (enterprises, contacts, yearly figures, import).
REGISTRY_ROLES = frozenset({Role.ADMIN, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER})
# Handle requests at the desk.
REQUEST_STAFF_ROLES = frozenset(
    {Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.CLERK, Role.INVESTMENT_OFFICER, Role.AGENT}
)
# Plan and record inspections.
INSPECTION_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD})
# Read enterprise data in the back office.
VIEW_ROLES = frozenset(STAFF_ROLES)
# See a contact's full ID number and mobile (audited).
PERSONAL_DATA_ROLES = REGISTRY_ROLES | REQUEST_STAFF_ROLES


def is_staff_in(user: Any, zone_id: int) -> bool:
    return bool(roles_in(user, zone_id) & VIEW_ROLES)


def is_member_of(user: Any, enterprise: Any) -> bool:
    """Whether ``user`` is an enterprise user linked to ``enterprise``."""
    from onezone.enterprises.models import EnterpriseMember

    if Role.ENTERPRISE not in roles_in(user, enterprise.zone_id):
        return False
    return EnterpriseMember.objects.filter(
        zone_id=enterprise.zone_id, user_id=user.pk, enterprise_id=enterprise.pk
    ).exists()


def require_enterprise_or_staff(user: Any, enterprise: Any, *, staff_roles=VIEW_ROLES) -> None:
    """Raise unless ``user`` is staff of the zone or acts for ``enterprise``.

    Another enterprise's records answer "not found": an enterprise user learns nothing of them.
    """
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if roles_in(user, enterprise.zone_id) & staff_roles:
        return
    if is_member_of(user, enterprise):
        return
    raise NotFound("没有找到该记录，或您无权查看。")
