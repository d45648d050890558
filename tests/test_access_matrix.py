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
