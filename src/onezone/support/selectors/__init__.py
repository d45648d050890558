"""Every read a page or endpoint needs, one module per area."""
