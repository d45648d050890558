"""The WSGI entry point: the application, with what start-up loaded frozen out of the collector's passes."""

import os
import subprocess
import sys


def test_wsgi_application_freezes_what_start_up_loaded(tmp_path):
    code = "import gc; import onezone.wsgi as w; print(callable(w.application), gc.get_freeze_count())"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONEZONE_")}
    env.update(ONEZONE_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="onezone.settings")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    is_app, frozen = result.stdout.split()
    assert is_app == "True"
    assert int(frozen) > 50_000  # Django and the apps, not a handful of objects
