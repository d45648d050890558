"""The synthetic province: sizes, determinism, valid codes, constraints, the clock, pages."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from onezone.core.codes import validate_mobile, validate_resident_id, validate_uscc
from onezone.enterprises.models import Enterprise, EnterpriseRequest
from onezone.investment.models import FundsEntry, Project, ProjectStageChange
from onezone.org.models import Appointment, Person
from onezone.personnel.models import EmploymentContract
from onezone.powers.models import PowerItem
from onezone.synth.generator import REFERENCE_DAY, Sizes, generate, has_synthetic_data, remove_synthetic
from onezone.window.models import Case, CaseCounter, CaseEvent, CaseState, SupplementNotice
from onezone.zones.models import Park, Zone

SIZES = Sizes(zones=3, parks=7, enterprises=300, cases=3000, requests=400, projects=120, staff=60)


def _fingerprint() -> str:
    """A hash of the generated content that does not depend on primary keys."""
    digest = hashlib.sha256()
    rows = [
        Zone.objects.order_by("code").values_list("name", "code", "area_code", "approved_area_km2"),
        Enterprise.objects.order_by("zone__code", "uscc").values_list(
            "uscc", "name", "registered_capital", "park__code"
        ),
        Case.objects.order_by("zone__code", "number").values_list(
            "number", "state", "received_on", "committed_deadline", "closed_on", "applicant_name", "query_code", "terms"
        ),
        CaseEvent.objects.order_by("case__zone__code", "case__number", "at").values_list("kind", "on", "data"),
        EnterpriseRequest.objects.order_by("zone__code", "number").values_list("number", "status", "confirmed_at"),
        FundsEntry.objects.order_by("project__zone__code", "evidence_reference").values_list("amount", "received_on"),
        Person.objects.order_by("zone__code", "id_number").values_list("name", "id_number", "mobile"),
    ]
    for query in rows:
        for row in query:
            digest.update(repr(row).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    """The province generated once; every test runs inside this transaction, rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield generate(SIZES, seed=7)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_sizes_scale_and_explicit_values_win():
    sizes = Sizes.scaled(0.01, cases=5)
    assert sizes.as_dict() == {
        "zones": 1,
        "parks": 3,
        "enterprises": 2000,
        "cases": 5,
        "requests": 5000,
        "projects": 500,
        "staff": 200,
    }
    assert Sizes.scaled().cases == 2_000_000
    assert Sizes.scaled(zones=500).parks == 500  # a park per zone at least, unless parks are given


@pytest.mark.parametrize(
    ("scale", "explicit", "message"),
    [
        (0, {}, "--scale 应为正数"),
        (1, {"zones": 0}, "至少需要 1 个开发区"),
        (1, {"zones": 5, "parks": 4}, "园区数（4）不能少于开发区数（5）"),
        (1, {"cases": -1}, "数量不能为负数：cases"),
    ],
)
def test_sizes_refused_with_a_reason(scale, explicit, message):
    with pytest.raises(ValueError, match=message):
        Sizes.scaled(scale, **explicit)


def test_counts_match_the_sizes(province, db):
    zones = Zone.objects.filter(code__startswith="synth-")
    assert zones.count() == 3
    assert Park.objects.filter(zone__in=zones).count() == 7
    assert Enterprise.objects.count() == 300
    assert Case.objects.count() == 3000
    assert EnterpriseRequest.objects.count() == 400
    assert Project.objects.count() == 120
    assert Person.objects.count() == 60
    assert Appointment.objects.count() == EmploymentContract.objects.count() == 60
    assert FundsEntry.objects.exists()
    assert province["window_case"] == 3000
    assert province["enterprises_enterprise"] == 300
    assert province["window_caseevent"] == CaseEvent.objects.count()
    assert all(zone.name.endswith("（合成）") and zone.is_demo for zone in zones)
    assert all(name.endswith("（合成）") for name in Enterprise.objects.values_list("name", flat=True))


