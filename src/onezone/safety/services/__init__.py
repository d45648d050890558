"""Every write of the app, one module per area."""
