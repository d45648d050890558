from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "onezone.safety"
    label = "safety"
    verbose_name = _("安全监管与应急")

    def ready(self) -> None:
        from onezone.safety import hooks  # noqa: F401
