"""Production settings: the ordinary settings with debugging off.

``ONEZONE_SECRET_KEY`` and ``ONEZONE_ALLOWED_HOSTS`` must come from the environment;
the site refuses to start with the development key.
"""

import os

os.environ["ONEZONE_DEBUG"] = "false"

from onezone.settings import *  # noqa: F403
