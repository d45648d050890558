"""The kinds of event a notification can tell of, registered by the apps that raise them.

An app registers its events in its ``AppConfig.ready()``::

    register_event(
        "window.case_accepted",
        label="办件已受理",
        subject="您的申请“{{ item }}”已受理",
        body="受理编号 {{ number }}，承诺 {{ deadline }} 前办结。",
        audience="enterprise",
    )

Templates are Django template syntax rendered on the context the caller passes to ``notify_event``.
A zone's administrator may replace the wording (``notify.Template``); the registered text is the default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AUDIENCES = {"staff": "工作人员", "enterprise": "企业用户"}

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
KEY_MAX = 60
SUBJECT_MAX = 200
BODY_MAX = 2000


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str
    subject: str
    body: str
    audience: str


_EVENTS: dict[str, EventKind] = {}


def register_event(key: str, *, label: str, subject: str, body: str, audience: str = "staff") -> None:
    """Register an event kind with its Chinese label and default templates.

    Registering the same key again with the same text is allowed (``ready()`` may run twice in tests);
    a different definition under a key already taken is a programming error.
    """
    if not _KEY.match(key) or len(key) > KEY_MAX:
        raise ValueError(f"事件标识 {key!r} 须为“应用.事件”形式的小写英文，不超过 {KEY_MAX} 个字符。")
    if audience not in AUDIENCES:
        raise ValueError(f"事件 {key} 的接收对象 {audience!r} 无效，应为 {'、'.join(AUDIENCES)} 之一。")
    if len(subject) > SUBJECT_MAX or len(body) > BODY_MAX:
        raise ValueError(f"事件 {key} 的模板过长：标题不超过 {SUBJECT_MAX} 字，内容不超过 {BODY_MAX} 字。")
    kind = EventKind(key=key, label=label, subject=subject, body=body, audience=audience)
    existing = _EVENTS.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"事件标识 {key} 已被另一定义注册。")
    _EVENTS[key] = kind


def event_kind(key: str) -> EventKind:
    """The registered event ``key``; a ``LookupError`` for a key nobody registered."""
    try:
        return _EVENTS[key]
    except KeyError:
        raise LookupError(f"未注册的通知事件：{key}") from None


def event_kinds() -> list[EventKind]:
    """Every registered event kind, by key."""
    return [_EVENTS[k] for k in sorted(_EVENTS)]
