"""Concurrent writes on PostgreSQL: bill numbers are never repeated, an asset is never let twice."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from onezone.company.models import Lease, RentBill
from onezone.company.services import asset_register, bills_generate, lease_sign
from onezone.core.errors import Conflict

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write"),
]
D = Decimal


def run_together(jobs, timeout: float = 60):
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # collected and asserted by the caller
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), f"threads still running after {timeout}s"
    return results


def _factory(zone, park, staff, code):
    return asset_register(
        actor=staff,
        zone_id=zone.pk,
        code=code,
        name=code,
        kind="factory",
        park=park,
        cost=D("1000000"),
        acquired_on=dt.date(2025, 1, 1),
        useful_life_months=240,
    )


def test_bill_numbers_are_unique_under_concurrent_generation(zone, park, staff, enterprise):
    leases = []
    for i in range(6):
        leases.append(
            lease_sign(
                actor=staff,
                asset=_factory(zone, park, staff, f"F{i}"),
                number=f"L{i}",
                lessee=enterprise,
                start=dt.date(2026, 1, 1),
                end=dt.date(2026, 12, 31),
                rent=D("1000"),
                billing_cycle="monthly",
            )
        )
    results = run_together(
        [lambda lease=lease: bills_generate(actor=staff, lease=lease, through=dt.date(2026, 12, 1)) for lease in leases]
        + [lambda: bills_generate(actor=staff, lease=leases[0], through=dt.date(2026, 12, 1))]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = list(RentBill.objects.values_list("number", flat=True))
    assert len(numbers) == 72  # twelve per lease, the repeated run for lease 0 added none
    assert sorted(numbers) == [f"ZJ2026-{n:06d}" for n in range(1, 73)]


def test_an_asset_is_not_let_twice_under_concurrent_signing(zone, park, staff, enterprise):
    asset = _factory(zone, park, staff, "F")
    jobs = [
        lambda i=i: lease_sign(
            actor=staff,
            asset=asset,
            number=f"L{i}",
            lessee=enterprise,
            start=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            end=dt.date(2026, 12, 31),
            rent=D("1000"),
        )
        for i in range(5)
    ]
    results = run_together(jobs)
    assert sum(isinstance(r, Lease) for r in results) == 1
    assert all(isinstance(r, Conflict) for r in results if not isinstance(r, Lease))
    assert Lease.objects.count() == 1


def test_the_database_refuses_overlapping_leases(zone, park, staff, enterprise):
    asset = _factory(zone, park, staff, "F")
    lease = lease_sign(
        actor=staff,
        asset=asset,
        number="L1",
        lessee=enterprise,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        rent=D("1000"),
    )
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match="company_lease_no_overlap"):
        Lease.objects.create(
            zone=zone,
            number="L2",
            asset=asset,
            lessee=enterprise,
            lessee_name="x",
            lessee_uscc=lease.lessee_uscc,
            start=dt.date(2026, 6, 1),
            end=dt.date(2027, 5, 31),
            rent=D("1"),
            signed_on=dt.date(2026, 1, 1),
        )
