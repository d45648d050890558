"""Who may open each page of this area (merged into onezone.access)."""

from onezone.access import Policy

PAGE_POLICIES: dict[str, Policy] = {}
