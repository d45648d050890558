"""The OpenAPI document itself: unique schema names and the error shape on every operation."""

import importlib
import inspect

from django.apps import apps
from django.test import Client
from ninja import Schema


def test_schema_class_names_are_unique_across_apps():
    # Ninja names OpenAPI components by class name: two apps with the same name would silently share one.
    seen: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("onezone."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Schema) and cls.__module__ == module.__name__:
                assert name not in seen, f"{name} is defined in both {seen[name]} and {module.__name__}"
                seen[name] = module.__name__
    assert len(seen) > 50


def test_every_operation_documents_the_error_shape():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message", "fields"]
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) > 80
    for operation in operations:
        for status in ("400", "401", "403", "404", "409", "422", "429"):
            assert status in operation["responses"], (operation["operationId"], status)
