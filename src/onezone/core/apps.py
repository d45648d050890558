from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onezone.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from onezone.core import checks, signals  # noqa: F401  registers checks and login auditing
        from onezone.core.jobs.setup import setup as setup_jobs

        setup_jobs()
