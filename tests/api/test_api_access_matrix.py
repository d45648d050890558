"""The API's permission matrix, generated from its OpenAPI schema.

Every operation × every role of the demo zone and an anonymous caller answers as the policy declared
here says (an operation without a declared policy fails). Then, for every operation that names a
zone-scoped record, callers of another zone (the ``users`` fixture's zone, one user per role) are
refused with the one error shape and nothing in the database changes: the row count of every table,
the target rows' values and the audit log are compared before and after. Their lists never show
the demo zone's records.

Path parameters are filled with real records of the demo zone, bodies with the smallest document
the schema accepts (required fields only, ids of the demo zone's records), so a refusal comes from
the permission check and not from validation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test import Client

from onezone.api.api import api
from onezone.core.roles import Role
from tests.test_access_matrix import DEMO_USER

SCHEMA = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, op["operationId"].removeprefix("onezone_"), op)
    for path, ops in SCHEMA["paths"].items()
    for method, op in ops.items()
]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = {401, 403, 404}

# --- The declared policy ---------------------------------------------------------------------------
#
# Which roles of the zone an operation lets through (the answer is not 401/403 for them; a 404 counts
# as a refusal only for the others). PUBLIC: anonymous callers too. The services still check what is
# the caller's own (an enterprise sees its own requests only) and the state of the record.

PUBLIC = "public"
ALL = frozenset(Role)
STAFF = ALL - {Role.ENTERPRISE}


def roles(*names: str) -> frozenset[str]:
    return frozenset(Role(n) for n in names)


ADMIN = roles("admin")
HR = roles("hr_officer")
ENTERPRISE = roles("enterprise")
COMPANY_READERS = roles("admin", "leader", "dept_head", "company_staff", "province_supervisor")
COMPANY_WRITERS = roles("company_staff")
COMMITTEE = roles("admin", "leader", "dept_head")
REQUEST_DESK = roles("admin", "leader", "dept_head", "clerk", "agent", "investment_officer")
INVESTMENT_WRITERS = roles("admin", "leader", "investment_officer")
INVESTMENT_BOOKS = roles("admin", "investment_officer")
LEADERSHIP = roles("admin", "leader")
SAFETY_STAFF = roles("admin", "leader", "dept_head", "safety_officer")
SAFETY_READERS = SAFETY_STAFF | roles("province_supervisor")
SAFETY_SUPERVISORS = roles("admin", "leader", "safety_officer")
SUPPORT_DESK = roles("admin", "leader", "dept_head", "investment_officer")


def _ops(app: str, policy: Any, names: str) -> dict[str, Any]:
    return dict.fromkeys((f"{app}_api_{name}" for name in names.split()), policy)


POLICY: dict[str, Any] = {
    "api_api_health": PUBLIC,
    "zones_api_list_zones": ALL,
    "zones_api_list_parks": ALL,
    "zones_api_get_park": ALL,
    "org_api_list_bodies": ALL,
    "org_api_route": ALL,
    "org_api_list_routing": ALL,
    "org_api_put_routing": ADMIN,
    # The three lists are public disclosure; delegations are the staff's.
    "powers_api_list_items": PUBLIC,
    "powers_api_item_detail": PUBLIC,
    "powers_api_list_versions": PUBLIC,
    "powers_api_diff_versions": PUBLIC,
    "powers_api_list_delegations": STAFF,
    # Enterprises: the register is the staff's; an enterprise submits and follows its own requests.
    "enterprises_api_list_enterprises": STAFF,
    "enterprises_api_create_enterprise": roles("admin", "dept_head", "investment_officer"),
    "enterprises_api_get_enterprise": STAFF,
    "enterprises_api_figures": STAFF,
    "enterprises_api_list_requests": ALL,
    "enterprises_api_submit_request": REQUEST_DESK | ENTERPRISE,
    "enterprises_api_get_request": ALL,
    # Authority by body: the demo's first request is held by 经济发展局, whose head is the department head;
    # the clerk, the agent and the investment officer hold no post there (the page matrix tests own/other body).
    "enterprises_api_request_step": roles("admin", "leader", "dept_head"),
    "enterprises_api_suggest": ALL,
    "enterprises_api_list_inspections": STAFF,
    "enterprises_api_plan_inspection": COMMITTEE,
    "enterprises_api_merge_inspections": COMMITTEE,
    # Personnel files, appraisals and pay: the HR officer only.
    **_ops(
        "personnel",
        HR,
        (
            "list_contracts create_contract activate_contract renew_contract terminate_contract "
            "list_cycles list_appraisals rate close_cycle list_runs create_run run_payslips approve_run "
            "pay_run"
        ),
    ),
    # The operating company: its staff write, the committee and the province read.
    **_ops(
        "company",
        COMPANY_READERS,
        (
            "list_assets list_leases get_lease list_bills list_payments arrears list_loans get_loan "
            "list_projects get_project"
        ),
    ),
    **_ops(
        "company",
        COMPANY_WRITERS,
        (
            "create_asset dispose_asset create_lease generate_bills record_payment create_loan "
            "create_project create_contract create_construction_payment create_progress"
        ),
    ),
    # The service window: the zone's staff read; clerks and the leadership act.
    "window_api_list_cases": STAFF,
    "window_api_create_case": roles("admin", "clerk"),
    "window_api_get_case": STAFF,
    "window_api_case_step": roles("admin", "clerk"),  # the step tried is "accept"
    "window_api_figures": STAFF,
    "window_api_public_lookup": PUBLIC,
    "window_api_list_complaints": STAFF,
    "window_api_answer_complaint": COMMITTEE,
    "window_api_list_ratings": STAFF,
    "window_api_appeal_rating": roles("admin", "leader", "dept_head", "clerk"),
    "window_api_decide_appeal": LEADERSHIP,
    "window_api_list_rectifications": STAFF,
    "window_api_record_rectification": roles("admin", "leader", "dept_head", "clerk"),
    "window_open311_services": PUBLIC,
    "window_open311_requests": PUBLIC,
    # Investment: the zone's staff read; investment officers and the leadership act.
    **_ops(
        "investment",
        STAFF,
        (
            "list_leads list_projects get_project list_stage_changes list_funds list_progress figures "
            "list_chains get_chain list_awards"
        ),
    ),
    "investment_api_create_lead": INVESTMENT_WRITERS,
    "investment_api_create_project": INVESTMENT_WRITERS,
    "investment_api_move_project": INVESTMENT_WRITERS,
    "investment_api_record_funds": INVESTMENT_BOOKS,
    "investment_api_correct_funds": INVESTMENT_BOOKS,
    "investment_api_record_progress": INVESTMENT_BOOKS,
    "investment_api_correct_progress": INVESTMENT_BOOKS,
    "investment_api_claim_award": INVESTMENT_BOOKS,
    "investment_api_act_on_award": LEADERSHIP,  # the action tried is "approve"
    # Policies: a public library; matching and grants are the staff's, an enterprise answers its own.
    "policies_api_list_policies": PUBLIC,
    "policies_api_get_policy": PUBLIC,
    "policies_api_qualifying": STAFF,
    "policies_api_list_matches": STAFF,
    "policies_api_match_run": roles("admin", "dept_head", "investment_officer"),
    "policies_api_list_grants": STAFF,
    "policies_api_pay": LEADERSHIP,
    "policies_api_my_notices": ENTERPRISE,
    "policies_api_my_grants": ENTERPRISE,
    "policies_api_confirm": ENTERPRISE,
    "policies_api_decline": ENTERPRISE,
    # Assessment: targets, values and rankings are read by every role of the zone.
    "assessment_api_list_targets": ALL,
    "assessment_api_list_actuals": ALL,
    "assessment_api_enter_actual": COMMITTEE,
    "assessment_api_list_evaluations": ALL,
    "assessment_api_get_ranking": ALL,
    "assessment_api_list_values": ALL,
    "assessment_api_rank_history": ALL,
    # Safety base: safety staff and the province read the zone; an enterprise reports and reads its own
    # (another enterprise's record is not found); the services check who acts on a hazard.
    "safety_api_base_hazard_grade": ALL,  # the GB 18218 calculation alone: nothing is read or stored
    **_ops(
        "safety",
        SAFETY_READERS | ENTERPRISE,
        ("base_list_installations base_enterprise_safety base_list_risk_points base_list_hazards base_get_hazard"),
    ),
    **_ops(
        "safety",
        SAFETY_STAFF | ENTERPRISE,
        (
            "base_save_installation base_save_profile base_set_processes base_add_licence base_save_chemical "
            "base_add_filing base_add_contractor base_add_risk_point base_save_responsible base_add_check "
            "base_report_hazard"
        ),
    ),
    # Who sees the hazard reaches the step; the step's authority is checked once the step is known (the
    # action tried, "测试内容", is no step of the workflow: 409 with the steps allowed).
    "safety_api_base_transition_hazard": SAFETY_READERS | ENTERPRISE,
    # A department head acts only on the body holding the hazard (the demo's first is 应急管理局's).
    "safety_api_base_save_plan": SAFETY_SUPERVISORS | ENTERPRISE,
    "safety_api_base_supervise": LEADERSHIP,
    "safety_api_base_figures": SAFETY_READERS,
    # Safety operations: the zone's staff read; an enterprise files and follows its own records.
    **_ops(
        "safety",
        ALL,
        (
            "operations_list_special_work operations_get_special_work operations_list_plans "
            "operations_list_drills operations_list_incidents"
        ),
    ),
    **_ops(
        "safety",
        STAFF,
        (
            "operations_today_special_work operations_hazmat_vehicles operations_parking operations_duty "
            "operations_list_risk operations_figures"
        ),
    ),
    **_ops(
        "safety",
        SAFETY_SUPERVISORS | ENTERPRISE,
        (
            "operations_file_special_work operations_close_special_work operations_cancel_special_work "
            "operations_file_plan operations_record_drill operations_report_incident"
        ),
    ),
    "safety_api_operations_spot_check": SAFETY_SUPERVISORS,
    "safety_api_operations_submit_risk": SAFETY_SUPERVISORS,
    # Enterprise services: staff read the zone's listings, needs and matches; an enterprise its own.
    **_ops("support", ALL, "markets_listings markets_matches finance_products finance_needs"),
    **_ops(
        "support",
        ENTERPRISE,
        (
            "markets_listing_publish markets_match_agree markets_match_decline "
            "markets_match_contact finance_need_submit statistics_report"
        ),
    ),
    "support_api_markets_listing_status": SUPPORT_DESK | ENTERPRISE,  # the desk closes a listing too
    **_ops(
        "support",
        STAFF,
        (
            "markets_supply_rate finance_loans finance_figure labour_sharing_list labour_talent "
            "statistics_year_figures statistics_missing"
        ),
    ),
    # Published jobs are public, and anyone may apply.
    **_ops("support", PUBLIC, "labour_jobs labour_job labour_apply"),
}

# --- Demo data, loaded once for the module ---------------------------------------------------------

DEMO_USERS = DEMO_USER  # the demo zone's user of each role, as the page matrix uses them

# Path parameter → the model whose first record of the zone fills it (per app where names clash).
RECORDS: dict[tuple[str, str], str] = {
    ("zones", "park_id"): "zones.Park",
    ("powers", "item_id"): "powers.PowerItem",
    ("enterprises", "enterprise_id"): "enterprises.Enterprise",
    ("enterprises", "request_id"): "enterprises.EnterpriseRequest",
    ("personnel", "contract_id"): "personnel.EmploymentContract",
    ("personnel", "appraisal_id"): "personnel.Appraisal",
    ("personnel", "cycle_id"): "personnel.AppraisalCycle",
    ("personnel", "run_id"): "personnel.PayrollRun",
    ("company", "asset_id"): "company.Asset",
    ("company", "lease_id"): "company.Lease",
    ("company", "loan_id"): "company.Loan",
    ("company", "project_id"): "company.ConstructionProject",
    ("window", "case_id"): "window.Case",
    ("window", "complaint_id"): "window.Complaint",
    ("window", "rating_id"): "window.Rating",
    ("window", "rectification_id"): "window.Rectification",
    ("investment", "project_id"): "investment.Project",
    ("investment", "chain_id"): "investment.Chain",
    ("investment", "award_id"): "investment.RewardAward",
    ("investment", "funds/{entry_id}"): "investment.FundsEntry",
    ("investment", "progress/{entry_id}"): "investment.InvestmentProgress",
    ("policies", "policy_id"): "policies.Policy",
    ("policies", "grant_id"): "policies.PolicyGrant",
    ("assessment", "target_id"): "assessment.Target",
    ("assessment", "evaluation_id"): "assessment.Evaluation",
    ("safety", "enterprise_id"): "enterprises.Enterprise",
    ("safety", "installation_id"): "safety.Installation",
    ("safety", "responsible_id"): "safety.Responsible",
    ("safety", "hazard_id"): "safety.Hazard",
    ("safety", "work_id"): "safety.SpecialWork",
    ("safety", "plan_id"): "safety.EmergencyPlan",
    ("support", "listing_id"): "support.Listing",
    ("support", "match_id"): "support.MarketMatch",
    ("support", "job_id"): "support.JobPosting",
}
WORDS = {"step": "acknowledge", "category": "licensing", "year": 2025, "month": 6}
ACTIONS = {"window": "accept", "investment": "approve"}
BODY_IDS = {"lessee_id": "enterprises.Enterprise", "park_id": "zones.Park", "enterprise_id": "enterprises.Enterprise"}


def _app(path: str) -> str:
    return path.split("/")[3]


def _record_model(path: str, param: str) -> str | None:
    app = _app(path)
    if param == "entry_id":
        return RECORDS[(app, "funds/{entry_id}" if "/funds/" in path else "progress/{entry_id}")]
    return RECORDS.get((app, param))


def _first(label: str, zone_id: int, user: User | None = None) -> int:
    model = apps.get_model(label)
    qs = model.objects.all()
    if any(f.name == "zone" for f in model._meta.fields):
        qs = qs.filter(zone_id=zone_id)
    if user is not None and label == "policies.PolicyGrant":  # the enterprise's own grant
        from onezone.enterprises.models import EnterpriseMember

        own = EnterpriseMember.objects.filter(user=user).values_list("enterprise_id", flat=True)
        qs = qs.filter(enterprise_id__in=list(own)) or qs
    pk = qs.order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, f"the demo zone has no {label}"
    return pk


def _path(
    method: str, path: str, zone_id: int, record_zone_id: int, user: User | None = None, ids: dict | None = None
) -> str:
    """The operation's URL with ``zone_id`` and record ids of ``record_zone_id``'s records."""
    app = _app(path)

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "zone_id":
            return str(zone_id)
        if name == "action":
            return ACTIONS[app]
        if name in WORDS:
            return str(WORDS[name])
        if name in ("a", "b"):
            from onezone.powers.models import ListVersion

            versions = list(
                ListVersion.objects.filter(zone_id=record_zone_id).order_by("pk").values_list("pk", flat=True)
            )
            return str(versions[0 if name == "a" else -1])
        if ids and name in ids:
            return str(ids[name])
        return str(_first(_record_model(path, name), record_zone_id, user))

    return re.sub(r"\{(\w+)\}", value, path)


def _query(op: dict, zone_id: int) -> dict[str, Any]:
    query = {p["name"]: WORDS[p["name"]] for p in op.get("parameters", []) if p["in"] == "query" and p.get("required")}
    if any(p["name"] == "zone_id" and p["in"] == "query" for p in op.get("parameters", [])):
        query["zone_id"] = zone_id
    return query


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example(schema: dict, name: str, zone_id: int) -> Any:
    schema = _resolve(schema)
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _example(options[0], name, zone_id)
    if "allOf" in schema:
        return _example(schema["allOf"][0], name, zone_id)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        wanted = [key for key in props if key in schema.get("required", []) or key in BODY_IDS]
        return {key: _example(props[key], key, zone_id) for key in wanted}
    if kind == "array":
        return []
    if kind == "integer":
        return _first(BODY_IDS[name], zone_id) if name in BODY_IDS else max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2025-06-30"
    if schema.get("format") == "date-time":
        return "2025-06-30T10:00:00+08:00"
    if schema.get("format") == "decimal" or name in ("amount", "cost", "rent", "proceeds", "principal"):
        return "1000"
    return "测试内容"


def _body(op: dict, zone_id: int) -> dict | None:
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _example(content["application/json"]["schema"], "", zone_id)


def call(
    client: Client, method: str, path: str, op: dict, zone_id: int, record_zone_id: int, user=None, ids=None, body=None
):
    url = _path(method, path, zone_id, record_zone_id, user, ids)
    body = body if body is not None else _body(op, record_zone_id)
    query = _query(op, zone_id)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(client, method.lower())(url, **kwargs)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[int]:
    """The full demo, loaded once in a transaction that is rolled back after the module."""
    from onezone.core.calendar import calendar_seed
    from onezone.demo.loader import load_demo
    from onezone.zones.models import Zone

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            calendar_seed()
            load_demo()
            yield Zone.objects.get(code="yongchang").pk
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def demo_clients(demo, db, settings) -> dict[str | None, Client]:
    settings.ONEZONE_API_ANON_RATE = "100000/m"
    return {None: _client(None)} | {role: _client(User.objects.get(username=name)) for role, name in DEMO_USERS.items()}


# --- The matrix -----------------------------------------------------------------------------------


def test_every_operation_declares_a_policy():
    names = {name for _m, _p, name, _op in OPERATIONS}
    missing = sorted(names - set(POLICY))
    assert not missing, f"these API operations have no declared policy: {missing}"
    stale = sorted(set(POLICY) - names)
    assert not stale, f"policies declared for operations that no longer exist: {stale}"
    assert len(OPERATIONS) > 100


def test_every_operation_answers_each_role_as_declared(demo, demo_clients):
    wrong = []
    for method, path, name, op in OPERATIONS:
        policy = POLICY[name]
        for role, client in demo_clients.items():
            user = User.objects.get(username=DEMO_USERS[role]) if role else None
            with transaction.atomic():  # what an allowed call writes is undone before the next one
                response = call(client, method, path, op, demo, demo, user)
                transaction.set_rollback(True)
            status = response.status_code
            if policy == PUBLIC or (role is not None and role in policy):
                ok = status not in (401, 403) and status < 500
            else:
                ok = status in REFUSED and set(response.json()) == {"code", "message", "fields"}
            if not ok:
                wrong.append((f"{method} {path}", role or "anonymous", status, response.content[:120].decode()))
    assert not wrong, "\n".join(map(str, wrong))


# --- Another zone's callers -----------------------------------------------------------------------

# Lists that are the same for every zone or hold the caller's own zone's fixture data (the provincial
# ranking of all zones among them).
SHARED_LISTS = {
    "zones_api_list_zones",
    "org_api_list_bodies",
    "org_api_list_routing",
    "assessment_api_list_evaluations",
    "assessment_api_get_ranking",
    "enterprises_api_suggest",
}


# Operations that read and write no zone's records: the GB 18218 grading is a calculation on the body alone.
ZONELESS = {"safety_api_base_hazard_grade"}


def _table_counts() -> dict[str, int]:
    """The row count of every table, in one query."""
    tables = sorted(connection.introspection.table_names())
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def _targets(path: str, zone_id: int, ids: dict | None = None) -> dict[str, dict]:
    """The values of the records the path names, by model and id."""
    out = {}
    for name in re.findall(r"\{(\w+)\}", path):
        label = None if name in ("zone_id", "action", "a", "b", *WORDS) else _record_model(path, name)
        if label:
            pk = ids[name] if ids and name in ids else _first(label, zone_id)
            obj = apps.get_model(label).objects.get(pk=pk)
            out[f"{label}#{obj.pk}"] = model_to_dict(obj)
    return out


def _snapshot(path: str, zone_id: int) -> tuple[dict, dict]:
    return _table_counts(), _targets(path, zone_id)


@pytest.fixture
def outsiders(demo, users, settings) -> dict[str, Client]:
    """One client per role of another zone (the provincial supervisor reads every zone: left out)."""
    settings.ONEZONE_API_ANON_RATE = "100000/m"
    return {role: _client(user) for role, user in users.items() if role != Role.PROVINCE_SUPERVISOR}


def _refused(response) -> bool:
    return response.status_code in (403, 404) and set(response.json()) == {"code", "message", "fields"}


def _record_ops(methods: set[str]):
    for method, path, name, op in OPERATIONS:
        if method in methods and POLICY[name] != PUBLIC:
            names_records = any(_record_model(path, p) for p in re.findall(r"\{(\w+)\}", path))
            yield method, path, name, op, names_records


def test_writes_on_another_zones_records_are_refused_and_change_nothing(demo, outsiders, zone):
    wrong, changed, tried = [], [], 0
    for method, path, name, op, names_records in _record_ops(WRITES):
        if name in ZONELESS:
            continue
        body_refs = any(key in BODY_IDS for key in json.dumps(_body(op, demo) or {}).split('"'))
        zones = [demo] + ([zone.pk] if (names_records or body_refs) and "{zone_id}" in path else [])
        before = _snapshot(path, demo)
        for role, client in outsiders.items():
            for zone_in_path in zones:
                response = call(client, method, path, op, zone_in_path, demo)
                tried += 1
                own_zone_create = zone_in_path == zone.pk and not names_records
                ok = (
                    response.status_code == 400
                    if own_zone_create and response.status_code == 400
                    else _refused(response)
                )
                if not ok:
                    wrong.append((f"{method} {path}", role, zone_in_path, response.status_code, response.content[:160]))
        after = _snapshot(path, demo)
        if after != before:
            counts = {t: (before[0][t], after[0].get(t)) for t in before[0] if before[0][t] != after[0].get(t)}
            changed.append((f"{method} {path}", counts, before[1] != after[1]))
    assert tried > 500
    assert not wrong, "\n".join(map(str, wrong))
    assert not changed, changed


def _rows(payload: Any) -> list | None:
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        for key in ("items", "rows", "results"):
            if isinstance(payload.get(key), list):
                return payload[key]
    return None


def test_reads_never_show_another_zones_records(demo, outsiders, zone):
    wrong = []
    for method, path, name, op, names_records in _record_ops({"GET"}):
        if ("{zone_id}" not in path and not names_records) or name in SHARED_LISTS:
            continue  # the caller's own zone (company books): the list check below covers it
        for role, client in outsiders.items():
            if "{zone_id}" in path:
                response = call(client, method, path, op, demo, demo)
                if not _refused(response):
                    wrong.append((f"GET {path}", role, "their zone", response.status_code))
            if names_records:  # the caller's own zone in the path, the demo zone's record ids
                response = call(client, method, path, op, zone.pk, demo)
                empty = response.status_code == 200 and _rows(response.json()) == []
                if not (_refused(response) or empty):
                    wrong.append((f"GET {path}", role, "own zone, their record", response.status_code))
    for method, path, name, op, names_records in _record_ops({"GET"}):
        if names_records or name in SHARED_LISTS:
            continue
        for role, client in outsiders.items():
            response = call(client, method, path, op, zone.pk, zone.pk)
            rows = _rows(response.json()) if response.status_code == 200 else None
            if rows:
                wrong.append((f"GET {path}", role, "own zone list shows", rows[:2]))
    assert not wrong, "\n".join(map(str, wrong))


def test_an_unknown_stage_is_refused_as_invalid_input(demo, demo_clients):
    from onezone.investment.models import Project

    project = Project.objects.filter(zone_id=demo).order_by("pk").first()
    before = _snapshot("/api/v1/investment/zones/{zone_id}/projects/{project_id}", demo)
    response = demo_clients[Role.ADMIN].post(
        f"/api/v1/investment/zones/{demo}/projects/{project.pk}/stage-changes",
        data={"to_stage": "不存在的阶段"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "fields"}
    assert "to_stage" in response.json()["fields"]
    assert _snapshot("/api/v1/investment/zones/{zone_id}/projects/{project_id}", demo) == before


# --- Another enterprise ---------------------------------------------------------------------------


@pytest.fixture
def rival(demo, db) -> tuple[Client, int, int]:
    """A user of another enterprise of the demo zone; with the demo enterprise's id and its own."""
    from onezone.core.models import RoleGrant
    from onezone.enterprises.models import Enterprise, EnterpriseMember

    own = EnterpriseMember.objects.get(user__username=DEMO_USERS[Role.ENTERPRISE], zone_id=demo).enterprise_id
    other = Enterprise.objects.filter(zone_id=demo).exclude(pk=own).order_by("pk").first()
    user = User.objects.create_user("rival-enterprise")
    RoleGrant.objects.create(user=user, zone_id=demo, role=Role.ENTERPRISE)
    EnterpriseMember.objects.create(zone_id=demo, user=user, enterprise=other)
    return _client(user), own, other.pk


