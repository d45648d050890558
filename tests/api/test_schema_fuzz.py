"""Hostile input against the whole REST API, generated from its own OpenAPI schema.

Every operation is called with schema-driven and malformed data as an authenticated administrator
of the demo zone: no response may be a server error, and responses must match the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from onezone.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# What the API promises: never a server error, only documented status codes, and bodies and content
# types as documented. (Pydantic's lax parsing accepts e.g. 0 for a date, so "every schema-violating
# request is rejected" is not a promise made here.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def admin_token(transactional_db, calendar_seeded):
    from django.contrib.auth.models import User

    from onezone.core.auth import api_token_create
    from onezone.demo.loader import load_demo

    load_demo(only=["s10_foundation"])
    admin = User.objects.get(username="demo-admin")
    _token, raw = api_token_create(actor=admin, user=admin, name="schema fuzz")
    return raw


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
