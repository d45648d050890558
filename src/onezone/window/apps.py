from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WindowConfig(AppConfig):
    name = "onezone.window"
    label = "window"
    verbose_name = _("政务服务窗口")
