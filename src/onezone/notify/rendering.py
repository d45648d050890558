"""Rendering an event's message from its template (Django template syntax, plain text)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.template import Context, Engine, TemplateSyntaxError

from onezone.notify.events import event_kind

# Plain text: the inbox page escapes when it shows it; e-mail and SMS are not HTML.
_ENGINE = Engine(autoescape=False)


@lru_cache(maxsize=512)
def _compiled(text: str):
    return _ENGINE.from_string(text)


def check_template(text: str) -> str | None:
    """The Chinese message for a template that does not compile, or ``None`` when it does."""
    try:
        _compiled(text)
    except TemplateSyntaxError as exc:
        return f"模板语法错误：{exc}"
    return None


def render(text: str, context: dict[str, Any], *, limit: int) -> str:
    """``text`` rendered on ``context``; past ``limit`` characters it ends with “…” (marked, not cut silently)."""
    result = _compiled(text).render(Context(context, autoescape=False)).strip()
    if len(result) > limit:
        result = result[: limit - 1] + "…"
    return result


def wording(event: str, override: tuple[str, str] | None) -> tuple[str, str]:
    """The subject and body templates of ``event``: the zone's own wording or the registered default."""
    if override is not None:
        return override
    kind = event_kind(event)
    return kind.subject, kind.body
