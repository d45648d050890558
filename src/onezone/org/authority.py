"""Authority by body: who may act on a matter a body holds (a request, a task, a hazard, a case).

A role says what kind of work a person does in a zone; the body says whose work it is. Acting on a
matter held by a body needs both: one of the step's roles in the zone, and being on that body —
appointed to a post in it today, or holding the head post of a body above it — unless one is a
leader or an administrator of the zone, who act for every body. This is the one rule; every acting
service calls ``require_on_body`` and every page asks ``may_act`` before it shows the action.

It lives in ``org`` (not ``core``) because it reads the organisation's appointments: ``core`` depends
on no domain app, and every app that holds matters by body stands above ``org``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from onezone.core.errors import NotAuthenticated, PermissionDenied
from onezone.core.permissions import require, roles_in
from onezone.core.roles import Role

# Act for every body of the zone: its leadership and its system administrator.
ZONE_WIDE_ROLES = frozenset({Role.ADMIN, Role.LEADER})


def posts_of_user(user: Any, zone_id: int, on: dt.date | None = None) -> dict[int, bool]:
    """The bodies in which ``user`` holds a post on ``on``: body id → whether they hold its head post."""
    from onezone.org.models import Appointment

    if not getattr(user, "is_authenticated", False):
        return {}
    on = on or timezone.localdate()
    posts: dict[int, bool] = {}
    rows = Appointment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=on), zone_id=zone_id, person__user_id=user.pk, start__lte=on
    ).values_list("post__body_id", "post__is_head")
    for body_id, is_head in rows:
        posts[body_id] = posts.get(body_id, False) or is_head
    return posts


def bodies_of_user(user: Any, zone_id: int, on: dt.date | None = None) -> frozenset[int]:
    """The bodies ``user`` acts for on ``on``: those they hold a post in, and every body below one whose
    head post they hold."""
    from onezone.org.models import Body

    posts = posts_of_user(user, zone_id, on)
    headed = [pk for pk, is_head in posts.items() if is_head]
    if not headed:
        return frozenset(posts)
    children: dict[int, list[int]] = {}
    for pk, parent_id in Body.objects.filter(zone_id=zone_id, parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    below: set[int] = set()
    while headed:
        for child in children.get(headed.pop(), ()):
            if child not in below:
                below.add(child)
                headed.append(child)
    return frozenset(posts) | below


def acts_for(user: Any, *, zone_id: int, body_ids: Iterable[int | None]) -> bool:
    """Whether ``user`` acts for any of ``body_ids`` in the zone (a leader or administrator for all)."""
    if roles_in(user, zone_id) & ZONE_WIDE_ROLES:
        return True
    wanted = {pk for pk in body_ids if pk is not None}
    return bool(wanted) and bool(wanted & bodies_of_user(user, zone_id))


def may_act(user: Any, *, zone_id: int, roles: Iterable[str], body_ids: Iterable[int | None]) -> bool:
    """Whether ``user`` holds one of ``roles`` in the zone and acts for one of the bodies (for pages)."""
    return bool(roles_in(user, zone_id) & set(roles)) and acts_for(user, zone_id=zone_id, body_ids=body_ids)


def require_on_body(
    actor: Any,
    *,
    zone_id: int,
    roles: Iterable[str],
    body_ids: Iterable[int | None],
    action: str,
    what: str = "该事项",
    held: str = "承办",
) -> None:
    """Raise unless ``actor`` holds one of ``roles`` in the zone and acts for one of ``body_ids``.

    ``body_ids`` are the bodies that hold the matter (``None`` entries are ignored). The refusal names
    them, so the person knows whom to ask: "{what}由{the bodies}{held}……".
    """
    from onezone.org.models import Body

    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    require(actor, zone_id=zone_id, roles=roles, action=action)
    holders = [pk for pk in body_ids if pk is not None]
    if acts_for(actor, zone_id=zone_id, body_ids=holders):
        return
    names = "、".join(f"“{name}”" for name in Body.objects.filter(pk__in=holders).values_list("name", flat=True))
    raise PermissionDenied(
        f"{what}由{names or '（未指定的机构）'}{held}，只有在该机构任职的人员、其上级机构负责人或管委会领导"
        f"可以“{action}”；如需由其他机构办理，请先改派承办机构，或联系该机构办理。"
    )
