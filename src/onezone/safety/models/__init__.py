"""The app's models, one module per area."""

from onezone.safety.models.base import *  # noqa: F403
from onezone.safety.models.operations import *  # noqa: F403
