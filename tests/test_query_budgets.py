"""Query budgets: the number of queries of every list page and list endpoint does not grow with its rows.

The Yongchang demo is loaded once for the module (inside a transaction rolled back at the end); each
case copies records of the kind the list shows (``tests._builders.clone``) and requests the list with
a few rows and with many, as a user allowed to see them, and asserts the same number of queries.
A list whose page size is a parameter (``limit``, ``size``...) or Django's ``Paginator`` is measured
at two page sizes instead.

The API's list endpoints are discovered from the OpenAPI document and the pages from
``onezone.access`` and the admin's registry: a new list without a budget here fails the suite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from tests._builders import clone, grow

SMALL, LARGE = 2, 12
pytestmark = pytest.mark.django_db


# --- the data ----------------------------------------------------------------------------------


@dataclass
class Demo:
    zone: Any

    @property
    def z(self) -> int:
        return self.zone.pk


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[Demo]:
    """The demo, loaded once; every test runs in a savepoint inside this transaction."""
    from onezone.core.calendar import calendar_seed
    from onezone.demo.loader import load_demo

    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            calendar_seed()
            ctx = load_demo()
            yield Demo(zone=ctx.zone)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(username: str, zone_id: int | None) -> Client:
    from onezone.core.middleware import SESSION_ZONE_KEY

    client = Client()
    client.force_login(User.objects.get(username=username))
    if zone_id is not None:
        session = client.session
        session[SESSION_ZONE_KEY] = zone_id
        session.save()
    return client


@contextmanager
def _page_size(size: int) -> Iterator[None]:
    """Every Django ``Paginator`` built meanwhile shows ``size`` rows a page."""
    original = Paginator.__init__

    def init(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, size, *args, **kwargs)

    Paginator.__init__ = init
    try:
        yield
    finally:
        Paginator.__init__ = original


@contextmanager
def _constant(module: str, name: str, value: int) -> Iterator[None]:
    """A module's page-size constant set to ``value`` meanwhile."""
    import importlib

    target = importlib.import_module(module)
    original = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, original)


def _measure(client: Client, url: str, params: dict[str, Any]) -> tuple[int, Any]:
    from django.core.cache import cache

    cache.clear()
    client.get(url, params)  # warm the per-process caches (calendar, settings) the same way for both
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return len(queries), response


@dataclass(frozen=True)
class Budget:
    """How to measure one list: who asks, which records it shows, how to make more of them."""

    # The demo user's role ("demo-<role>"), a function naming the user, or None for an anonymous visitor.
    user: str | Callable[[Demo], str] | None
    rows: Callable[[Demo], QuerySet]
    params: Callable[[Demo], dict[str, Any]] = lambda d: {}
    # The page size: a query parameter's name, or a context manager setting it (``_page_size``).
    size: str | Callable[[int], AbstractContextManager] | None = None
    change: Callable[[Any, int], None] | None = None  # what a copy must change beyond unique fields
    copy: Callable[..., Any] | None = None  # makes ``n`` more records like one: ``copy(record, n)``
    vary: tuple[str, ...] = ()  # the relation a copy points elsewhere to stay unique (``clone``)
    totals: bool = False  # a report: the records feed its totals, the page does not grow with them
    path: Callable[[Demo], dict[str, Any]] = lambda d: {}


