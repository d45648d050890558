from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompanyConfig(AppConfig):
    name = "onezone.company"
    label = "company"
    verbose_name = _("开发运营公司")

    def ready(self) -> None:
        from onezone.company import navigation, notifications  # noqa: F401  sidebar, panels; notification events
