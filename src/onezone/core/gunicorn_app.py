"""The site under gunicorn, started from ``onezone serve`` through gunicorn's documented custom
application API (``gunicorn.app.base.BaseApplication``): no configuration file, no command line of
gunicorn's own."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class OneZoneGunicorn(BaseApplication):
    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def gunicorn_options(*, host: str, port: int, workers: int, threads: int, timeout: int) -> dict[str, Any]:
    """gunicorn's settings for the site: threaded workers (pages wait on the database more than they
    compute), restarted after a number of requests so that no worker's memory grows without end."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": None,
        "errorlog": "-",
        "proc_name": "onezone",
        # The proxy in front (nginx) sets X-Forwarded-*; trust it only from the local machine.
        "forwarded_allow_ips": "127.0.0.1,::1",
    }


def run_gunicorn(application: Any, *, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads, timeout=timeout)
    OneZoneGunicorn(application, options).run()
