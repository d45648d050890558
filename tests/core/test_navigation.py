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


def _groups(username: str) -> list[dict]:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(username=username)
    request.session = {}
    return sidebar(request)


def test_a_leader_sees_the_desks_and_figures_not_every_register(demo):
    titles = [item["title"] for item in _entries("demo-leader")]
    assert len(titles) == len(set(titles)) < 60
    assert {"领导驾驶舱", "全部在办", "预警与督办", "项目看板", "安全监管工作台", "欠租账龄"} <= set(titles)
    assert not set(titles) & {"租金账单", "园区卡口", "清单调整记录", "金融产品", "开发区指标值"}
    assert not [g for g in _groups("demo-leader") if g["title"].startswith("系统管理")]


def test_who_works_a_register_still_has_it(demo):
    assert {"园区卡口", "应急值班", "特殊作业报备"} <= {i["title"] for i in _entries("demo-safety")}
    assert {"租金账单", "资产"} <= {i["title"] for i in _entries("demo-company")}


def test_the_administrator_keeps_the_whole_upkeep_in_its_own_folded_groups(demo):
    groups = _groups("demo-admin")
    upkeep = [g for g in groups if g["title"].startswith("系统管理 · ")]
    tasks = [g for g in groups if not g["title"].startswith("系统管理")]
    assert groups == tasks + upkeep  # the upkeep comes after every task section, never mixed in
    assert upkeep[0]["separator"] and all(g["collapsible"] for g in upkeep)
    kept = {i["title"] for g in upkeep for i in g["items"]}
    assert {"通知模板", "国民经济行业", "企业账号", "租金账单", "清单调整记录", "考核指标目录"} <= kept
    task_titles = {i["title"] for g in tasks for i in g["items"]}
    assert {"工作台", "窗口受理", "领导驾驶舱"} <= task_titles
    assert not kept & task_titles
