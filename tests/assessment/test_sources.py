"""How a module's figure is read: no transaction of its own for a read, a savepoint inside the caller's; a
failure raises, and the caller's transaction goes on."""

import pytest
from django.db import connection, transaction

from onezone.assessment import sources
from onezone.zones.models import Zone


def _module_with(fn):
    class Selectors:
        figure = staticmethod(fn)

    return Selectors


def test_outside_a_transaction_a_figure_is_read_without_opening_one(monkeypatch):
    seen = []

    def figure(**kwargs):
        seen.append((transaction.get_connection().in_atomic_block, kwargs))
        return 7

    monkeypatch.setattr(sources, "_selectors", lambda module: _module_with(figure))
    assert sources._call_now("investment.selectors", "figure", zone_id=1) == 7
    assert seen == [(False, {"zone_id": 1})]


@pytest.mark.django_db
def test_inside_a_transaction_a_failing_figure_raises_without_spoiling_it(monkeypatch, zone):
    savepoints = []

    def figure(**kwargs):
        savepoints.append(len(connection.savepoint_ids))
        with connection.cursor() as cursor:
            cursor.execute("SELECT missing_column FROM no_such_table_of_a_module")
        return 1

    monkeypatch.setattr(sources, "_selectors", lambda module: _module_with(figure))
    with transaction.atomic():
        outer = len(connection.savepoint_ids)
        with pytest.raises(sources.SourceError, match=r"investment\.selectors\.figure failed"):
            sources._call_now("investment.selectors", "figure", zone_id=zone.pk)
        assert savepoints == [outer + 1]
        assert Zone.objects.filter(pk=zone.pk).exists()


def test_outside_a_transaction_chain_gaps_are_read_without_opening_one(monkeypatch):
    seen = []

    class Selectors:
        @staticmethod
        def chain_summaries(zone_id):
            seen.append(transaction.get_connection().in_atomic_block)
            return []

    monkeypatch.setattr(sources, "_selectors", lambda module: Selectors)
    assert sources.chain_gaps(1) == []
    assert seen == [False]
