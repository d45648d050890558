"""The catalogue's figures that the records give, a failing source that raises, and the evaluation that
collects the values of the zones running on the site."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from onezone.assessment import sources
from onezone.assessment.models import Actual, SchemeNode, ZoneValue
from onezone.assessment.services import actual_enter, actuals_compute, evaluation_compute, target_set
from onezone.enterprises.services import InspectionBlocked, enterprise_register, inspection_plan
from tests.enterprises.conftest import uscc

pytestmark = pytest.mark.django_db


def _registered(setup, users, parks, n: int, established: dt.date | None):
    return enterprise_register(
        actor=users["admin"],
        zone_id=setup.pk,
        uscc=uscc(100 + n),
        name=f"永昌新入驻{n}号有限公司",
        industry_code="C3211",
        park=parks["hexipu"],
        established=established,
    )


def test_new_enterprises_are_those_registered_in_the_year(setup, users, parks):
    for n, established in enumerate(
        [dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2025, 12, 31), dt.date(2027, 1, 1), None]
    ):
        _registered(setup, users, parks, n, established)
    assert sources.figure("enterprises.new_enterprises", zone_id=setup.pk, year=2026).value == D(2)
    assert sources.figure("enterprises.new_enterprises", zone_id=setup.pk, year=2025).value == D(1)
    assert sources.figure("enterprises.new_enterprises", zone_id=setup.pk, year=2024).value == D(0)


def test_inspections_avoided_are_the_visits_the_register_refused(firms, users, bodies):
    for planned_on in (dt.date(2026, 10, 12), dt.date(2026, 11, 2), dt.date(2025, 6, 1)):
        with pytest.raises(InspectionBlocked):
            inspection_plan(
                actor=users["dept_head"],
                enterprise=firms["c"],
                body=bodies["enforcement"],
                kind="routine",
                planned_on=planned_on,
                purpose="例行检查",
            )
    zone_id = firms["c"].zone_id
    assert sources.figure("enterprises.inspections_avoided", zone_id=zone_id, year=2026).value == D(2)
    assert sources.figure("enterprises.inspections_avoided", zone_id=zone_id, year=2025).value == D(1)


def test_a_computed_count_is_stored_and_refuses_a_hand_typed_value(setup, users, parks):
    _registered(setup, users, parks, 1, dt.date(2026, 3, 1))
    target = target_set(actor=users["leader"], zone_id=setup.pk, year=2026, indicator_key="new_enterprises", value="4")
    assert actuals_compute(actor=users["leader"], zone_id=setup.pk, year=2026) == {"computed": 1, "unavailable": 0}
    assert Actual.objects.get(target=target).value == D(1)
    with pytest.raises(Exception, match="自动计算，不能手工填报"):
        actual_enter(actor=users["leader"], target=target, value="9", evidence_reference="某台账")
    assert Actual.objects.get(target=target).value == D(1)


def test_a_failing_source_raises_and_no_hand_typed_value_is_taken_for_it(monkeypatch, setup, users):
    def broken(**kwargs):
        raise LookupError("the table moved")

    class Figures:
        enterprises_registered_count = staticmethod(broken)

    real = sources._selectors
    monkeypatch.setattr(
        sources, "_selectors", lambda module: Figures if module == "enterprises.figures" else real(module)
    )
    target = target_set(actor=users["leader"], zone_id=setup.pk, year=2026, indicator_key="new_enterprises", value="4")
    with pytest.raises(sources.SourceError):
        sources.figure("enterprises.new_enterprises", zone_id=setup.pk, year=2026)
    with pytest.raises(sources.SourceError):
        actual_enter(actor=users["leader"], target=target, value="9", evidence_reference="某台账")
    with pytest.raises(sources.SourceError):
        actuals_compute(actor=users["leader"], zone_id=setup.pk, year=2026)
    assert not Actual.objects.exists()


def test_a_module_answering_without_the_figure_raises(monkeypatch, setup):
    class Figures:
        pass

    class Window:
        @staticmethod
        def zone_case_figures(**kwargs):
            return Figures()

    monkeypatch.setattr(sources, "_selectors", lambda module: Window)
    with pytest.raises(sources.SourceError, match="on_time_rate"):
        sources.figure("window.on_time_rate", zone_id=setup.pk, year=2026)


def test_the_evaluation_collects_the_values_of_the_zones_on_the_site(
    firms, users, root, scheme, province_values, monkeypatch
):
    """zone X runs on the site (it has enterprises): its leaf a1 has a source and is computed from its records;
    Y and Z only report their values, which stay as reported."""
    from onezone.enterprises.models import EnterpriseYear

    zone = province_values["X"]
    SchemeNode.objects.filter(scheme=scheme, key="a1").update(source="per_km2:enterprises.output")
    for enterprise, output in ((firms["a"], D("600000000")), (firms["b"], D("300000000"))):
        EnterpriseYear.objects.create(zone=zone, enterprise=enterprise, year=2025, output_value=output)
    evaluation = evaluation_compute(actor=root, scheme=scheme, year=2025)
    # (6 + 3) × 10⁸ yuan = 90,000 万元 over the zone's 50 km² planned area = 1,800 万元/km².
    stored = ZoneValue.objects.get(zone=zone, year=2025, key="a1")
    assert (stored.value, stored.origin, stored.source) == (
        D("1800.0000"),
        "computed",
        "本站记录：per_km2:enterprises.output",
    )
    others = dict(ZoneValue.objects.filter(year=2025, key="a1").exclude(zone=zone).values_list("zone__code", "value"))
    assert others == {province_values["Y"].code: D(20), province_values["Z"].code: D(30)}
    assert set(ZoneValue.objects.filter(year=2025).exclude(zone=zone).values_list("origin", flat=True)) == {"reported"}
    result = evaluation.results.get(zone=zone)
    assert result.values["a1"] == "1800.0000"
    # X now has the best a1 of the three (min-max: 100 points) where its reported 10 was the worst.
    assert D(result.points["a1"]) == D(100)


def test_a_bodys_funds_are_those_of_its_officers_projects(zone, root, users):
    from onezone.investment import services as investment
    from onezone.org.models import Appointment, Body, Person, Post
    from onezone.zones.services import park_create
    from tests.investment.conftest import signed_project

    officer = users["investment_officer"]
    bureau = Body.objects.create(zone=zone, name="招商服务局", kind=Body.Kind.DEPARTMENT)
    economy = Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT)
    person = Person.objects.create(zone=zone, name="刘专员", user=officer)
    post = Post.objects.create(zone=zone, body=bureau, title="招商专员")
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2020, 1, 1))
    park = park_create(
        actor=root,
        zone=zone,
        name="河西堡工业园",
        code="hexipu",
        planned_area_km2=D("50"),
        built_area_km2=D("5"),
        industry_codes=["C26"],
    )
    project = signed_project(zone, {"chem": park}, officer, name="项目甲", park=park)
    for amount, on in (
        ("2000000", dt.date(2026, 3, 1)),
        ("500000", dt.date(2026, 9, 1)),
        ("900000", dt.date(2025, 5, 1)),
    ):
        investment.funds_receipt_record(actor=officer, project=project, amount=amount, received_on=on, source="local")
    own = target_set(
        actor=users["leader"],
        zone_id=zone.pk,
        year=2026,
        indicator_key="funds_in_place",
        value="300",
        level="body",
        body_id=bureau.pk,
    )
    other = target_set(
        actor=users["leader"],
        zone_id=zone.pk,
        year=2026,
        indicator_key="funds_in_place",
        value="100",
        level="body",
        body_id=economy.pk,
    )
    assert actuals_compute(actor=users["leader"], zone_id=zone.pk, year=2026) == {"computed": 2, "unavailable": 0}
    assert Actual.objects.get(target=own).value == D(250)  # (2,000,000 + 500,000) yuan = 250 万元
    assert Actual.objects.get(target=other).value == D(0)  # no officer of its own brought funds
    with pytest.raises(Exception, match="自动计算，不能手工填报"):
        actual_enter(actor=users["leader"], target=own, value="281", evidence_reference="统计表")
    # A body-level indicator no record gives per body stays a hand entry with evidence.
    tax = target_set(
        actor=users["leader"],
        zone_id=zone.pk,
        year=2026,
        indicator_key="tax",
        value="10",
        level="body",
        body_id=economy.pk,
    )
    actual_enter(actor=users["leader"], target=tax, value="7", evidence_reference="县税务局月报")
    assert Actual.objects.get(target=tax).origin == "manual"
