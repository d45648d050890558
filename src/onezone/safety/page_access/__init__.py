"""Who may open each page of the app, one module per area."""

from onezone.safety.page_access import base, operations

PAGE_POLICIES = {**base.PAGE_POLICIES, **operations.PAGE_POLICIES}
