from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "onezone.api"
    label = "onezone_api"
    verbose_name = "REST API"
