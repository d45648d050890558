from decimal import Decimal

import pytest
from django.test import Client

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.zones.models import Park
from onezone.zones.selectors import industry_fits_park
from onezone.zones.services import industry_normalise, park_create, zone_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_park_with_leading_industries_and_fit(zone, users):
    park = park_create(
        actor=users["admin"],
        zone=zone,
        name="化工园",
        code="chem",
        planned_area_km2=Decimal("10"),
        built_area_km2=Decimal("3"),
        industry_codes=["C26", "2652"],
    )
    assert sorted(park.leading_industries.values_list("code", flat=True)) == ["C26", "C2652"]
    assert industry_fits_park(park=park, industry_code="C2614") is True
    assert industry_fits_park(park=park, industry_code="C1351") is False


def test_built_area_cannot_exceed_planned(zone, users):
    with pytest.raises(InvalidInput, match="建成面积不能大于规划面积"):
        park_create(
            actor=users["admin"],
            zone=zone,
            name="园",
            code="p",
            planned_area_km2=Decimal("1"),
            built_area_km2=Decimal("2"),
            industry_codes=[],
        )
    assert Park.objects.count() == 0


def test_unknown_industry_code_is_refused(zone, users):
    with pytest.raises(InvalidInput, match="前两位不是有效的行业大类"):
        industry_normalise("9999")
    with pytest.raises(InvalidInput, match="不在行业目录中"):
        park_create(
            actor=users["admin"],
            zone=zone,
            name="园",
            code="p",
            planned_area_km2=Decimal("1"),
            built_area_km2=Decimal("1"),
            industry_codes=["C2699"],
        )


def test_zone_admin_cannot_create_zones(zone, users):
    with pytest.raises(PermissionDenied):
        zone_create(
            actor=users["admin"],
            name="新区",
            code="new",
            level="provincial",
            area_code="620321",
            province_code="620000",
            approved_area_km2=Decimal(1),
            planned_area_km2=Decimal(1),
        )


def test_zone_area_code_is_validated(root):
    with pytest.raises(InvalidInput, match="省级代码"):
        zone_create(
            actor=root,
            name="新区",
            code="new",
            level="provincial",
            area_code="990321",
            province_code="620000",
            approved_area_km2=Decimal(1),
            planned_area_km2=Decimal(1),
        )


def test_parks_api_and_zone_scoping(zone, other_zone, users):
    park_create(
        actor=users["admin"],
        zone=zone,
        name="化工园",
        code="chem",
        planned_area_km2=Decimal("10"),
        built_area_km2=Decimal("3"),
        industry_codes=["C26"],
    )
    client = Client()
    client.login(username="u-clerk", password=PASSWORD)
    response = client.get(f"/api/v1/zones/{zone.pk}/parks")
    assert response.status_code == 200
    assert response.json()[0]["leading_industries"] == [{"code": "C26", "name": "化学原料和化学制品制造业"}]
    assert client.get(f"/api/v1/zones/{other_zone.pk}/parks").status_code == 403


def test_admin_park_list_shows_only_own_zone(zone, other_zone, users, root):
    park_create(
        actor=root,
        zone=other_zone,
        name="别人的园",
        code="x",
        planned_area_km2=Decimal("1"),
        built_area_km2=Decimal("1"),
        industry_codes=[],
    )
    park_create(
        actor=root,
        zone=zone,
        name="自己的园",
        code="y",
        planned_area_km2=Decimal("1"),
        built_area_km2=Decimal("1"),
        industry_codes=[],
    )
    client = Client()
    client.login(username="u-admin", password=PASSWORD)
    page = client.get("/admin/zones/park/").content.decode()
    assert "自己的园" in page and "别人的园" not in page
