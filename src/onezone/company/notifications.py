"""The operating company's notification event: a lease's rent bill coming due, or overdue.

``onezone sweep`` runs ``bills_due``: each unpaid bill due within ``DUE_DAYS`` is told to the zone's
company staff once, and once more when it has become overdue (for ``OVERDUE_DAYS`` after the due date,
so a long-standing arrear is not told again every day; the arrears report lists those).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from onezone.core.models import RoleGrant
from onezone.core.money import format_amount
from onezone.core.roles import Role
from onezone.core.sweeps import register_sweep
from onezone.notify.events import register_event
from onezone.notify.services import Message, notify_event_bulk

DUE_DAYS = 7
OVERDUE_DAYS = 30
CHUNK = 1000

register_event(
    "company.bill_due",
    label="租金账单到期",
    subject="租金账单 {{ number }}（{{ lessee }}）{{ when }}",
    body="合同：{{ lease }}\n承租企业：{{ lessee }}\n计租期间：{{ period }}\n应缴日期：{{ due }}\n"
    "应收 {{ amount }}，已收 {{ paid }}，未收 {{ outstanding }}",
)


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def bills_due(*, today: dt.date | None = None) -> int:
    """Tell the company staff of unpaid bills due soon or lately overdue, once each; returns how many were told."""
    from onezone.company.models import RentBill

    today = today or timezone.localdate()
    qs = (
        RentBill.objects.filter(
            paid__lt=F("amount"),
            due_on__gte=today - dt.timedelta(days=OVERDUE_DAYS),
            due_on__lte=today + dt.timedelta(days=DUE_DAYS),
        )
        .select_related("lease")
        .order_by("pk")
    )
    told, last = 0, 0
    staff: dict[int, list] = {}
    while chunk := list(qs.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1].pk
        zones = {b.zone_id for b in chunk} - set(staff)
        for grant in RoleGrant.objects.filter(zone_id__in=zones, role=Role.COMPANY_STAFF).select_related("user"):
            staff.setdefault(grant.zone_id, []).append(grant.user)
        by_zone: dict[int, list[Message]] = {}
        for bill in chunk:
            overdue = bill.due_on < today
            by_zone.setdefault(bill.zone_id, []).append(
                Message(
                    key=f"bill:{bill.pk}:{'overdue' if overdue else 'due'}",
                    recipients=staff.get(bill.zone_id, []),
                    context={
                        "number": bill.number,
                        "lease": bill.lease.number,
                        "lessee": bill.lease.lessee_name,
                        "when": f"已逾期（应缴日期 {_date(bill.due_on)}）"
                        if overdue
                        else f"将于 {_date(bill.due_on)} 到期",
                        "period": f"{_date(bill.period_start)}至{_date(bill.period_end)}",
                        "due": _date(bill.due_on),
                        "amount": format_amount(bill.amount),
                        "paid": format_amount(bill.paid),
                        "outstanding": format_amount(bill.amount - bill.paid),
                    },
                    link=f"/company/leases/{bill.lease_id}/",
                )
            )
        for zone_id, messages in by_zone.items():
            told += notify_event_bulk(zone_id=zone_id, event="company.bill_due", messages=messages)
    return told


def _sweep() -> str:
    return f"租金账单到期提醒 {bills_due()} 条"


register_sweep("company.bills_due", _sweep, order=85)
