from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "onezone.org"
    label = "org"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from onezone.org import navigation, notifications  # noqa: F401  the sidebar; notification events
