"""Who may open each page of this area (merged into onezone.access)."""

from onezone.access import ENTERPRISE, Policy
from onezone.support.page_access.markets import DESK_READERS

PAGE_POLICIES: dict[str, Policy] = {
    "portal/support/finance/": ENTERPRISE,
    "desk/support/finance/": DESK_READERS,
    "desk/support/finance/needs/": DESK_READERS,
    "desk/support/finance/loans/": DESK_READERS,
}
