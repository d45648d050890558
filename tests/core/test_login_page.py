"""The staff sign-in page: Chinese, its fields visible, whose site it is, what to do on a lost password."""

import pytest

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_chinese_with_visible_fields(client, zone, users):
    text = client.get("/admin/login/").content.decode()
    assert "工作人员登录" in text
    assert f"{zone.name} · 管理委员会" in text
    for name in ("username", "password"):
        assert f'name="{name}"' in text
    assert text.count("border border-base-300") == 2  # both boxes drawn
    assert "忘记密码？" in text and "连续输错 5 次，账号将锁定 15 分钟" in text
    assert "/portal/enterprise/login/" in text
    for english in ("Welcome back", "Return to site", "Log in", "Forgotten your password"):
        assert english not in text


def test_demo_site_says_so_on_the_sign_in_page(client, settings, zone):
    settings.ONEZONE_DEMO = True
    assert "页面上的开发区、企业和人员均为演示数据" in client.get("/admin/login/").content.decode()
    settings.ONEZONE_DEMO = False
    assert "演示数据" not in client.get("/admin/login/").content.decode()


def test_a_site_of_several_zones_is_the_provinces_platform(client, zone, other_zone, users):
    from onezone.core.models import RoleGrant
    from onezone.core.roles import Role

    RoleGrant.objects.create(user=users["clerk"], zone=other_zone, role=Role.CLERK)
    assert "全省开发区综合管理平台" in client.get("/admin/login/").content.decode()


def test_wrong_password_says_so_in_chinese(client, users):
    text = client.post("/admin/login/", {"username": "u-clerk", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确，请检查后重试（密码区分大小写）。" in text