def test_cases_cover_every_state_and_year(province, db):
    states = Counter(Case.objects.values_list("state", flat=True))
    assert set(states) == set(CaseState.values)
    years = set(Case.objects.values_list("year", flat=True))
    assert years == set(range(2021, REFERENCE_DAY.year + 1))
    # the counters continue where the numbers stop, so the next case gets a fresh number
    for counter in CaseCounter.objects.all():
        top = Case.objects.filter(zone_id=counter.zone_id, year=counter.year).order_by("-number").first()
        assert top.number.endswith(f"-{counter.year}-{counter.last:06d}")


def test_codes_are_valid(province, db):
    for uscc in Enterprise.objects.values_list("uscc", flat=True):
        assert validate_uscc(uscc) == uscc
    for id_number, mobile in Person.objects.values_list("id_number", "mobile"):
        assert validate_resident_id(id_number, today=REFERENCE_DAY) == id_number
        assert validate_mobile(mobile) == mobile
    for uscc, id_number in Case.objects.values_list("applicant_uscc", "applicant_id_number")[:500]:
        assert validate_uscc(uscc) if uscc else validate_resident_id(id_number, today=REFERENCE_DAY)


def test_samples_pass_model_validation(province, db):
    models = (
        Zone,
        Park,
        PowerItem,
        Enterprise,
        EnterpriseRequest,
        Project,
        ProjectStageChange,
        FundsEntry,
        Person,
        Appointment,
        EmploymentContract,
        Case,
        CaseEvent,
        SupplementNotice,
    )
    for model in models:
        sample = list(model.objects.order_by("id")[:40]) + list(model.objects.order_by("-id")[:40])
        assert sample, model
        for obj in sample:
            obj.full_clean()


def test_closed_requests_were_answered_and_confirmed(province, db):
    closed = EnterpriseRequest.objects.filter(status="closed")
    assert closed.exists()
    assert not closed.filter(confirmed_at__isnull=True).exists()
    for req in EnterpriseRequest.objects.exclude(acknowledged_at=None)[:300]:
        moments = [req.acknowledged_at, req.responded_at, req.resolved_at, req.confirmed_at, req.closed_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present)
        assert req.submitted_on <= req.ack_due <= req.respond_due <= req.resolve_due


def test_stored_deadlines_are_what_the_window_clock_computes(province, db):
    from onezone.core.calendar import load_calendar
    from onezone.window.services import CLOCK_FIELDS, TRANSITIONS, apply_clock

    calendar = load_calendar()
    by_target = {t.event.value: t for t in TRANSITIONS.values()}
    events: dict[int, list[CaseEvent]] = {}
    for event in CaseEvent.objects.order_by("case_id", "at", "id"):
        events.setdefault(event.case_id, []).append(event)
    for case in Case.objects.all():
        stored = {name: getattr(case, name) for name in CLOCK_FIELDS}
        apply_clock(case, events[case.pk], calendar, REFERENCE_DAY)
        assert {name: getattr(case, name) for name in CLOCK_FIELDS} == stored, case.number
        trail = events[case.pk]
        assert trail[0].kind == "received"
        assert trail[-1].state_to == case.state
        assert case.version == len(trail) - 1
        for event in trail[1:]:
            assert event.state_from in by_target[event.kind].sources, (case.number, event.kind)
        days = [e.on for e in trail]
        assert days == sorted(days) and days[-1] <= REFERENCE_DAY


def test_same_seed_same_data_other_seed_other_data(province, db):
    first = _fingerprint()
    remove_synthetic()
    assert not has_synthetic_data()
    generate(SIZES, seed=7, parallel=True)
    assert _fingerprint() == first
    remove_synthetic()
    generate(SIZES, seed=7, parallel=False)  # the same rows when nothing is generated in a second process
    assert _fingerprint() == first
    remove_synthetic()
    generate(SIZES, seed=8)
    assert _fingerprint() != first
    remove_synthetic()
    generate(SIZES, seed=7)


