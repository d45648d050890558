"""The safety base's part of ``onezone sweep``: warnings before a hazard's time limit, escalation after
it, licences near expiry and overdue responsibility checks.

Idempotent: each alert has a key naming its occurrence (``hazard:12:overdue:2026-12-05``), unique per
zone, and only keys not raised before are inserted and told; the notifications carry the same key, so
a second run the same day adds nothing and tells nobody. A hazard whose time limit is reset raises
its warnings again for the new date. The work is bounded by the records in reach: the open hazards
near or past their limit, the licences in the warning window, the responsible people of major hazards.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.roles import Role
from onezone.safety.models import Hazard, HazardAlert
from onezone.safety.selectors import base as selectors

EVENTS = {
    HazardAlert.Kind.HAZARD_WARNING: "safety.hazard_warning",
    HazardAlert.Kind.HAZARD_OVERDUE: "safety.hazard_overdue",
    HazardAlert.Kind.LICENCE_EXPIRING: "safety.licence_expiring",
    HazardAlert.Kind.CHECK_OVERDUE: "safety.check_overdue",
}
ENTERPRISE_WARNING = "safety.hazard_warning_enterprise"


@dataclass
class _Due:
    """An alert to raise: its row, who at the body and at the enterprise are told, and what they read."""

    alert: HazardAlert
    enterprise_id: int
    body_id: int | None = None
    escalate: bool = False
    context: dict[str, Any] = field(default_factory=dict)
    link: str = ""


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _hazard_alerts(zone_id: int, today: dt.date) -> list[_Due]:
    limit = today + dt.timedelta(days=selectors.hazard_warning_days())
    near = (
        Hazard.objects.filter(zone_id=zone_id, status__in=selectors.RUNNING, deadline__lte=limit)
        .select_related("enterprise")
        .order_by("deadline", "id")
    )
    out = []
    for h in near.iterator(chunk_size=2000):
        overdue = h.deadline < today
        kind = HazardAlert.Kind.HAZARD_OVERDUE if overdue else HazardAlert.Kind.HAZARD_WARNING
        words = "已超过整改期限" if overdue else "即将到整改期限"
        message = f"隐患{h.number}（{h.enterprise.name}：{h.title}）{words}{_date(h.deadline)}。"
        out.append(
            _Due(
                alert=HazardAlert(
                    zone_id=zone_id,
                    key=f"hazard:{h.pk}:{'overdue' if overdue else 'warning'}:{h.deadline.isoformat()}",
                    kind=kind,
                    hazard=h,
                    due=h.deadline,
                    message=message[:300],
                    raised_on=today,
                ),
                enterprise_id=h.enterprise_id,
                body_id=h.body_id,
                escalate=overdue,
                context={
                    "number": h.number,
                    "enterprise": h.enterprise.name,
                    "title": h.title,
                    "deadline": _date(h.deadline),
                    "days": abs((h.deadline - today).days),
                },
                link=f"/desk/safety/hazards/{h.pk}/",
            )
        )
    return out


def _licence_alerts(zone_id: int, today: dt.date) -> list[_Due]:
    out = []
    for lic in selectors.licences_expiring(zone_id=zone_id, today=today):
        state = "已过期" if lic.expired else "即将到期"
        out.append(
            _Due(
                alert=HazardAlert(
                    zone_id=zone_id,
                    key=f"licence:{lic.id}:{lic.valid_to.isoformat()}",
                    kind=HazardAlert.Kind.LICENCE_EXPIRING,
                    due=lic.valid_to,
                    message=f"{lic.enterprise_name}的{lic.kind_label}（{lic.number}）{state}：有效期至{_date(lic.valid_to)}。"[
                        :300
                    ],
                    raised_on=today,
                ),
                enterprise_id=lic.enterprise_id,
                context={
                    "enterprise": lic.enterprise_name,
                    "kind": lic.kind_label,
                    "number": lic.number,
                    "valid_to": _date(lic.valid_to),
                },
            )
        )
    return out


def _check_alerts(zone_id: int, today: dt.date) -> list[_Due]:
    out = []
    for row in selectors.responsibility_overdue(zone_id=zone_id, today=today):
        due = row.due if row.overdue else row.holiday
        what = "定期检查" if row.overdue else f"节假日（{_date(row.holiday)}起）前检查"
        out.append(
            _Due(
                alert=HazardAlert(
                    zone_id=zone_id,
                    key=f"check:{row.responsible_id}:{'periodic' if row.overdue else 'holiday'}:{due.isoformat()}",
                    kind=HazardAlert.Kind.CHECK_OVERDUE,
                    due=due,
                    message=f"{row.enterprise_name}“{row.installation_name}”的{row.duty_label}{row.name}"
                    f"{what}已逾期（应于{_date(due)}前）。"[:300],
                    raised_on=today,
                ),
                enterprise_id=row.enterprise_id,
                context={
                    "enterprise": row.enterprise_name,
                    "installation": row.installation_name,
                    "duty": row.duty_label,
                    "name": row.name,
                    "what": what,
                    "due": _date(due),
                },
            )
        )
    return out


def _recipients(zone_id: int, dues: list[_Due], today: dt.date) -> tuple[dict, dict, dict, list]:
    """Users of each enterprise, staff and heads of each body, the zone's leaders (a fixed number of queries)."""
    from onezone.enterprises.models import EnterpriseMember
    from onezone.org.models import Appointment

    users = get_user_model().objects
    by_enterprise: dict[int, list] = defaultdict(list)
    members = EnterpriseMember.objects.filter(
        zone_id=zone_id, enterprise_id__in={d.enterprise_id for d in dues}
    ).select_related("user")
    for m in members:
        by_enterprise[m.enterprise_id].append(m.user)
    staff: dict[int, list] = defaultdict(list)
    heads: dict[int, list] = defaultdict(list)
    active = Appointment.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today),
        zone_id=zone_id,
        start__lte=today,
        post__body_id__in={d.body_id for d in dues if d.body_id},
        person__user__isnull=False,
    ).select_related("person__user", "post")
    for a in active:
        staff[a.post.body_id].append(a.person.user)
        if a.post.is_head:
            heads[a.post.body_id].append(a.person.user)
    leaders = list(users.filter(role_grants__zone_id=zone_id, role_grants__role=Role.LEADER, is_active=True))
    return by_enterprise, staff, heads, leaders


