"""The app's models, one module per area."""

from onezone.support.models.finance import *  # noqa: F403
from onezone.support.models.labour import *  # noqa: F403
from onezone.support.models.markets import *  # noqa: F403
from onezone.support.models.statistics import *  # noqa: F403
