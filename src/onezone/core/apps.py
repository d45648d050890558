from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onezone.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from onezone.core import checks, signals  # noqa: F401  registers checks and login auditing
        from onezone.core.jobs.setup import setup as setup_jobs

        setup_jobs()
        post_migrate.connect(signals.seed_calendar_after_migrate, sender=self, dispatch_uid="onezone.calendar.seed")
