"""Roles, audit chain, lockout, health check and the API's error shape."""

import pytest
from django.db import connection
from django.test import Client

from onezone.core.audit import audit_record, audit_verify
from onezone.core.errors import NotAuthenticated, PermissionDenied
from onezone.core.models import AuditEvent
from onezone.core.permissions import readable_zone_ids, require, roles_in
from onezone.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_roles_are_per_zone(users, zone, other_zone):
    clerk = users["clerk"]
    assert roles_in(clerk, zone.pk) == {"clerk"}
    assert roles_in(clerk, other_zone.pk) == frozenset()
    assert readable_zone_ids(clerk) == {zone.pk}
    assert readable_zone_ids(users["province_supervisor"]) is None


def test_require_refuses_with_a_chinese_message(users, zone, other_zone):
    require(users["admin"], zone_id=zone.pk, roles=[Role.ADMIN])
    with pytest.raises(PermissionDenied) as err:
        require(users["clerk"], zone_id=zone.pk, roles=[Role.ADMIN], action="修改机构")
    assert err.value.message == "您在该开发区没有“修改机构”的权限，需要以下角色之一：系统管理员。请联系系统管理员授权。"
    with pytest.raises(PermissionDenied):
        require(users["admin"], zone_id=other_zone.pk, roles=[Role.ADMIN])
    with pytest.raises(PermissionDenied):
        # the provincial supervisor reads everywhere but writes nowhere
        require(users["province_supervisor"], zone_id=zone.pk, roles=[Role.ADMIN])


def test_require_refuses_anonymous():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        require(AnonymousUser(), zone_id=1, roles=[Role.ADMIN])


def test_audit_chain_verifies_and_detects_tampering(users, zone):
    for i in range(3):
        audit_record(actor=users["admin"], action="test.write", obj=zone, changes={"n": [i, i + 1]})
    checked, broken = audit_verify()
    assert broken is None and checked == AuditEvent.objects.count()
    victim = AuditEvent.objects.filter(action="test.write").order_by("id")[1]
    # Tamper behind the application's back (on PostgreSQL past the append-only trigger, as a superuser could).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute("UPDATE core_auditevent SET changes = %s WHERE id = %s", ['{"n": [9, 9]}', victim.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
    checked, broken = audit_verify()
    assert broken is not None and broken.pk == victim.pk


def test_login_logout_and_failures_are_audited_and_lock(users, settings):
    settings.ONEZONE_LOGIN_MAX_FAILURES = 3
    client = Client()
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "u-clerk", "password": "wrong"})
        assert response.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 3
    # Locked now: even the right password is refused, and the page says why.
    response = client.post("/admin/login/", {"username": "u-clerk", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "登录失败次数过多，已暂时锁定" in response.content.decode()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_successful_login_is_audited(users):
    client = Client()
    response = client.post("/admin/login/", {"username": "u-clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", actor_name="u-clerk").count() == 1
    client.post("/admin/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor_name="u-clerk").count() == 1


def test_healthz_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_database_fails(monkeypatch):
    from onezone.core import views

    class Broken:
        def cursor(self):
            raise RuntimeError("数据库不可用")

    monkeypatch.setattr(views, "connection", Broken())
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_api_requires_auth_in_the_error_shape():
    response = Client().get("/api/v1/zones/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "请先登录，或在 Authorization 头中提供有效的接口令牌。",
        "fields": {},
    }


def test_api_token_auth(users, zone):
    from onezone.core.auth import api_token_create

    _token, raw = api_token_create(actor=users["admin"], user=users["clerk"], name="测试")
    response = Client().get("/api/v1/zones/", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert [z["name"] for z in response.json()["items"]] == ["测试工业园区"]
    bad = Client().get("/api/v1/zones/", headers={"Authorization": "Bearer oz_nonsense"})
    assert bad.status_code == 401


def test_security_headers():
    response = Client().get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_password_rule_needs_letters_and_digits():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        validate_password("onlyletterslong")
    assert "密码必须同时包含字母和数字。" in err.value.messages
    validate_password("xk29-moss-ridge7")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_audit_updates_and_deletes(users, zone):
    from django.db import DatabaseError, transaction

    event = audit_record(actor=users["admin"], action="test.write", obj=zone)
    for sql in ("UPDATE core_auditevent SET action = 'x' WHERE id = %s", "DELETE FROM core_auditevent WHERE id = %s"):
        with (
            pytest.raises(DatabaseError, match="审计日志只能追加"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.action == "test.write"


def test_zone_switch_only_to_readable_zones(users, zone, other_zone):
    from onezone.core.middleware import SESSION_ZONE_KEY

    clerk = Client()
    clerk.login(username="u-clerk", password=PASSWORD)
    assert clerk.post("/zone/switch/", {"zone_id": other_zone.pk}).status_code == 403
    assert clerk.session.get(SESSION_ZONE_KEY) is None
    supervisor = Client()
    supervisor.login(username="u-province_supervisor", password=PASSWORD)
    page = supervisor.get("/zone/switch/").content.decode()
    assert "另一工业园区" in page and "测试工业园区" in page
    assert supervisor.post("/zone/switch/", {"zone_id": other_zone.pk}).status_code == 302
    assert supervisor.session[SESSION_ZONE_KEY] == other_zone.pk


def test_many_failures_from_one_address_lock_the_address(users, settings):
    settings.ONEZONE_LOGIN_MAX_FAILURES_PER_IP = 4
    client = Client(REMOTE_ADDR="10.9.8.7")
    for name in ("a1", "a2", "a3", "a4"):
        client.post("/admin/login/", {"username": name, "password": "wrong"})
    response = client.post("/admin/login/", {"username": "u-clerk", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "已暂时锁定" in response.content.decode()
    other = Client(REMOTE_ADDR="10.9.8.8")
    other.post("/admin/login/", {"username": "u-clerk", "password": PASSWORD})
    assert "_auth_user_id" in other.session
