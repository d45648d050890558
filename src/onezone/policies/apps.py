from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "onezone.policies"
    label = "policies"
    verbose_name = _("惠企政策")

    def ready(self) -> None:
        from onezone.policies import navigation  # noqa: F401
