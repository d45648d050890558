"""Writes of the centre: stationing a body's window with its items, and seating staff at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from onezone.core.audit import audit_record
from onezone.core.errors import Conflict, InvalidInput, NotFound
from onezone.core.permissions import has_role, require
from onezone.core.roles import Role
from onezone.window.centre.models import ServiceWindow, WindowSeat

ADMINS = frozenset({Role.ADMIN})
SEATED_ROLES = frozenset({Role.CLERK, Role.AGENT, Role.REVIEWER})


def window_station(
    *,
    actor: Any,
    zone_id: int,
    body_id: int,
    number: str,
    name: str,
    kind: str = ServiceWindow.Kind.DEPARTMENT,
    item_ids: Iterable[int] = (),
    order: int = 0,
) -> ServiceWindow:
    """A body stationed at the centre takes a window and the items received there (部门进驻)."""
    from onezone.org.models import Body
    from onezone.powers.models import PowerItem
    from onezone.powers.rules import applied_for_problem

    require(actor, zone_id=zone_id, roles=ADMINS, action="设置进驻窗口")
    fields: dict[str, str] = {}
    if not number.strip():
        fields["number"] = "请填写窗口号。"
    if not name.strip():
        fields["name"] = "请填写窗口名称。"
    if kind not in ServiceWindow.Kind.values:
        fields["kind"] = "请选择窗口类型。"
    if fields:
        raise InvalidInput("窗口信息不完整：" + "；".join(fields.values()), fields=fields)
    if not Body.objects.filter(pk=body_id, zone_id=zone_id).exists():
        raise NotFound("进驻单位不属于本开发区。")
    item_ids = sorted(set(item_ids))
    items = list(PowerItem.objects.filter(zone_id=zone_id, pk__in=item_ids))
    if len(items) != len(item_ids):
        raise NotFound("所选事项不在本开发区的清单中。")
    for item in items:
        problem = applied_for_problem(item.category, item.name)
        if problem:
            raise InvalidInput(problem, fields={"item_ids": problem})
    with transaction.atomic():
        if ServiceWindow.objects.filter(zone_id=zone_id, number=number.strip()).exists():
            raise Conflict(f"窗口号“{number.strip()}”已被使用。")
        window = ServiceWindow.objects.create(
            zone_id=zone_id, body_id=body_id, number=number.strip(), name=name.strip(), kind=kind, order=order
        )
        window.items.set(items)
        audit_record(
            actor=actor, action="centre.window_station", obj=window, changes={"body": body_id, "items": len(items)}
        )
    return window


def window_seat(
    *,
    actor: Any,
    window_id: int,
    user: Any,
    weekdays: Iterable[int],
    start: dt.date,
    end: dt.date | None = None,
) -> WindowSeat:
    """Seat a member of window staff at a window on some weekdays (who sits where)."""
    window = ServiceWindow.objects.filter(pk=window_id).first()
    if window is None:
        raise NotFound("窗口不存在。")
    require(actor, zone_id=window.zone_id, roles=ADMINS, action="安排窗口坐班")
    weekdays = sorted(set(weekdays))
    if not weekdays or any(d not in range(1, 8) for d in weekdays):
        raise InvalidInput("请选择坐班日（周一至周日）。", fields={"weekdays": "请选择坐班日。"})
    if end is not None and end < start:
        raise InvalidInput("截止日期不能早于起始日期。", fields={"end": "截止日期早于起始日期。"})
    if not has_role(user, window.zone_id, SEATED_ROLES):
        raise InvalidInput(
            "只有本开发区的窗口受理人员、审查人员或代办员可以在窗口坐班。", fields={"user": "该用户不是窗口人员。"}
        )
    with transaction.atomic():
        seat = WindowSeat.objects.create(
            zone_id=window.zone_id, window=window, user=user, weekdays=weekdays, start=start, end=end
        )
        audit_record(actor=actor, action="centre.window_seat", obj=seat, changes={"user": user.pk, "days": weekdays})
    return seat
