"""Registry of periodic sweeps. Each app registers an idempotent function that returns a summary."""

from __future__ import annotations

from collections.abc import Callable

_sweeps: dict[str, tuple[int, Callable[[], str]]] = {}


def register_sweep(name: str, fn: Callable[[], str], *, order: int = 100) -> None:
    _sweeps[name] = (order, fn)


def registered_sweeps() -> list[tuple[str, Callable[[], str]]]:
    """The sweeps in the order they run."""
    return [(name, fn) for name, (_order, fn) in sorted(_sweeps.items(), key=lambda kv: kv[1][0])]


def run_sweeps() -> list[tuple[str, str]]:
    return [(name, fn()) for name, fn in registered_sweeps()]
