from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "onezone.enterprises"
    label = "enterprises"
    verbose_name = _("企业服务")

    def ready(self) -> None:
        from onezone.core.sweeps import register_sweep
        from onezone.enterprises import navigation  # noqa: F401  sidebar, landing panels, portal link

        def sweep() -> str:
            from onezone.enterprises.services import requests_sweep

            return requests_sweep()

        register_sweep("enterprises.requests", sweep, order=40)
