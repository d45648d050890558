"""``onezone worker``: run the background jobs of the configured backend (database or Redis).

Database backend (the default): the django-tasks-db worker polls the site's database. Redis
(``ONEZONE_REDIS_URL``): an RQ worker for the queues; start as many as you like on as many machines.
``--schedule`` also enqueues the nightly sweep once a day (``ONEZONE_SWEEP_AT``, Asia/Shanghai).
"""

from __future__ import annotations

import os
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.crypto import get_random_string
from django_tasks import task_backends


class Command(BaseCommand):
    help = "运行后台任务进程（导入、报表、导出、夜间巡检等）。--schedule：同时按每日时间安排夜间巡检。"

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="default", help="处理哪些队列，逗号分隔；默认 default")
        parser.add_argument("--schedule", action="store_true", help="每天在 ONEZONE_SWEEP_AT（北京时间）安排夜间巡检")
        parser.add_argument("--batch", action="store_true", help="处理完队列中已有的任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="处理这么多个任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="数据库队列空闲时的轮询间隔（秒），默认 1")
        parser.add_argument("--worker-id", default="", help="工作进程标识（多台机器时须各不相同），默认随机")
        parser.add_argument("--with-parent", action="store_true", help="启动它的进程结束时随之停止（演示站点用）")

    def handle(self, *args, **opts):
        queues = [q.strip() for q in opts["queues"].split(",") if q.strip()]
        if not queues:
            raise CommandError("请至少指定一个队列。")
        if opts["max_tasks"] is not None and opts["max_tasks"] < 1:
            raise CommandError("--max-tasks 须为正整数。")
        scheduler = None
        if opts["schedule"]:
            from onezone.core.jobs.schedule import Scheduler, parse_at

            try:
                at = parse_at(settings.ONEZONE_SWEEP_AT)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            scheduler = Scheduler(at=at)
            scheduler.start()
            self.stdout.write(f"已启用夜间巡检安排：每天 {at:%H:%M}（北京时间）。")
        if opts["with_parent"]:
            _stop_with_parent()
        worker_id = opts["worker_id"] or get_random_string(32)
        backend = task_backends["default"]
        try:
            if type(backend).__module__.startswith("django_tasks_rq"):
                self._rq(queues, opts, worker_id)
            else:
                self._database(queues, opts, worker_id)
        finally:
            if scheduler is not None:
                scheduler.stop()

    def _database(self, queues: list[str], opts: dict, worker_id: str) -> None:
        argv = ["--queue-name", ",".join(queues), "--interval", str(opts["interval"]), "--no-reload"]
        argv += ["--worker-id", worker_id]
        if opts["batch"]:
            argv += ["--batch", "--no-startup-delay"]
        if opts["max_tasks"] is not None:
            argv += ["--max-tasks", str(opts["max_tasks"])]
        call_command("db_worker", *argv, verbosity=opts["verbosity"], stdout=self.stdout, stderr=self.stderr)

    def _rq(self, queues: list[str], opts: dict, worker_id: str) -> None:
        import django_rq
        from django_tasks_rq.backend import Job

        worker = django_rq.get_worker(*queues, job_class=Job, name=worker_id)
        connections.close_all()  # each job's forked work horse opens its own database connection
        worker.work(burst=opts["batch"], max_jobs=opts["max_tasks"], with_scheduler=True)


def _stop_with_parent(interval: float = 2.0) -> None:
    """When the process that started this one ends, stop as on SIGTERM (the task running is finished)."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="onezone-parent-watch", daemon=True).start()
