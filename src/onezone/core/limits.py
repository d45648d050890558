"""How long a person's free text may be, checked once in the services, never cut without a word.

A service names each free-text input with its label and its limit; anything longer is refused with a
Chinese message that gives the limit and the length received, so the person can shorten it. The
limits fit what a field holds: a name, a title, a note, a description.
"""

from __future__ import annotations

from onezone.core.errors import InvalidInput

# The limits the services share, in characters.
NAME = 100
TITLE = 100
NOTE = 200
COMMENT = 1_000
DESCRIPTION = 5_000


def length_fault(label: str, value: str | None, limit: int) -> str:
    """The Chinese message for ``value`` if it is longer than ``limit`` characters, else ''."""
    length = len((value or "").strip())
    if length <= limit:
        return ""
    return f"{label}最多 {limit:,} 个字，收到 {length:,} 个字，请删减后再提交。"


def require_lengths(**inputs: tuple[str, str | None, int]) -> None:
    """Refuse the inputs that are too long: ``field=(label, value, limit)``; one message for all."""
    fields = {
        name: fault for name, (label, value, limit) in inputs.items() if (fault := length_fault(label, value, limit))
    }
    if fields:
        raise InvalidInput("；".join(fields.values()), fields=fields)
