"""Production settings: the ordinary settings with debugging off.

``ONEZONE_SECRET_KEY`` and ``ONEZONE_ALLOWED_HOSTS`` must come from the environment;
the site refuses to start with the development key.

Behind the TLS-terminating proxy (``ONEZONE_BEHIND_TLS``, on by default here) the proxy must set
``X-Forwarded-Proto``; the site then redirects plain HTTP to HTTPS, marks its cookies ``Secure`` and
sends ``Strict-Transport-Security`` for at least a year with ``includeSubDomains``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["ONEZONE_DEBUG"] = "false"

from onezone.settings import *  # noqa: F403
from onezone.settings import ONEZONE_BEHIND_TLS

HSTS_MIN_SECONDS = 365 * 24 * 3600

if ONEZONE_BEHIND_TLS and SECURE_HSTS_SECONDS < HSTS_MIN_SECONDS:  # noqa: F405
    raise ImproperlyConfigured(
        f"ONEZONE_HSTS_SECONDS 至少为 {HSTS_MIN_SECONDS}（一年），当前为 {SECURE_HSTS_SECONDS}。"  # noqa: F405
        "请删除该环境变量以使用默认值，或设为一年以上。"
    )
