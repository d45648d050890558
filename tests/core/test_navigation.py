"""The sidebar: each role sees the entries it works with, each entry opens for it, one entry is active."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from onezone.core.navigation import sidebar
from onezone.demo.loader import load_demo

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


@pytest.fixture
def demo(calendar_seeded):
    load_demo(only=["s10_foundation", "s30_enterprises"])


def _entries(username: str, path: str = "/admin/", query: str = "") -> list[dict]:
    request = RequestFactory().get(path, QUERY_STRING=query)
    request.user = User.objects.get(username=username)
    request.session = {}
    return [item for group in sidebar(request) for item in group["items"]]


def test_every_entry_a_role_sees_opens_for_it(demo):
    wrong = []
    for username in STAFF:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for item in _entries(username):
            status = client.get(item["link"]).status_code
            if status != 200:
                wrong.append((username, item["title"], item["link"], status))
    assert not wrong, wrong


def test_a_clerk_sees_the_window_not_the_zones_registry(demo):
    titles = {item["title"] for item in _entries("demo-clerk")}
    assert {"窗口受理", "我的待办", "权力清单"} <= titles
    assert not titles & {"开发区", "乡镇", "机构", "岗位", "赋权批次", "企业账号", "诉求类别"}


def test_one_entry_is_active_the_one_naming_the_page(demo):
    active = [i["title"] for i in _entries("demo-clerk", "/desk/window/queue/", "scope=body") if i["active"]]
    assert active == ["本机构待办"]
    assert [i["title"] for i in _entries("demo-clerk", "/admin/") if i["active"]] == ["工作台"]
    assert [i["title"] for i in _entries("demo-clerk", "/desk/window/cases/1/") if i["active"]] == ["窗口受理"]
