"""What the safety base's services share: who may act, input checks in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from onezone.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from onezone.core.permissions import roles_in
from onezone.core.roles import Role
from onezone.org.authority import may_act, require_on_body

# Staff who keep the safety base and act on hidden hazards (on their body; see body_allows).
SAFETY_STAFF_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.SAFETY_OFFICER})
# Staff who read the safety pages (the provincial supervisor reads every zone).
SAFETY_READ_ROLES = SAFETY_STAFF_ROLES | {Role.PROVINCE_SUPERVISOR}


def text(value: Any, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """``value`` stripped; refused when missing (if required) or longer than ``limit``, never cut."""
    cleaned = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not cleaned:
        raise InvalidInput(f"请填写{label}。", fields={field: f"请填写{label}。"})
    if len(cleaned) > limit:
        message = f"{label}最多{limit}个字，收到{len(cleaned)}个字；请精简后再提交。"
        raise InvalidInput(message, fields={field: message})
    return cleaned


def decimal(value: Any, *, field: str, label: str, minimum: Decimal = Decimal(0), maximum: Decimal) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}应为数字。", fields={field: f"{label}应为数字。"}) from exc
    if not number.is_finite() or number < minimum or number > maximum:
        message = f"{label}应在{minimum}到{maximum}之间，收到{number}。"
        raise InvalidInput(message, fields={field: message})
    return number


def date_range(start: dt.date, end: dt.date | None, *, field: str, label: str) -> None:
    if end is not None and end < start:
        message = f"{label}的结束日期（{end}）早于开始日期（{start}），请检查。"
        raise InvalidInput(message, fields={field: message})


def today() -> dt.date:
    return timezone.localdate()


def is_enterprise_user_of(actor: Any, enterprise: Any) -> bool:
    from onezone.enterprises.access import is_member_of

    return is_member_of(actor, enterprise)


def require_staff_or_own(actor: Any, enterprise: Any, *, action: str) -> str:
    """Raise unless ``actor`` is safety staff of the enterprise's zone or a user of that enterprise.

    Returns "staff" or "enterprise". Another enterprise's records answer "not found".
    """
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if roles_in(actor, enterprise.zone_id) & SAFETY_STAFF_ROLES:
        return "staff"
    if is_enterprise_user_of(actor, enterprise):
        return "enterprise"
    if Role.ENTERPRISE in roles_in(actor, enterprise.zone_id):
        raise NotFound("没有找到该企业的记录，或您无权查看。")
    raise PermissionDenied(
        f"您没有“{action}”的权限：需要安全监管人员、部门负责人、管委会领导或系统管理员角色，或为该企业的企业用户。"
    )


def body_allows(actor: Any, *, zone_id: int, body_id: int) -> bool:
    """Whether ``actor`` acts on the body's hazards: safety staff on the body (the one rule,
    ``org.authority``), or a leader or administrator of the zone."""
    return may_act(actor, zone_id=zone_id, roles=SAFETY_STAFF_ROLES, body_ids=[body_id])


def require_body(actor: Any, *, zone_id: int, body: Any, action: str) -> None:
    require_on_body(
        actor, zone_id=zone_id, roles=SAFETY_STAFF_ROLES, body_ids=[body.pk], action=action, what="该隐患", held="监管"
    )