def sweep_zone(zone_id: int, today: dt.date) -> dict[str, int]:
    """Raise the zone's new safety alerts and tell their people; counts of new alerts by kind."""
    from onezone.notify.services import Message, notify_event_bulk

    dues = _hazard_alerts(zone_id, today) + _licence_alerts(zone_id, today) + _check_alerts(zone_id, today)
    if not dues:
        return {}
    known = set(
        HazardAlert.objects.filter(zone_id=zone_id, key__in=[d.alert.key for d in dues]).values_list("key", flat=True)
    )
    fresh = [d for d in dues if d.alert.key not in known]
    if not fresh:
        return {}
    by_enterprise, staff, heads, leaders = _recipients(zone_id, fresh, today)
    messages: dict[str, list[Message]] = defaultdict(list)
    for d in fresh:
        kind = d.alert.kind
        if kind in {HazardAlert.Kind.HAZARD_WARNING, HazardAlert.Kind.HAZARD_OVERDUE}:
            told = heads.get(d.body_id, []) + leaders if d.escalate else staff.get(d.body_id, [])
            messages[EVENTS[kind]].append(Message(key=d.alert.key, recipients=told, context=d.context, link=d.link))
            if not d.escalate:
                messages[ENTERPRISE_WARNING].append(
                    Message(key=d.alert.key, recipients=by_enterprise.get(d.enterprise_id, []), context=d.context)
                )
        else:
            messages[EVENTS[kind]].append(
                Message(key=d.alert.key, recipients=by_enterprise.get(d.enterprise_id, []), context=d.context)
            )
    counts: dict[str, int] = defaultdict(int)
    for d in fresh:
        counts[d.alert.kind] += 1
    with transaction.atomic():
        HazardAlert.objects.bulk_create([d.alert for d in fresh], ignore_conflicts=True)
        for event, batch in messages.items():
            notify_event_bulk(zone_id=zone_id, event=event, messages=batch)
        audit_record(
            actor="sweep",
            action="safety.sweep",
            zone_id=zone_id,
            object_type="safety.hazardalert",
            changes={"on": today, **counts},
        )
    return dict(counts)


def sweep(today: dt.date | None = None) -> str:
    """Run the safety sweep for every zone with safety records; a one-line summary."""
    from onezone.safety.models import Installation, Licence

    today = today or timezone.localdate()
    zone_ids = sorted(
        set(Hazard.objects.filter(status__in=selectors.RUNNING).values_list("zone_id", flat=True).distinct())
        | set(Licence.objects.values_list("zone_id", flat=True).distinct())
        | set(Installation.objects.filter(major=True).values_list("zone_id", flat=True).distinct())
    )
    totals: dict[str, int] = defaultdict(int)
    for zone_id in zone_ids:
        for kind, n in sweep_zone(zone_id, today).items():
            totals[kind] += n
    labels = dict(HazardAlert.Kind.choices)
    parts = [f"{labels[k]} {totals.get(k, 0)} 条" for k in HazardAlert.Kind.values]
    return "安全提醒：" + "，".join(parts)