def _count(response) -> int:
    """Rows in a list answer: the JSON list, or the list in a paged object; else the page's length."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        if isinstance(body, list):
            return len(body)
        for key in ("items", "rows", "results"):
            if isinstance(body.get(key), list):
                return len(body[key])
        raise AssertionError(f"no list in {list(body)}")
    return len(response.content)


def _grow(budget: Budget, rows: QuerySet, to: int) -> None:
    count = grow(rows, to, budget.change, copy=budget.copy, vary=budget.vary)
    assert count >= to, f"{rows.model._meta.label}: the copies are not among the listed records"


def _check(demo: Demo, budget: Budget, url: str) -> None:
    if budget.user is None:
        client = Client()
    else:
        client = _client(budget.user(demo) if callable(budget.user) else f"demo-{budget.user}", demo.z)
    rows = budget.rows(demo)
    params = budget.params(demo)
    if budget.size is None:
        _grow(budget, rows, SMALL)
        few, first = _measure(client, url, params)
        _grow(budget, rows, rows.count() + LARGE - SMALL)
        many, second = _measure(client, url, params)
    else:
        _grow(budget, rows, LARGE)
        if callable(budget.size):
            with budget.size(SMALL):
                few, first = _measure(client, url, params)
            with budget.size(LARGE):
                many, second = _measure(client, url, params)
        else:
            few, first = _measure(client, url, {**params, budget.size: SMALL})
            many, second = _measure(client, url, {**params, budget.size: LARGE})
    if not budget.totals:
        assert _count(second) > _count(first), f"{url}: the larger list does not show more rows"
    assert many == few, f"{url}: {few} queries for a few rows, {many} for more"


# --- the admin's lists -------------------------------------------------------------------------


def _admin_user(model_admin) -> str:
    from onezone.core.roles import Role

    allowed = set(getattr(model_admin, "view_roles", ())) | set(getattr(model_admin, "write_roles", ()))
    if not allowed or Role.ADMIN in allowed:
        return "admin"
    return {
        Role.HR_OFFICER: "hr",
        Role.COMPANY_STAFF: "company",
        Role.LEADER: "leader",
        Role.INVESTMENT_OFFICER: "investment",
        Role.CLERK: "clerk",
    }[sorted(allowed)[0]]


def _admin_rows(model_admin, username: str, zone_id: int) -> QuerySet:
    from django.test import RequestFactory

    from onezone.core.middleware import SESSION_ZONE_KEY

    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username=username)
    request.session = {SESSION_ZONE_KEY: zone_id}
    return model_admin.get_queryset(request)


# One record per zone by construction: the list never holds more than one row.
ADMIN_SINGLE_RECORD = {
    "company.CompanySettings": "one settings record per zone",
    "personnel.PersonnelPolicy": "one personnel policy per zone",
    "enterprises.InspectionRule": "one inspection rule per zone",
    "zones.Town": "the town a zone was merged with",
}
ADMIN_MODELS = sorted(
    label
    for label in (m._meta.label for m in admin.site._registry if m._meta.app_label != "auth")
    if label not in ADMIN_SINGLE_RECORD
)


def _new_member_user(copy, serial: int) -> None:
    copy.user = User.objects.create_user(f"budget-member-{serial}")


def _project_without_award(copy, serial: int) -> None:
    from onezone.investment.models import Project

    copy.project = Project.objects.filter(zone_id=copy.zone_id, awards__isnull=True).order_by("pk").first()


def _seed_token(demo: Demo) -> None:
    from onezone.core.models import ApiToken

    admin_user = User.objects.get(username="demo-admin")
    ApiToken.objects.create(user=admin_user, name="报表接口", prefix="oz_budg", digest="0" * 64)


def _seed_appeal(demo: Demo) -> None:
    from onezone.personnel.models import Appeal, Appraisal

    appraisal = Appraisal.objects.filter(zone=demo.zone).order_by("pk").first()
    Appeal.objects.create(zone=demo.zone, appraisal=appraisal, reason="对考核等次有异议，申请复核。")


def _seed_alert(demo: Demo) -> None:
    from onezone.window.models import Alert, Case

    case = Case.objects.filter(zone=demo.zone).order_by("pk").first()
    Alert.objects.create(
        zone=demo.zone,
        case=case,
        kind=Alert.Kind.values[0],
        deadline=dt.date(2026, 3, 2),
        raised_on=dt.date(2026, 2, 27),
        recipient_name="张晓燕",
        message="办件即将到期，请及时办理。",
    )


def _seed_template(demo: Demo) -> None:
    from django.contrib.auth.models import User

    from onezone.notify.services import template_save

    template_save(
        actor=User.objects.get(username="demo-admin"),
        zone_id=demo.z,
        event="window.case_accepted",
        subject="办件 {{ number }} 已受理",
        body="您申请的 {{ item }} 已受理。",
    )


ADMIN_SEEDS: dict[str, Callable[[Demo], None]] = {
    "core.ApiToken": _seed_token,
    "notify.Template": _seed_template,
    "personnel.Appeal": _seed_appeal,
    "window.Alert": _seed_alert,
}
ADMIN_CHANGES: dict[str, Callable[[Any, int], None]] = {
    "enterprises.EnterpriseMember": _new_member_user,
    "investment.RewardAward": _project_without_award,
}


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_admin_list(demo, label):
    model = next(m for m in admin.site._registry if m._meta.label == label)
    model_admin = admin.site._registry[model]
    user = _admin_user(model_admin)
    if label in ADMIN_SEEDS:
        ADMIN_SEEDS[label](demo)
    rows = _admin_rows(model_admin, f"demo-{user}", demo.z)

    @contextmanager
    def page_size(size: int) -> Iterator[None]:
        model_admin.list_per_page = size
        try:
            yield
        finally:
            del model_admin.list_per_page

    budget = Budget(user=user, rows=lambda d: rows, size=page_size, change=ADMIN_CHANGES.get(label))
    _check(demo, budget, reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))


def test_single_record_admin_lists_still_exist():
    # Every other registered model gets a budget case above by itself; this list must not go stale.
    labels = {m._meta.label for m in admin.site._registry}
    assert set(ADMIN_SINGLE_RECORD) <= labels, sorted(set(ADMIN_SINGLE_RECORD) - labels)


# --- the API's lists ---------------------------------------------------------------------------


def _m(label: str):
    from django.apps import apps

    return apps.get_model(label)


def _in_zone(label: str, **filters: Any) -> Callable[[Demo], QuerySet]:
    return lambda d: _m(label).objects.filter(zone_id=d.z, **filters)


def _first_id(label: str, **filters: Any) -> Callable[[Demo], int]:
    return lambda d: _m(label).objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def _enterprise_of_demo_user(d: Demo):
    return _m("enterprises.EnterpriseMember").objects.get(user__username="demo-enterprise").enterprise


def _open_cases(d: Demo) -> QuerySet:
    from onezone.window.selectors import OPEN_STATES

    return _m("window.Case").objects.filter(zone_id=d.z, state__in=OPEN_STATES)


def _with_year(year: int) -> Callable[[Demo], dict[str, Any]]:
    return lambda d: {"year": year}


def _cycle(d: Demo) -> int:
    return _m("personnel.Appraisal").objects.filter(zone_id=d.z).order_by("pk").first().cycle_id


def _run(d: Demo) -> int:
    return _m("personnel.Payslip").objects.filter(run__zone_id=d.z).order_by("pk").first().run_id


def _staged_project(d: Demo) -> int:
    return _m("investment.ProjectStageChange").objects.filter(project__zone_id=d.z).order_by("pk").first().project_id


def _evaluation(d: Demo) -> int:
    return _m("assessment.EvaluationResult").objects.filter(zone_id=d.z).order_by("pk").first().evaluation_id


def _published_version_items(d: Demo) -> QuerySet:
    from django.utils import timezone

    from onezone.powers.selectors import version_on

    return _m("powers.ListVersionItem").objects.filter(version=version_on(d.z, timezone.localdate()))


def _duty_entries(kind: str) -> Callable[[Demo], QuerySet]:
    def rows(d: Demo) -> QuerySet:
        from django.utils import timezone

        from onezone.powers.duty_selectors import duty_version_on

        return _m("powers.DutyListEntry").objects.filter(version=duty_version_on(d.z, kind, timezone.localdate()))

    return rows


def _leases_in_arrears(d: Demo) -> QuerySet:
    from django.db.models import F
    from django.utils import timezone

    overdue = _m("company.RentBill").objects.filter(zone_id=d.z, due_on__lt=timezone.localdate(), paid__lt=F("amount"))
    return _m("company.Lease").objects.filter(pk__in=overdue.values("lease_id"))


def _copy_lease_with_bills(lease, n: int) -> None:
    for copy in clone(lease, n):
        for bill in lease.bills.all():
            clone(bill, 1, lambda b, serial, lease=copy: _bill_of(b, serial, lease))


def _bill_of(bill, serial: int, lease) -> None:
    bill.lease = lease
    bill.number = f"{bill.number}~{serial}"


def _demo_matches(d: Demo) -> QuerySet:
    """The matches of the demo enterprise's listings, on either side."""
    from django.db.models import Q

    enterprise = _enterprise_of_demo_user(d)
    return _m("support.MarketMatch").objects.filter(Q(need__enterprise=enterprise) | Q(offer__enterprise=enterprise))


