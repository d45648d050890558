"""What every personnel service shares: who may write, and how a status moves along its pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from onezone.core.errors import TransitionNotAllowed
from onezone.core.roles import Role

HR_ROLES = (Role.HR_OFFICER,)


def status_move(obj: Any, to: str, transitions: Mapping[str, frozenset[str]], *, subject: str, advice: str = "") -> str:
    """Move ``obj.status`` to ``to`` if ``transitions`` allows it; return the old status. ``subject`` names
    the record in the refusal, ``advice`` (starting with its punctuation) says what to do instead."""
    old = obj.status
    if to not in transitions.get(old, frozenset()):
        label = type(obj).Status(to).label
        raise TransitionNotAllowed(f"{subject}当前为“{obj.get_status_display()}”，不能改为“{label}”{advice}。")
    obj.status = to
    return old
