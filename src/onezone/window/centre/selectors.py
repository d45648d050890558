"""Reads of the centre: who sits where on a day, and which items a clerk's window takes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from onezone.window.centre.models import ServiceWindow, WindowSeat


def _seated_on(on: dt.date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def _sits(seat: WindowSeat, on: dt.date) -> bool:
    return on.isoweekday() in (seat.weekdays or [])


@dataclass(frozen=True)
class WindowToday:
    window: ServiceWindow
    body_name: str
    staff: list[str]
    item_count: int


def centre_today(*, zone_id: int, on: dt.date) -> list[WindowToday]:
    """Every window of the centre with its stationed body and the staff sitting there on ``on``."""
    windows = list(
        ServiceWindow.objects.filter(zone_id=zone_id).select_related("body").annotate(item_count=Count("items"))
    )
    staff: dict[int, list[str]] = {w.pk: [] for w in windows}
    seats = WindowSeat.objects.filter(_seated_on(on), zone_id=zone_id).select_related("user").order_by("user__username")
    for seat in seats:
        if _sits(seat, on):
            name = seat.user.get_full_name() or seat.user.get_username()
            staff[seat.window_id].append(name)
    return [
        WindowToday(
            window=w,
            body_name=w.body.name,
            staff=staff[w.pk],
            item_count=w.item_count,
        )
        for w in windows
    ]


def clerk_window_items(*, user: Any, zone_id: int, on: dt.date) -> set[int] | None:
    """The items of the windows ``user`` sits at on ``on``; None when they sit at none, or at a comprehensive
    window (every item is offered)."""
    seats = [
        s
        for s in WindowSeat.objects.filter(_seated_on(on), zone_id=zone_id, user=user).select_related("window")
        if _sits(s, on)
    ]
    if not seats or any(s.window.kind == ServiceWindow.Kind.COMPREHENSIVE for s in seats):
        return None
    through = ServiceWindow.items.through
    return set(
        through.objects.filter(servicewindow_id__in=[s.window_id for s in seats]).values_list("poweritem_id", flat=True)
    )


def windows_of_user(*, user: Any, zone_id: int, on: dt.date) -> list[ServiceWindow]:
    return [
        s.window
        for s in WindowSeat.objects.filter(_seated_on(on), zone_id=zone_id, user=user).select_related("window")
        if _sits(s, on)
    ]
