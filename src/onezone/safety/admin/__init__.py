"""Back-office admin of this area, one module per area."""

from onezone.safety.admin import (
    base,  # noqa: F401
    operations,  # noqa: F401
)
