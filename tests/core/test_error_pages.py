"""The site's own error pages: Chinese, with the reason the code gave, never Django's debug page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from onezone.core import error_pages
from onezone.core.errors import PermissionDenied as DomainPermissionDenied

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text and "请检查网址，或从首页重新进入" in text
    assert "Page not found" not in text and "URLconf" not in text


def test_a_body_over_the_limit_gets_the_too_large_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = client.post("/admin/login/", data={"username": "x" * 5_000, "password": "y"})
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_refusal_shows_the_reason_the_code_gave():
    request = RequestFactory().get("/desk/company/")
    response = error_pages.permission_denied(request, DomainPermissionDenied("只有运营公司人员可以查看公司账簿。"))
    assert response.status_code == 403
    assert "只有运营公司人员可以查看公司账簿。" in response.content.decode()
    # Django's own English refusal is not shown: the page says in Chinese what to do.
    english = error_pages.permission_denied(request, PermissionDenied("Forbidden"))
    assert "Forbidden" not in english.content.decode()
    assert "请联系本单位的系统管理员开通相应角色" in english.content.decode()


def test_the_server_error_page_needs_no_request_context():
    response = error_pages.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


def test_a_served_site_never_shows_debug_pages(monkeypatch, settings):
    import waitress

    from onezone.core.management.commands.serve import serve

    settings.DEBUG = True
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(kw))
    serve(host="127.0.0.1", port=8123)
    assert served["port"] == 8123
    assert settings.DEBUG is False
