"""Who may do what in which zone.

A user's roles are held per zone (``RoleGrant``). Every service function calls ``require`` before it
writes; every selector a page uses is given a zone the user may read (``require_read``). Acting on a
matter a body holds also needs the body: ``onezone.org.authority.require_on_body`` (it reads the
organisation's appointments, which ``core`` may not import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from onezone.core.errors import NotAuthenticated, PermissionDenied
from onezone.core.models import RoleGrant
from onezone.core.prepared import Prepared
from onezone.core.roles import Role

_CACHE_ATTR = "_onezone_role_cache"
# Read on nearly every request: compiled once per process.
_GRANTS = Prepared(
    lambda user_id: RoleGrant.objects.filter(user_id=user_id).values_list("zone_id", "role"), user_id=int
)


def _grants(user: Any) -> dict[int | None, frozenset[str]]:
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    grants: dict[int | None, set[str]] = {}
    for zone_id, role in _GRANTS(user_id=user.pk):
        grants.setdefault(zone_id, set()).add(role)
    frozen = {k: frozenset(v) for k, v in grants.items()}
    setattr(user, _CACHE_ATTR, frozen)
    return frozen


def forget_roles(user: Any) -> None:
    """Drop the cached roles of ``user`` (after a grant changes)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: Any, zone_id: int | None) -> frozenset[str]:
    """The roles ``user`` holds in the zone; a superuser is an administrator everywhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    grants = _grants(user)
    roles = set(grants.get(zone_id, ())) if zone_id is not None else set()
    if user.is_superuser:
        roles.add(Role.ADMIN)
    if Role.PROVINCE_SUPERVISOR in grants.get(None, ()):
        roles.add(Role.PROVINCE_SUPERVISOR)
    return frozenset(roles)


def has_role(user: Any, zone_id: int | None, roles: Iterable[str]) -> bool:
    return bool(roles_in(user, zone_id) & set(roles))


def readable_zone_ids(user: Any) -> set[int] | None:
    """The zones ``user`` may read; ``None`` means every zone (superuser, provincial supervisor)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return None
    grants = _grants(user)
    if Role.PROVINCE_SUPERVISOR in grants.get(None, ()):
        return None
    return {zone_id for zone_id in grants if zone_id is not None}


def can_read_zone(user: Any, zone_id: int) -> bool:
    zones = readable_zone_ids(user)
    return zones is None or zone_id in zones


def require(actor: Any, *, zone_id: int | None, roles: Iterable[str], action: str = "") -> None:
    """Raise unless ``actor`` holds one of ``roles`` in the zone.

    The provincial supervisor reads every zone but writes nowhere unless a role says so.
    """
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再操作。")
    wanted = set(roles)
    if roles_in(actor, zone_id) & wanted:
        return
    names = "、".join(Role(r).label for r in sorted(wanted))
    what = f"“{action}”" if action else "此操作"
    raise PermissionDenied(f"您在该开发区没有{what}的权限，需要以下角色之一：{names}。请联系系统管理员授权。")


def require_read(actor: Any, *, zone_id: int) -> None:
    """Raise unless ``actor`` may read the zone's data."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated("请先登录后再查看。")
    if not can_read_zone(actor, zone_id):
        raise PermissionDenied("您无权查看其他开发区的数据。")
