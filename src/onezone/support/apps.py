from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "onezone.support"
    label = "support"
    verbose_name = _("企业服务")

    def ready(self) -> None:
        from onezone.support import hooks  # noqa: F401
