"""Sidebar sections, landing panels, sweeps and portal sections this area registers, one module per area."""

from onezone.support.hooks import (
    finance,  # noqa: F401
    labour,  # noqa: F401
    markets,  # noqa: F401
    statistics,  # noqa: F401
)
