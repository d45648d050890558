"""The permission matrix: every page outside the admin and the API × every role and anonymous.

Generated from the URL configuration and compared with the one declared policy per page in
``onezone.access``. A page with no declared policy fails here.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLResolver, get_resolver

from onezone.access import POLICIES
from onezone.core.roles import Role
from onezone.demo.loader import load_demo

SKIPPED_PREFIXES = ("admin/", "api/v1/", "i18n/", "^media/")
DEMO_USER = {
    Role.ADMIN: "demo-admin",
    Role.LEADER: "demo-leader",
    Role.DEPT_HEAD: "demo-depthead",
    Role.CLERK: "demo-clerk",
    Role.REVIEWER: "demo-reviewer",
    Role.AGENT: "demo-agent",
    Role.INVESTMENT_OFFICER: "demo-investment",
    Role.HR_OFFICER: "demo-hr",
    Role.COMPANY_STAFF: "demo-company",
    Role.SAFETY_OFFICER: "demo-safety",
    Role.ENTERPRISE: "demo-enterprise",
    Role.PROVINCE_SUPERVISOR: "demo-province",
}


def _routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


ROUTES = [r for r in _routes() if not r.startswith(SKIPPED_PREFIXES)]


def test_every_page_declares_a_policy():
    missing = [r for r in ROUTES if r not in POLICIES]
    assert not missing, f"these pages have no declared policy in onezone/access.py: {missing}"
    stale = sorted(set(POLICIES) - set(ROUTES))
    assert not stale, f"onezone/access.py declares pages that no longer exist: {stale}"


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


@pytest.fixture
def clients(db, calendar_seeded):
    # The enterprise step links demo-enterprise to its enterprise, which its portal pages need.
    load_demo(only=["s10_foundation", "s30_enterprises"])
    result = {None: Client()}
    for role, username in DEMO_USER.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        result[role] = client
    return result


def test_pages_answer_each_role_as_declared(clients):
    wrong = []
    for route in (r for r in ROUTES if "<" not in r):
        policy = POLICIES[route]
        for role, client in clients.items():
            response = client.get("/" + route)
            if policy.post_only:
                ok = response.status_code in (405, 302, 403)
            elif policy.allows(role):
                ok = response.status_code == 200
            else:
                ok = _denied(response)
            if not ok:
                wrong.append((route, role or "anonymous", response.status_code))
    assert not wrong, wrong


def _sample_path(route: str) -> str:
    return "/" + re.sub(r"<(\w+):(\w+)>", lambda m: "x" if m.group(1) in ("slug", "str") else "1", route)


def test_pages_with_ids_refuse_anonymous_visitors(clients):
    wrong = []
    for route in (r for r in ROUTES if "<" in r):
        response = clients[None].get(_sample_path(route))
        policy = POLICIES[route]
        # A form target refuses the GET itself (405) before anything of the record is read.
        ok = response.status_code in (200, 404, 405) if policy.public else _denied(response)
        ok = ok or (policy.post_only and response.status_code == 405)
        if not ok:
            wrong.append((route, response.status_code))
    assert not wrong, wrong


# --- the body dimension: every write on a matter a body holds × every role × own body / other body ----------

BODY_WIDE = {Role.ADMIN, Role.LEADER}


@pytest.fixture
def held(db, zone, root, calendar_seeded):
    """A zone with a service centre and two departments; one matter of each kind held by 经济发展局."""
    import datetime as dt
    from decimal import Decimal

    from onezone.enterprises.services import enterprise_register, request_categories_seed, request_submit
    from onezone.org.models import AgendaItem, Body, FollowUpTask, MatterDomain, Meeting, RoutingRule
    from onezone.powers.services import item_create
    from onezone.safety.models import Hazard, HazardStatus
    from onezone.window.services import Applicant, case_receive
    from onezone.zones.services import park_create

    own = Body.objects.create(zone=zone, name="经济发展局", kind=Body.Kind.DEPARTMENT)
    other = Body.objects.create(zone=zone, name="生态环境局", kind=Body.Kind.DEPARTMENT)
    Body.objects.create(zone=zone, name="政务服务中心", kind=Body.Kind.SERVICE_CENTRE)
    for category in ("enterprise_service", "economic_operation", "project_approval"):
        RoutingRule.objects.create(
            zone=zone, category=category, category_name=category, domain=MatterDomain.ECONOMIC, body=own
        )
    request_categories_seed(actor=root, zone_id=zone.pk)
    park = park_create(
        actor=root,
        zone=zone,
        name="甲园",
        code="jia",
        planned_area_km2=Decimal("5"),
        built_area_km2=Decimal("1"),
        industry_codes=["C32"],
    )
    firm = enterprise_register(
        actor=root,
        zone_id=zone.pk,
        uscc="91512081MA62K0260E",
        name="金昌甲新材料有限公司",
        industry_code="C3211",
        park=park,
    )
    request = request_submit(actor=root, enterprise=firm, title="用工", description="缺工严重，招聘不到技工")
    meeting = Meeting.objects.create(zone=zone, title="主任办公会", kind="directors", held_on=dt.date(2026, 1, 5))
    item = AgendaItem.objects.create(zone=zone, meeting=meeting, topic="议题")
    task = FollowUpTask.objects.create(
        zone=zone, agenda_item=item, description="督办", owner_body=own, deadline=dt.date(2026, 12, 1)
    )
    hazard = Hazard.objects.create(
        zone=zone,
        number="YH-1",
        enterprise=firm,
        title="隐患",
        description="管线腐蚀",
        level="general",
        source="park",
        found_on=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 12, 1),
        body=own,
        status=HazardStatus.REPORTED,
    )
    power = item_create(
        actor=root,
        zone_id=zone.pk,
        reason="清单编制",
        effective_on=dt.date(2024, 1, 1),
        materials=[],
        data={
            "name": "企业投资项目备案",
            "implementation_code": "Y1",
            "category": "licensing",
            "legal_limit": 20,
            "legal_limit_unit": "working",
            "committed_limit": 10,
            "committed_limit_unit": "working",
            "handling_type": "promised",
            "implementing_body_id": own.pk,
        },
    )
    case = case_receive(
        actor=root,
        zone_id=zone.pk,
        item_id=power.pk,
        applicant=Applicant(kind="enterprise", name=firm.name, uscc=firm.uscc, mobile="13909351234"),
    )
    return {"own": own, "other": other, "request": request, "task": task, "hazard": hazard, "case": case}


def _writes(held):
    from onezone.enterprises.access import REQUEST_STAFF_ROLES
    from onezone.enterprises.models import EnterpriseRequest
    from onezone.enterprises.services import request_acknowledge, request_category_confirm
    from onezone.org.models import FollowUpTask
    from onezone.org.services import MEETING_ROLES, task_complete
    from onezone.safety.models import Hazard
    from onezone.safety.services.base_common import SAFETY_STAFF_ROLES
    from onezone.safety.services.base_hazards import hazard_transition
    from onezone.window.models import Case
    from onezone.window.services import CLERKS, case_accept

    request, task, hazard, case = held["request"], held["task"], held["hazard"], held["case"]
    return {
        "request_acknowledge": (
            REQUEST_STAFF_ROLES,
            lambda actor: request_acknowledge(actor=actor, request=request),
            lambda: EnterpriseRequest.objects.get(pk=request.pk).status,
        ),
        "request_category_confirm": (
            REQUEST_STAFF_ROLES,
            lambda actor: request_category_confirm(actor=actor, request=request, category=request.category),
            lambda: EnterpriseRequest.objects.get(pk=request.pk).category_confirmed,
        ),
        "task_complete": (
            MEETING_ROLES,
            lambda actor: task_complete(actor=actor, task=task, result="已完成"),
            lambda: FollowUpTask.objects.get(pk=task.pk).status,
        ),
        "hazard_assign": (
            SAFETY_STAFF_ROLES,
            lambda actor: hazard_transition(actor=actor, hazard=hazard, action="assign"),
            lambda: Hazard.objects.get(pk=hazard.pk).status,
        ),
        "case_accept": (
            CLERKS,
            lambda actor: case_accept(actor=actor, case_id=case.pk),
            lambda: Case.objects.get(pk=case.pk).state,
        ),
    }


WRITES = ["request_acknowledge", "request_category_confirm", "task_complete", "hazard_assign", "case_accept"]


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ENTERPRISE,)])
@pytest.mark.parametrize("write", WRITES)
def test_writes_on_a_held_matter_need_the_role_and_the_body(held, zone, write, role, side):
    import datetime as dt

    from onezone.core.errors import NotFound, PermissionDenied
    from onezone.core.models import AuditEvent
    from onezone.org.models import Appointment, Person, Post
    from tests.conftest import make_user

    user = make_user(f"m-{role}-{side}", zone=zone, role=role)
    post = Post.objects.create(zone=zone, body=held[side], title=f"岗位{role}")
    person = Person.objects.create(zone=zone, name="甲", user=user)
    Appointment.objects.create(zone=zone, person=person, post=post, start=dt.date(2020, 1, 1))
    roles, act, state = _writes(held)[write]
    allowed = role in roles and (side == "own" or role in BODY_WIDE)
    before, audits = state(), AuditEvent.objects.count()
    if allowed:
        act(user)
        assert state() != before
    else:
        # Refused: not permitted, or (the safety desk's way) not found for staff outside its roles.
        with pytest.raises((PermissionDenied, NotFound)):
            act(user)
        assert (state(), AuditEvent.objects.count()) == (before, audits)


def test_the_head_of_a_body_above_acts_for_it_and_a_past_post_does_not(held, zone):
    import datetime as dt

    from onezone.core.errors import PermissionDenied
    from onezone.enterprises.services import request_acknowledge
    from onezone.org.models import Appointment, Body, Person, Post
    from tests.conftest import make_user

    committee = Body.objects.create(zone=zone, name="管委会", kind=Body.Kind.COMMITTEE)
    Body.objects.filter(pk=held["own"].pk).update(parent=committee)
    former = make_user("m-former", zone=zone, role=Role.CLERK)
    Appointment.objects.create(
        zone=zone,
        person=Person.objects.create(zone=zone, name="乙", user=former),
        post=Post.objects.create(zone=zone, body=held["own"], title="原专员"),
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
    )
    with pytest.raises(PermissionDenied, match="经济发展局"):
        request_acknowledge(actor=former, request=held["request"])
    head = make_user("m-head", zone=zone, role=Role.DEPT_HEAD)
    Appointment.objects.create(
        zone=zone,
        person=Person.objects.create(zone=zone, name="丙", user=head),
        post=Post.objects.create(zone=zone, body=committee, title="主任", is_head=True),
        start=dt.date(2020, 1, 1),
    )
    assert request_acknowledge(actor=head, request=held["request"]).status == "acknowledged"
