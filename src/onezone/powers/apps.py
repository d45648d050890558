from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "onezone.powers"
    label = "powers"
    verbose_name = _("三张清单")

    def ready(self) -> None:
        from onezone.powers import files, navigation  # noqa: F401  registers file policies and the sidebar
