"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from onezone.core.audit import audit_record
from onezone.core.auth import login_failure_record, login_failures_clear


def _ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="onezone.audit.login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    login_failures_clear(username=user.get_username())
    audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out, dispatch_uid="onezone.audit.logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed, dispatch_uid="onezone.audit.login_failed")
def _on_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    login_failure_record(username=str(credentials.get("username", "")), ip=_ip(request))


def seed_calendar_after_migrate(sender: Any, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    """After ``onezone migrate`` the holiday calendar holds every year ``chinesecalendar`` knows, so a new
    database gives the right deadlines from its first case (``calendar_seed`` adds only missing years).
    Connected for the core app only (core/apps.py); skipped while the calendar's tables are not yet made."""
    from django.conf import settings

    from onezone.core.calendar import calendar_seed

    if using != "default" or not getattr(settings, "ONEZONE_SEED_CALENDAR_ON_MIGRATE", True):
        return
    if apps is None:  # `flush` sends the signal without the migration state: the tables are all there
        from django.apps import apps
    try:
        apps.get_model("core", "CalendarYear")
        apps.get_model("core", "CalendarDay")
    except LookupError:
        return
    calendar_seed()
