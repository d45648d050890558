"""``onezone check --deploy``: the background jobs' queue must answer, or nothing started in the background runs."""

from __future__ import annotations

from django.core.checks import Warning, register


@register("onezone", deploy=True)
def check_job_queue(app_configs, **kwargs):
    from django_tasks import task_backends

    backend = task_backends["default"]
    if not type(backend).__module__.startswith("django_tasks_rq"):
        return []  # the database backend answers whenever the site's database does
    import django_rq
    from redis import RedisError

    problems = []
    for name in backend.queues:
        try:
            django_rq.get_connection(name).ping()
        except (RedisError, OSError) as exc:
            problems.append(
                Warning(
                    f"后台任务队列“{name}”（Redis）无法连接：{type(exc).__name__}。",
                    hint="检查 ONEZONE_REDIS_URL 与 Redis 服务；连接不上时导入、报表等后台任务会立即失败。",
                    id="onezone.W201",
                )
            )
    return problems
