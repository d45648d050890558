from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "onezone.personnel"
    label = "personnel"
    verbose_name = _("人事薪酬")

    def ready(self) -> None:
        from onezone.personnel import navigation  # noqa: F401
        from onezone.personnel.metrics import register_own_metrics

        register_own_metrics()