def _demo_listings(d: Demo) -> QuerySet:
    return _m("support.Listing").objects.filter(enterprise=_enterprise_of_demo_user(d))


def _leaders_deals(d: Demo) -> QuerySet:
    """The deals behind the local supply rates: those whose buyer leads a chain."""
    leaders = _m("support.ChainLeader").objects.filter(zone_id=d.z).values("enterprise_id")
    return _in_zone("support.Deal", buyer_id__in=leaders)(d)


API_BUDGETS: dict[str, Budget] = {
    "/api/v1/support/markets/listings": Budget("enterprise", _demo_listings, size="limit"),
    "/api/v1/support/markets/matches": Budget("enterprise", _demo_matches, size="limit", vary=("need",)),
    "/api/v1/support/markets/supply-rate": Budget("investment", _leaders_deals, totals=True),
    "/api/v1/support/finance/products": Budget("investment", _in_zone("support.FinanceProduct")),
    "/api/v1/support/finance/needs": Budget("investment", _in_zone("support.FinancingNeed")),
    "/api/v1/support/finance/loans": Budget("investment", _in_zone("support.LoanGranted"), size="limit"),
    "/api/v1/zones/": Budget("admin", lambda d: _m("zones.Zone").objects.all(), size="limit"),
    "/api/v1/zones/{zone_id}/parks": Budget("admin", _in_zone("zones.Park")),
    "/api/v1/org/zones/{zone_id}/bodies": Budget("admin", _in_zone("org.Body")),
    "/api/v1/org/zones/{zone_id}/routing": Budget("admin", _in_zone("org.RoutingRule")),
    "/api/v1/powers/zones/{zone_id}/items": Budget("admin", _published_version_items, size="per_page"),
    "/api/v1/powers/zones/{zone_id}/versions": Budget("admin", _in_zone("powers.ListVersion")),
    "/api/v1/powers/zones/{zone_id}/delegations": Budget("admin", _in_zone("powers.Delegation")),
    "/api/v1/enterprises/zones/{zone_id}/enterprises": Budget(
        "admin", _in_zone("enterprises.Enterprise"), size=_page_size
    ),
    "/api/v1/enterprises/zones/{zone_id}/requests": Budget(
        "admin", _in_zone("enterprises.EnterpriseRequest"), size=_page_size
    ),
    "/api/v1/enterprises/zones/{zone_id}/inspections": Budget(
        "admin", _in_zone("enterprises.Inspection"), size=_page_size
    ),
    "/api/v1/safety/zones/{zone_id}/installations": Budget("admin", _in_zone("safety.Installation")),
    "/api/v1/safety/zones/{zone_id}/risk-points": Budget("admin", _in_zone("safety.RiskPoint")),
    "/api/v1/safety/zones/{zone_id}/hazards": Budget("admin", _in_zone("safety.Hazard"), size=_page_size),
    "/api/v1/safety/zones/{zone_id}/special-work": Budget("admin", _in_zone("safety.SpecialWork"), size="limit"),
    "/api/v1/safety/zones/{zone_id}/special-work/today": Budget("admin", lambda d: _works_today(d)),
    "/api/v1/safety/zones/{zone_id}/hazmat-vehicles": Budget(
        "admin", _in_zone("safety.VehicleStay", exited_at__isnull=True, un_number__gt="")
    ),
    "/api/v1/safety/zones/{zone_id}/parking": Budget("admin", _in_zone("safety.ParkingArea")),
    "/api/v1/safety/zones/{zone_id}/plans": Budget("admin", _in_zone("safety.EmergencyPlan")),
    "/api/v1/safety/zones/{zone_id}/drills": Budget("admin", _in_zone("safety.DrillRecord"), size="limit"),
    "/api/v1/safety/zones/{zone_id}/incidents": Budget("admin", _in_zone("safety.Incident"), size="limit"),
    "/api/v1/safety/zones/{zone_id}/duty": Budget("admin", lambda d: _in_zone("safety.DutyShift", on=_today())(d)),
    "/api/v1/safety/zones/{zone_id}/risk-assessments": Budget("admin", _in_zone("safety.RiskAssessment")),
    "/api/v1/personnel/zones/{zone_id}/contracts": Budget("hr", _in_zone("personnel.EmploymentContract")),
    "/api/v1/personnel/zones/{zone_id}/cycles": Budget("hr", _in_zone("personnel.AppraisalCycle")),
    "/api/v1/personnel/zones/{zone_id}/cycles/{cycle_id}/appraisals": Budget(
        "hr",
        lambda d: _m("personnel.Appraisal").objects.filter(cycle_id=_cycle(d)),
        path=lambda d: {"cycle_id": _cycle(d)},
    ),
    "/api/v1/personnel/zones/{zone_id}/payroll-runs": Budget("hr", _in_zone("personnel.PayrollRun")),
    "/api/v1/personnel/zones/{zone_id}/payroll-runs/{run_id}/payslips": Budget(
        "hr",
        lambda d: _m("personnel.Payslip").objects.filter(run_id=_run(d)),
        path=lambda d: {"run_id": _run(d)},
    ),
    "/api/v1/company/assets": Budget("company", _in_zone("company.Asset"), size="limit"),
    "/api/v1/company/leases": Budget("company", _in_zone("company.Lease"), size="limit"),
    "/api/v1/company/bills": Budget("company", _in_zone("company.RentBill"), size="limit"),
    "/api/v1/company/payments": Budget("company", _in_zone("company.RentPayment"), size="limit"),
    "/api/v1/company/arrears": Budget("company", _leases_in_arrears, copy=_copy_lease_with_bills),
    "/api/v1/company/loans": Budget("company", _in_zone("company.Loan"), size="limit"),
    "/api/v1/company/projects": Budget("company", _in_zone("company.ConstructionProject"), size="limit"),
    "/api/v1/window/zones/{zone_id}/cases": Budget("admin", _open_cases, size="size"),
    "/api/v1/window/zones/{zone_id}/complaints": Budget("admin", _in_zone("window.Complaint")),
    "/api/v1/window/zones/{zone_id}/ratings": Budget("admin", _in_zone("window.Rating")),
    "/api/v1/window/zones/{zone_id}/rectifications": Budget("admin", _in_zone("window.Rectification")),
    "/api/v1/window/open311/services.json": Budget(
        "admin",
        _published_version_items,
        params=lambda d: {"zone": d.zone.code},
        size=lambda n: _constant("onezone.powers.selectors", "SEARCH_LIMIT", n),
    ),
    "/api/v1/window/open311/requests.json": Budget(
        "admin", _in_zone("window.Case"), params=lambda d: {"zone": d.zone.code}
    ),
    "/api/v1/investment/zones/{zone_id}/leads": Budget(
        "admin", _in_zone("investment.Project", stage__in=["lead", "negotiating"]), size="limit"
    ),
    "/api/v1/investment/zones/{zone_id}/projects": Budget("admin", _in_zone("investment.Project"), size="limit"),
    "/api/v1/investment/zones/{zone_id}/projects/{project_id}/stage-changes": Budget(
        "admin",
        lambda d: _m("investment.ProjectStageChange").objects.filter(project_id=_staged_project(d)),
        path=lambda d: {"project_id": _staged_project(d)},
    ),
    "/api/v1/investment/zones/{zone_id}/funds": Budget("admin", _in_zone("investment.FundsEntry"), size="limit"),
    "/api/v1/investment/zones/{zone_id}/progress": Budget(
        "admin", _in_zone("investment.InvestmentProgress"), size="limit"
    ),
    "/api/v1/investment/zones/{zone_id}/chains": Budget("admin", _in_zone("investment.Chain")),
    "/api/v1/investment/zones/{zone_id}/awards": Budget("admin", _in_zone("investment.RewardAward"), size="limit"),
    "/api/v1/policies/zones/{zone_id}/policies": Budget(
        "admin", _in_zone("policies.Policy", status="published"), size="limit"
    ),
    "/api/v1/policies/zones/{zone_id}/policies/{policy_id}/qualifying": Budget(
        "admin",
        _in_zone("enterprises.Enterprise"),
        params=lambda d: {"all": True},
        path=lambda d: {"policy_id": _first_id("policies.Policy", zone_id=d.z)(d)},
    ),
    "/api/v1/policies/zones/{zone_id}/matches": Budget("admin", _in_zone("policies.PolicyMatch"), size="limit"),
    "/api/v1/policies/zones/{zone_id}/grants": Budget("admin", _in_zone("policies.PolicyGrant"), size="limit"),
    "/api/v1/policies/mine/notices": Budget(
        "enterprise", lambda d: _m("policies.PolicyNotice").objects.filter(enterprise=_enterprise_of_demo_user(d))
    ),
    "/api/v1/policies/mine/grants": Budget(
        "enterprise",
        lambda d: _m("policies.PolicyGrant").objects.filter(enterprise=_enterprise_of_demo_user(d)),
        vary=("policy",),
    ),
    "/api/v1/assessment/zones/{zone_id}/targets": Budget(
        "admin", _in_zone("assessment.Target", year=2026), params=_with_year(2026)
    ),
    "/api/v1/assessment/zones/{zone_id}/actuals": Budget(
        "admin", _in_zone("assessment.Actual", target__year=2026), params=_with_year(2026)
    ),
    "/api/v1/assessment/evaluations": Budget("admin", lambda d: _m("assessment.Evaluation").objects.all()),
    "/api/v1/assessment/evaluations/{evaluation_id}/ranking": Budget(
        "admin",
        lambda d: _m("assessment.EvaluationResult").objects.filter(evaluation_id=_evaluation(d)),
        path=lambda d: {"evaluation_id": _evaluation(d)},
        vary=("zone",),
    ),
    "/api/v1/assessment/zones/{zone_id}/values": Budget(
        "admin", _in_zone("assessment.ZoneValue", year=2025), params=_with_year(2025)
    ),
    "/api/v1/assessment/zones/{zone_id}/rank-history": Budget(
        "admin", _in_zone("assessment.EvaluationResult"), vary=("evaluation",)
    ),
    "/api/v1/support/zones/{zone_id}/jobs": Budget(
        None,
        lambda d: _public_jobs(d),
        size=lambda n: _constant("onezone.support.selectors.labour", "PUBLIC_PAGE_SIZE", n),
    ),
    "/api/v1/support/zones/{zone_id}/labour-sharing": Budget("admin", _in_zone("support.LabourSharing")),
    "/api/v1/support/zones/{zone_id}/talent-needs/{year}": Budget(
        "admin", lambda d: _talent_needs(d), path=lambda d: {"year": _this_year()}
    ),
    "/api/v1/support/zones/{zone_id}/statistics/{year}/{month}/missing": Budget(
        "admin", lambda d: _missing_reporters(d), path=lambda d: _last_due(d)
    ),
}


