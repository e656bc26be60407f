"""A named registry of Python checks, shared by the rule engines (QC, Rx): rules name checks as data."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Generic, TypeVar

F = TypeVar("F", bound=Callable[..., object])


class CheckRegistry(Generic[F]):
    """Checks registered by name with ``@registry.check("name")``; the built-ins load on first use."""

    def __init__(self, builtins_module: str) -> None:
        self._builtins = builtins_module
        self._checks: dict[str, F] = {}

    def check(self, name: str) -> Callable[[F], F]:
        """Register a function under ``name`` (what a rule's data names)."""

        def deco(fn: F) -> F:
            self._checks[name] = fn
            return fn

        return deco

    def all(self) -> dict[str, F]:
        """Every registered check, the built-in ones imported first."""
        import_module(self._builtins)
        return dict(self._checks)
