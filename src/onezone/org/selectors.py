"""Reads of the organisation registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from onezone.org.models import Appointment, Body, FollowUpTask, Person, RoutingRule


def bodies_of(zone_id: int) -> QuerySet[Body]:
    return Body.objects.filter(zone_id=zone_id).select_related("parent").order_by("order", "name")


def _active(on: dt.date) -> Q:
    return Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


@dataclass(frozen=True)
class CrossAppointment:
    person: Person
    appointments: list[Appointment]

    @property
    def bodies(self) -> list[Body]:
        return [a.post.body for a in self.appointments]


def cross_appointed(zone_id: int, on: dt.date | None = None) -> list[CrossAppointment]:
    """People holding posts in more than one body on ``on`` (交叉任职), with those posts."""
    on = on or timezone.localdate()
    appointments = (
        Appointment.objects.filter(_active(on), zone_id=zone_id)
        .select_related("person", "post__body")
        .order_by("person__name", "post__body__order")
    )
    by_person: dict[int, list[Appointment]] = {}
    for appointment in appointments:
        by_person.setdefault(appointment.person_id, []).append(appointment)
    return [
        CrossAppointment(person=items[0].person, appointments=items)
        for items in by_person.values()
        if len({a.post.body_id for a in items}) > 1
    ]


def body_heads(body: Body, on: dt.date | None = None) -> list[Person]:
    """Who holds the head post of ``body`` on ``on``: the person escalations go to."""
    return bodies_heads([body.pk], on).get(body.pk, [])


def bodies_heads(body_ids: Iterable[int], on: dt.date | None = None) -> dict[int, list[Person]]:
    """``body_heads`` of many bodies in one query: body id → its heads (bodies without one left out)."""
    on = on or timezone.localdate()
    heads: dict[int, list[Person]] = {}
    appointments = Appointment.objects.filter(_active(on), post__body_id__in=list(body_ids), post__is_head=True)
    for appointment in appointments.select_related("person", "post"):
        heads.setdefault(appointment.post.body_id, []).append(appointment.person)
    return heads


def open_tasks_for(user, zone_id: int) -> QuerySet[FollowUpTask]:
    """Open follow-up tasks the user owns, or that bodies they act for lead (``org.authority``), soonest
    deadline first."""
    person = Person.objects.filter(user=user, zone_id=zone_id).first()
    qs = FollowUpTask.objects.filter(zone_id=zone_id, status=FollowUpTask.Status.OPEN).select_related(
        "owner_body", "owner", "agenda_item__meeting"
    )
    if person is None:
        return qs.none()
    from onezone.org.authority import bodies_of_user

    body_ids = bodies_of_user(user, zone_id)
    return qs.filter(Q(owner=person) | Q(owner_body_id__in=body_ids)).order_by("deadline")


def routing_categories(zone_ids: Iterable[int]) -> list[tuple[str, str]]:
    """The routing rules' categories (code, name) of these zones, each once, in the rule table's order."""
    seen: dict[str, str] = {}
    for code, name in (
        RoutingRule.objects.filter(zone_id__in=list(zone_ids))
        .order_by("domain", "category")
        .values_list("category", "category_name")
    ):
        seen.setdefault(code, name)
    return list(seen.items())
