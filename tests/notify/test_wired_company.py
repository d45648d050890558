"""Rent bills due tell the company's staff, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onezone.company.notifications import bills_due
from onezone.company.services import bills_generate, lease_sign
from onezone.notify.models import Notification
from tests.company.conftest import enterprise, factory, park, staff  # noqa: F401  fixtures

pytestmark = pytest.mark.django_db
D = dt.date


def test_rent_bills_due_are_told_to_the_company_staff(zone, staff, factory, enterprise):  # noqa: F811
    lease = lease_sign(
        actor=staff,
        asset=factory,
        number="ZL-2026-001",
        lessee=enterprise,
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
        rent=Decimal("30000"),
        billing_cycle="quarterly",
    )
    bills = bills_generate(actor=staff, lease=lease, through=D(2026, 12, 31))
    july = next(b for b in bills if b.due_on == D(2026, 7, 1))
    assert bills_due(today=D(2026, 6, 23)) == 0
    assert bills_due(today=D(2026, 6, 24)) == 1
    assert bills_due(today=D(2026, 6, 25)) == 0
    n = Notification.objects.get()
    assert n.recipient == staff
    assert n.subject == f"租金账单 {july.number}（永昌新材料有限公司）将于 2026年7月1日 到期"
    assert "未收 9.00万元" in n.body
    assert bills_due(today=D(2026, 7, 2)) == 1
    assert Notification.objects.filter(key=f"bill:{july.pk}:overdue").count() == 1
