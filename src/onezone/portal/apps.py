from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "onezone.portal"
    label = "portal"
    verbose_name = "公众与企业门户"
