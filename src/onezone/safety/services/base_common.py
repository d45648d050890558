"""What the safety base's services share: who may act, input checks in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from onezone.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from onezone.core.permissions import roles_in
from onezone.core.roles import Role

# Staff who keep the safety base and act on hidden hazards (on their body; see body_allows).
SAFETY_STAFF_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.SAFETY_OFFICER})
# Staff who read the safety pages (the provincial supervisor reads every zone).
SAFETY_READ_ROLES = SAFETY_STAFF_ROLES | {Role.PROVINCE_SUPERVISOR}
# Roles that act on a hazard of any body of the zone.
ANY_BODY_ROLES = frozenset({Role.ADMIN, Role.LEADER})


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


def body_ids_of(actor: Any, zone_id: int, on: dt.date) -> set[int]:
    """The bodies ``actor`` holds a post in on ``on``, and the bodies whose parent they head."""
    from django.db.models import Q

    from onezone.org.models import Appointment, Body

    active = Appointment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on), zone_id=zone_id, person__user_id=actor.pk, start__lte=on
    )
    own = set(active.values_list("post__body_id", flat=True))
    headed = set(active.filter(post__is_head=True).values_list("post__body_id", flat=True))
    children = set(Body.objects.filter(zone_id=zone_id, parent_id__in=headed).values_list("pk", flat=True))
    return own | children


def body_allows(actor: Any, *, zone_id: int, body_id: int) -> bool:
    """Whether ``actor`` acts for the body: a leader or administrator of the zone, or safety staff on
    the body (or heading the body above it)."""
    roles = roles_in(actor, zone_id)
    if roles & ANY_BODY_ROLES:
        return True
    if not roles & SAFETY_STAFF_ROLES:
        return False
    return body_id in body_ids_of(actor, zone_id, today())


def require_body(actor: Any, *, zone_id: int, body: Any, action: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    if not body_allows(actor, zone_id=zone_id, body_id=body.pk):
        raise PermissionDenied(
            f"该隐患由“{body.name}”监管，只有该机构的人员（或其负责人、管委会领导）可以{action}；"
            "如需改由其他机构处理，请联系该机构。"
        )
