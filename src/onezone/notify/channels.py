"""How a delivery leaves the platform: e-mail through Django's mail settings, SMS through a gateway.

A channel raises ``DeliveryError`` when the message did not go; the worker logs it and retries.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, get_connection

from onezone.notify import conf

log = logging.getLogger("onezone.notify")

SMS_MAX = 500  # characters a text message may hold (the provider splits it into parts)


class DeliveryError(Exception):
    """A message did not go; the text says why (it is written to the delivery log)."""


def _mail_connection():
    """Django's mail settings; or, when ONEZONE_EMAIL_HOST is set, that SMTP server."""
    timeout = settings.EMAIL_TIMEOUT or 10
    host = conf.value("ONEZONE_EMAIL_HOST")
    if not host:
        return get_connection(fail_silently=False, timeout=timeout)
    security = conf.value("ONEZONE_EMAIL_SECURITY")
    if security not in {"", "starttls", "ssl"}:
        raise ImproperlyConfigured(f"ONEZONE_EMAIL_SECURITY 应为 starttls、ssl 或留空，当前为 {security!r}。")
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        fail_silently=False,
        host=host,
        port=conf.number("ONEZONE_EMAIL_PORT", low=1, high=65_535),
        username=conf.value("ONEZONE_EMAIL_USER"),
        password=conf.value("ONEZONE_EMAIL_PASSWORD"),
        use_tls=security == "starttls",
        use_ssl=security == "ssl",
        timeout=timeout,
    )


class MailSession:
    """One mail connection for a batch of e-mails, opened at the first one and closed at the end
    (one SMTP login per worker task instead of one per message)."""

    def __init__(self) -> None:
        self._connection = None

    def connection(self):
        if self._connection is None:
            self._connection = _mail_connection()
            try:
                self._connection.open()
            except (OSError, ValueError) as exc:
                self._connection = None
                raise DeliveryError(f"邮件发送失败：{type(exc).__name__}: {exc}"[:500]) from exc
        return self._connection

    def broken(self) -> None:
        """Drop the connection after an error: the next message opens a new one."""
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except (OSError, ValueError):
                log.info("邮件连接关闭时出错，已忽略。")
            self._connection = None

    def __enter__(self) -> MailSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def email_send(*, address: str, subject: str, body: str, session: MailSession | None = None) -> str:
    """Send one e-mail (through ``session``'s connection when given); the answer is what the log records."""
    sender = conf.value("ONEZONE_EMAIL_FROM") or settings.DEFAULT_FROM_EMAIL
    connection = session.connection() if session is not None else _mail_connection()
    message = EmailMessage(subject=subject, body=body, from_email=sender, to=[address], connection=connection)
    try:
        sent = message.send()
    except (OSError, ValueError) as exc:
        if session is not None:
            session.broken()
        raise DeliveryError(f"邮件发送失败：{type(exc).__name__}: {exc}"[:500]) from exc
    if sent != 1:
        raise DeliveryError("邮件服务器未接收该邮件。")
    return f"已投递至 {address}"


def _timeout() -> int:
    return conf.number("ONEZONE_SMS_HTTP_TIMEOUT", low=1, high=60)


class SmsGateway(Protocol):
    """Sends one text message; returns the provider's message id, raises ``DeliveryError``."""

    def send(self, *, mobile: str, text: str) -> str: ...


class LogGateway:
    """The default: writes the message to the log and sends nothing (a site without an SMS contract)."""

    def send(self, *, mobile: str, text: str) -> str:
        log.info("短信（未接入网关，仅记录）%s: %s", mobile[:3] + "****" + mobile[-4:], text)
        return "已记录（未接入短信网关）"


class HttpGateway:
    """A provider reached by HTTP POST of JSON ``{"mobile", "content", "sign"}`` with a bearer token.

    The provider answers ``{"code": 0, "message_id": "..."}`` for a message taken; any other code,
    an HTTP error or no answer within the timeout is a failure.
    """

    def __init__(self, *, url: str, token: str, sign: str, timeout: int) -> None:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("ONEZONE_SMS_HTTP_URL 应为短信服务商的 http(s) 地址。")
        self.url, self.token, self.sign, self.timeout = url, token, sign, timeout

    def send(self, *, mobile: str, text: str) -> str:
        payload = json.dumps({"mobile": mobile, "content": text, "sign": self.sign}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310  the scheme is checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310  # nosec B310
                raw = response.read(65_536)
        except urllib.error.HTTPError as exc:
            raise DeliveryError(f"短信网关返回 HTTP {exc.code}。") from exc
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"无法连接短信网关：{type(exc).__name__}: {exc}"[:500]) from exc
        try:
            answer = json.loads(raw)
        except ValueError as exc:
            raise DeliveryError("短信网关的应答不是 JSON。") from exc
        if not isinstance(answer, dict) or answer.get("code") != 0:
            message = answer.get("message", "") if isinstance(answer, dict) else ""
            code = answer.get("code") if isinstance(answer, dict) else None
            raise DeliveryError(f"短信网关拒绝：{code} {message}"[:500])
        return f"网关已接收，编号 {str(answer.get('message_id', ''))[:100]}"


def sms_gateway() -> SmsGateway:
    """The gateway the settings choose."""
    kind = conf.value("ONEZONE_SMS_GATEWAY")
    if kind == "log":
        return LogGateway()
    if kind == "http":
        return HttpGateway(
            url=conf.value("ONEZONE_SMS_HTTP_URL"),
            token=conf.value("ONEZONE_SMS_HTTP_TOKEN"),
            sign=conf.value("ONEZONE_SMS_SIGN"),
            timeout=_timeout(),
        )
    raise ImproperlyConfigured(f"ONEZONE_SMS_GATEWAY 应为 log 或 http，当前为 {kind!r}。")


def sms_send(*, mobile: str, text: str) -> str:
    return sms_gateway().send(mobile=mobile, text=text)
