"""Named services over one table-driven step function.

A workflow whose steps differ only in data (target state, the date they stamp, the text they keep)
has one step function driven by its table; callers still want ``case_close(...)`` and
``award_pay(payment_reference=...)``. ``named_step`` gives each row that name, with the row's action
fixed and the step's free text under the keyword the domain uses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def named_step(
    run: Callable[..., T], prefix: str, action: str, label: str, *, text_keyword: str, text_param: str
) -> Callable[..., T]:
    """A keyword-only service ``<prefix>_<action>`` that calls ``run(action=action, **kwargs)``; its free
    text, passed as ``text_keyword`` (none if empty), reaches ``run`` as ``text_param``. ``action`` and
    ``text_param`` (when it is not the keyword) are refused like any unknown keyword."""
    name = f"{prefix}_{action}"
    hidden = {"action", text_param} - {text_keyword}

    def service(**kwargs: Any) -> T:
        refused = sorted(hidden & set(kwargs))
        if refused:
            raise TypeError(f"{name}() got an unexpected keyword argument {refused[0]!r}")
        if text_keyword and text_keyword in kwargs:
            kwargs[text_param] = kwargs.pop(text_keyword)
        return run(action=action, **kwargs)

    service.__name__ = service.__qualname__ = name
    service.__doc__ = f"{label} (``{getattr(run, '__name__', run)}`` with action ``{action}``)."
    return service
