"""The sweep's warnings of this area: plans out of date, drills overdue, hazardous vehicles overstaying.

Each warning is one notification per recipient under a key naming its occurrence, so running the sweep
again tells nobody twice; the record's warned marker says when it was first told.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.notify.services import Message, notify_event_bulk
from onezone.safety.models import EmergencyPlan, VehicleStay
from onezone.safety.selectors.operations import hazmat_inside, plans_status

EVENT_PLAN_STALE = "safety.plan_stale"
EVENT_DRILL_OVERDUE = "safety.drill_overdue"
EVENT_VEHICLE_OVERSTAY = "safety.vehicle_overstay"


def _officers(zone_id: int) -> list:
    grants = RoleGrant.objects.filter(zone_id=zone_id, role=Role.SAFETY_OFFICER).select_related("user")
    return [g.user for g in grants]


def _members(zone_id: int, enterprise_ids: set[int]) -> dict[int, list]:
    from onezone.enterprises.models import EnterpriseMember

    out: dict[int, list] = {}
    for link in EnterpriseMember.objects.filter(zone_id=zone_id, enterprise_id__in=enterprise_ids).select_related(
        "user"
    ):
        out.setdefault(link.enterprise_id, []).append(link.user)
    return out


def operations_sweep_zone(*, zone_id: int, today: dt.date, now: dt.datetime) -> dict[str, int]:
    """Warn of one zone's plans out of date, drills overdue and vehicles overstaying; counts of new warnings."""
    officers = _officers(zone_id)
    plans = plans_status(zone_id=zone_id, today=today)
    members = _members(zone_id, {p.plan.enterprise_id for p in plans if p.plan.enterprise_id})
    stale, overdue = [], []
    for row in plans:
        plan = row.plan
        owner = plan.enterprise.name if plan.enterprise_id else "园区"
        recipients = officers + members.get(plan.enterprise_id, [])
        context = {"title": plan.title, "owner": owner}
        if row.stale:
            stale.append(
                Message(
                    key=f"plan:{plan.pk}:stale:{plan.revised_on}",
                    recipients=recipients,
                    context={**context, "revised_on": str(plan.revised_on), "due": str(row.review_due)},
                    link="/desk/safety/emergency/",
                )
            )
        if row.drill_overdue:
            overdue.append(
                Message(
                    key=f"plan:{plan.pk}:drill:{row.drill_due}",
                    recipients=recipients,
                    context={**context, "due": str(row.drill_due), "last": str(row.last_drill or "未演练")},
                    link="/desk/safety/emergency/",
                )
            )
    overstaying = [r for r in hazmat_inside(zone_id=zone_id, now=now) if r.overstay]
    vehicles = [
        Message(
            key=f"stay:{r.stay.pk}:overstay",
            recipients=officers,
            context={"plate": r.stay.plate, "chemical": r.stay.chemical, "hours": r.hours},
            link="/desk/safety/gates/",
        )
        for r in overstaying
    ]
    with transaction.atomic():
        counts = {
            "plans": notify_event_bulk(zone_id=zone_id, event=EVENT_PLAN_STALE, messages=stale) if stale else 0,
            "drills": notify_event_bulk(zone_id=zone_id, event=EVENT_DRILL_OVERDUE, messages=overdue) if overdue else 0,
            "vehicles": notify_event_bulk(zone_id=zone_id, event=EVENT_VEHICLE_OVERSTAY, messages=vehicles)
            if vehicles
            else 0,
        }
        EmergencyPlan.objects.filter(pk__in=[r.plan.pk for r in plans if r.stale], stale_warned_on__isnull=True).update(
            stale_warned_on=today
        )
        EmergencyPlan.objects.filter(
            pk__in=[r.plan.pk for r in plans if r.drill_overdue], drill_warned_on__isnull=True
        ).update(drill_warned_on=today)
        VehicleStay.objects.filter(pk__in=[r.stay.pk for r in overstaying], overstay_warned=False).update(
            overstay_warned=True
        )
    return counts


def operations_sweep() -> str:
    """Every zone's warnings of this area; a one-line summary."""
    from onezone.zones.models import Zone

    today, now = timezone.localdate(), timezone.now()
    totals = {"plans": 0, "drills": 0, "vehicles": 0}
    for zone_id in Zone.objects.order_by("pk").values_list("pk", flat=True):
        for key, value in operations_sweep_zone(zone_id=zone_id, today=today, now=now).items():
            totals[key] += value
    return (
        f"应急预案超期提醒 {totals['plans']} 条，演练逾期提醒 {totals['drills']} 条，"
        f"危化品车辆超时滞留提醒 {totals['vehicles']} 条"
    )
