"""Configuration mistakes surface as system checks (``onezone check``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("onezone")
def check_secret_key(app_configs, **kwargs):
    from onezone.settings import DEFAULT_SECRET_KEY

    if not settings.DEBUG and settings.SECRET_KEY == DEFAULT_SECRET_KEY:
        return [
            Error(
                "生产环境使用了默认密钥。",
                hint="设置环境变量 ONEZONE_SECRET_KEY 为至少50个随机字符。",
                id="onezone.E001",
            )
        ]
    return []


@register("onezone", deploy=True)
def check_database(app_configs, **kwargs):
    engine = settings.DATABASES["default"]["ENGINE"]
    if not settings.DEBUG and engine.endswith("sqlite3"):
        return [
            Warning(
                "生产环境使用内嵌 SQLite 数据库。",
                hint="单机小规模可以使用；多人同时办理或全省部署请设置 ONEZONE_DATABASE_URL 指向 PostgreSQL。",
                id="onezone.W001",
            )
        ]
    return []
