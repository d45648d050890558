from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "onezone.notify"
    label = "notify"
    verbose_name = _("通知")

    def ready(self) -> None:
        from onezone.notify import navigation  # noqa: F401  the sidebar section
