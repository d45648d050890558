from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZonesConfig(AppConfig):
    name = "onezone.zones"
    label = "zones"
    verbose_name = _("开发区与园区")

    def ready(self) -> None:
        from onezone.zones import navigation  # noqa: F401  registers the sidebar and landing panels