# Writes that file a new record of the caller's own enterprise without naming one: the only change
# allowed is that one record, of the caller's enterprise.
OWN_CREATES = {"support_api_finance_need_submit": "support.FinancingNeed"}


def test_another_enterprise_neither_reads_nor_changes_an_enterprises_records(demo, rival):
    from onezone.enterprises.models import EnterpriseRequest
    from onezone.policies.models import PolicyGrant

    client, victim, own = rival
    ids = {
        "request_id": EnterpriseRequest.objects.filter(enterprise_id=victim).order_by("pk").first().pk,
        "grant_id": PolicyGrant.objects.filter(enterprise_id=victim).order_by("pk").first().pk,
        "step": "confirm",
    }
    wrong, tried = [], 0
    for method, path, name, op in OPERATIONS:
        policy = POLICY[name]
        if policy == PUBLIC or Role.ENTERPRISE not in policy:
            continue
        body = _body(op, demo)
        if isinstance(body, dict) and "enterprise_id" in body:
            body["enterprise_id"] = victim
        before = _table_counts(), _targets(path, demo, ids)
        own_create = apps.get_model(OWN_CREATES[name]) if name in OWN_CREATES else None
        known = set(own_create.objects.values_list("pk", flat=True)) if own_create else set()
        response = call(client, method, path, op, demo, demo, ids=ids, body=body)
        tried += 1
        names_records = any(p in ids for p in re.findall(r"\{(\w+)\}", path))
        if names_records or (method in WRITES and body and "enterprise_id" in body):
            if not _refused(response):
                wrong.append((f"{method} {path}", response.status_code, response.content[:160]))
        elif response.status_code == 200:
            strangers = [r for r in _rows(response.json()) or [] if r.get("enterprise_id", own) != own]
            if strangers:
                wrong.append((f"{method} {path}", "shows", strangers[:2]))
        if own_create is not None:
            added = list(own_create.objects.exclude(pk__in=known).values_list("enterprise_id", flat=True))
            if response.status_code != 201 or added != [own]:
                wrong.append((f"{method} {path}", response.status_code, "added", added))
        elif method in WRITES and (_table_counts(), _targets(path, demo, ids)) != before:
            wrong.append((f"{method} {path}", "changed the database"))
    assert tried >= 8
    assert not wrong, "\n".join(map(str, wrong))
