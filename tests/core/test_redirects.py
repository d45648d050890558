"""Every redirect that follows a ``next`` or a stored link stays on the site (no open redirect)."""

import pytest
from django.test import Client, RequestFactory

from onezone.core.redirects import safe_target
from tests.conftest import PASSWORD

OFFSITE = ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http:///evil.example", "\\\\evil"]


@pytest.mark.parametrize("target", OFFSITE)
def test_an_offsite_target_falls_back(target):
    request = RequestFactory().post("/", HTTP_HOST="testserver")
    assert safe_target(request, target, "/admin/") == "/admin/"


def test_a_local_target_is_kept_and_https_is_kept_on_https():
    request = RequestFactory().post("/", HTTP_HOST="testserver")
    assert safe_target(request, "/desk/investment/?page=2", "/admin/") == "/desk/investment/?page=2"
    assert safe_target(request, "http://testserver/desk/", "/admin/") == "http://testserver/desk/"
    secure = RequestFactory().post("/", HTTP_HOST="testserver", secure=True)
    assert safe_target(secure, "http://testserver/desk/", "/admin/") == "/admin/"
    assert safe_target(request, None, "/admin/") == "/admin/"


@pytest.mark.parametrize("target", OFFSITE)
def test_zone_switch_does_not_follow_an_offsite_next(zone, users, target):
    client = Client()
    client.login(username="u-admin", password=PASSWORD)
    response = client.post("/zone/switch/", {"zone_id": zone.pk, "next": target})
    assert response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("target", OFFSITE)
def test_an_investment_project_action_does_not_follow_an_offsite_next(zone, users, target):
    client = Client()
    client.login(username="u-investment_officer", password=PASSWORD)
    response = client.post("/desk/investment/projects/999999/funds/", {"next": target})
    assert "evil" not in response.get("Location", "")
    assert not response.get("Location", "").startswith(("javascript", "//", "http"))


@pytest.mark.parametrize("login", ["/admin/login/", "/portal/enterprise/login/"])
def test_login_pages_do_not_follow_an_offsite_next(zone, users, login):
    client = Client()
    username = "u-enterprise" if "portal" in login else "u-admin"
    response = client.post(login, {"username": username, "password": PASSWORD, "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
