"""Prepared queries give what the queryset gives, for any parameters, and refuse what they cannot run."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Value
from django.db.models.functions import Concat
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from onezone.core.models import RoleGrant
from onezone.core.prepared import Prepared, PreparedQueryError, PreparedRows
from onezone.zones.models import Zone

pytestmark = pytest.mark.django_db


def _zones_since(established, name):
    return Zone.objects.select_related("merged_town").filter(established__gte=established).exclude(name=name)


def test_model_rows_equal_the_querysets_for_each_call(zone, other_zone):
    other_zone.established = dt.date(2015, 6, 1)
    other_zone.save()
    prepared = Prepared(
        lambda established, name: _zones_since(established, name).annotate(label=Concat("code", Value("!"))),
        established=dt.date,
        name=str,
    )
    for established, name in [(dt.date(2000, 1, 1), ""), (dt.date(2012, 1, 1), ""), (dt.date(2000, 1, 1), zone.name)]:
        expected = list(_zones_since(established, name).annotate(label=Concat("code", Value("!"))))
        got = prepared(established=established, name=name)
        assert [model_to_dict(z) for z in got] == [model_to_dict(z) for z in expected]
        assert [z.label for z in got] == [z.label for z in expected]
        assert [type(z.established) for z in got] == [dt.date] * len(expected)
    first = prepared(established=dt.date(2000, 1, 1), name="")
    town = next(z for z in first if z.pk == zone.pk)
    with CaptureQueriesContext(connection) as queries:
        assert town.merged_town.name == "测试镇"  # select_related carried: no query
    assert not queries.captured_queries


def test_values_and_lists_and_counts(zone, other_zone, users):
    grants = Prepared(
        lambda user_id: RoleGrant.objects.filter(user_id=user_id).values_list("zone_id", "role"), user_id=int
    )
    for user in users.values():
        assert grants(user_id=user.pk) == list(RoleGrant.objects.filter(user=user).values_list("zone_id", "role"))
    codes = Prepared(lambda code: Zone.objects.filter(code=code).values("name", "code"), code=str)
    assert codes(code="otherzone") == [{"name": "另一工业园区", "code": "otherzone"}]
    # Annotations and fields come back in the order asked for, as from the queryset.
    mixed = Prepared(lambda code: Zone.objects.filter(code=code).annotate(shout=Concat("code", Value("!"))), code=str)
    for build in (
        lambda code: Zone.objects.filter(code=code).annotate(shout=Concat("code", Value("!"))).values("shout", "name"),
        lambda code: (
            Zone.objects.filter(code=code)
            .annotate(shout=Concat("code", Value("!")))
            .values_list("shout", "name", "code")
        ),
    ):
        assert Prepared(build, code=str)(code="testzone") == list(build("testzone"))
    assert mixed(code="testzone")[0].shout == "testzone!"
    assert codes(code="nowhere") == []
    count = Prepared(
        lambda province: (
            Zone.objects.filter(province_code=province)
            .order_by()
            .values("province_code")
            .annotate(n=Count("province_code"))
            .values_list("n", flat=True)
        ),
        province=str,
    )
    assert count(province="620000") == [2]
    assert count(province="110000") == []


def test_compiled_once_and_run_through_djangos_cursor(zone):
    built = []

    def build(code):
        built.append(code)
        return Zone.objects.filter(code=code).values_list("pk", flat=True)

    prepared = Prepared(build, code=str)
    with CaptureQueriesContext(connection) as queries:
        assert prepared(code="testzone") == [zone.pk]
        assert prepared(code="nowhere") == []
    assert len(built) == 2  # compiled on first use only (twice: see the next test)
    assert len(queries.captured_queries) == 2  # logged and counted like any query
    assert "nowhere" in queries.captured_queries[1]["sql"]


def test_a_constant_equal_to_a_stand_in_stays_a_constant(zone, other_zone):
    """Each parameter is compiled with two stand-in values; only the places that change are bound."""
    prepared = Prepared(lambda zone_id: Zone.objects.filter(pk=zone_id).exclude(pk=32_700), zone_id=int)
    assert prepared(zone_id=zone.pk) == [zone]
    assert prepared(zone_id=32_700) == []


# Zone codes of a province, a page at a time: the page bounds are the shape.
CODES_PAGE = Prepared(
    lambda offset, limit, province: (
        Zone.objects.filter(province_code=province)
        .order_by("code")
        .values_list("code", flat=True)[offset : offset + limit]
    ),
    province=str,
)


def test_shapes_compile_separately(zone, other_zone):
    assert CODES_PAGE(0, 1, province="620000") == ["otherzone"]
    assert CODES_PAGE(1, 1, province="620000") == ["testzone"]
    assert CODES_PAGE(0, 5, province="620000") == ["otherzone", "testzone"]


def test_prepared_rows_page_with_djangos_paginator(zone, other_zone):
    from django.core.paginator import Paginator

    counted = []
    source = PreparedRows(
        lambda: counted.append(1) or 2, lambda offset, limit: CODES_PAGE(offset, limit, province="620000")
    )
    paginator = Paginator(source, 1)
    assert paginator.num_pages == 2
    assert source.bounds is None
    assert list(paginator.get_page(2).object_list) == ["testzone"]
    assert counted == [1]  # counted once
    assert source.bounds == (1, 1)  # the page read, for another read of the same page


@pytest.mark.parametrize(
    ("build", "kinds", "message"),
    [
        (lambda name: Zone.objects.filter(name__icontains=name), {"name": str}, "bound parameter"),
        (lambda name: Zone.objects.filter(code="x"), {"name": str}, "bound parameter"),
        (lambda name: Zone.objects.filter(name=name).prefetch_related("parks"), {"name": str}, "prefetch"),
        (lambda name: Zone.objects.filter(name=name).values_list("name", named=True), {"name": str}, "unsupported"),
    ],
)
def test_refuses_what_it_cannot_run_from_a_cached_compilation(zone, build, kinds, message):
    with pytest.raises(PreparedQueryError, match=message):
        Prepared(build, **kinds)(**dict.fromkeys(kinds, "测试"))


def test_refuses_wrong_parameters(zone):
    prepared = Prepared(lambda zone_id: Zone.objects.filter(pk=zone_id), zone_id=int)
    for bad in (None, "1", True, 1.0):
        with pytest.raises(PreparedQueryError, match="zone_id"):
            prepared(zone_id=bad)
    with pytest.raises(PreparedQueryError, match="expected parameters"):
        prepared(pk=1)
    with pytest.raises(PreparedQueryError, match="only int, str and date"):
        Prepared(lambda when: Zone.objects.all(), when=dt.datetime)
    on = Prepared(lambda on: Zone.objects.filter(established=on), on=dt.date)
    with pytest.raises(PreparedQueryError, match="date"):
        on(on=dt.datetime(2020, 1, 1, 9))
