"""``onezone serve``: serve a configured site with several worker processes.

On Linux and other Unix systems the site runs under gunicorn: a master process and ``--workers``
worker processes (by default two per core plus one, as gunicorn advises), each with ``--threads``
threads. Where gunicorn cannot run (Windows) or with ``--server waitress``, waitress serves the site
from one process with as many threads as the workers would have had. The demo serves one process
through waitress (``workers=1``).

Static files are served by WhiteNoise from the collected, hashed files (``onezone collectstatic``):
a hashed name never changes content, so it is sent with a cache lifetime of ten years and
``immutable``. nginx may serve ``STATIC_ROOT`` itself instead (docs/operations.md).
"""

from __future__ import annotations

import importlib.util
import os
import sys

from django.core.management.base import BaseCommand, CommandError

SERVERS = ("auto", "gunicorn", "waitress")


def default_workers() -> int:
    """Two workers per core the process may use, plus one (gunicorn's advice for mostly waiting work)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return 2 * cores + 1


def gunicorn_available() -> bool:
    return sys.platform != "win32" and importlib.util.find_spec("gunicorn") is not None


def choose_server(requested: str, workers: int) -> str:
    """The server that will run: gunicorn for several processes where it can run, otherwise waitress."""
    if requested == "gunicorn" and not gunicorn_available():
        raise CommandError("本机无法运行 gunicorn（Windows 或未安装）。请改用 --server waitress，或安装 gunicorn。")
    if requested == "auto":
        return "gunicorn" if workers > 1 and gunicorn_available() else "waitress"
    return requested


class Command(BaseCommand):
    help = "以多个工作进程提供网站服务（Linux 上用 gunicorn，其他系统用 waitress；生产环境请置于 nginx 之后）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None, help=f"工作进程数（默认按本机核数：{default_workers()}）"
        )
        parser.add_argument("--threads", type=int, default=4, help="每个工作进程的线程数（默认 4）")
        parser.add_argument("--server", choices=SERVERS, default="auto", help="auto：能用 gunicorn 时用 gunicorn")
        parser.add_argument("--timeout", type=int, default=60, help="一个请求最长处理秒数，超时的工作进程被重启")

    def handle(self, *args, **opts):
        workers = default_workers() if opts["workers"] is None else opts["workers"]
        if workers < 1 or opts["threads"] < 1:
            raise CommandError("--workers 与 --threads 必须是正整数。")
        server = choose_server(opts["server"], workers)
        check_static_files()
        from django.conf import settings

        if workers > 1 and server == "gunicorn" and not getattr(settings, "ONEZONE_REDIS_URL", ""):
            self.stderr.write(
                "提示：未设置 ONEZONE_REDIS_URL，各工作进程的缓存互不相通（登录失败次数、查询限流按进程计算）。"
                "多进程部署请设置 Redis。"
            )
        self.stdout.write(
            f"OneZone 正在 http://{opts['host']}:{opts['port']}/ 提供服务："
            + (f"gunicorn {workers} 个工作进程 × {opts['threads']} 线程" if server == "gunicorn" else "waitress 单进程")
        )
        serve(
            host=opts["host"],
            port=opts["port"],
            workers=workers,
            threads=opts["threads"],
            server=server,
            timeout=opts["timeout"],
        )


def check_static_files() -> None:
    """With hashed static files (production), refuse to start before ``collectstatic`` has run: every
    page would otherwise fail on its first stylesheet."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name and not staticfiles_storage.exists(manifest_name):
        raise CommandError(
            f"静态文件尚未收集（{settings.STATIC_ROOT} 中没有 {manifest_name}）。"
            "请先运行 onezone collectstatic --noinput。"
        )


def serve(
    *, host: str, port: int, workers: int = 1, threads: int = 8, server: str = "waitress", timeout: int = 60
) -> None:
    """Serve the site. A served site never shows Django's debug pages (tracebacks, the URL list) to a
    visitor, the demo included: its errors are the site's own Chinese pages (core.error_pages)."""
    from django.conf import settings

    settings.DEBUG = False

    from onezone.wsgi import application

    if server == "gunicorn":
        from onezone.core.gunicorn_app import run_gunicorn

        run_gunicorn(application, host=host, port=port, workers=workers, threads=threads, timeout=timeout)
        return
    from waitress import serve as waitress_serve

    waitress_serve(application, host=host, port=port, threads=workers * threads, ident="OneZone")
