"""Who runs the enterprise-services desk for jobs, shared labour, talent needs and the statistics.

The desk belongs to the economic-development body (经济发展局): acting at it takes a desk role in the
zone AND a current post in that body (or one of its sub-bodies); the zone's leaders and
administrators act everywhere. Which body it is is a setting (``ONEZONE_SUPPORT_DESK_BODY``, the
body's name; default 经济发展局), so a zone that names its bodies differently configures it.
An enterprise user acts only for the enterprise it is linked to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from onezone.core.errors import NotFound, PermissionDenied
from onezone.core.permissions import require, roles_in
from onezone.core.roles import STAFF_ROLES, Role

DESK_BODY_DEFAULT = "经济发展局"
# Hold one of these in the zone (and a post in the desk's body) to act at the desk.
DESK_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPT_HEAD, Role.INVESTMENT_OFFICER})
# These act without a post in the body.
OVER_BODIES = frozenset({Role.ADMIN, Role.LEADER})
# Every member of staff of the zone reads the desk's lists.
READ_ROLES = frozenset(STAFF_ROLES)


def desk_body_name() -> str:
    return str(getattr(settings, "ONEZONE_SUPPORT_DESK_BODY", DESK_BODY_DEFAULT))


def on_desk_body(user: Any, zone_id: int) -> bool:
    """Whether ``user`` holds a current post in the desk's body (or a body directly under it)."""
    from onezone.org.models import Appointment

    today = timezone.localdate()
    name = desk_body_name()
    return (
        Appointment.objects.filter(zone_id=zone_id, person__user_id=user.pk, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .filter(Q(post__body__name=name) | Q(post__body__parent__name=name))
        .exists()
    )


def may_act_at_desk(user: Any, zone_id: int) -> bool:
    roles = roles_in(user, zone_id)
    if roles & OVER_BODIES:
        return True
    return bool(roles & DESK_ROLES) and on_desk_body(user, zone_id)


def require_desk(actor: Any, *, zone_id: int, action: str) -> None:
    """Raise unless ``actor`` may act at the desk: a desk role in the zone and a post in its body."""
    require(actor, zone_id=zone_id, roles=DESK_ROLES, action=action)
    if roles_in(actor, zone_id) & OVER_BODIES:
        return
    if not on_desk_body(actor, zone_id):
        raise PermissionDenied(
            f"“{action}”由{desk_body_name()}办理：您不在该机构任职，不能办理。请联系{desk_body_name()}或管委会领导。"
        )


def require_member(actor: Any, enterprise: Any, *, action: str) -> None:
    """Raise unless ``actor`` is an enterprise user acting for ``enterprise``; another enterprise's
    record answers "not found"."""
    from onezone.enterprises.access import is_member_of

    require(actor, zone_id=enterprise.zone_id, roles=[Role.ENTERPRISE], action=action)
    if not is_member_of(actor, enterprise):
        raise NotFound("没有找到该记录，或您无权办理。")
