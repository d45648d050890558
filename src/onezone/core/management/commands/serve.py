"""``onezone serve``: serve a configured site with waitress (a pure-Python production server)."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以 waitress 提供网站服务（生产环境请置于 nginx 之后）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, **opts):
        serve(host=opts["host"], port=opts["port"], threads=opts["threads"])


def serve(*, host: str, port: int, threads: int = 8) -> None:
    """Serve the site. A served site never shows Django's debug pages (tracebacks, the URL list) to a
    visitor, the demo included: its errors are the site's own Chinese pages (core.error_pages)."""
    from django.conf import settings
    from waitress import serve as waitress_serve

    settings.DEBUG = False

    from onezone.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="OneZone")
