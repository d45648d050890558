"""Query counts of the reads pages use: they must not grow with the number of rows."""

import datetime as dt

import pytest

from onezone.enterprises.services import enterprise_register, enterprise_year_save
from onezone.policies.selectors import (
    enterprise_facts,
    grants_of_zone,
    matches_of_policy,
    matches_of_zone,
    policies_public,
    policy_qualifying,
)
from onezone.policies.services import policy_match_run
from tests.policies.conftest import ON, uscc

pytestmark = pytest.mark.django_db


def _more_enterprises(zone, users, parks, count):
    for serial in range(100, 100 + count):
        enterprise = enterprise_register(
            actor=users["admin"],
            zone_id=zone.pk,
            uscc=uscc(serial),
            name=f"扩展企业{serial}",
            industry_code="C2614",
            park=parks["hexipu"],
            size="above",
            tags=["专精特新"],
        )
        enterprise_year_save(actor=users["admin"], enterprise=enterprise, year=2025, tax="4000000", employees=80)


def test_facts_load_in_five_queries_whatever_the_number_of_enterprises(
    zone, users, parks, enterprises, django_assert_num_queries
):
    with django_assert_num_queries(5):
        small = enterprise_facts(zone.pk, on=ON)
    _more_enterprises(zone, users, parks, 6)
    with django_assert_num_queries(5):
        large = enterprise_facts(zone.pk, on=ON)
    assert (len(small), len(large)) == (5, 11)


def test_qualifying_for_a_policy_takes_eight_queries(
    zone, users, parks, enterprises, policies, django_assert_num_queries
):
    _more_enterprises(zone, users, parks, 4)
    # facts (5) + labels: industries, parks, tags (3)
    with django_assert_num_queries(8):
        rows = policy_qualifying(zone.pk, policies["zjtx"], on=ON)
    assert len(rows) == 5


def test_lists_take_one_query(zone, users, enterprises, policies, django_assert_num_queries):
    policy_match_run(actor=users["dept_head"], zone_id=zone.pk, on=dt.date(2026, 3, 1))
    with django_assert_num_queries(1):
        rows = list(policies_public(zone.pk, query="奖励"))
        assert [p.issuing_body for p in rows] == [None, None]
    with django_assert_num_queries(1):
        grants = [(g.policy.title, g.enterprise.name) for g in grants_of_zone(zone.pk)]
    assert len(grants) == 4
    with django_assert_num_queries(1):
        matches = [(m.policy.title, m.enterprise.name) for m in matches_of_zone(zone.pk)]
    assert len(matches) == 10
    with django_assert_num_queries(1):
        rows = [
            (m.enterprise.park.name, m.notice.title, getattr(m, "grant", None))
            for m in matches_of_policy(zone.pk, policies["jobs"].pk)
        ]
    assert len(rows) == 3
