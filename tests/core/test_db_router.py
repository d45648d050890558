"""The replica router's rule on plain facts (the real replica: tests/core/test_replica.py)."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import get_resolver

from onezone.core import db_router
from onezone.core.db_router import PIN_COOKIE, PrimaryReplicaRouter, _Reads, pinned, reads_replica


def test_only_lag_tolerant_reads_outside_a_transaction_and_outside_identity_go_to_the_replica():
    lag = _Reads(lag_tolerant=True)
    assert reads_replica("assessment", state=lag, primary_in_transaction=False)
    assert reads_replica("zones", state=lag, primary_in_transaction=False)
    assert not reads_replica("assessment", state=lag, primary_in_transaction=True)
    assert not reads_replica("assessment", state=_Reads(lag_tolerant=False), primary_in_transaction=False)
    assert not reads_replica("assessment", state=None, primary_in_transaction=False)
    for app in ("auth", "sessions", "core", "django_tasks_db"):
        assert not reads_replica(app, state=lag, primary_in_transaction=False)


def test_without_a_replica_everything_is_the_primary(db):
    from onezone.zones.models import Zone

    router = PrimaryReplicaRouter()
    with db_router.lag_tolerant():
        assert router.db_for_read(Zone) == "default"
    assert router.db_for_write(Zone) == "default"
    assert router.allow_migrate("replica", "zones") is False
    assert router.allow_migrate("default", "zones") is None


def test_a_write_inside_a_request_marks_it_but_a_session_save_does_not():
    from django.contrib.sessions.models import Session

    from onezone.zones.models import Zone

    router = PrimaryReplicaRouter()
    with db_router.on_primary() as state:
        router.db_for_write(Session)
        assert not state.wrote
        router.db_for_write(Zone)
        assert state.wrote


def test_the_pin_lasts_until_the_cookie_time():
    request = RequestFactory().get("/", HTTP_COOKIE=f"{PIN_COOKIE}=1000")
    assert pinned(request, now=999.0)
    assert not pinned(request, now=1000.0)
    assert not pinned(RequestFactory().get("/", HTTP_COOKIE=f"{PIN_COOKIE}=garbage"), now=0.0)
    assert not pinned(RequestFactory().get("/"), now=0.0)


def _view_names(resolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _view_names(pattern, inner)
        elif pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_lag_tolerant_view_is_a_page_of_the_site():
    assert _view_names(get_resolver()) >= db_router.LAG_TOLERANT_VIEWS


def test_a_write_pins_only_where_a_replica_is_configured(client, db, monkeypatch):
    monkeypatch.setattr(db_router, "replica_alias", lambda: None)
    assert PIN_COOKIE not in client.post("/zone/switch/", {"zone_id": "x"}).cookies
    monkeypatch.setattr(db_router, "replica_alias", lambda: "replica")
    assert PIN_COOKIE in client.post("/zone/switch/", {"zone_id": "x"}).cookies
    assert PIN_COOKIE not in client.get("/healthz").cookies
