"""The WSGI application ``onezone serve`` (waitress) and any other WSGI server run.

Once it is built, everything loaded at start-up (Django, the apps, the URL resolver, templates'
modules: some 200,000 objects) lives as long as the process, so it is moved out of the garbage
collector's reach with ``gc.freeze()``. Otherwise each full collection walks all of it again: on
the investment figures page at the province scale one request in nine took 185 ms instead of
97 ms (docs/performance.md).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onezone.settings")
application = get_wsgi_application()
gc.freeze()
