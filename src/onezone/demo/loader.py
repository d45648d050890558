"""Loads the Yongchang demo: every module in ``onezone.demo.steps`` runs in name order.

Each step module has ``load(ctx)``; the steps share one ``DemoContext`` (the zone, users, bodies ...).
The whole load is one transaction: a failed step leaves no half-loaded demo behind.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

import onezone.demo.steps as steps_package

DEMO_PASSWORD = "demo-2026-yc"  # noqa: S105  # nosec B105  # printed to the console; demo sites only


@dataclass
class DemoContext:
    zone: Any = None
    users: dict[str, Any] = field(default_factory=dict)  # role value → user
    bodies: dict[str, Any] = field(default_factory=dict)  # short key → Body
    parks: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.log.append(line)


def step_modules() -> list[str]:
    return sorted(
        f"{steps_package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(steps_package.__path__)
        if not info.name.startswith("_")
    )


def demo_loaded() -> bool:
    from onezone.zones.models import Zone

    return Zone.objects.filter(is_demo=True, code="yongchang").exists()


def load_demo(*, only: list[str] | None = None) -> DemoContext:
    """Load every step (or the named ones) in one transaction and return the context."""
    ctx = DemoContext()
    with transaction.atomic():
        for name in step_modules():
            short = name.rsplit(".", 1)[-1]
            if only and short not in only:
                continue
            importlib.import_module(name).load(ctx)
    return ctx
