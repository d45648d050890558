"""Who may open each page of the app, one module per area."""

from onezone.support.page_access import finance, labour, markets, statistics

PAGE_POLICIES = {**markets.PAGE_POLICIES, **finance.PAGE_POLICIES, **labour.PAGE_POLICIES, **statistics.PAGE_POLICIES}