def test_a_clerk_sees_the_zone_queue(province, db):
    from onezone.core.middleware import SESSION_ZONE_KEY

    zone = Zone.objects.get(code="synth-001")
    client = Client()
    client.force_login(User.objects.get(username="synth-001-clerk1"))
    session = client.session
    session[SESSION_ZONE_KEY] = zone.pk
    session.save()
    response = client.get("/desk/window/queue/?scope=zone")
    assert response.status_code == 200
    first_open = Case.objects.filter(zone=zone, is_open=True).order_by("queue_on", "id").first()
    assert first_open.number in response.content.decode()
    case = Case.objects.filter(zone=zone, state="closed").first()
    assert client.get(f"/desk/window/cases/{case.pk}/").status_code == 200


def test_indexes_dropped_for_the_load_are_back(province, db):
    from django.db import connection

    from onezone.synth.generator import DEFERRED_TABLE

    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        indexes = connection.introspection.get_constraints(cursor, "window_case")
    assert DEFERRED_TABLE not in names
    assert "window_case_open_queue" in indexes and "window_case_number_unique" in indexes
    assert indexes["window_case_number_unique"]["unique"]


def test_synthetic_users_cannot_log_in(province, db):
    user = User.objects.get(username="synth-001-clerk1")
    assert not user.has_usable_password()


def test_command_refuses_to_write_twice_and_resets(province, db, capsys):
    with pytest.raises(CommandError, match=r"已有合成数据.*--reset"):
        call_command("synth", "--zones", "1", "--parks", "1", "--quiet")
    call_command(
        "synth",
        "--reset",
        "--zones=1",
        "--parks=2",
        "--enterprises=20",
        "--cases=30",
        "--requests=10",
        "--projects=5",
        "--staff=4",
    )
    out = capsys.readouterr()
    assert "合计" in out.out and "行/秒" in out.out
    assert "办件、办件事件与补正告知" in out.err
    assert Zone.objects.count() == 1 and Case.objects.count() == 30 and Person.objects.count() == 4
    remove_synthetic()
    generate(SIZES, seed=7)


def test_command_refuses_beside_other_zones_without_force(province, db):
    remove_synthetic()
    Zone.objects.create(
        name="真实工业园区",
        code="real",
        level="provincial",
        area_code="620321",
        province_code="620000",
        approved_area_km2=1,
        planned_area_km2=2,
    )
    with pytest.raises(CommandError, match=r"已有 1 个非合成的开发区.*--force"):
        call_command("synth", "--zones=1", "--parks=1", "--quiet")
    call_command("synth", "--force", "--quiet", "--scale=0.0001", "--enterprises=3", "--cases=5")
    assert Zone.objects.count() == 2 and Case.objects.count() == 5
    Zone.objects.filter(code="real").delete()
    remove_synthetic()
    generate(SIZES, seed=7)


def test_newer_modules_at_their_sizes_and_hazards_in_every_state(province, db):
    from onezone.notify.models import Notification
    from onezone.safety.models import GatePassage, Hazard, HazardEvent, HazardStatus, Installation, SpecialWork
    from onezone.support.models import FinancingNeed, JobPosting, Listing, MonthlyReport
    from onezone.synth.base import module_sizes

    sizes = module_sizes(SIZES)
    assert Installation.objects.count() == sizes["installations"] == 30
    assert Hazard.objects.count() == sizes["hazards"]
    assert set(Hazard.objects.values_list("status", flat=True)) == set(HazardStatus.values)
    # every hazard has one step per state it has passed through, ending in its own
    for hazard in Hazard.objects.all()[:50]:
        steps = list(HazardEvent.objects.filter(hazard=hazard).order_by("at").values_list("to_status", flat=True))
        assert steps[-1] == hazard.status
    assert SpecialWork.objects.count() == sizes["special_works"]
    assert GatePassage.objects.count() == sizes["gate_passages"]
    assert Listing.objects.count() == sizes["listings"]
    assert JobPosting.objects.count() == sizes["jobs"]
    assert FinancingNeed.objects.count() == sizes["financing_needs"]
    assert MonthlyReport.objects.count() == sizes["reporting_enterprises"] * 18
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert province["safety_hazard"] == sizes["hazards"]
