"""Back-office admin of this area, one module per area."""

from onezone.support.admin import (
    finance,  # noqa: F401
    labour,  # noqa: F401
    markets,  # noqa: F401
    statistics,  # noqa: F401
)
