"""The notification settings: a Django setting of the same name wins, else the environment, else the default.

| Name | Default | Meaning |
|---|---|---|
| ONEZONE_SMS_QUIET_HOURS | 22:00-08:00 | text messages are held in these hours (Asia/Shanghai) until they end |
| ONEZONE_SMS_GATEWAY | log | ``log`` writes messages to the log; ``http`` posts them to the provider |
| ONEZONE_SMS_HTTP_URL | (none) | the provider's send address (``http`` gateway) |
| ONEZONE_SMS_HTTP_TOKEN | (none) | the provider's access token, sent as ``Authorization: Bearer`` |
| ONEZONE_SMS_SIGN | 【一区多园】 | the signature put before every text message |
| ONEZONE_SMS_HTTP_TIMEOUT | 5 | seconds to wait for the provider |
| ONEZONE_NOTIFY_MAX_ATTEMPTS | 5 | tries per delivery before it is reported as failed |
| ONEZONE_NOTIFY_RETRY_SECONDS | 60 | the wait before the first retry; it doubles each time |
| ONEZONE_NOTIFY_SITE_URL | (none) | the site's address, put before links in e-mails and text messages |
| ONEZONE_EMAIL_HOST | (none) | the SMTP server; without it, Django's mail settings (EMAIL_BACKEND ...) |
| ONEZONE_EMAIL_PORT | 25 | its port |
| ONEZONE_EMAIL_USER / ONEZONE_EMAIL_PASSWORD | (none) | its login |
| ONEZONE_EMAIL_SECURITY | (none) | ``starttls`` or ``ssl`` |
| ONEZONE_EMAIL_FROM | DEFAULT_FROM_EMAIL | the sender of notification e-mails |
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DEFAULTS = {
    "ONEZONE_SMS_QUIET_HOURS": "22:00-08:00",
    "ONEZONE_SMS_GATEWAY": "log",
    "ONEZONE_SMS_HTTP_URL": "",
    "ONEZONE_SMS_HTTP_TOKEN": "",  # nosec B105: no token by default; it comes from the environment
    "ONEZONE_SMS_SIGN": "【一区多园】",
    "ONEZONE_SMS_HTTP_TIMEOUT": "5",
    "ONEZONE_NOTIFY_MAX_ATTEMPTS": "5",
    "ONEZONE_NOTIFY_RETRY_SECONDS": "60",
    "ONEZONE_NOTIFY_SITE_URL": "",
    "ONEZONE_EMAIL_HOST": "",
    "ONEZONE_EMAIL_PORT": "25",
    "ONEZONE_EMAIL_USER": "",
    "ONEZONE_EMAIL_PASSWORD": "",  # nosec B105: no password by default; it comes from the environment
    "ONEZONE_EMAIL_SECURITY": "",
    "ONEZONE_EMAIL_FROM": "",
}


def value(name: str) -> str:
    """The setting ``name`` as text."""
    configured = getattr(settings, name, None)
    if configured is not None:
        return str(configured)
    return os.environ.get(name, _DEFAULTS[name])


def number(name: str, *, low: int, high: int) -> int:
    raw = value(name)
    try:
        result = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} 应为整数，当前为 {raw!r}。") from None
    if not low <= result <= high:
        raise ImproperlyConfigured(f"{name} 应在 {low} 到 {high} 之间，当前为 {result}。")
    return result


@dataclass(frozen=True)
class QuietHours:
    start: dt.time
    end: dt.time


def _clock(text: str, name: str) -> dt.time:
    try:
        hours, minutes = text.strip().split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ImproperlyConfigured(f"{name} 应写作“22:00-08:00”，当前为 {value(name)!r}。") from None


def quiet_hours() -> QuietHours | None:
    """The SMS quiet hours, or ``None`` when the setting is empty (no quiet hours)."""
    name = "ONEZONE_SMS_QUIET_HOURS"
    text = value(name).strip()
    if not text:
        return None
    start, sep, end = text.partition("-")
    if not sep:
        raise ImproperlyConfigured(f"{name} 应写作“22:00-08:00”，当前为 {text!r}。")
    return QuietHours(start=_clock(start, name), end=_clock(end, name))


def max_attempts() -> int:
    return number("ONEZONE_NOTIFY_MAX_ATTEMPTS", low=1, high=20)


def retry_seconds() -> int:
    return number("ONEZONE_NOTIFY_RETRY_SECONDS", low=0, high=86_400)


def absolute(link: str) -> str:
    """``link`` with the site's address before it when it is a path and the address is set."""
    base = value("ONEZONE_NOTIFY_SITE_URL").rstrip("/")
    if base and link.startswith("/"):
        return base + link
    return link
