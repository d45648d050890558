"""The interface is Chinese whatever language the browser asks for."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de-DE", "zh-CN,zh;q=0.9"])
def test_an_english_browser_still_gets_the_chinese_screens(accept, zone, root):
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    login = client.get("/admin/login/").content.decode()
    assert "登录" in login and "Log in" not in login
    client.login(username="root", password=PASSWORD)
    page = client.get("/admin/policies/policy/add/").content.decode()
    assert "保存" in page
    assert "Save and add another" not in page and "Select value" not in page
