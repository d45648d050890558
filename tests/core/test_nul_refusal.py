"""A NUL character anywhere in a request's text is refused before any view or query sees it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from onezone.core.middleware import NUL_MESSAGE
from onezone.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_page_query_parameter_with_nul_is_refused_in_chinese():
    response = Client().get("/portal/powers/", {"q": "营业\x00执照"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert NUL_MESSAGE in response.content.decode()


def test_page_without_nul_is_served():
    assert Client().get("/portal/powers/", {"q": "营业执照"}).status_code != 400


def test_form_field_with_nul_is_refused_and_nothing_is_written(zone):
    before = AuditEvent.objects.count()
    response = Client().post("/portal/enterprise/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_api_json_body_with_nul_gets_the_error_shape(users, zone):
    client = Client()
    client.force_login(users["admin"])
    body = json.dumps({"name": "园区\u0000"})
    response = client.post(f"/api/v1/zones/{zone.id}/parks", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": NUL_MESSAGE, "fields": {}}


def test_api_query_parameter_with_nul_is_refused(users):
    client = Client()
    client.force_login(users["admin"])
    response = client.get("/api/v1/health", {"x": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
