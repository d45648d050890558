"""Reads that tolerate seconds of lag go to a streaming replica (``ONEZONE_REPLICA_URL``); all else to the primary.

Which reads may lag is decided per request, not per model: the pages in ``LAG_TOLERANT_VIEWS``
(the dashboard, the rankings, exports and reports, the public lists) read from the replica when they
are fetched with GET or HEAD. Everything else reads from the primary, and so does, whatever the page:

- every write, and every read while a transaction is open on the primary (what a service reads to
  decide is what it writes against);
- the tables that decide who the user is and what they may do (sessions, users, roles and the rest of
  ``core``, the admin's log, the job queue): a role revoked a moment ago must not still open a page;
- a user's reads for ``ONEZONE_REPLICA_PIN_SECONDS`` after a request of theirs that wrote (any POST,
  PUT, PATCH or DELETE, or any request in which a business write was routed): the response carries a
  cookie that pins them to the primary, so they read their own write at once;
- every read while the replica does not answer (it is tried again after ``REPLICA_RETRY_SECONDS``).

Code outside a request (an export task, a report) opts in with ``with lag_tolerant(): ...``.
Without ``ONEZONE_REPLICA_URL`` the router sends everything to the one database.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "onezone_primary"
REPLICA_RETRY_SECONDS = 30

# The pages whose reads may be seconds behind: leaders' figures, rankings, exports, reports, public lists.
LAG_TOLERANT_VIEWS = frozenset(
    {
        "assessment:dashboard",
        "assessment:rankings",
        "assessment:ranking",
        "assessment:ranking-xlsx",
        "assessment:zone",
        "assessment:targets-xlsx",
        "assessment:dashboard-xlsx",
        "assessment:report-docx",
        "investment-figures",
        "investment-targets-export",
        "window-efficiency",
        "company-statements",
        "enterprises:desk-export",
        "support-desk-supply-rate",
        "portal-home",
        "powers-public-list",
        "powers-public-item",
        "powers-public-versions",
        "policies:list",
        "policies:detail",
        "support-jobs",
        "support-job",
    }
)
# Who the user is and what they may do, and the queues: always read where they are written.
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "contenttypes", "admin", "core", "django_tasks_db"})
# Writes that do not pin a user to the primary: the session is saved on every request.
UNPINNING_WRITES = frozenset({"sessions"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Reads:
    lag_tolerant: bool
    wrote: bool = False


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("onezone_reads", default=None)


@contextlib.contextmanager
def lag_tolerant() -> Iterator[None]:
    """Within the block, reads that no rule keeps on the primary go to the replica."""
    token = _reads.set(_Reads(lag_tolerant=True))
    try:
        yield
    finally:
        _reads.reset(token)


@contextlib.contextmanager
def on_primary() -> Iterator[_Reads]:
    """Within the block every read goes to the primary; the state says whether a business write was routed."""
    state = _Reads(lag_tolerant=False)
    token = _reads.set(state)
    try:
        yield state
    finally:
        _reads.reset(token)


class _ReplicaHealth:
    """Whether the replica answers, asked at most once per ``REPLICA_RETRY_SECONDS`` after it did not."""

    def __init__(self) -> None:
        self.down_until = 0.0

    def usable(self, alias: str) -> bool:
        if time.monotonic() < self.down_until:
            return False
        try:
            connections[alias].ensure_connection()
        except DatabaseError as exc:
            self.down_until = time.monotonic() + REPLICA_RETRY_SECONDS
            logger.warning("只读副本不可用，%s 秒内的读取改由主库承担：%s", REPLICA_RETRY_SECONDS, exc)
            return False
        return True


_health = _ReplicaHealth()


def replica_alias() -> str | None:
    return REPLICA if REPLICA in settings.DATABASES else None


def reads_replica(app_label: str, *, state: _Reads | None, primary_in_transaction: bool) -> bool:
    """The routing rule on plain facts: may a read of ``app_label`` go to the replica?"""
    return (
        state is not None and state.lag_tolerant and not primary_in_transaction and app_label not in PRIMARY_ONLY_APPS
    )


class PrimaryReplicaRouter:
    """Django's database router for the primary (``default``) and its streaming replica (``replica``)."""

    def db_for_read(self, model, **hints) -> str:
        alias = replica_alias()
        lag_ok = alias is not None and reads_replica(
            model._meta.app_label,
            state=_reads.get(),
            primary_in_transaction=connections[DEFAULT_DB_ALIAS].in_atomic_block,
        )
        return alias if lag_ok and _health.usable(alias) else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        state = _reads.get()
        if state is not None and model._meta.app_label not in UNPINNING_WRITES:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the primary's rows: an object read there may be related to one read here.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica is read-only and receives the schema by replication.
        return False if db == REPLICA else None


def pinned(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the request's user wrote within the pin time (their pin cookie has not run out)."""
    raw = request.COOKIES.get(PIN_COOKIE, "")
    try:
        until = float(raw)
    except ValueError:
        return False
    return until > (time.time() if now is None else now)


class ReplicaRoutingMiddleware:
    """Marks a request's reads lag-tolerant for the pages that allow it, and pins a user who wrote (both only
    when a replica is configured)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with on_primary() as state:
            request.onezone_reads = state
            response = self.get_response(request)
        if replica_alias() and (request.method not in SAFE_METHODS or state.wrote):
            seconds = settings.ONEZONE_REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if (
            replica_alias()
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in LAG_TOLERANT_VIEWS
            and not pinned(request)
        ):
            request.onezone_reads.lag_tolerant = True
