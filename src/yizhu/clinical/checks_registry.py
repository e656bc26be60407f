"""Shared by the rule engines (QC, Rx): the registry of named Python checks, and rules-file validation."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from yizhu.datafile import load_yaml_model
from yizhu.errors import ConfigError

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


M = TypeVar("M", bound=BaseModel)


def load_ruleset(path: Path, model: type[M], what: str) -> M:
    """Read a rules file into its schema (``load_yaml_model``) and refuse duplicate rule ids, naming the fix."""
    ruleset = load_yaml_model(path, model, what)
    ids = [r.id for r in ruleset.rules]  # type: ignore[attr-defined]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{path}: duplicate rule ids {dupes}; each rule id must be unique.")
    return ruleset
