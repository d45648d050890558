"""Templates never render user input unescaped.

Two guards. The static one scans every template and Python module of the package for the four ways
of switching Django's autoescaping off (``|safe``, ``{% autoescape off %}``, ``mark_safe(``,
``SafeString(``); one may only appear with a written reason in ``ALLOWED``. The rendering one stores
a hostile string in the text fields people type (an enterprise's name, a request's title and
content, a case's applicant, a complaint, a policy, a listed item, a body, a person), opens the
pages and the API endpoints that show them and checks that HTML carries the escaped form only and
JSON carries the text as data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.test.utils import override_settings

from onezone.access import POLICIES
from onezone.core.roles import Role
from tests.test_access_matrix import DEMO_USER, ROUTES

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "onezone"

# --- the static guard ------------------------------------------------------------------------------

UNESCAPING = re.compile(r"\|\s*safe(?:seq)?\b|{%\s*autoescape\s+off\s*%}|\bmark_safe\(|\bSafeString\(")

# "path relative to src/onezone:line text" -> why the value can never hold user input.
ALLOWED: dict[str, str] = {
    "safety/operations_views.py:return mark_safe(map_svg(zone_id=zone_id, works=works))"
    "  # noqa: S308  # nosec B308 B703": (
        "the park map's SVG: safety/map.py passes every label, detail and link through html.escape"
    ),
}


def unescaping_markers(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every line of ``text`` that switches autoescaping off."""
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if UNESCAPING.search(line)]


def _scanned_files() -> list[Path]:
    templates = [p for p in PACKAGE.rglob("*") if "templates" in p.parts and p.suffix in (".html", ".txt")]
    return sorted(templates + list(PACKAGE.rglob("*.py")))


@pytest.mark.parametrize(
    "line",
    [
        "{{ obj.name|safe }}",
        "{{ rows | safeseq }}",
        "{% autoescape off %}{{ x }}{% endautoescape %}",
        "return mark_safe(html)",
        "SafeString(text)",
        "from django.utils.safestring import mark_safe; mark_safe(x)",
    ],
)
def test_the_scanner_finds_each_marker(line):
    assert unescaping_markers(f"first line\n{line}\n") == [(2, line)]


def test_the_scanner_leaves_escaping_code_alone():
    text = "{{ obj.name }}\n{{ obj.name|escape }}\nformat_html('<b>{}</b>', name)\n{% autoescape on %}\nsafety = 1\n"
    assert unescaping_markers(text) == []


def test_no_template_or_module_switches_autoescaping_off():
    files = _scanned_files()
    assert any(p.suffix == ".html" for p in files) and any(p.suffix == ".py" for p in files)
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in files
        for _, line in unescaping_markers(path.read_text(encoding="utf-8"))
    ]
    unexplained = [entry for entry in found if entry not in ALLOWED]
    assert not unexplained, f"autoescaping switched off without a reason in ALLOWED: {unexplained}"
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"ALLOWED lists lines that no longer exist: {stale}"


