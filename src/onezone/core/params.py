"""Query parameters of the pages, checked as the API checks its own (``core.api_types``)."""

from __future__ import annotations

from django.utils import timezone

from onezone.core.errors import InvalidInput

YEAR_MIN, YEAR_MAX = 2000, 2100


def year_param(raw: str | None, default: int | None = None) -> int:
    """The ``year`` a page was asked for: the default (this year) when none was given, and a clear
    refusal, not a server error, for one that is not a year between 2000 and 2100."""
    if not raw:
        return default or timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise InvalidInput(
            f"年份“{raw[:20]}”不正确：请填写 {YEAR_MIN}–{YEAR_MAX} 之间的四位年份，例如 {timezone.localdate().year}。",
            fields={"year": f"应为 {YEAR_MIN}–{YEAR_MAX} 之间的年份。"},
        )
    return year
