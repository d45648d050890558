"""Sidebar sections, landing panels, sweeps and portal sections this area registers, one module per area."""

from onezone.safety.hooks import (
    base,  # noqa: F401
    operations,  # noqa: F401
)