# --- the rendering test ----------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&'
SHORT = "<script>alert(1)</script>\"'&"  # for fields of 50 characters
RAW_MARKERS = ("<script>alert", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert("

# (model label, field, text): every row gets the text followed by its id (names stay unique).
POISONED = [
    ("enterprises.Enterprise", "name", HOSTILE),
    ("enterprises.EnterpriseRequest", "title", HOSTILE),
    ("enterprises.EnterpriseRequest", "description", HOSTILE),
    ("window.Case", "applicant_name", HOSTILE),
    ("window.Complaint", "content", HOSTILE),
    ("policies.Policy", "title", HOSTILE),
    ("policies.Policy", "summary", HOSTILE),
    ("powers.PowerItem", "name", HOSTILE),
    ("org.Body", "name", HOSTILE),
    ("org.Person", "name", SHORT),
]

pytestmark = pytest.mark.django_db


def _poison(zone) -> dict[str, Any]:
    from django.apps import apps
    from django.utils import timezone

    from onezone.powers.models import ListVersion
    from onezone.powers.services import list_publish

    for label, field, text in POISONED:
        model = apps.get_model(label)
        assert model.objects.exists(), f"the demo has no {label} to poison"
        model.objects.update(**{field: Concat(models.Value(text), Cast("pk", models.CharField()))})
    # The public list shows the version in force: a new one freezes the hostile names.
    latest = ListVersion.objects.filter(zone=zone).order_by("-number").first()
    list_publish(
        actor=User.objects.get(username=DEMO_USER[Role.LEADER]),
        zone_id=zone.pk,
        title=HOSTILE,
        document=SHORT,
        effective_on=max(timezone.localdate(), latest.effective_on),
    )
    return {label: apps.get_model(label).objects.order_by("pk").first() for label, _, _ in POISONED}


@pytest.fixture(scope="module")
def poisoned(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    """The demo's foundation, lists, enterprises, window and policies, its user text made hostile."""
    from onezone.core.calendar import calendar_seed
    from onezone.demo.loader import load_demo

    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            calendar_seed()
            ctx = load_demo(only=["s10_foundation", "s20_powers", "s30_enterprises", "s50_window", "s70_policies"])
            yield {"zone": ctx.zone, **_poison(ctx.zone)}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(role: str | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(User.objects.get(username=DEMO_USER[role]))
    return client


def _assert_escaped(response, path: str, *, must_show: bool) -> None:
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("text/html"), path
    html = response.content.decode()
    for marker in RAW_MARKERS:
        assert marker not in html, f"{path} renders user input unescaped: {marker!r}"
    if must_show:
        assert ESCAPED in html, f"{path} does not show the hostile text at all (the check proves nothing)"


# The role each page is opened as, first allowed wins: the admin sees the most of the zone.
ROLE_PREFERENCE = [Role.ADMIN, Role.CLERK, Role.ENTERPRISE, Role.COMPANY_STAFF, Role.LEADER]
NOT_HTML = (".xlsx", ".docx")
# Pages that answer JSON to the desk's scripts: their text is data, escaped by JSON itself.
JSON_PAGES = {"desk/window/applicants/"}


def test_every_page_without_ids_escapes_the_stored_text(poisoned):
    clients = {}
    opened = 0
    for route in ROUTES:
        policy = POLICIES[route]
        if "<" in route or policy.post_only or route.endswith(NOT_HTML) or route in {"healthz", *JSON_PAGES}:
            continue
        role = None if policy.public else next(r for r in ROLE_PREFERENCE + list(Role) if policy.allows(r))
        client = clients.setdefault(role, _client(role))
        response = client.get("/" + route)
        _assert_escaped(response, "/" + route, must_show=False)
        opened += 1
    assert opened > 20


def _pages(p: dict[str, Any]) -> list[tuple[str | None, str]]:
    zone = p["zone"]
    request = p["enterprises.EnterpriseRequest"]
    own_request = type(request).objects.filter(enterprise__members__user__username=DEMO_USER[Role.ENTERPRISE]).first()
    case = p["window.Case"]
    return [
        (None, f"/portal/powers/?zone={zone.code}"),
        (None, f"/portal/powers/items/{p['powers.PowerItem'].pk}/"),
        (None, f"/portal/policies/?zone={zone.code}"),
        (None, f"/portal/policies/{p['policies.Policy'].pk}/"),
        (Role.ENTERPRISE, "/portal/enterprise/"),
        (Role.ENTERPRISE, f"/portal/enterprise/requests/{own_request.number}/"),
        (Role.ADMIN, f"/desk/enterprises/{p['enterprises.Enterprise'].pk}/"),
        (Role.ADMIN, "/desk/enterprises/requests/"),
        (Role.ADMIN, f"/desk/enterprises/requests/{request.pk}/"),
        (Role.CLERK, "/desk/window/queue/"),
        (Role.CLERK, f"/desk/window/cases/{case.pk}/"),
        (Role.CLERK, f"/desk/window/cases/{case.pk}/applicant/"),
        (Role.CLERK, "/desk/window/follow-up/"),
        (Role.ADMIN, "/admin/org/person/"),
        (Role.ADMIN, "/admin/org/body/"),
        (Role.ADMIN, "/admin/enterprises/enterprise/"),
        (Role.ADMIN, "/admin/window/complaint/"),
    ]


def test_pages_show_the_hostile_text_escaped(poisoned):
    from onezone.core.middleware import SESSION_ZONE_KEY

    for role, path in _pages(poisoned):
        client = _client(role)
        if role is not None:
            session = client.session
            session[SESSION_ZONE_KEY] = poisoned["zone"].pk
            session.save()
        _assert_escaped(client.get(path), path, must_show=True)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_api_returns_the_hostile_text_as_json_data(poisoned):
    z = poisoned["zone"].pk
    client = _client(Role.ADMIN)
    paths = [
        f"/api/v1/enterprises/zones/{z}/enterprises",
        f"/api/v1/enterprises/zones/{z}/requests",
        f"/api/v1/enterprises/zones/{z}/requests/{poisoned['enterprises.EnterpriseRequest'].pk}",
        f"/api/v1/powers/zones/{z}/items",
        f"/api/v1/window/zones/{z}/cases",
        f"/api/v1/window/zones/{z}/cases/{poisoned['window.Case'].pk}",
        f"/api/v1/window/zones/{z}/complaints",
        f"/api/v1/policies/zones/{z}/policies",
        f"/api/v1/org/zones/{z}/bodies",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        assert response["Content-Type"].startswith("application/json"), path
        assert response["X-Content-Type-Options"] == "nosniff", path
        texts = list(_strings(json.loads(response.content)))
        assert any(t.startswith(HOSTILE) for t in texts), f"{path} does not return the stored text as it is"
        assert not any(ESCAPED in t for t in texts), f"{path} returns HTML-escaped data"
