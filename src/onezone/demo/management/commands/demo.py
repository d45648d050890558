"""``onezone demo``: a working demo site on the embedded database in one command, its worker beside it."""

from __future__ import annotations

import os
import signal
import subprocess  # nosec B404  # starts the project's own worker command
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

WORKER_STOP_SECONDS = 30


def _exit_on_sigterm(signum, frame) -> None:
    raise SystemExit(0)  # stop the server like Ctrl-C does, so the worker is stopped too


class Command(BaseCommand):
    help = "创建（或复用）演示数据库，载入永昌工业园区演示数据，并在 127.0.0.1:8000 启动演示站点。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--reset", action="store_true", help="删除现有演示数据库后重新载入")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站")

    def handle(self, *args, **opts):
        from onezone.demo.loader import DEMO_PASSWORD, demo_loaded, load_demo

        settings.ONEZONE_DEMO = True
        settings.ONEZONE_DEFAULT_ZONE_CODE = settings.ONEZONE_DEFAULT_ZONE_CODE or "yongchang"
        os.environ["ONEZONE_DEMO"] = "1"
        db = settings.DATABASES["default"]
        is_sqlite = db["ENGINE"].endswith("sqlite3")
        if is_sqlite:
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if opts["reset"]:
            if not is_sqlite:
                raise CommandError("--reset 只用于内嵌 SQLite 演示数据库；PostgreSQL 请由管理员手工清理。")
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                path = f"{db['NAME']}{suffix}"
                if os.path.exists(path):
                    os.remove(path)
            self.stdout.write("已删除原演示数据库。")
        self.stdout.write(f"数据库：{db['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("calendar", "seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        if demo_loaded():
            self.stdout.write("演示数据已存在，直接复用（如需重新载入请加 --reset）。")
        else:
            self.stdout.write("正在载入永昌工业园区演示数据……")
            ctx = load_demo()
            for line in ctx.log:
                self.stdout.write(f"  {line}")
        self._print_accounts(DEMO_PASSWORD, opts)
        if not opts["no_serve"]:
            from onezone.core.management.commands.serve import serve

            worker = self._start_worker()
            previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
            try:
                serve(host=opts["host"], port=opts["port"])
            finally:
                signal.signal(signal.SIGTERM, previous)
                self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen:
        """The background jobs' worker as a child process of the site (stopped with it)."""
        command = [sys.executable, "-m", "onezone", "worker", "--with-parent", "--verbosity", "0"]
        worker = subprocess.Popen(command, env={**os.environ, "ONEZONE_DEMO": "1"})  # noqa: S603  # nosec B603
        self.stdout.write(f"后台任务进程已启动（进程号 {worker.pid}），随网站一同停止；任务进度见 /desk/jobs/。")
        return worker

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is not None:
            return
        worker.terminate()  # the worker finishes the task it is running, then stops
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    def _print_accounts(self, password: str, opts) -> None:
        from django.contrib.auth.models import User

        from onezone.core.roles import Role

        url = f"http://{opts['host']}:{opts['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\n演示站点：{url}    后台：{url}admin/"))
        self.stdout.write(f"演示账号（密码均为 {password}，仅用于演示）：")
        for user in User.objects.filter(username__startswith="demo-").prefetch_related("role_grants").order_by("id"):
            roles = "、".join(Role(g.role).label for g in user.role_grants.all()) or (
                "超级管理员" if user.is_superuser else ""
            )
            self.stdout.write(f"  {user.username:<22} {user.get_full_name():<6}  {roles}")
