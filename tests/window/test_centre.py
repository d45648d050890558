"""部门进驻: stationed windows, who sits where on a day, and the desk offering a clerk their window's items."""

import datetime as dt

import pytest
from django.test import Client

from onezone.core.errors import InvalidInput, PermissionDenied
from onezone.org.models import Body
from onezone.window.centre import selectors as sel
from onezone.window.centre import services as svc
from onezone.window.centre.models import ServiceWindow

pytestmark = pytest.mark.django_db
D = dt.date
MONDAY = D(2026, 10, 12)


@pytest.fixture
def windows(zone, staff, org, items):
    housing = Body.objects.create(zone=zone, name="县住房和城乡建设局", kind=Body.Kind.SECTOR)
    comprehensive = svc.window_station(
        actor=staff["admin"],
        zone_id=zone.pk,
        body_id=org["service"].pk,
        number="1",
        name="综合受理窗口",
        kind=ServiceWindow.Kind.COMPREHENSIVE,
    )
    building = svc.window_station(
        actor=staff["admin"],
        zone_id=zone.pk,
        body_id=housing.pk,
        number="4",
        name="住建窗口",
        item_ids=[items["joint"].pk],
    )
    agency = svc.window_station(
        actor=staff["admin"],
        zone_id=zone.pk,
        body_id=org["economy"].pk,
        number="6",
        name="招商引资项目服务代办窗口",
        kind=ServiceWindow.Kind.AGENCY,
        item_ids=[items["instant"].pk],
    )
    return {"comprehensive": comprehensive, "building": building, "agency": agency}


def test_who_sits_where_on_a_day(zone, staff, windows):
    svc.window_seat(
        actor=staff["admin"],
        window_id=windows["building"].pk,
        user=staff["clerk"],
        weekdays=[1, 3],
        start=D(2026, 1, 1),
    )
    svc.window_seat(
        actor=staff["admin"],
        window_id=windows["comprehensive"].pk,
        user=staff["clerk"],
        weekdays=[2, 4, 5],
        start=D(2026, 1, 1),
    )
    svc.window_seat(
        actor=staff["admin"],
        window_id=windows["agency"].pk,
        user=staff["agent"],
        weekdays=[1, 2, 3, 4, 5],
        start=D(2026, 1, 1),
        end=D(2026, 10, 9),
    )
    monday = {w.window.number: w.staff for w in sel.centre_today(zone_id=zone.pk, on=MONDAY)}
    assert monday == {"1": [], "4": ["u-clerk"], "6": []}  # the agent's seat ended on 10-09
    tuesday = {w.window.number: w.staff for w in sel.centre_today(zone_id=zone.pk, on=MONDAY + dt.timedelta(days=1))}
    assert tuesday == {"1": ["u-clerk"], "4": [], "6": []}


def test_only_admins_station_and_only_window_staff_sit(zone, staff, org, windows):
    with pytest.raises(PermissionDenied):
        svc.window_station(actor=staff["clerk"], zone_id=zone.pk, body_id=org["service"].pk, number="9", name="x")
    with pytest.raises(InvalidInput, match="窗口受理人员"):
        svc.window_seat(
            actor=staff["admin"], window_id=windows["agency"].pk, user=staff["hr_officer"], weekdays=[1], start=MONDAY
        )
    with pytest.raises(InvalidInput, match="坐班日"):
        svc.window_seat(
            actor=staff["admin"], window_id=windows["agency"].pk, user=staff["agent"], weekdays=[8], start=MONDAY
        )
    assert ServiceWindow.objects.count() == 3


def test_the_desk_offers_a_clerk_only_the_items_of_their_window(zone, staff, windows, items, monkeypatch):
    svc.window_seat(
        actor=staff["admin"], window_id=windows["building"].pk, user=staff["clerk"], weekdays=[1], start=D(2026, 1, 1)
    )
    svc.window_seat(
        actor=staff["admin"],
        window_id=windows["comprehensive"].pk,
        user=staff["clerk"],
        weekdays=[2],
        start=D(2026, 1, 1),
    )
    assert sel.clerk_window_items(user=staff["clerk"], zone_id=zone.pk, on=MONDAY) == {items["joint"].pk}
    assert sel.clerk_window_items(user=staff["clerk"], zone_id=zone.pk, on=MONDAY + dt.timedelta(days=1)) is None
    assert sel.clerk_window_items(user=staff["clerk2"], zone_id=zone.pk, on=MONDAY) is None  # not seated: every item
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: MONDAY)
    client = Client()
    client.force_login(staff["clerk"])
    page = client.get("/desk/window/?q=Y00").content.decode()
    assert "建筑工程施工许可联合审批" in page and 'id="my-windows"' in page
    assert "企业投资项目备案" not in page and "建设项目环境影响评价审批" not in page
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: MONDAY + dt.timedelta(days=1))
    page = client.get("/desk/window/?q=Y00").content.decode()
    assert "企业投资项目备案" in page and "建设项目环境影响评价审批" in page


def test_the_centre_page_lists_the_windows(zone, staff, windows):
    svc.window_seat(
        actor=staff["admin"],
        window_id=windows["agency"].pk,
        user=staff["agent"],
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        start=D(2026, 1, 1),
    )
    client = Client()
    client.force_login(staff["clerk"])
    page = client.get("/desk/window/centre/?on=2026-10-12").content.decode()
    assert "招商引资项目服务代办窗口" in page and "u-agent" in page and "县住房和城乡建设局" in page