def _this_year() -> int:
    return timezone.localdate().year


def _today() -> dt.date:
    return timezone.localdate()


def _works_today(d: Demo) -> QuerySet:
    """Filed special work whose period touches today (local)."""
    start = timezone.make_aware(dt.datetime.combine(_today(), dt.time.min))
    end = start + dt.timedelta(days=1)
    return _in_zone("safety.SpecialWork", status="filed", starts_at__lt=end, ends_at__gt=start)(d)


def _public_jobs(d: Demo) -> QuerySet:
    return _in_zone("support.JobPosting", status="published", valid_until__gte=timezone.localdate())(d)


def _talent_needs(d: Demo) -> QuerySet:
    return _in_zone("support.TalentNeed", year=_this_year())(d)


def _last_due(d: Demo) -> dict[str, int]:
    from onezone.support.services.statistics_rules import last_due_month

    year, month = last_due_month(timezone.localdate())
    return {"year": year, "month": month}


def _missing_reporters(d: Demo) -> QuerySet:
    from onezone.support.models import MonthlyReport

    due = _last_due(d)
    reported = MonthlyReport.objects.filter(zone_id=d.z, **due).values("enterprise_id")
    return _in_zone("enterprises.Enterprise")(d).exclude(pk__in=reported)


def _openapi() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def _is_list(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "array":
        return True
    properties = schema.get("properties", {})
    return any(properties.get(key, {}).get("type") == "array" for key in ("items", "rows", "results"))


def test_every_list_endpoint_has_a_budget(db):
    document = _openapi()
    components = document["components"]["schemas"]
    lists, untyped = set(), set()
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        content = operations["get"]["responses"].get("200", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        if schema is None:
            untyped.add(path)
        elif _is_list(schema, components):
            lists.add(path)
    missing = sorted(lists - set(API_BUDGETS))
    assert not missing, f"these list endpoints have no query budget in tests/test_query_budgets.py: {missing}"
    unclassified = sorted(untyped - set(API_BUDGETS) - API_NOT_LISTS)
    assert not unclassified, f"say whether these endpoints answer lists (API_BUDGETS or API_NOT_LISTS): {unclassified}"
    stale = sorted(set(API_BUDGETS) - set(document["paths"]))
    assert not stale, f"budgets for endpoints that no longer exist: {stale}"


# GET operations without a response schema that answer one record, not a list.
API_NOT_LISTS = {"/api/v1/health"}


@pytest.mark.parametrize("path", sorted(API_BUDGETS))
def test_api_list(demo, path):
    budget = API_BUDGETS[path]
    url = path.format(zone_id=demo.z, **budget.path(demo))
    _check(demo, budget, url)


# --- the pages -----------------------------------------------------------------------------------


def _own_payslips(d: Demo) -> QuerySet:
    return _m("personnel.Payslip").objects.filter(run__zone_id=d.z, person__user__username=_payslip_user(d))


def _payslip_user(d: Demo) -> str:
    slip = _m("personnel.Payslip").objects.filter(run__zone_id=d.z, person__user__isnull=False).order_by("pk").first()
    return slip.person.user.username


def _inspection_month(d: Demo) -> dict[str, Any]:
    first = _m("enterprises.Inspection").objects.filter(zone_id=d.z).order_by("pk").first()
    return {"year": first.planned_on.year, "month": first.planned_on.month}


def _inspections_of_month(d: Demo) -> QuerySet:
    month = _inspection_month(d)
    return _in_zone("enterprises.Inspection", planned_on__year=month["year"], planned_on__month=month["month"])(d)


def _inbox_of(username: str) -> Callable[[Demo], QuerySet]:
    return lambda d: _m("notify.Notification").objects.filter(zone_id=d.z, recipient__username=username)


def _failed_deliveries(d: Demo) -> QuerySet:
    """The zone's failed deliveries; the demo's first delivery is made one if none has failed."""
    deliveries = _m("notify.Delivery").objects.filter(zone_id=d.z)
    if not deliveries.filter(status="failed").exists():
        deliveries.filter(pk=deliveries.order_by("pk").values("pk")[:1]).update(status="failed")
    return deliveries.filter(status="failed")


def _of_demo_enterprise(label: str) -> Callable[[Demo], QuerySet]:
    return lambda d: _m(label).objects.filter(enterprise=_enterprise_of_demo_user(d))


def _children(label: str, parent: str, user: str, key: str = "pk") -> Budget:
    """The records of one parent shown on the parent's page, the parent being the demo's first with some."""

    def parent_id(d: Demo) -> int:
        first = _m(label).objects.filter(zone_id=d.z).order_by("pk").first()
        return getattr(first, f"{parent}_id")

    return Budget(
        user,
        lambda d: _m(label).objects.filter(**{f"{parent}_id": parent_id(d)}),
        path=lambda d: {key: parent_id(d)},
    )


def _bad_ratings(d: Demo) -> QuerySet:
    from onezone.window.models import BAD_LEVELS

    return _in_zone("window.Rating", level__in=BAD_LEVELS)(d)


def _public(d: Demo) -> dict[str, Any]:
    return {"zone": d.zone.code}


def _queue_size(size: int) -> AbstractContextManager:
    from onezone.window import selectors

    return _default(selectors.queue_page, "size", size)


@contextmanager
def _default(function: Callable, name: str, value: Any) -> Iterator[None]:
    """A keyword argument's default value set to ``value`` meanwhile (a page size fixed at import)."""
    original = function.__kwdefaults__[name]
    function.__kwdefaults__[name] = value
    try:
        yield
    finally:
        function.__kwdefaults__[name] = original


# Each list page with the budgets of the lists it shows (``None`` as the user: an anonymous visitor).
PAGE_BUDGETS: dict[str, tuple[Budget, ...]] = {
    "portal/support/markets/": (
        Budget("enterprise", _demo_listings),
        Budget("enterprise", _demo_matches, vary=("need",)),
    ),
    "portal/support/finance/": (Budget("enterprise", _of_demo_enterprise("support.FinancingNeed")),),
    "desk/support/markets/": (Budget("investment", _in_zone("support.Listing"), size=_page_size),),
    "desk/support/markets/matches/": (
        Budget("investment", _in_zone("support.MarketMatch"), size=_page_size, vary=("need",)),
    ),
    "desk/support/markets/events/": (Budget("investment", _in_zone("support.MatchmakingEvent"), size=_page_size),),
    "desk/support/markets/events/<int:pk>/": (_children("support.Deal", "event", "investment"),),
    "desk/support/markets/supply-rate/": (Budget("investment", _leaders_deals),),
    "desk/support/finance/": (
        Budget("investment", _in_zone("support.FinanceProduct")),
        Budget("investment", _in_zone("support.LoanGranted")),
    ),
    "desk/support/finance/needs/": (Budget("investment", _in_zone("support.FinancingNeed"), size=_page_size),),
    "desk/support/finance/loans/": (Budget("investment", _in_zone("support.LoanGranted"), size=_page_size),),
    "": (Budget(None, lambda d: _m("zones.Zone").objects.all()),),
    "portal/powers/": (Budget(None, _published_version_items, params=_public, size=_page_size),),
    "portal/powers/versions/": (Budget(None, _in_zone("powers.ListVersion"), params=_public),),
    "portal/powers/responsibilities/": (Budget(None, _duty_entries("responsibilities"), params=_public),),
    "portal/powers/enforcement/": (Budget(None, _duty_entries("enforcement"), params=_public),),
    "desk/enterprises/requests/": (Budget("admin", _in_zone("enterprises.EnterpriseRequest"), size=_page_size),),
    "desk/enterprises/inspections/": (Budget("admin", _in_zone("enterprises.Inspection"), size=_page_size),),
    "desk/enterprises/inspections/calendar/": (Budget("admin", _inspections_of_month, params=_inspection_month),),
    "portal/enterprise/": (Budget("enterprise", _of_demo_enterprise("enterprises.EnterpriseRequest")),),
    "desk/personnel/my-payslips/": (Budget(_payslip_user, _own_payslips, vary=("run",)),),
    "company/arrears/": (Budget("company", _leases_in_arrears, copy=_copy_lease_with_bills),),
    "desk/window/queue/": (Budget("admin", _open_cases, params=lambda d: {"scope": "zone"}, size=_queue_size),),
    "company/statements/": (
        Budget("company", _in_zone("company.Asset"), totals=True),
        Budget("company", _in_zone("company.Loan"), totals=True),
    ),
    "desk/window/efficiency/": (Budget("admin", _in_zone("window.Case"), totals=True),),
    "desk/investment/figures/": (Budget("admin", _in_zone("investment.Project"), totals=True),),
    # Pages of one record with a list of its own records.
    "desk/enterprises/<int:pk>/": (_children("enterprises.EnterpriseYear", "enterprise", "admin"),),
    "company/leases/<int:pk>/": (_children("company.RentBill", "lease", "company"),),
    "desk/window/cases/<int:case_id>/": (
        _children("window.CaseEvent", "case", "admin", key="case_id"),
        _children("window.CaseFile", "case", "admin", key="case_id"),
    ),
    "desk/window/prereviews/": (Budget("admin", _in_zone("window.PreReview", status="submitted")),),
    "desk/window/prereviews/<int:pk>/": (_children("window.PreReviewFile", "prereview", "admin"),),
    "portal/window/prereview/": (Budget("enterprise", _of_demo_enterprise("window.PreReview")),),
    "portal/window/prereview/<int:pk>/": (_children("window.PreReviewFile", "prereview", "enterprise"),),
    "desk/investment/chains/<int:pk>/": (_children("investment.ChainNode", "chain", "admin"),),
    "desk/investment/projects/<int:pk>/": (_children("investment.FundsEntry", "project", "admin"),),
    "desk/enterprises/requests/<int:pk>/": (_children("enterprises.RequestEvent", "request", "admin"),),
    "desk/safety/installations/": (Budget("admin", _in_zone("safety.Installation")),),
    "desk/safety/installations/<int:pk>/": (_children("safety.RiskPoint", "installation", "admin"),),
    "desk/safety/hazards/": (Budget("admin", _in_zone("safety.Hazard"), size=_page_size),),
    "desk/safety/hazards/<int:pk>/": (_children("safety.HazardEvent", "hazard", "admin"),),
    "desk/safety/risk-points/": (Budget("admin", _in_zone("safety.RiskPoint")),),
    "company/projects/<int:pk>/": (_children("company.ConstructionContract", "project", "company"),),
    "desk/window/delegations/": (Budget("admin", _in_zone("powers.Delegation")),),
    "desk/window/follow-up/": (
        Budget("admin", _in_zone("window.Complaint", status="open")),
        Budget("admin", _bad_ratings),
        Budget("admin", _in_zone("window.Rectification", status="open")),
    ),
    "desk/investment/": (Budget("admin", _in_zone("investment.Project")),),
    "desk/investment/chains/": (Budget("admin", _in_zone("investment.Chain")),),
    "desk/investment/agent/": (
        Budget("agent", lambda d: _m("investment.Project").objects.filter(agent__username="demo-agent")),
    ),
    "desk/investment/awards/": (Budget("admin", _in_zone("investment.RewardAward")),),
    "portal/policies/": (
        Budget(None, _in_zone("policies.Policy", status="published"), params=_public, size=_page_size),
    ),
    "portal/policies/mine/": (
        Budget("enterprise", _of_demo_enterprise("policies.PolicyNotice")),
        Budget("enterprise", _of_demo_enterprise("policies.PolicyGrant"), vary=("policy",)),
    ),
    "desk/assessment/targets/": (Budget("admin", _in_zone("assessment.Target", year=2026), params=_with_year(2026)),),
    "desk/assessment/rankings/": (Budget("admin", lambda d: _m("assessment.Evaluation").objects.all()),),
    "desk/assessment/rankings/<int:evaluation_id>/": (
        Budget(
            "admin",
            lambda d: _m("assessment.EvaluationResult").objects.filter(evaluation_id=_evaluation(d)),
            path=lambda d: {"evaluation_id": _evaluation(d)},
            vary=("zone",),
        ),
    ),
    "portal/jobs/": (
        Budget(
            None,
            _public_jobs,
            params=_public,
            size=lambda n: _constant("onezone.support.selectors.labour", "PUBLIC_PAGE_SIZE", n),
        ),
    ),
    "portal/enterprise/jobs/": (Budget("enterprise", _of_demo_enterprise("support.JobPosting")),),
    "portal/enterprise/jobs/<int:job_id>/": (_children("support.JobApplication", "job", "enterprise", key="job_id"),),
    "portal/enterprise/labour/": (
        Budget(
            "enterprise", lambda d: _m("support.LabourSharing").objects.filter(borrower=_enterprise_of_demo_user(d))
        ),
    ),
    "portal/enterprise/statistics/": (Budget("enterprise", _of_demo_enterprise("support.MonthlyReport")),),
    "desk/support/jobs/": (Budget("admin", _in_zone("support.JobPosting"), size=_page_size),),
    "desk/support/labour/": (Budget("admin", _in_zone("support.LabourSharing")),),
    "desk/support/talent/": (Budget("admin", _talent_needs),),
    "desk/support/statistics/": (
        Budget("admin", _in_zone("support.MonthlyReport"), totals=True),
        Budget("admin", _in_zone("support.MonthlyReport", status="pending")),
        Budget("admin", _missing_reporters),
    ),
    # Each person's own inbox; the administrator's delivery failures.
    "desk/notify/": (Budget("clerk", _inbox_of("demo-clerk"), size=_page_size),),
    "portal/notify/": (Budget("enterprise", _inbox_of("demo-enterprise"), size=_page_size),),
    "desk/notify/failures/": (Budget("admin", _failed_deliveries, size=_page_size),),
    # The chemical park's desk pages.
    "desk/safety/work/": (Budget("safety", _in_zone("safety.SpecialWork")),),
    "desk/safety/gates/": (Budget("safety", _in_zone("safety.VehicleStay", exited_at__isnull=True)),),
    "desk/safety/emergency/": (Budget("safety", _in_zone("safety.EmergencyPlan")),),
    "desk/safety/work/<int:pk>/": (_children("safety.SpotCheck", "work", "safety"),),
    "portal/safety/": (Budget("enterprise", _of_demo_enterprise("safety.SpecialWork")),),
}

# Pages that show one record, a form, a file or a dashboard, not a list of records.
NOT_LIST_PAGES = {
    "desk/window/bundles/": "the zone's bundles (一件事), a handful, with their latest cases",
    "desk/window/bundles/<int:bundle_id>/apply/": "one bundle's intake form",
    "desk/window/bundles/cases/<int:bundle_case_id>/": "one bundle case and its sub-cases",
    "desk/window/bundles/efficiency/": "one row per bundle",
    "desk/window/centre/": "the centre's windows and who sits at them today",
    "portal/window/bundles/": "the zone's published bundles, a handful",
    "portal/window/bundles/<int:bundle_id>/": "one bundle's guide",
    "portal/window/bundles/lookup/": "a look-up form and one bundle case",
    "desk/calendar/import/": "an upload form and the last five years",
    "portal/logout/": "a form target",
    "portal/enterprise/cases/<str:number>/": "one case",
    "desk/notify/<int:pk>/read/": "a form target",
    "desk/notify/read-all/": "a form target",
    "desk/notify/failures/<int:pk>/retry/": "a form target",
    "desk/notify/preferences/": "a form over the registered events (a fixed list)",
    "portal/notify/<int:pk>/read/": "a form target",
    "portal/notify/read-all/": "a form target",
    "portal/notify/preferences/": "a form over the registered events (a fixed list)",
    "desk/safety/": "a dashboard of counts and today's lists, each capped (tests/safety/test_ops_views.py)",
    "desk/safety/enterprises/<int:pk>/": "one enterprise's safety page",
    "desk/safety/gates/template.xlsx": "a file",
    "desk/safety/risk/": "the park's assessments by year (one per park and year)",
    "portal/safety/drills/new/": "a form",
    "portal/safety/incidents/new/": "a form",
    "portal/safety/plans/new/": "a form",
    "portal/safety/work/new/": "a form",
    "portal/support/markets/new/": "a form",
    "healthz": "a status answer",
    "files/<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field>/": "a stored file",
    "zone/switch/": "a form",
    "portal/powers/items/<int:item_id>/": "one item's guide",
    "desk/enterprises/import/": "an upload form",
    "desk/enterprises/export.xlsx": "a file",
    "desk/enterprises/import-template.xlsx": "a file",
    "portal/enterprise/login/": "a form",
    "portal/enterprise/requests/new/": "a form",
    "portal/enterprise/requests/<str:number>/": "one request",
    "desk/personnel/payslips/<int:payslip_id>/": "one payslip",
    "company/assets/new/": "a form",
    "company/assets/<int:pk>/dispose/": "a form",
    "company/leases/new/": "a form",
    "company/loans/new/": "a form",
    "company/loans/<int:pk>/": "one loan",
    "company/projects/new/": "a form",
    "desk/window/": "the intake form (its item search is budgeted with open311/services.json)",
    "desk/window/cases/<int:case_id>/applicant/": "one case's applicant",
    "desk/window/cases/<int:case_id>/notices/<slug:kind>.docx": "a file",
    "desk/window/cases/<int:case_id>/notices/<slug:kind>.pdf": "a file",
    "desk/window/cases/<int:case_id>/materials/attach/": "a form target",
    "desk/window/cases/<int:case_id>/materials/<int:file_id>/remove/": "a form target",
    "desk/window/applicants/": "a look-up of at most ten enterprises, two queries (test_materials_views.py)",
    "portal/window/lookup/": "a form and one case",
    "portal/window/lookup/notices/": "one case's notices (at most one of each of seven kinds)",
    "portal/verify/": "a form and one document",
    "portal/verify/<str:code>/": "one document",
    "portal/window/rate/": "a form target",
    "portal/window/complaint/": "a form",
    "desk/investment/projects/<int:pk>/<slug:action>/": "a form target",
    "desk/investment/chains/targets.xlsx": "a file",
    "desk/investment/awards/<int:pk>/<slug:action>/": "a form target",
    "portal/policies/<int:policy_id>/": "one policy",
    "portal/policies/grants/<int:grant_id>/": "one grant",
    "portal/policies/notices/<int:notice_id>/": "one notice",
    "desk/assessment/": "the dashboard",
    "desk/assessment/targets/compute/": "a form target",
    "desk/assessment/targets/<int:target_id>/actual/": "a form",
    "desk/assessment/rankings/<int:evaluation_id>/action/": "a form target",
    "desk/assessment/rankings/<int:evaluation_id>/export.xlsx": "a file",
    "desk/assessment/rankings/<int:evaluation_id>/report.docx": "a file",
    "desk/assessment/zones/<int:zone_id>/": "one zone",
    "desk/assessment/whatif/": "a calculator form",
    "desk/assessment/export/targets.xlsx": "a file",
    "desk/assessment/export/dashboard.xlsx": "a file",
    "desk/assessment/report.docx": "a file",
    # The user's latest jobs (at most 100, with their starters in the same query): tests/core/test_jobs_pages.py
    # pins the count and that it does not grow with the jobs.
    "desk/jobs/": "the latest jobs, a fixed number of queries",
    "desk/jobs/<int:job_id>/": "one job",
    "desk/jobs/<int:job_id>/progress/": "one job's progress (JSON)",
    "desk/jobs/<int:job_id>/result/": "a file",
    "desk/jobs/<int:job_id>/retry/": "a form target",
    "portal/jobs/<int:job_id>/": "one job and its application form",
    "desk/support/statistics/import/": "an upload form",
    "desk/support/statistics/import-template.xlsx": "a file",
}


def test_every_page_is_classified():
    from onezone.access import POLICIES

    unclassified = sorted(set(POLICIES) - set(PAGE_BUDGETS) - set(NOT_LIST_PAGES))
    assert not unclassified, f"say whether these pages list records (PAGE_BUDGETS or NOT_LIST_PAGES): {unclassified}"
    stale = sorted((set(PAGE_BUDGETS) | set(NOT_LIST_PAGES)) - set(POLICIES))
    assert not stale, f"classified pages that onezone/access.py no longer declares: {stale}"
    assert not set(PAGE_BUDGETS) & set(NOT_LIST_PAGES)


@pytest.mark.parametrize(
    ("route", "index"), [(route, i) for route, budgets in sorted(PAGE_BUDGETS.items()) for i in range(len(budgets))]
)
def test_page_list(demo, route, index):
    import re

    budget = PAGE_BUDGETS[route][index]
    values = budget.path(demo)
    url = "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(values[m.group(1)]), route)
    _check(demo, budget, url)
