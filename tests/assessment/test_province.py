"""The provincial supervisor lands on the province's overview: every zone, its rank and warnings."""

import pytest

from onezone.assessment.province import main_province, province_overview
from onezone.enterprises.selectors import open_requests_by_zone, open_requests_count

pytestmark = pytest.mark.django_db


def test_the_supervisor_lands_on_every_zone_of_the_province(client, zone, other_zone, users):
    client.force_login(users["province_supervisor"])
    text = client.get("/admin/").content.decode()
    assert 'id="province-overview"' in text
    assert "甘肃省开发区一览" in text
    assert zone.name in text and other_zone.name in text
    assert f'href="/desk/assessment/zones/{other_zone.pk}/"' in text
    assert "我的工作" not in text


def test_a_zones_staff_still_land_on_their_zone(client, zone, other_zone, users):
    client.force_login(users["clerk"])
    text = client.get("/admin/").content.decode()
    assert 'id="province-overview"' not in text and "我的工作" in text


def test_the_overview_reads_every_zone_in_a_fixed_number_of_queries(zone, other_zone, users, django_assert_num_queries):
    assert main_province() == "620000"
    # the user's role grants, zones, evaluation, the year's cases, late cases, open requests
    with django_assert_num_queries(6):
        overview = province_overview(user=users["province_supervisor"], province_code="620000", year=2026)
    assert [(r.zone_name, r.rank, r.cases, r.open_requests) for r in overview.rows] == [
        (other_zone.name, None, 0, 0),
        (zone.name, None, 0, 0),
    ]
    assert overview.evaluation_label == ""


def test_open_requests_by_zone_agrees_with_the_zones_own_count(zone, other_zone):
    assert open_requests_by_zone(zone_ids=[zone.pk, other_zone.pk]) == {
        zone.pk: open_requests_count(zone_id=zone.pk),
        other_zone.pk: 0,
    }
