"""Every page of every role speaks Chinese: no English word where a person reads (codes, units and names aside)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from onezone.core.navigation import sidebar
from onezone.demo.loader import load_demo
from tests._chinese import latin_leaks

pytestmark = pytest.mark.django_db

STAFF = [
    "demo-admin",
    "demo-leader",
    "demo-depthead",
    "demo-clerk",
    "demo-reviewer",
    "demo-agent",
    "demo-investment",
    "demo-hr",
    "demo-company",
    "demo-safety",
    "demo-province",
]
PUBLIC = [
    "/",
    "/portal/powers/",
    "/portal/powers/responsibilities/",
    "/portal/powers/enforcement/",
    "/portal/policies/",
    "/portal/window/lookup/",
    "/portal/window/complaint/",
    "/portal/window/bundles/",
    "/portal/window/bundles/lookup/",
]


def test_the_scanner_tells_words_from_codes():
    page = """<div class="x"><span class="material-symbols-outlined">dashboard</span>筛选 Filters
    <td class="field-key">on_time_rate</td> 缺失值规则：zero。 91620321MA62K0260E demo-leader PDF 2,000 万元
    <input placeholder="Type to search"><script>var x = "hidden";</script><code>self</code></div>"""
    assert latin_leaks(page) == ["Filters", "zero", "Type to search"]


def _sidebar_links(user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    return list(dict.fromkeys(item["link"] for group in sidebar(request) for item in group["items"]))


def test_every_roles_pages_are_chinese(calendar_seeded):
    load_demo()
    leaks, broken = [], []
    visits = [(None, url) for url in PUBLIC]
    for username in STAFF:
        visits += [(username, url) for url in _sidebar_links(User.objects.get(username=username))]
    enterprise = Client()
    enterprise.force_login(User.objects.get(username="demo-enterprise"))
    home = enterprise.get("/portal/enterprise/")
    portal = sorted({url for url in _links(home.content.decode()) if url.startswith("/portal/")})
    clients = {None: Client()}
    for username, url in visits + [("demo-enterprise", url) for url in portal]:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        response = clients[username].get(url)
        if response.status_code != 200:
            broken.append((username, url, response.status_code))
            continue
        if "html" in response.get("Content-Type", ""):
            leaks += [(username, url, run) for run in latin_leaks(response.content.decode())]
    assert not broken, broken
    assert not leaks, leaks


def _links(html: str) -> list[str]:
    import re

    return [link for link in re.findall(r'href="([^"#?]+)"', html) if not link.endswith((".xlsx", ".docx", ".pdf"))]
