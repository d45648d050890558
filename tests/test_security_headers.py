"""Security headers on every response, and HSTS exactly when production runs behind TLS.

The production values are read from ``onezone.settings_production`` in a fresh interpreter (the test
process already runs the development settings) and applied to the test site.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client, override_settings

ONE_YEAR = 365 * 24 * 3600
PRODUCTION_NAMES = [
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
]


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    # Nothing of the test run leaks in: not our settings, nor the browser tests' async switch.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ONEZONE_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "onezone.settings_production",
        "ONEZONE_SECRET_KEY": secrets.token_urlsafe(48),
        "ONEZONE_ALLOWED_HOSTS": "onezone.example.org",
        "ONEZONE_DATA_DIR": str(tmp_path),
        **extra,
    }


def production_settings(tmp_path, **extra: str) -> dict:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {PRODUCTION_NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=production_env(tmp_path, **extra), timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    return production_settings(tmp_path_factory.mktemp("production"))


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: rest for name, *rest in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/login/", "/healthz", "/api/v1/zones/"])
def test_every_response_carries_the_headers(path):
    response = Client().get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_the_policy_allows_nothing_from_elsewhere():
    directives = csp_directives(Client().get("/"))
    sources = [source for values in directives.values() for source in values]
    assert not [source for source in sources if source == "*" or (":" in source.strip("'") and source != "data:")]
    # Scripts come from the site only; the inline and eval allowances are those the admin theme needs.
    assert set(directives["script-src"]) <= {"'self'", "'unsafe-inline'", "'unsafe-eval'"}
    assert "'self'" in directives["script-src"]
    assert directives["connect-src"] == ["'self'"]


def test_production_runs_behind_tls_with_a_year_of_hsts(production):
    assert production["DEBUG"] is False
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"] is True


def test_production_refuses_an_hsts_shorter_than_a_year(tmp_path):
    env = production_env(tmp_path, ONEZONE_HSTS_SECONDS="3600")
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ONEZONE_HSTS_SECONDS 至少为 31536000" in result.stderr


def _production_overrides(production: dict) -> dict:
    return {name: value for name, value in production.items() if name != "DEBUG"}


@pytest.mark.django_db
def test_hsts_over_https_behind_the_proxy(production):
    with override_settings(**_production_overrides(production)):
        response = Client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    parts = [part.strip() for part in response["Strict-Transport-Security"].split(";")]
    assert parts[0].startswith("max-age=")
    assert int(parts[0].removeprefix("max-age=")) >= ONE_YEAR
    assert "includeSubDomains" in parts


@pytest.mark.django_db
def test_plain_http_in_production_is_redirected_without_hsts(production):
    with override_settings(**_production_overrides(production)):
        response = Client().get("/admin/login/")
        health = Client().get("/healthz")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/admin/login/"
    assert "Strict-Transport-Security" not in response
    assert health.status_code == 200  # the load balancer's probe speaks plain HTTP
    assert "Strict-Transport-Security" not in health


@pytest.mark.django_db
def test_development_sends_no_hsts_and_ignores_the_forwarded_header():
    plain = Client().get("/")
    forwarded = Client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert plain.status_code == forwarded.status_code == 200
    assert "Strict-Transport-Security" not in plain
    assert "Strict-Transport-Security" not in forwarded


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        # The database is only named, not reached: production on SQLite is a warning of its own.
        env=production_env(tmp_path, ONEZONE_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"),
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
