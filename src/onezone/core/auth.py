"""Login with lockout after repeated failures, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.utils import timezone

from onezone.core.audit import audit_record
from onezone.core.models import ApiToken, LoginFailure


def login_locked_until(username: str, ip: str | None = None, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on ``username`` (or on the client address) ends, or None if it may try.

    An account name locks after ONEZONE_LOGIN_MAX_FAILURES failures within the lock window; an
    address locks after ONEZONE_LOGIN_MAX_FAILURES_PER_IP, which stops guessing across many names.
    """
    now = now or timezone.now()
    window = dt.timedelta(minutes=settings.ONEZONE_LOGIN_LOCK_MINUTES)
    checks = [(LoginFailure.objects.filter(username=username.lower()), settings.ONEZONE_LOGIN_MAX_FAILURES)]
    if ip:
        checks.append((LoginFailure.objects.filter(ip=ip), settings.ONEZONE_LOGIN_MAX_FAILURES_PER_IP))
    until = None
    for failures, limit in checks:
        recent = list(failures.filter(at__gte=now - window).order_by("-at").values_list("at", flat=True)[:limit])
        if len(recent) >= limit:
            until = max(until or recent[0] + window, recent[0] + window)
    return until


class LockoutModelBackend(ModelBackend):
    """The ordinary backend, refusing an account name that failed too often of late."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        until = login_locked_until(username or "", ip) if username else None
        if until is not None:
            if request is not None:
                request.onezone_locked_until = until
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_failure_record(*, username: str, ip: str | None) -> None:
    with transaction.atomic():
        LoginFailure.objects.create(username=(username or "").lower(), at=timezone.now(), ip=ip)
        audit_record(
            actor=username or "?", action="auth.login_failed", object_type="auth.user", object_repr=username or ""
        )


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


TOKEN_PREFIX = "oz_"  # noqa: S105  # nosec B105  # a visible marker, not a secret


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """Issue a token for ``user``. The raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=_digest(raw))
        audit_record(actor=actor, action="api_token.create", obj=token, changes={"user": user.username, "name": name})
    return token, raw


def api_token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
