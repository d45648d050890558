from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client

from onezone.core.models import RoleGrant
from onezone.core.roles import Role
from onezone.demo.loader import DEMO_PASSWORD, load_demo
from onezone.org.selectors import cross_appointed
from onezone.zones.models import Zone

pytestmark = pytest.mark.django_db


def test_foundation_demo_has_one_user_per_role(calendar_seeded):
    ctx = load_demo(only=["s10_foundation"])
    zone = Zone.objects.get(code="yongchang")
    assert zone.is_demo is True
    assert set(ctx.users) == {r.value for r in Role}
    assert set(RoleGrant.objects.values_list("role", flat=True)) == {r.value for r in Role}
    assert sorted(p.name for p in zone.parks.all()) == ["东寨工业园", "河西堡工业园"]
    assert len(cross_appointed(zone.pk)) >= 3


def test_every_demo_user_can_log_in_and_open_the_landing_page(calendar_seeded):
    load_demo(only=["s10_foundation"])
    for role in Role:
        if role == Role.ENTERPRISE:
            continue
        client = Client()
        username = {
            "investment_officer": "demo-investment",
            "hr_officer": "demo-hr",
            "company_staff": "demo-company",
            "safety_officer": "demo-safety",
            "province_supervisor": "demo-province",
            "dept_head": "demo-depthead",
        }.get(role.value, f"demo-{role.value}")
        assert client.login(username=username, password=DEMO_PASSWORD), username
        page = client.get("/admin/")
        assert page.status_code == 200, username
        # A zone's staff land on their zone; the provincial supervisor on the province's overview.
        expected = "开发区一览" if role == Role.PROVINCE_SUPERVISOR else "河西堡工业园"
        assert expected in page.content.decode(), username


def test_demo_command_loads_once(tmp_path, settings):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "演示账号" in out.getvalue()
    printed = [line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  demo-")]
    assert len(printed) >= 12
    assert [u for u in printed if authenticate(username=u, password=DEMO_PASSWORD) is None] == []
    again = StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "演示数据已存在" in again.getvalue()
    assert Zone.objects.filter(code="yongchang").count() == 1
