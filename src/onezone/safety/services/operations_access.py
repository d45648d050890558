"""Who supervises special work, closed management, emergency and the park's risk level, and for whom
an enterprise user may report."""

from __future__ import annotations

from typing import Any

from onezone.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from onezone.core.permissions import roles_in
from onezone.core.roles import STAFF_ROLES, Role

# Supervise: spot checks, gates and their records, the park's plans, teams, supplies, roster, self-assessment.
SUPERVISE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.SAFETY_OFFICER})
# Enter the province's reviewed level of the park (from the province's document).
REVIEW_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_SUPERVISOR})
# Read the safety desk, the map and every record of the zone.
READ_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.SAFETY_OFFICER, Role.DEPT_HEAD, Role.PROVINCE_SUPERVISOR})
VIEW_ROLES = frozenset(STAFF_ROLES)


def is_supervisor(user: Any, zone_id: int) -> bool:
    return bool(roles_in(user, zone_id) & SUPERVISE_ROLES)


def require_reporter(actor: Any, enterprise: Any, *, action: str) -> None:
    """Raise unless ``actor`` acts for ``enterprise`` (its enterprise user) or supervises its zone.

    Another enterprise's records answer "not found": an enterprise user learns nothing of them.
    """
    from onezone.enterprises.access import is_member_of

    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if is_supervisor(actor, enterprise.zone_id) or is_member_of(actor, enterprise):
        return
    if roles_in(actor, enterprise.zone_id) & VIEW_ROLES:
        raise PermissionDenied(f"您没有“{action}”的权限：须由企业本身或园区安全监管人员办理。")
    raise NotFound("没有找到该企业，或您无权为其办理。")


def supervising_body(actor: Any, zone_id: int) -> Any:
    """The body ``actor`` acts for in supervision: the first body they hold a post in today.

    A leader or an administrator who holds no post acts for the zone's committee, the head body.
    """
    from onezone.enterprises.selectors import body_ids_of_user
    from onezone.org.models import Body

    ids = body_ids_of_user(actor, zone_id)
    if ids:
        return Body.objects.filter(zone_id=zone_id, pk__in=ids).order_by("order", "pk").first()
    if roles_in(actor, zone_id) & {Role.ADMIN, Role.LEADER}:
        body = Body.objects.filter(zone_id=zone_id, kind=Body.Kind.COMMITTEE).order_by("order", "pk").first()
        if body is not None:
            return body
    raise PermissionDenied("您在本开发区没有任职机构，不能以机构名义抽查；请先在组织机构中登记您的岗位。")


def text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """A free-text input stripped, within ``limit`` characters, refused (never cut) when longer."""
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(value) > limit:
        message = f"{label}最多 {limit} 个字，收到 {len(value)} 个字，请精简后再提交。"
        raise InvalidInput(message, fields={field: message})
    return value
